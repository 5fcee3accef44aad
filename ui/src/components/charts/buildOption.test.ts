import { buildOption, formatSeconds, type RunLine } from "./buildOption";
import { DEFAULT_CHART_SETTINGS } from "./settings";

function line(runId: string, name: string, values: number[], group?: string): RunLine {
  const steps = values.map((_, i) => i);
  return {
    runId,
    name,
    group,
    color: "#000",
    t0: 0,
    series: {
      key: "loss",
      count: values.length,
      steps: Float64Array.from(steps),
      timestamps: Float64Array.from(steps, (s) => s * 1000),
      values: Float64Array.from(values),
    },
  };
}

type Opt = {
  series: { id: string; name: string }[];
  tooltip: { formatter: (p: unknown) => string };
  yAxis: { type: string };
};

describe("chart option", () => {
  it("draws one line per run", () => {
    const built = buildOption(
      [line("a", "A", [1, 2]), line("b", "B", [3, 4])],
      DEFAULT_CHART_SETTINGS,
      false,
    );
    expect(built.seriesCount).toBe(2);
    expect(built.pointCount).toBe(4);
  });

  it("adds a faint raw line behind each smoothed one", () => {
    const built = buildOption(
      [line("a", "A", [1, 2, 3])],
      { ...DEFAULT_CHART_SETTINGS, smooth: "ema" },
      false,
    );
    const ids = (built.option as unknown as Opt).series.map((s) => s.id);
    expect(ids).toEqual(["line:a", "raw:a"]);
  });

  it("draws a group as mean line over a band polygon", () => {
    const built = buildOption(
      [line("a", "A", [1, 2], "lr=0.1"), line("b", "B", [3, 4], "lr=0.1"), line("c", "C", [5, 6])],
      DEFAULT_CHART_SETTINGS,
      false,
    );
    const series = (built.option as unknown as Opt).series;
    expect(series.map((s) => s.id)).toEqual(["line:c", "line:group:lr=0.1", "band:lr=0.1"]);
    expect(series[1].name).toBe("lr=0.1 (2 runs)");
    expect(series[2].name).toBe("lr=0.1 (2 runs)"); // one legend entry toggles both
    // The band's data holds both edges (the axis extent), mean 2 and 3 between 1..3 and 2..4.
    const band = series[2] as unknown as {
      data: [number, number][];
      renderItem: (p: { dataIndex: number }, api: { coord: (p: number[]) => number[] }) => {
        children: { shape: { points: number[][] } }[];
      } | null;
    };
    expect(band.data).toEqual([[0, 1], [0, 3], [1, 2], [1, 4]]);
    const drawn = band.renderItem({ dataIndex: 0 }, { coord: (p) => p });
    expect(drawn!.children[0].shape.points).toEqual([[0, 3], [1, 4], [1, 2], [0, 1]]);
    expect(band.renderItem({ dataIndex: 1 }, { coord: (p) => p })).toBeNull();
  });

  it("leaves band points that a log axis cannot show out of the polygon", () => {
    const built = buildOption(
      [line("a", "A", [-1, 2, 3], "g"), line("b", "B", [1, 4, 5], "g")],
      { ...DEFAULT_CHART_SETTINGS, log: true },
      false,
    );
    const band = (built.option as unknown as Opt).series[1] as unknown as { data: number[][] };
    // Step 0: raw -1 is a gap on a log axis, so only run b is there (1..1).
    expect(band.data[0]).toEqual([0, 1]);
    expect(band.data).toHaveLength(6);
  });

  it("switches the y axis to log", () => {
    const built = buildOption(
      [line("a", "A", [1])],
      { ...DEFAULT_CHART_SETTINGS, log: true },
      false,
    );
    expect((built.option as unknown as Opt).yAxis.type).toBe("log");
  });

  it("escapes run names in the tooltip", () => {
    const built = buildOption(
      [line("a", "<img src=x onerror=alert(1)>", [1])],
      DEFAULT_CHART_SETTINGS,
      false,
    );
    const html = (built.option as unknown as Opt).tooltip.formatter([
      {
        seriesId: "line:a",
        seriesName: "<img src=x onerror=alert(1)>",
        color: "#000",
        value: [0, 1],
      },
    ]);
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("formats relative time", () => {
    expect(formatSeconds(42)).toBe("42s");
    expect(formatSeconds(125)).toBe("2m05s");
    expect(formatSeconds(3725)).toBe("1h02m");
  });
});
