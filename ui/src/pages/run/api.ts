/**
 * The run-level calls of the run page and the charts, typed from the server's OpenAPI schema.
 * One fetcher per endpoint, one query options object per query key, so every user of
 * `queryKeys.runs.detail(id)` caches the same shape: the `run` object of `runs/get`
 * ({info, data, inputs, outputs}).
 */
import { queryOptions } from "@tanstack/react-query";

import { api, unwrap } from "@/api/client";
import { queryKeys } from "@/api/queryKeys";
import type { components } from "@/api/schema";

type Schemas = components["schemas"];
export type Run = Schemas["Run"];
export type RunInfo = Schemas["RunInfo"];
export type KeyValue = { key: string; value: string };
export type MetricPoint = Schemas["Metric"];
export type Dataset = Schemas["Dataset"];
export type DatasetInput = Schemas["DatasetInput"];
export type LoggedModel = Schemas["LoggedModel"];

export async function fetchRun(runId: string, signal?: AbortSignal): Promise<Run> {
  const body = unwrap(
    await api.GET("/api/2.0/mlflow/runs/get", { params: { query: { run_id: runId } }, signal }),
  );
  return body.run;
}

export const runQuery = (runId: string) =>
  queryOptions({
    queryKey: queryKeys.runs.detail(runId),
    queryFn: ({ signal }) => fetchRun(runId, signal),
  });

export async function setRunTag(runId: string, key: string, value: string): Promise<void> {
  unwrap(await api.POST("/api/2.0/mlflow/runs/set-tag", { body: { run_id: runId, key, value } }));
}

export async function deleteRunTag(runId: string, key: string): Promise<void> {
  unwrap(await api.POST("/api/2.0/mlflow/runs/delete-tag", { body: { run_id: runId, key } }));
}

export async function renameRun(runId: string, runName: string): Promise<void> {
  unwrap(
    await api.POST("/api/2.0/mlflow/runs/update", { body: { run_id: runId, run_name: runName } }),
  );
}

/** The runs whose `mlflow.parentRunId` tag names this run (first 200, newest first). */
export const childRunsQuery = (experimentId: string, runId: string) =>
  queryOptions({
    queryKey: queryKeys.runs.search({ view: "children", experimentId, runId }),
    queryFn: async () => {
      const body = unwrap(
        await api.POST("/api/2.0/mlflow/runs/search", {
          body: {
            experiment_ids: [experimentId],
            filter: `tags.mlflow.parentRunId = '${runId}'`,
            max_results: 200,
            order_by: ["attributes.start_time DESC"],
          },
        }),
      );
      return body.runs ?? [];
    },
  });

/** Models this run produced (logged-models search by source run) plus its linked outputs. */
export const loggedModelsQuery = (run: Run) =>
  queryOptions({
    queryKey: queryKeys.loggedModels.search({
      sourceRunId: run.info.run_id,
      outputs: (run.outputs?.model_outputs ?? []).map((m) => m.model_id),
    }),
    queryFn: async () => {
      const body = unwrap(
        await api.POST("/api/2.0/mlflow/logged-models/search", {
          body: {
            experiment_ids: [run.info.experiment_id],
            filter: `source_run_id = '${run.info.run_id}'`,
            max_results: 100,
          },
        }),
      );
      const models = body.models ?? [];
      const known = new Set(models.map((m) => m.info.model_id));
      const missing = (run.outputs?.model_outputs ?? []).filter((m) => !known.has(m.model_id));
      const linked = await Promise.all(
        missing.map(async (m) => {
          const answer = await api.GET("/api/2.0/mlflow/logged-models/{model_id}", {
            params: { path: { model_id: m.model_id } },
          });
          return unwrap(answer).model;
        }),
      );
      return [...models, ...linked];
    },
  });

/** Registered versions of a logged model (its `mlflow.modelVersions` tag: [{name, version}]). */
export function registrations(model: LoggedModel): { name: string; version: string }[] {
  const tag = model.info.tags?.find((t) => t.key === "mlflow.modelVersions")?.value;
  if (!tag) return [];
  try {
    const list = JSON.parse(tag) as { name?: unknown; version?: unknown }[];
    return Array.isArray(list)
      ? list
          .filter((r) => typeof r?.name === "string")
          .map((r) => ({ name: String(r.name), version: String(r.version ?? "") }))
      : [];
  } catch {
    return [];
  }
}

/** Tags of a run as a map (last one wins, as the server upserts). */
export function tagMap(run: Run): Map<string, string> {
  return new Map((run.data?.tags ?? []).map((t) => [t.key, t.value]));
}
