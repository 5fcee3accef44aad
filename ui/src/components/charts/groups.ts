/**
 * Aggregation of the runs of one group into a mean line and a band (min/max or ±1 std).
 * Runs are logged at different x positions (and sampled differently), so each run is linearly
 * interpolated onto a common grid, never extrapolated past its own first and last point.
 */

export interface Line {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export type BandMode = "minmax" | "std";

export interface Band {
  x: Float64Array;
  mean: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  /** How many runs contribute at each grid point. */
  count: Uint32Array;
}

/** The sorted union of the x positions, or an even grid when that union is too large. */
export function commonGrid(lines: Line[], maxPoints: number): Float64Array {
  let total = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const line of lines) {
    total += line.x.length;
    for (let i = 0; i < line.x.length; i++) {
      const x = line.x[i];
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  if (total === 0) return new Float64Array(0);
  if (total <= maxPoints) {
    const all = new Float64Array(total);
    let k = 0;
    for (const line of lines) for (let i = 0; i < line.x.length; i++) all[k++] = line.x[i];
    all.sort();
    let n = 0;
    for (let i = 0; i < all.length; i++) if (n === 0 || all[i] !== all[n - 1]) all[n++] = all[i];
    return all.slice(0, n);
  }
  if (lo === hi) return Float64Array.of(lo);
  const grid = new Float64Array(maxPoints);
  for (let i = 0; i < maxPoints; i++) grid[i] = lo + ((hi - lo) * i) / (maxPoints - 1);
  return grid;
}

/** The line with its points in ascending x (a copy only when they are not already). */
function sorted(line: Line): Line {
  let ordered = true;
  for (let i = 1; i < line.x.length && ordered; i++) ordered = line.x[i - 1] <= line.x[i];
  if (ordered) return line;
  const index = Array.from({ length: line.x.length }, (_, i) => i).sort(
    (a, b) => line.x[a] - line.x[b],
  );
  return { x: index.map((i) => line.x[i]), y: index.map((i) => line.y[i]) };
}

/** The line's value at each grid point (NaN outside its range or next to a NaN point). */
export function interpolate(line: Line, grid: ArrayLike<number>): Float64Array {
  const { x, y } = sorted(line);
  const out = new Float64Array(grid.length).fill(NaN);
  const n = x.length;
  if (n === 0) return out;
  let j = 0;
  for (let g = 0; g < grid.length; g++) {
    const gx = grid[g];
    if (gx < x[0] || gx > x[n - 1]) continue;
    while (j < n - 1 && x[j + 1] <= gx) j++;
    if (x[j] === gx || j === n - 1) {
      out[g] = y[j];
    } else {
      const x0 = x[j];
      const x1 = x[j + 1];
      out[g] = x1 === x0 ? y[j + 1] : y[j] + ((y[j + 1] - y[j]) * (gx - x0)) / (x1 - x0);
    }
  }
  return out;
}

export function groupBand(lines: Line[], mode: BandMode, maxPoints = 1000): Band {
  const x = commonGrid(lines, maxPoints);
  const n = x.length;
  const sum = new Float64Array(n);
  const sumSq = new Float64Array(n);
  const lo = new Float64Array(n).fill(Infinity);
  const hi = new Float64Array(n).fill(-Infinity);
  const count = new Uint32Array(n);
  for (const line of lines) {
    const y = interpolate(line, x);
    for (let i = 0; i < n; i++) {
      const v = y[i];
      if (!Number.isFinite(v)) continue;
      sum[i] += v;
      sumSq[i] += v * v;
      if (v < lo[i]) lo[i] = v;
      if (v > hi[i]) hi[i] = v;
      count[i]++;
    }
  }
  const mean = new Float64Array(n);
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = count[i];
    if (c === 0) {
      mean[i] = lower[i] = upper[i] = NaN;
      continue;
    }
    const m = sum[i] / c;
    mean[i] = m;
    if (mode === "std") {
      const sd = Math.sqrt(Math.max(0, sumSq[i] / c - m * m));
      lower[i] = m - sd;
      upper[i] = m + sd;
    } else {
      lower[i] = lo[i];
      upper[i] = hi[i];
    }
  }
  return { x, mean, lower, upper, count };
}
