/**
 * Where a model version came from, gathered in the browser from public reads (as cairn's
 * client does in cairn/tracking/lineage.py): the version's logged model, its run (the version's
 * run_id, else the logged model's source run, else the run of a `runs:/` source), the run's
 * experiment, params, latest metrics, dataset inputs and code tags. A missing link (a version
 * registered from a plain path, a run deleted since) ends the lineage there instead of failing.
 */
import { ApiError } from "@/api/client";

import type { Experiment, KeyValue, LoggedModel, ModelVersion, Run } from "./types";

export interface LineageReads {
  getRun(runId: string): Promise<Run>;
  getExperiment(experimentId: string): Promise<Experiment>;
  getLoggedModel(modelId: string): Promise<LoggedModel>;
}

export interface LineageDataset {
  name: string;
  digest: string;
  sourceType?: string;
  source?: string;
  context?: string;
}

export interface Lineage {
  modelId: string | null;
  run: {
    runId: string;
    runName?: string;
    status?: string;
    startTime?: number;
    endTime?: number;
    userId?: string;
    experimentId: string;
    experimentName: string | null;
    gitCommit?: string;
    sourceName?: string;
    sourceType?: string;
  } | null;
  params: KeyValue[];
  metrics: { key: string; value: number | string }[];
  datasets: LineageDataset[];
}

/** The logged model id of a `models:/<model_id>` source (one segment, no alias). */
export function sourceModelId(source: string | undefined): string | null {
  if (!source?.toLowerCase().startsWith("models:/")) return null;
  const rest = source.slice("models:/".length).replace(/^\/+/, "");
  if (!rest || rest.includes("/") || rest.includes("@")) return null;
  return rest;
}

/** The run id of a `runs:/<run_id>/<path>` source. */
export function sourceRunId(source: string | undefined): string | null {
  if (!source?.toLowerCase().startsWith("runs:/")) return null;
  const id = source.slice("runs:/".length).replace(/^\/+/, "").split("/", 1)[0];
  return id || null;
}

/** `read(key)`, or null when there is no key or the server no longer has it (4xx). */
async function orNull<T>(read: (key: string) => Promise<T>, key: string | null | undefined) {
  if (!key) return null;
  try {
    return await read(key);
  } catch (error) {
    if (error instanceof ApiError && error.status >= 400 && error.status < 500) return null;
    throw error;
  }
}

const byKey = <T extends { key: string }>(items: T[] | undefined): T[] =>
  [...(items ?? [])].sort((a, b) => a.key.localeCompare(b.key));

export async function assembleLineage(version: ModelVersion, reads: LineageReads): Promise<Lineage> {
  const modelId = version.model_id || sourceModelId(version.source);
  const logged = await orNull((id) => reads.getLoggedModel(id), modelId);
  const runId = version.run_id || logged?.info.source_run_id || sourceRunId(version.source);
  const run = await orNull((id) => reads.getRun(id), runId);
  if (!run) return { modelId: modelId ?? null, run: null, params: [], metrics: [], datasets: [] };
  const experiment = await orNull((id) => reads.getExperiment(id), run.info.experiment_id);
  const tags = new Map((run.data?.tags ?? []).map((t) => [t.key, t.value]));
  return {
    modelId: modelId ?? null,
    run: {
      runId: run.info.run_id,
      runName: run.info.run_name ?? tags.get("mlflow.runName"),
      status: run.info.status,
      startTime: run.info.start_time,
      endTime: run.info.end_time,
      userId: run.info.user_id || tags.get("mlflow.user"),
      experimentId: run.info.experiment_id,
      experimentName: experiment?.name ?? null,
      gitCommit: tags.get("mlflow.source.git.commit"),
      sourceName: tags.get("mlflow.source.name"),
      sourceType: tags.get("mlflow.source.type"),
    },
    params: byKey(run.data?.params),
    metrics: byKey(run.data?.metrics).map((m) => ({ key: m.key, value: m.value })),
    datasets: (run.inputs?.dataset_inputs ?? []).map((input) => ({
      name: input.dataset.name,
      digest: input.dataset.digest,
      sourceType: input.dataset.source_type,
      source: input.dataset.source,
      context: input.tags?.find((t) => t.key === "mlflow.data.context")?.value,
    })),
  };
}
