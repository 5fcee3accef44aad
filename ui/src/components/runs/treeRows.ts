/** The rows the table shows: top-level runs with the loaded children of expanded parents. */
import type { RunRow } from "./types";

export interface DisplayRow {
  run: RunRow;
  depth: number;
  /** Child runs this run has (0: not a parent). */
  childCount: number;
  expanded: boolean;
  /** Expanded, and its children are still being fetched. */
  loadingChildren: boolean;
}

export function buildDisplayRows(
  top: readonly RunRow[],
  childCounts: ReadonlyMap<string, number>,
  expanded: ReadonlySet<string>,
  children: ReadonlyMap<string, readonly RunRow[] | undefined>,
  overrides?: ReadonlyMap<string, RunRow>,
): DisplayRow[] {
  const out: DisplayRow[] = [];
  const visit = (run: RunRow, depth: number, seen: Set<string>) => {
    const fresh = overrides?.get(run.id) ?? run;
    const count = childCounts.get(run.id) ?? 0;
    const isOpen = count > 0 && expanded.has(run.id) && !seen.has(run.id);
    const kids = isOpen ? children.get(run.id) : undefined;
    out.push({
      run: fresh,
      depth,
      childCount: count,
      expanded: isOpen,
      loadingChildren: isOpen && kids === undefined,
    });
    if (kids) {
      const path = new Set(seen).add(run.id);
      for (const kid of kids) visit(kid, depth + 1, path);
    }
  };
  for (const run of top) visit(run, 0, new Set());
  return out;
}
