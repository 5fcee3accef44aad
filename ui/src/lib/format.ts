/** Display formatting shared by the tables: numbers, times, durations. Pure functions. */

/** A metric value as a table shows it: 4 significant digits, exponent form when tiny or huge. */
export function formatNumber(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  if (typeof value === "string") {
    // The server sends NaN as the string "NaN"; other strings pass through.
    return value;
  }
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
  if (Math.abs(value) >= 1.7976931348623157e308) return value > 0 ? "∞" : "-∞";
  const abs = Math.abs(value);
  if (Number.isInteger(value) && abs < 1e9) return String(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** An epoch-milliseconds time as `YYYY-MM-DD HH:MM:SS` in local time; "" when unset. */
export function formatTimestamp(ms: number | null | undefined): string {
  if (!ms) return "";
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** A span of milliseconds, two units at most: `850ms`, `12.3s`, `4m 05s`, `2h 03m`, `3d 4h`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const totalS = Math.floor(s);
  const m = Math.floor(totalS / 60);
  if (m < 60) return `${m}m ${pad(totalS % 60)}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${pad(m % 60)}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** How long a run took (or has taken so far, when still running and `now` is given). */
export function runDuration(
  startTime: number | null | undefined,
  endTime: number | null | undefined,
  now?: number,
): number | null {
  if (!startTime) return null;
  const end = endTime || now;
  if (!end || end < startTime) return null;
  return end - startTime;
}

/** "3 minutes ago" style, coarse; for tooltips and lists. */
export function formatRelative(ms: number | null | undefined, now: number = Date.now()): string {
  if (!ms) return "";
  const diff = Math.round((now - ms) / 1000);
  if (diff < 0) return "in the future";
  if (diff < 45) return "just now";
  const units: [number, string][] = [
    [60, "minute"],
    [3600, "hour"],
    [86400, "day"],
    [86400 * 30, "month"],
    [86400 * 365, "year"],
  ];
  let label = "minute";
  let size = 60;
  for (const [seconds, name] of units) {
    if (diff >= seconds) {
      size = seconds;
      label = name;
    }
  }
  const n = Math.max(1, Math.round(diff / size));
  return `${n} ${label}${n === 1 ? "" : "s"} ago`;
}

/** The last path segment of a source name (`/home/me/train.py` -> `train.py`). */
export function basename(path: string | null | undefined): string {
  if (!path) return "";
  const trimmed = path.replace(/[/\\]+$/, "");
  const cut = Math.max(trimmed.lastIndexOf("/"), trimmed.lastIndexOf("\\"));
  return cut >= 0 ? trimmed.slice(cut + 1) : trimmed;
}
