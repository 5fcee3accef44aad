/**
 * The header, the virtualized body and the (memoized) row of the runs table. Scrolling
 * re-renders only the body, and of its rows only those that come into view.
 */
import { flexRender, type Cell, type Header, type Row } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useEffect, type CSSProperties, type RefObject } from "react";

import { headerLabel, isNumericColumn, isPlainCell, sortKeyOf } from "./columns";
import classes from "./RunsTable.module.css";
import type { DisplayRow } from "./treeRows";
import type { SortState } from "./urlState";

export const ROW_HEIGHT = 32;
export const HEADER_HEIGHT = 40;

function pinnedStyle(
  column: Cell<DisplayRow, unknown>["column"] | Header<DisplayRow, unknown>["column"],
): CSSProperties {
  const style: CSSProperties = { width: column.getSize() };
  if (column.getIsPinned() === "left") style.left = column.getStart("left");
  return style;
}

function cellClass(id: string, pinned: boolean, lastPinned: boolean, base: string): string {
  let name = base;
  if (pinned) name += ` ${classes.pinned}`;
  if (lastPinned) name += ` ${classes.pinnedLast}`;
  if (isNumericColumn(id)) name += ` ${classes.numeric}`;
  return name;
}

interface HeaderRowProps {
  headers: Header<DisplayRow, unknown>[];
  width: number;
  sort: SortState | null;
  onSort: (sortKey: string) => void;
}

export const HeaderRow = memo(function HeaderRow({ headers, width, sort, onSort }: HeaderRowProps) {
  return (
    <div className={classes.header} style={{ width, height: HEADER_HEIGHT }} role="row">
      {headers.map((header) => {
        const id = header.column.id;
        const pinned = header.column.getIsPinned() === "left";
        const last = pinned && header.column.getIsLastColumn("left");
        const sortKey = sortKeyOf(id);
        const active = sortKey !== null && sort?.column === sortKey;
        const implicit = sort === null && id === "start";
        const [kind, label] = headerLabel(id);
        const arrow = active ? (sort!.desc ? " ↓" : " ↑") : implicit ? " ↓" : "";
        return (
          <div
            key={header.id}
            role="columnheader"
            data-column={id}
            aria-sort={
              active || implicit ? (sort?.desc === false ? "ascending" : "descending") : undefined
            }
            data-sortable={sortKey ? true : undefined}
            className={cellClass(id, pinned, last, classes.headCell)}
            style={pinnedStyle(header.column)}
            onClick={sortKey ? () => onSort(sortKey) : undefined}
            title={sortKey ? `Sort by ${label}` : undefined}
          >
            {id === "select" ? (
              flexRender(header.column.columnDef.header, header.getContext())
            ) : (
              <>
                {kind && <span className={classes.kind}>{kind}</span>}
                <span className={classes.headLabel}>
                  {label}
                  {arrow}
                </span>
              </>
            )}
          </div>
        );
      })}
    </div>
  );
});

interface RunRowViewProps {
  row: Row<DisplayRow>;
  start: number;
  width: number;
  selected: boolean;
  /** Changes whenever the columns or pinning change (the row object itself does not). */
  columnsKey: string;
}

export const RunRowView = memo(function RunRowView({
  row,
  start,
  width,
  selected,
}: RunRowViewProps) {
  const cells = [...row.getLeftVisibleCells(), ...row.getCenterVisibleCells()];
  return (
    <div
      role="row"
      data-run-id={row.original.run.id}
      data-selected={selected || undefined}
      className={classes.row}
      style={{ width, height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
    >
      {cells.map((cell) => {
        const pinned = cell.column.getIsPinned() === "left";
        const last = pinned && cell.column.getIsLastColumn("left");
        const id = cell.column.id;
        const render = cell.column.columnDef.cell;
        const out = typeof render === "function" ? render(cell.getContext()) : render;
        const plain = isPlainCell(out);
        const base = plain ? `${classes.cell} ${classes.plain}` : classes.cell;
        return (
          <div
            key={cell.id}
            role="cell"
            data-column={id}
            className={cellClass(id, pinned, last, base)}
            style={pinnedStyle(cell.column)}
            title={plain ? out.title : undefined}
          >
            {plain ? out.plain : out}
          </div>
        );
      })}
    </div>
  );
});

interface VirtualBodyProps {
  rows: Row<DisplayRow>[];
  width: number;
  selected: ReadonlySet<string>;
  columnsKey: string;
  scrollRef: RefObject<HTMLDivElement | null>;
  /** Told the first and last rendered row indexes whenever they change (not re-rendered). */
  onRange: (first: number, last: number) => void;
}

export const VirtualBody = memo(function VirtualBody(props: VirtualBodyProps) {
  const { rows, width, selected, columnsKey, scrollRef, onRange } = props;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    // Rows on the very first paint, before the scroller is measured (and in tests).
    initialRect: { width: 1200, height: 800 },
    // Render in React's next task instead of inside every scroll event: the browser keeps
    // scrolling on its own while the overscan rows cover the move.
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const first = items.length ? items[0].index : 0;
  const last = items.length ? items[items.length - 1].index : -1;
  useEffect(() => onRange(first, last), [first, last, onRange]);
  return (
    <div style={{ height: virtualizer.getTotalSize(), width, position: "relative" }}>
      {items.map((item) => {
        const row = rows[item.index];
        return (
          <RunRowView
            key={row.id}
            row={row}
            start={item.start}
            width={width}
            selected={selected.has(row.original.run.id)}
            columnsKey={columnsKey}
          />
        );
      })}
    </div>
  );
});
