import { sparkPath } from "./Sparkline";

const series = (values: number[]) => ({
  key: "m",
  count: values.length,
  steps: Float64Array.from(values, (_, i) => i),
  timestamps: Float64Array.from(values, (_, i) => i),
  values: Float64Array.from(values),
});

describe("sparkPath", () => {
  it("scales the line into the box, lowest value at the bottom", () => {
    expect(sparkPath(series([0, 1]), 12, 12)).toBe("M1.0,11.0L11.0,1.0");
  });

  it("breaks the line at NaN gaps", () => {
    expect(sparkPath(series([0, NaN, 1]), 12, 12)).toBe("M1.0,11.0M11.0,1.0");
  });

  it("draws a flat line mid-height and nothing for no data", () => {
    expect(sparkPath(series([5, 5]), 12, 12)).toBe("M1.0,6.0L11.0,6.0");
    expect(sparkPath(series([]), 12, 12)).toBe("");
  });
});
