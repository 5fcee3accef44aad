/** Small display helpers of the run page (kept local; values from users stay plain text). */

export function formatTime(ms: number | undefined): string {
  if (!ms) return "—";
  return new Date(ms).toLocaleString();
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return "—";
  const s = Math.floor(ms / 1000);
  if (s < 60) return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d}d ${h}h ${m}m`;
  if (h > 0) return `${h}h ${m}m ${sec}s`;
  return `${m}m ${sec}s`;
}

/** The run's duration: until its end, or until now while it is still running. */
export function runDuration(start?: number, end?: number, now = Date.now()): number | undefined {
  if (!start) return undefined;
  return (end ?? now) - start;
}

export function formatMetric(value: number | string): string {
  if (typeof value === "string") return value;
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1.7e308) return value > 0 ? "Infinity" : "-Infinity";
  const a = Math.abs(value);
  if (a !== 0 && (a >= 1e9 || a < 1e-4)) return value.toExponential(4);
  return String(Number(value.toPrecision(7)));
}

export const STATUS_COLORS: Record<string, string> = {
  RUNNING: "blue",
  SCHEDULED: "gray",
  FINISHED: "green",
  FAILED: "red",
  KILLED: "orange",
};
