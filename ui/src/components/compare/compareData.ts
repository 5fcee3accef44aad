/**
 * The runs of a comparison as tables and plot dimensions: params (with "differs" per row),
 * latest metrics (with the best run per metric) and the axes of the parallel-coordinates and
 * scatter plots (numeric params as value axes, other params as category axes).
 */
import type { Run } from "@/components/registry/types";

export interface CompareRun {
  runId: string;
  name: string;
  experimentId: string;
  params: Record<string, string>;
  metrics: Record<string, number>;
}

/** A metric value of the wire (`"NaN"` arrives as a string) as a number, NaN when not one. */
function metricNumber(value: number | string): number {
  return typeof value === "number" ? value : Number(value);
}

export function toCompareRun(run: Run): CompareRun {
  const tags = run.data?.tags ?? [];
  return {
    runId: run.info.run_id,
    name: run.info.run_name || tags.find((t) => t.key === "mlflow.runName")?.value || run.info.run_id.slice(0, 8),
    experimentId: run.info.experiment_id,
    params: Object.fromEntries((run.data?.params ?? []).map((p) => [p.key, p.value])),
    metrics: Object.fromEntries((run.data?.metrics ?? []).map((m) => [m.key, metricNumber(m.value)])),
  };
}

/** A metric for a table cell: integers as they are, others to 6 significant digits. */
export function formatNumber(value: number | undefined): string {
  if (value === undefined) return "—";
  if (Number.isNaN(value)) return "NaN";
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  return String(Number(value.toPrecision(6)));
}

export interface ParamRow {
  key: string;
  values: (string | undefined)[];
  /** Some run has another value, or lacks the param while another has it. */
  differs: boolean;
}

const sortedKeys = (records: Record<string, unknown>[]) =>
  [...new Set(records.flatMap((r) => Object.keys(r)))].sort((a, b) => a.localeCompare(b));

export function paramRows(runs: CompareRun[]): ParamRow[] {
  return sortedKeys(runs.map((r) => r.params)).map((key) => {
    const values = runs.map((r) => r.params[key]);
    return { key, values, differs: new Set(values).size > 1 };
  });
}

export type Goal = "min" | "max";

const LOWER_IS_BETTER = /(loss|err|error|mse|mae|rmse|mape|perplexity|latency|time|duration|cost|fpr|fnr|wer|cer)/i;

/** Whether lower or higher is better for a metric: a guess from its name, `flipped` inverts. */
export function metricGoal(key: string, flipped: ReadonlySet<string> = new Set()): Goal {
  const guess: Goal = LOWER_IS_BETTER.test(key) ? "min" : "max";
  return flipped.has(key) ? (guess === "min" ? "max" : "min") : guess;
}

export interface MetricRow {
  key: string;
  values: (number | undefined)[];
  goal: Goal;
  /** Index of the best run (ties: the first), null when no run has a finite value. */
  best: number | null;
  differs: boolean;
}

export function metricRows(runs: CompareRun[], flipped: ReadonlySet<string> = new Set()): MetricRow[] {
  return sortedKeys(runs.map((r) => r.metrics)).map((key) => {
    const values = runs.map((r) => r.metrics[key]);
    const goal = metricGoal(key, flipped);
    let best: number | null = null;
    values.forEach((value, i) => {
      if (value === undefined || !Number.isFinite(value)) return;
      const current = best === null ? undefined : values[best]!;
      if (current === undefined || (goal === "min" ? value < current : value > current)) best = i;
    });
    return { key, values, goal, best, differs: new Set(values.map(String)).size > 1 };
  });
}

export type DimensionKind = "param" | "metric";

export interface Dimension {
  /** `param:<key>` or `metric:<key>`: what the URL stores. */
  id: string;
  kind: DimensionKind;
  key: string;
  /** What axes and pickers show: the key, "(metric)" added when a param has the same key. */
  label: string;
  type: "value" | "category";
  /** One per run: a number (value axis), a string (category axis), null when missing. */
  values: (number | string | null)[];
  categories?: string[];
}

export const dimensionId = (kind: DimensionKind, key: string) => `${kind}:${key}`;

/** `param:lr` -> {kind: "param", key: "lr"}; null for anything else. */
export function parseDimensionId(id: string): { kind: DimensionKind; key: string } | null {
  const at = id.indexOf(":");
  const kind = id.slice(0, at);
  if (at < 0 || (kind !== "param" && kind !== "metric") || at === id.length - 1) return null;
  return { kind, key: id.slice(at + 1) };
}

const isNumeric = (text: string) => text.trim() !== "" && Number.isFinite(Number(text));

export function dimensions(runs: CompareRun[]): Dimension[] {
  const params = sortedKeys(runs.map((r) => r.params)).map((key): Dimension => {
    const raw = runs.map((r) => r.params[key]);
    const present = raw.filter((v): v is string => v !== undefined);
    if (present.length > 0 && present.every(isNumeric)) {
      return { id: dimensionId("param", key), kind: "param", key, label: key, type: "value", values: raw.map((v) => (v === undefined ? null : Number(v))) };
    }
    const categories = [...new Set(present)].sort((a, b) => a.localeCompare(b));
    return { id: dimensionId("param", key), kind: "param", key, label: key, type: "category", values: raw.map((v) => v ?? null), categories };
  });
  const paramKeys = new Set(params.map((d) => d.key));
  const metrics = sortedKeys(runs.map((r) => r.metrics)).map(
    (key): Dimension => ({
      id: dimensionId("metric", key),
      kind: "metric",
      key,
      label: paramKeys.has(key) ? `${key} (metric)` : key,
      type: "value",
      values: runs.map((r) => {
        const v = r.metrics[key];
        return v === undefined || !Number.isFinite(v) ? null : v;
      }),
    }),
  );
  return [...params, ...metrics];
}

/**
 * The parallel plot's axes: the ones asked for (in order) when any, else every param that
 * differs followed by every metric, at most `limit`; the color metric is always an axis.
 */
export function chooseAxes(all: Dimension[], asked: string[], color: string | undefined, limit = 12): Dimension[] {
  const byId = new Map(all.map((d) => [d.id, d]));
  let axes: Dimension[];
  if (asked.length) {
    axes = asked.map((id) => byId.get(id)).filter((d): d is Dimension => d !== undefined);
  } else {
    const metrics = all.filter((d) => d.kind === "metric");
    const differing = all.filter((d) => d.kind === "param" && new Set(d.values.map(String)).size > 1);
    const metricSlots = Math.min(metrics.length, Math.max(limit - differing.length, Math.floor(limit / 2)));
    axes = [...differing.slice(0, limit - metricSlots), ...metrics.slice(0, metricSlots)];
  }
  const colorDim = color ? byId.get(color) : undefined;
  if (colorDim && !axes.includes(colorDim)) axes = [...axes, colorDim];
  return axes;
}
