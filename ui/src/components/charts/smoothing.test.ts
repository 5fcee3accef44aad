import { ema, runningAverage, smooth } from "./smoothing";

describe("EMA", () => {
  it("is the raw line at weight 0", () => {
    expect(Array.from(ema([1, 5, 3], 0))).toEqual([1, 5, 3]);
  });

  it("is debiased: a constant line stays constant from the first point", () => {
    const out = ema([2, 2, 2, 2], 0.9);
    for (const v of out) expect(v).toBeCloseTo(2, 12);
  });

  it("follows TensorBoard's formula", () => {
    const w = 0.5;
    // last = 0.5*0 + 0.5*1 = 0.5 -> /(1-0.5) = 1 ; last = 0.25 + 1.5 = 1.75 -> /(0.75) = 2.333..
    const out = ema([1, 3], w);
    expect(out[0]).toBeCloseTo(1, 12);
    expect(out[1]).toBeCloseTo(1.75 / 0.75, 12);
  });

  it("passes NaN through as gaps without poisoning later points", () => {
    const out = ema([1, NaN, 1, 1.7976931348623157e308, 1], 0.8);
    expect(Number.isNaN(out[1])).toBe(true);
    expect(Number.isNaN(out[3])).toBe(true);
    expect(out[4]).toBeCloseTo(1, 12);
  });
});

describe("running average", () => {
  it("averages the trailing window", () => {
    expect(Array.from(runningAverage([1, 2, 3, 4, 5], 2))).toEqual([1, 1.5, 2.5, 3.5, 4.5]);
    expect(Array.from(runningAverage([3, 6, 9], 10))).toEqual([3, 4.5, 6]);
  });

  it("skips NaN points", () => {
    const out = runningAverage([2, NaN, 4], 2);
    expect(out[0]).toBe(2);
    expect(Number.isNaN(out[1])).toBe(true);
    expect(out[2]).toBe(3);
  });

  it("treats a window below one as one", () => {
    expect(Array.from(runningAverage([1, 9], 0))).toEqual([1, 9]);
  });
});

describe("smooth", () => {
  it("returns the same array when smoothing is off", () => {
    const values = Float64Array.of(1, 2);
    expect(smooth(values, "none", 0.5, 3)).toBe(values);
  });
});
