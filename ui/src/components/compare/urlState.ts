/**
 * The compare view's settings in the URL, so a comparison is a link:
 * `#/compare?runs=a,b,c&diff=1&color=metric:loss&x=param:lr&y=metric:loss&axes=...&flip=acc`.
 */

export interface CompareState {
  runIds: string[];
  /** Show only the params (and metrics) whose values differ. */
  onlyDiff: boolean;
  /** The dimension id (`metric:<key>`) that colors the parallel plot's lines. */
  color?: string;
  x?: string;
  y?: string;
  /** The parallel plot's axes, in order; empty = the default choice. */
  axes: string[];
  /** Metrics whose "better" direction is the opposite of the guess from their name. */
  flip: string[];
}

const list = (value: string | null): string[] =>
  (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** Axis ids may hold commas only if a key did, which MLflow's key rule forbids. */
export function parseCompareState(params: URLSearchParams): CompareState {
  const runIds = [...new Set(list(params.get("runs")))];
  return {
    runIds,
    onlyDiff: params.get("diff") === "1",
    color: params.get("color") || undefined,
    x: params.get("x") || undefined,
    y: params.get("y") || undefined,
    axes: list(params.get("axes")),
    flip: list(params.get("flip")),
  };
}

export function writeCompareState(state: CompareState): URLSearchParams {
  const params = new URLSearchParams();
  params.set("runs", state.runIds.join(","));
  if (state.onlyDiff) params.set("diff", "1");
  if (state.color) params.set("color", state.color);
  if (state.x) params.set("x", state.x);
  if (state.y) params.set("y", state.y);
  if (state.axes.length) params.set("axes", state.axes.join(","));
  if (state.flip.length) params.set("flip", state.flip.join(","));
  return params;
}

/** The link of a comparison of these runs (what a runs table's "Compare" button opens). */
export function compareHref(runIds: string[]): string {
  return `/compare?${writeCompareState({ runIds, onlyDiff: false, axes: [], flip: [] }).toString()}`;
}
