/**
 * The MLflow entities the runs table reads, as they travel on the wire (snake_case, times in
 * epoch ms), plus the flattened row the table renders.
 */
import type { components } from "@/api/schema";

type Schemas = components["schemas"];
export type Run = Schemas["Run"];
export type RunInfo = Schemas["RunInfo"];
export type RunStatus = RunInfo["status"];
export type Experiment = Schemas["Experiment"];
export type ViewType = NonNullable<Schemas["SearchRunsRequest"]["run_view_type"]>;
export type SearchRunsResponse = Schemas["SearchRunsResponse"];

/** One run, flattened once when its page arrives, so cells read maps instead of scanning lists. */
export interface RunRow {
  id: string;
  name: string;
  experimentId: string;
  status: RunStatus | undefined;
  startTime: number | undefined;
  endTime: number | undefined;
  user: string;
  lifecycleStage: string;
  metrics: Record<string, number | string>;
  params: Record<string, string>;
  tags: Record<string, string>;
}

export const PARENT_TAG = "mlflow.parentRunId";

export function toRunRow(run: Run): RunRow {
  const metrics: Record<string, number | string> = {};
  const params: Record<string, string> = {};
  const tags: Record<string, string> = {};
  for (const m of run.data?.metrics ?? []) metrics[m.key] = m.value;
  for (const p of run.data?.params ?? []) params[p.key] = p.value;
  for (const t of run.data?.tags ?? []) tags[t.key] = t.value;
  const info = run.info;
  return {
    id: info.run_id,
    name: info.run_name || tags["mlflow.runName"] || info.run_id,
    experimentId: info.experiment_id,
    status: info.status,
    startTime: info.start_time,
    endTime: info.end_time,
    user: tags["mlflow.user"] || info.user_id || "",
    lifecycleStage: info.lifecycle_stage ?? "active",
    metrics,
    params,
    tags,
  };
}
