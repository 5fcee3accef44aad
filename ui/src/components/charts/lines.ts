/**
 * From decoded series to what a chart draws: x columns for the three x-axis modes, the
 * overview with a zoomed window's detail spliced in, and the step range a zoomed x window
 * covers.
 */
import type { Series } from "./decode";
import type { XAxisMode } from "./settings";

/** ±DBL_MAX stands for ±inf in MLflow's stores; such points (and NaN) draw as gaps. */
const HUGE = 1e300;

/** The first (smallest) timestamp: the origin of relative time. */
export function startTime(series: Series): number {
  let t0 = Infinity;
  for (let i = 0; i < series.timestamps.length; i++) {
    if (series.timestamps[i] < t0) t0 = series.timestamps[i];
  }
  return Number.isFinite(t0) ? t0 : 0;
}

/** The x column: steps, epoch milliseconds, or seconds since `t0`. */
export function xColumn(series: Series, mode: XAxisMode, t0: number): Float64Array {
  if (mode === "step") return series.steps;
  if (mode === "time") return series.timestamps;
  const out = new Float64Array(series.timestamps.length);
  for (let i = 0; i < out.length; i++) out[i] = (series.timestamps[i] - t0) / 1000;
  return out;
}

/** The y column as drawn: gaps for non-finite values, and for values <= 0 on a log axis. */
export function yColumn(values: Float64Array, log: boolean): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = !Number.isFinite(v) || Math.abs(v) >= HUGE || (log && v <= 0) ? NaN : v;
  }
  return out;
}

function slice(series: Series, from: number, to: number) {
  return {
    steps: series.steps.subarray(from, to),
    timestamps: series.timestamps.subarray(from, to),
    values: series.values.subarray(from, to),
  };
}

/** The overview outside [start, end] and the detail inside it, in step order. */
export function spliceDetail(
  overview: Series,
  detail: Series | undefined,
  start: number,
  end: number,
): Series {
  if (!detail) return overview;
  const parts = [];
  let i = 0;
  while (i < overview.count && overview.steps[i] < start) i++;
  parts.push(slice(overview, 0, i));
  let a = 0;
  while (a < detail.count && detail.steps[a] < start) a++;
  let b = a;
  while (b < detail.count && detail.steps[b] <= end) b++;
  parts.push(slice(detail, a, b));
  let j = i;
  while (j < overview.count && overview.steps[j] <= end) j++;
  parts.push(slice(overview, j, overview.count));
  const count = parts.reduce((n, p) => n + p.steps.length, 0);
  const out: Series = {
    key: overview.key,
    count,
    steps: new Float64Array(count),
    timestamps: new Float64Array(count),
    values: new Float64Array(count),
  };
  let k = 0;
  for (const p of parts) {
    out.steps.set(p.steps, k);
    out.timestamps.set(p.timestamps, k);
    out.values.set(p.values, k);
    k += p.steps.length;
  }
  return out;
}

/**
 * The steps a zoomed x window [x0, x1] covers in one run (for time axes, through that run's
 * own step/time pairs), widened by one point on each side so lines run to the chart's edges.
 */
export function stepRangeOf(
  series: Series,
  xs: Float64Array,
  x0: number,
  x1: number,
): { start: number; end: number } | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] < x0 || xs[i] > x1) continue;
    const from = series.steps[Math.max(0, i - 1)];
    const to = series.steps[Math.min(xs.length - 1, i + 1)];
    if (from < lo) lo = from;
    if (to > hi) hi = to;
  }
  if (lo === Infinity) {
    // No sampled point falls inside: the window lies between two of them.
    for (let i = 0; i + 1 < xs.length; i++) {
      const a = Math.min(xs[i], xs[i + 1]);
      const b = Math.max(xs[i], xs[i + 1]);
      if (a <= x1 && b >= x0) {
        lo = Math.min(lo, series.steps[i], series.steps[i + 1]);
        hi = Math.max(hi, series.steps[i], series.steps[i + 1]);
      }
    }
  }
  return lo === Infinity ? undefined : { start: Math.floor(lo), end: Math.ceil(hi) };
}
