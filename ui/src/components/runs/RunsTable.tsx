/**
 * The runs table: server-side pages (fetched as the list scrolls near its end), server-side
 * order, virtualized rows (only the visible ones are in the DOM), pinned columns, a selection
 * and child runs nested under their parents. A bad filter shows the server's message above the
 * rows it had before.
 */
import { Alert, Center, Group, Loader, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import { ApiError } from "@/api/client";

import { buildColumns, FIXED_COLUMN_IDS, type RunsTableMeta } from "./columns";
import classes from "./RunsTable.module.css";
import { HEADER_HEIGHT, HeaderRow, VirtualBody } from "./RunsTableParts";
import type { SearchRunsParams } from "./runsApi";
import { buildDisplayRows } from "./treeRows";
import { PARENT_TAG, type RunRow } from "./types";
import { useChildRuns, useLiveRuns, useParentCounts, useRunsPages } from "./useRunsData";
import { andFilters, type SortState } from "./urlState";

export interface RunsTableProps {
  search: SearchRunsParams;
  dataColumns: readonly string[];
  pinned: readonly string[];
  sort: SortState | null;
  onSort: (sortKey: string) => void;
  selected: readonly string[];
  onSelectedChange: (ids: string[]) => void;
  /** Nest child runs under their parents (only while no filter is set). */
  nested: boolean;
  height: number | string;
}

const EMPTY: RunRow[] = [];
const NO_IDS: string[] = [];
/** The next page is asked for when the view comes this close to the end of the loaded rows
 * (or half way through them, while few are loaded): early enough to arrive before a fast
 * scroll reaches the end, late enough that opening the page fetches only what it shows. */
const PREFETCH_ROWS = 250;
const NO_COUNTS = new Map<string, number>();

/** Child runs sit under their parents only while no filter is set (a filter lists them all). */
function nests(search: SearchRunsParams, nested: boolean): boolean {
  return nested && !search.filter.trim() && !search.filter.includes(PARENT_TAG);
}

/** The search the table sends: top-level runs only while it nests child runs. */
export function serverSearchFor(search: SearchRunsParams, nested: boolean): SearchRunsParams {
  if (!nests(search, nested)) return search;
  return { ...search, filter: andFilters(search.filter, `tags.\`${PARENT_TAG}\` IS NULL`) };
}

export function RunsTable(props: RunsTableProps) {
  const { search, dataColumns, pinned, sort, onSort, selected, onSelectedChange } = props;
  const nestActive = nests(search, props.nested);
  // Top-level runs only, while the parents' child counts arrive beside them (not before:
  // the first rows wait for one request, not two).
  const parents = useParentCounts(search.experimentIds, search.view, nestActive);
  const serverSearch = useMemo(() => serverSearchFor(search, props.nested), [search, props.nested]);
  const query = useRunsPages(serverSearch);
  const lastGood = useRef(query.data);
  if (query.data && !query.isError) lastGood.current = query.data;
  const pages = query.isError ? lastGood.current : query.data;
  const top = useMemo(() => {
    if (!pages) return EMPTY;
    // Offset paging can repeat a run when new runs arrive meanwhile: keep its first copy.
    const seen = new Set<string>();
    return pages.pages.flatMap((p) => p.rows).filter((r) => !seen.has(r.id) && !!seen.add(r.id));
  }, [pages]);

  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const expandedIds = useMemo(() => [...expanded], [expanded]);
  const childBase = useMemo(
    () => ({ experimentIds: search.experimentIds, orderBy: search.orderBy, view: search.view }),
    [search.experimentIds, search.orderBy, search.view],
  );
  const children = useChildRuns(childBase, nestActive ? expandedIds : NO_IDS);

  const scrollRef = useRef<HTMLDivElement>(null);
  const [liveIds, setLiveIds] = useState<string[]>([]);
  const [debouncedLiveIds] = useDebouncedValue(liveIds, 500);
  const live = useLiveRuns(
    search.experimentIds,
    (pages?.pages.length ?? 0) > 2 ? debouncedLiveIds : NO_IDS,
  );

  const rows = useMemo(
    () => buildDisplayRows(top, nestActive ? parents.counts : NO_COUNTS, expanded, children, live),
    [top, nestActive, parents.counts, expanded, children, live],
  );

  const selectedSet = useMemo(() => new Set(selected), [selected]);
  const lastClicked = useRef<string | null>(null);
  const toggleSelected = useCallback(
    (id: string, range: boolean) => {
      const next = new Set(selectedSet);
      const from =
        range && lastClicked.current ? rows.findIndex((r) => r.run.id === lastClicked.current) : -1;
      const to = rows.findIndex((r) => r.run.id === id);
      if (from >= 0 && to >= 0) {
        const [a, b] = from < to ? [from, to] : [to, from];
        for (let i = a; i <= b; i++) next.add(rows[i].run.id);
      } else if (next.has(id)) next.delete(id);
      else next.add(id);
      lastClicked.current = id;
      onSelectedChange([...next]);
    },
    [rows, selectedSet, onSelectedChange],
  );
  const allSelected = useMemo(() => {
    const n = rows.reduce((acc, r) => acc + (selectedSet.has(r.run.id) ? 1 : 0), 0);
    return n === 0 ? "none" : n === rows.length ? "all" : "some";
  }, [rows, selectedSet]);
  const toggleAll = useCallback(() => {
    if (allSelected === "all") onSelectedChange([]);
    else onSelectedChange([...new Set([...selected, ...rows.map((r) => r.run.id)])]);
  }, [allSelected, onSelectedChange, rows, selected]);
  const toggleExpanded = useCallback((id: string) => {
    setExpanded((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }, []);
  const meta = useMemo<RunsTableMeta>(
    () => ({
      isSelected: (id) => selectedSet.has(id),
      toggleSelected,
      allSelected,
      toggleAll,
      toggleExpanded,
    }),
    [selectedSet, toggleSelected, allSelected, toggleAll, toggleExpanded],
  );

  const dataKey = dataColumns.join(",");
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const columns = useMemo(() => buildColumns(dataColumns), [dataKey]);
  const pinnedLeft = useMemo(
    () => [...FIXED_COLUMN_IDS.slice(0, 2), ...pinned.filter((id) => dataColumns.includes(id))],
    [pinned, dataColumns],
  );
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (d, i) => (d.depth === 0 ? d.run.id : `${d.run.id}@${d.depth}:${i}`),
    state: { columnPinning: { left: pinnedLeft } },
    meta,
    manualSorting: true,
    manualPagination: true,
    autoResetPageIndex: false,
    enableColumnResizing: false,
  });
  const tableRows = table.getRowModel().rows;
  const width = table.getTotalSize();
  const columnsKey = `${dataKey}|${pinnedLeft.join(",")}`;

  const headers = useMemo(
    () => [...table.getLeftLeafHeaders(), ...table.getCenterLeafHeaders()],
    // The headers change with the columns and the pinning, nothing else.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [table, columns, pinnedLeft, meta],
  );

  // The visible range arrives from the body without re-rendering this component; it decides
  // when the next page is due and which RUNNING runs are on screen.
  const range = useRef({ first: 0, last: -1 });
  const latest = useRef({ rows, query });
  latest.current = { rows, query };
  const checkRange = useCallback(() => {
    const { rows: all, query: q } = latest.current;
    const { first, last } = range.current;
    if (
      !q.isError &&
      q.hasNextPage &&
      !q.isFetchingNextPage &&
      last >= all.length - Math.min(PREFETCH_ROWS, all.length / 2)
    )
      void q.fetchNextPage();
    const ids = all
      .slice(first, last + 1)
      .filter((r) => r.run.status === "RUNNING")
      .map((r) => r.run.id);
    setLiveIds((prev) => (prev.join() === ids.join() ? prev : ids));
  }, []);
  const onRange = useCallback(
    (first: number, last: number) => {
      range.current = { first, last };
      checkRange();
    },
    [checkRange],
  );
  const { hasNextPage, isFetchingNextPage } = query;
  useEffect(checkRange, [checkRange, rows, hasNextPage, isFetchingNextPage, query.isError]);

  const error = query.error;
  return (
    <div>
      {error && (
        <Alert color="red" mb="xs" title="The runs could not be loaded" data-testid="runs-error">
          {error instanceof ApiError ? error.message : String(error)}
        </Alert>
      )}
      <div
        ref={scrollRef}
        className={classes.scroller}
        style={{ height: props.height }}
        role="table"
        aria-label="Runs"
        aria-rowcount={tableRows.length}
        data-testid="runs-table"
      >
        <HeaderRow headers={headers} width={width} sort={sort} onSort={onSort} />
        <VirtualBody
          rows={tableRows}
          width={width}
          selected={selectedSet}
          columnsKey={columnsKey}
          scrollRef={scrollRef}
          onRange={onRange}
        />
        {!pages && query.isFetching && (
          <Center h={120} style={{ position: "absolute", inset: HEADER_HEIGHT }}>
            <Loader size="sm" />
          </Center>
        )}
        {pages && tableRows.length === 0 && !query.isError && (
          <div className={classes.empty}>No runs match.</div>
        )}
      </div>
      <Group justify="space-between" mt={4}>
        <Text size="xs" c="dimmed" data-testid="runs-count">
          {tableRows.length.toLocaleString()} runs loaded
          {hasNextPage ? " — scroll for more" : ""}
        </Text>
        {(isFetchingNextPage || (query.isFetching && pages)) && <Loader size={12} />}
      </Group>
    </div>
  );
}
