import { commonGrid, groupBand, interpolate } from "./groups";

describe("group aggregation", () => {
  it("takes the union of x positions as the grid", () => {
    const grid = commonGrid(
      [
        { x: [0, 2], y: [0, 0] },
        { x: [1, 2], y: [0, 0] },
      ],
      100,
    );
    expect(Array.from(grid)).toEqual([0, 1, 2]);
  });

  it("uses an even grid when the union is too large", () => {
    const grid = commonGrid([{ x: [0, 1, 2, 3, 4], y: [0, 0, 0, 0, 0] }], 3);
    expect(Array.from(grid)).toEqual([0, 2, 4]);
  });

  it("interpolates linearly and never extrapolates", () => {
    const out = interpolate({ x: [1, 3], y: [10, 30] }, [0, 1, 2, 3, 4]);
    expect(Number.isNaN(out[0])).toBe(true);
    expect(Array.from(out.slice(1, 4))).toEqual([10, 20, 30]);
    expect(Number.isNaN(out[4])).toBe(true);
  });

  it("sorts a line whose x is not ascending", () => {
    const out = interpolate({ x: [3, 1], y: [30, 10] }, [2]);
    expect(out[0]).toBe(20);
  });

  it("computes mean, min and max over the runs present at each point", () => {
    const band = groupBand(
      [
        { x: [0, 1, 2], y: [1, 2, 3] },
        { x: [0, 1, 2], y: [3, 4, 5] },
        { x: [0, 1], y: [5, 9] },
      ],
      "minmax",
    );
    expect(Array.from(band.x)).toEqual([0, 1, 2]);
    expect(Array.from(band.mean)).toEqual([3, 5, 4]);
    expect(Array.from(band.lower)).toEqual([1, 2, 3]);
    expect(Array.from(band.upper)).toEqual([5, 9, 5]);
    expect(Array.from(band.count)).toEqual([3, 3, 2]);
  });

  it("computes a ±1 population standard deviation band", () => {
    const band = groupBand(
      [
        { x: [0], y: [1] },
        { x: [0], y: [3] },
      ],
      "std",
    );
    expect(band.mean[0]).toBe(2);
    expect(band.lower[0]).toBeCloseTo(1, 12);
    expect(band.upper[0]).toBeCloseTo(3, 12);
  });

  it("ignores NaN values and leaves empty points as gaps", () => {
    const band = groupBand(
      [
        { x: [0, 1], y: [NaN, 2] },
        { x: [1, 2], y: [4, NaN] },
      ],
      "minmax",
    );
    expect(Number.isNaN(band.mean[0])).toBe(true);
    expect(band.mean[1]).toBe(3);
    expect(Number.isNaN(band.mean[2])).toBe(true);
  });
});
