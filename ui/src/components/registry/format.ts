/** Small display helpers of the registry pages. */

const pad = (n: number) => String(n).padStart(2, "0");

/** Epoch milliseconds as local `YYYY-MM-DD HH:MM:SS`; a dash when unset. */
export function formatTime(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms <= 0) return "—";
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** The hash link of a run page. */
export const runHref = (runId: string) => `/runs/${encodeURIComponent(runId)}`;
export const modelHref = (name: string) => `/models/${encodeURIComponent(name)}`;
export const versionHref = (name: string, version: string | number) =>
  `/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(String(version))}`;
export const experimentHref = (experimentId: string) =>
  `/experiments/${encodeURIComponent(experimentId)}`;
