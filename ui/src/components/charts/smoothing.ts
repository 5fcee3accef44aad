/**
 * Smoothing of a metric line. Non-finite values (NaN, and the ±DBL_MAX that stands for ±inf)
 * are passed through as NaN gaps and never poison the following points.
 */

const HUGE = 1e300;

function usable(v: number): boolean {
  return Number.isFinite(v) && Math.abs(v) < HUGE;
}

/**
 * Exponential moving average with TensorBoard's debiasing, so the first points are not pulled
 * towards zero. `weight` in [0, 1): 0 is the raw line, 0.99 very smooth.
 */
export function ema(values: ArrayLike<number>, weight: number): Float64Array {
  const w = Math.min(Math.max(weight, 0), 0.999);
  const out = new Float64Array(values.length);
  let last = 0;
  let seen = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!usable(v)) {
      out[i] = NaN;
      continue;
    }
    last = last * w + (1 - w) * v;
    seen++;
    const debias = w === 0 ? 1 : 1 - Math.pow(w, seen);
    out[i] = last / debias;
  }
  return out;
}

/** Trailing running average over the last `window` usable points (window >= 1). */
export function runningAverage(values: ArrayLike<number>, window: number): Float64Array {
  const size = Math.max(1, Math.floor(window));
  const out = new Float64Array(values.length);
  const ring = new Float64Array(size);
  let filled = 0;
  let next = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!usable(v)) {
      out[i] = NaN;
      continue;
    }
    if (filled === size) sum -= ring[next];
    else filled++;
    ring[next] = v;
    sum += v;
    next = (next + 1) % size;
    out[i] = sum / filled;
  }
  return out;
}

export type SmoothMode = "none" | "ema" | "avg";

export function smooth(
  values: Float64Array,
  mode: SmoothMode,
  weight: number,
  window: number,
): Float64Array {
  if (mode === "ema") return ema(values, weight);
  if (mode === "avg") return runningAverage(values, window);
  return values;
}
