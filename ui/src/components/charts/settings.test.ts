import { DEFAULT_CHART_SETTINGS, parseChartSettings, writeChartSettings } from "./settings";

describe("chart settings in the URL", () => {
  it("defaults when the URL has none", () => {
    expect(parseChartSettings(new URLSearchParams())).toEqual(DEFAULT_CHART_SETTINGS);
  });

  it("reads every setting", () => {
    const s = parseChartSettings(
      new URLSearchParams(
        "chart_x=relative&chart_log=1&chart_smooth=avg&chart_ema=0.9&chart_window=25" +
          "&chart_band=std&chart_filter=val",
      ),
    );
    expect(s).toEqual({
      x: "relative",
      log: true,
      smooth: "avg",
      weight: 0.9,
      window: 25,
      band: "std",
      filter: "val",
    });
  });

  it("falls back to defaults on malformed values", () => {
    const s = parseChartSettings(
      new URLSearchParams(
        "chart_x=bogus&chart_smooth=<b>&chart_ema=5&chart_window=-3&chart_band=x",
      ),
    );
    expect(s).toEqual(DEFAULT_CHART_SETTINGS);
  });

  it("writes only non-default settings and keeps other parameters", () => {
    const base = new URLSearchParams("runs=a,b&chart_log=1");
    const next = writeChartSettings(base, { x: "time", log: false, smooth: "ema", weight: 0.75 });
    expect(next.get("runs")).toBe("a,b");
    expect(next.get("chart_x")).toBe("time");
    expect(next.has("chart_log")).toBe(false);
    expect(next.get("chart_smooth")).toBe("ema");
    expect(next.get("chart_ema")).toBe("0.75");
    expect(base.get("chart_log")).toBe("1"); // the input is not modified
  });

  it("round-trips", () => {
    const settings = { ...DEFAULT_CHART_SETTINGS, x: "relative" as const, log: true, window: 7 };
    expect(parseChartSettings(writeChartSettings(new URLSearchParams(), settings))).toEqual(
      settings,
    );
  });
});
