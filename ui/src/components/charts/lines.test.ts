import type { Series } from "./decode";
import { spliceDetail, startTime, stepRangeOf, xColumn, yColumn } from "./lines";

function series(steps: number[], values: number[], timestamps?: number[]): Series {
  return {
    key: "m",
    count: steps.length,
    steps: Float64Array.from(steps),
    timestamps: Float64Array.from(timestamps ?? steps.map((s) => 1000 + s * 10)),
    values: Float64Array.from(values),
  };
}

describe("chart lines", () => {
  it("builds the x column of each mode", () => {
    const s = series([0, 5], [1, 2], [2000, 7000]);
    expect(Array.from(xColumn(s, "step", 0))).toEqual([0, 5]);
    expect(Array.from(xColumn(s, "time", 0))).toEqual([2000, 7000]);
    expect(Array.from(xColumn(s, "relative", startTime(s)))).toEqual([0, 5]);
  });

  it("turns non-finite values and, on a log axis, non-positive ones into gaps", () => {
    const y = yColumn(Float64Array.of(1, 0, -1, NaN, 1.7976931348623157e308), true);
    expect(y[0]).toBe(1);
    expect([1, 2, 3, 4].every((i) => Number.isNaN(y[i]))).toBe(true);
    expect(yColumn(Float64Array.of(0, -1), false)[1]).toBe(-1);
  });

  it("splices the zoomed detail into the overview", () => {
    const overview = series([0, 50, 100, 150, 200], [0, 5, 10, 15, 20]);
    const detail = series([90, 100, 101, 102, 110], [9, 10, 10.1, 10.2, 11]);
    const merged = spliceDetail(overview, detail, 95, 105);
    expect(Array.from(merged.steps)).toEqual([0, 50, 100, 101, 102, 150, 200]);
    expect(merged.count).toBe(7);
    expect(spliceDetail(overview, undefined, 0, 1)).toBe(overview);
  });

  it("maps a time window to the steps it covers, one point wider", () => {
    const s = series([0, 10, 20, 30], [0, 0, 0, 0], [0, 100, 200, 300]);
    const xs = xColumn(s, "time", 0);
    expect(stepRangeOf(s, xs, 150, 220)).toEqual({ start: 10, end: 30 });
    expect(stepRangeOf(s, xs, 120, 130)).toEqual({ start: 10, end: 20 });
    expect(stepRangeOf(s, xs, 1000, 2000)).toBeUndefined();
  });
});
