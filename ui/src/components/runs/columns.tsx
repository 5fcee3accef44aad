/**
 * Column definitions of the runs table. Built once per column choice (memoized by the caller);
 * selection and expansion come from the table's meta, so they never rebuild the columns.
 * Cells are plain elements (a native checkbox, a styled span for the status, a plain link):
 * rows mount and unmount on every scroll step, so each must cost next to nothing.
 */
import { Checkbox, Loader } from "@mantine/core";
import type { ColumnDef, Table } from "@tanstack/react-table";

import { basename, formatDuration, formatNumber, formatTimestamp, runDuration } from "@/lib/format";

import classes from "./RunsTable.module.css";
import type { DisplayRow } from "./treeRows";
import type { RunStatus } from "./types";
import { splitColumnId } from "./urlState";

export interface RunsTableMeta {
  isSelected: (id: string) => boolean;
  toggleSelected: (id: string, range: boolean) => void;
  allSelected: "none" | "some" | "all";
  toggleAll: () => void;
  toggleExpanded: (id: string) => void;
}

/** The order_by key of each sortable fixed column; data columns sort by their own id. */
export const SORT_KEYS: Record<string, string> = {
  name: "attributes.run_name",
  status: "attributes.status",
  start: "attributes.start_time",
  user: "attributes.user_id",
  source: "tags.mlflow.source.name",
};

export function sortKeyOf(columnId: string): string | null {
  if (columnId in SORT_KEYS) return SORT_KEYS[columnId];
  return splitColumnId(columnId) ? columnId : null;
}

/** The header's two lines: the kind of column (dimmed) and its name. */
export const HEADER_LABELS: Record<string, [string, string]> = {
  name: ["", "Run name"],
  status: ["", "Status"],
  start: ["", "Started"],
  duration: ["", "Duration"],
  user: ["", "User"],
  source: ["", "Source"],
};

export function headerLabel(columnId: string): [string, string] {
  if (HEADER_LABELS[columnId]) return HEADER_LABELS[columnId];
  const parts = splitColumnId(columnId);
  if (!parts) return ["", columnId];
  const kind = { metrics: "metric", params: "param", tags: "tag", attributes: "" }[parts.kind];
  return [kind, parts.key];
}

function meta(table: Table<DisplayRow>): RunsTableMeta {
  return table.options.meta as RunsTableMeta;
}

/** A cell of plain text: the row renders it as the cell's own text (no extra element). */
export interface PlainCell {
  plain: string;
  title: string;
}

const text = (value: string, title: string = value): PlainCell => ({ plain: value, title });

export function isPlainCell(value: unknown): value is PlainCell {
  return typeof value === "object" && value !== null && "plain" in value;
}

const fixedColumns: ColumnDef<DisplayRow>[] = [
  {
    id: "select",
    size: 36,
    header: ({ table }) => {
      const state = meta(table).allSelected;
      return (
        <Checkbox
          size="xs"
          aria-label="Select all loaded runs"
          checked={state === "all"}
          indeterminate={state === "some"}
          onChange={() => meta(table).toggleAll()}
        />
      );
    },
    cell: ({ row, table }) => (
      <input
        type="checkbox"
        className={classes.checkbox}
        aria-label={`Select run ${row.original.run.name}`}
        checked={meta(table).isSelected(row.original.run.id)}
        onChange={(e) =>
          meta(table).toggleSelected(
            row.original.run.id,
            (e.nativeEvent as MouseEvent).shiftKey === true,
          )
        }
      />
    ),
  },
  {
    id: "name",
    size: 260,
    cell: ({ row, table }) => {
      const d = row.original;
      return (
        <>
          <span style={{ width: d.depth * 16, flex: "none" }} />
          {d.childCount > 0 ? (
            <button
              type="button"
              className={classes.expander}
              aria-label={`${d.expanded ? "Collapse" : "Expand"} ${d.childCount} child runs`}
              aria-expanded={d.expanded}
              onClick={() => meta(table).toggleExpanded(d.run.id)}
            >
              {d.loadingChildren ? <Loader size={10} /> : d.expanded ? "▾" : "▸"}
            </button>
          ) : (
            d.depth > 0 && <span className={classes.expander} />
          )}
          <a href={`#/runs/${encodeURIComponent(d.run.id)}`} title={d.run.name}>
            {d.run.name}
          </a>
          {d.childCount > 0 && <span className={classes.dimmed}>({d.childCount})</span>}
          {d.run.lifecycleStage === "deleted" && <span className={classes.deleted}>deleted</span>}
        </>
      );
    },
  },
  {
    id: "status",
    size: 104,
    cell: ({ row }) => {
      const status: RunStatus | undefined = row.original.run.status;
      return status ? (
        <span className={classes.status} data-status={status}>
          {status}
        </span>
      ) : null;
    },
  },
  {
    id: "start",
    size: 160,
    cell: ({ row }) => text(formatTimestamp(row.original.run.startTime)),
  },
  {
    id: "duration",
    size: 90,
    cell: ({ row }) => {
      const r = row.original.run;
      const now = r.status === "RUNNING" ? Date.now() : undefined;
      return text(formatDuration(runDuration(r.startTime, r.endTime, now)));
    },
  },
  { id: "user", size: 110, cell: ({ row }) => text(row.original.run.user) },
  {
    id: "source",
    size: 140,
    cell: ({ row }) => {
      const source = row.original.run.tags["mlflow.source.name"] ?? "";
      return text(basename(source), source);
    },
  },
];

export const FIXED_COLUMN_IDS = fixedColumns.map((c) => c.id!);

function dataColumn(id: string): ColumnDef<DisplayRow> | null {
  const parts = splitColumnId(id);
  if (!parts || parts.kind === "attributes") return null;
  const { kind, key } = parts;
  if (kind === "metrics") {
    return {
      id,
      size: 110,
      cell: ({ row }) => {
        const value = row.original.run.metrics[key];
        return value === undefined ? null : text(formatNumber(value), String(value));
      },
    };
  }
  return {
    id,
    size: kind === "params" ? 120 : 140,
    cell: ({ row }) => {
      const value = (kind === "params" ? row.original.run.params : row.original.run.tags)[key];
      return value === undefined ? null : text(value);
    },
  };
}

export function buildColumns(dataColumnIds: readonly string[]): ColumnDef<DisplayRow>[] {
  const data = dataColumnIds.map(dataColumn).filter((c): c is ColumnDef<DisplayRow> => !!c);
  return [...fixedColumns, ...data];
}

export function isNumericColumn(id: string): boolean {
  return id.startsWith("metrics.") || id === "duration";
}
