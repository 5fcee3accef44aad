/**
 * The runs view as URL search parameters, so every view (filter, order, columns, grouping,
 * selection, tab) is a link. Pure parse/write functions here; the hook is in useRunsUrlState.
 *
 *   filter=<search language>   sort=<column id>&dir=asc|desc   cols=<id>,<id>  (absent: default)
 *   pin=<id>,<id>   group=params.<k>|tags.<k>   sel=<run id>,...   tab=table|charts
 *   view=active|deleted|all   flat=1 (no nesting of child runs)
 *
 * A column id is `<kind>.<key>` with kind one of attributes, metrics, params, tags; the key may
 * itself contain dots (`metrics.val.loss` is the metric `val.loss`). Keys never hold commas.
 */
import type { ViewType } from "./types";

export type ColumnKind = "attributes" | "metrics" | "params" | "tags";

export interface SortState {
  column: string;
  desc: boolean;
}

export type RunsTab = "table" | "charts";

export interface RunsViewState {
  filter: string;
  sort: SortState | null;
  /** Chosen data columns (metrics/params/tags ids); null = the default choice. */
  columns: string[] | null;
  pinned: string[];
  groupBy: string | null;
  selected: string[];
  tab: RunsTab;
  view: ViewType;
  nested: boolean;
}

const VIEWS: Record<string, ViewType> = {
  active: "ACTIVE_ONLY",
  deleted: "DELETED_ONLY",
  all: "ALL",
};
const VIEW_NAMES: Record<ViewType, string> = {
  ACTIVE_ONLY: "active",
  DELETED_ONLY: "deleted",
  ALL: "all",
};
const KINDS: readonly ColumnKind[] = ["attributes", "metrics", "params", "tags"];

export function splitColumnId(id: string): { kind: ColumnKind; key: string } | null {
  const dot = id.indexOf(".");
  if (dot <= 0) return null;
  const kind = id.slice(0, dot) as ColumnKind;
  const key = id.slice(dot + 1);
  if (!KINDS.includes(kind) || !key) return null;
  return { kind, key };
}

export function columnId(kind: ColumnKind, key: string): string {
  return `${kind}.${key}`;
}

function list(value: string | null): string[] {
  return value ? value.split(",").filter(Boolean) : [];
}

export function parseRunsState(params: URLSearchParams): RunsViewState {
  const sortColumn = params.get("sort");
  const group = params.get("group");
  return {
    filter: params.get("filter") ?? "",
    sort:
      sortColumn && splitColumnId(sortColumn)
        ? { column: sortColumn, desc: params.get("dir") !== "asc" }
        : null,
    columns: params.has("cols") ? list(params.get("cols")).filter((c) => splitColumnId(c)) : null,
    pinned: list(params.get("pin")),
    groupBy:
      group && (group.startsWith("params.") || group.startsWith("tags.")) && splitColumnId(group)
        ? group
        : null,
    selected: list(params.get("sel")),
    tab: params.get("tab") === "charts" ? "charts" : "table",
    view: VIEWS[params.get("view") ?? ""] ?? "ACTIVE_ONLY",
    nested: params.get("flat") !== "1",
  };
}

function setOrDelete(params: URLSearchParams, name: string, value: string | null): void {
  if (value === null || value === "") params.delete(name);
  else params.set(name, value);
}

/** A copy of `params` with the patched fields written (defaults are left out of the URL). */
export function writeRunsState(
  params: URLSearchParams,
  patch: Partial<RunsViewState>,
): URLSearchParams {
  const next = new URLSearchParams(params);
  if ("filter" in patch) setOrDelete(next, "filter", patch.filter?.trim() ?? null);
  if ("sort" in patch) {
    setOrDelete(next, "sort", patch.sort?.column ?? null);
    setOrDelete(next, "dir", patch.sort ? (patch.sort.desc ? "desc" : "asc") : null);
  }
  if ("columns" in patch) {
    if (patch.columns === null || patch.columns === undefined) next.delete("cols");
    else next.set("cols", patch.columns.join(","));
  }
  if ("pinned" in patch) setOrDelete(next, "pin", patch.pinned?.join(",") ?? null);
  if ("groupBy" in patch) setOrDelete(next, "group", patch.groupBy ?? null);
  if ("selected" in patch) setOrDelete(next, "sel", patch.selected?.join(",") ?? null);
  if ("tab" in patch) setOrDelete(next, "tab", patch.tab === "charts" ? "charts" : null);
  if ("view" in patch) {
    const name = patch.view ? VIEW_NAMES[patch.view] : "active";
    setOrDelete(next, "view", name === "active" ? null : name);
  }
  if ("nested" in patch) setOrDelete(next, "flat", patch.nested === false ? "1" : null);
  return next;
}

/** Backticks around a key unless it is a plain dotted word (`loss`, `val.loss`). */
export function quoteKey(key: string): string {
  return /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/.test(key) ? key : `\`${key}\``;
}

/** A filter identifier for a column id: `metrics.\`val-loss\``, `attributes.start_time`. */
export function filterIdentifier(id: string): string {
  const parts = splitColumnId(id);
  if (!parts) return id;
  return `${parts.kind}.${parts.kind === "attributes" ? parts.key : `\`${parts.key}\``}`;
}

/** The order_by list of runs/search for a sort state (empty: the server's default order). */
export function orderByFor(sort: SortState | null): string[] {
  if (!sort) return [];
  return [`${filterIdentifier(sort.column)} ${sort.desc ? "DESC" : "ASC"}`];
}

/** A quoted string literal of the search language (a quote is escaped by doubling it). */
export function quoteValue(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `a AND b`, parenthesising a side that holds OR (AND binds tighter than OR). */
export function andFilters(...parts: (string | null | undefined)[]): string {
  const present = parts.map((p) => p?.trim() ?? "").filter(Boolean);
  if (present.length <= 1) return present[0] ?? "";
  return present.map((p) => (/\bor\b/i.test(p) ? `(${p})` : p)).join(" AND ");
}
