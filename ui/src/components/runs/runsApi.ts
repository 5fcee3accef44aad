/**
 * The calls the runs page makes, on the typed client: MLflow's runs/search, delete and restore,
 * and cairn's experiments/keys, runs/groups and runs/export.
 */
import { api, ApiError, serverRoot, unwrap } from "@/api/client";
import type { components } from "@/api/schema";

import type { Run, SearchRunsResponse, ViewType } from "./types";
import { quoteValue } from "./urlState";

export interface SearchRunsParams {
  experimentIds: string[];
  filter: string;
  orderBy: string[];
  view: ViewType;
}

export async function searchRuns(
  params: SearchRunsParams,
  maxResults: number,
  pageToken?: string,
  signal?: AbortSignal,
): Promise<SearchRunsResponse> {
  return unwrap(
    await api.POST("/api/2.0/mlflow/runs/search", {
      body: {
        experiment_ids: params.experimentIds,
        filter: params.filter,
        order_by: params.orderBy,
        run_view_type: params.view,
        max_results: maxResults,
        page_token: pageToken || undefined,
      },
      signal,
    }),
  );
}

/** Runs by id (at most 1000), in any experiment of the list, deleted ones included. */
export async function runsByIds(
  experimentIds: string[],
  ids: string[],
  signal?: AbortSignal,
): Promise<Run[]> {
  if (ids.length === 0) return [];
  const filter = `attributes.run_id IN (${ids.map(quoteValue).join(",")})`;
  const answer = await searchRuns(
    { experimentIds, filter, orderBy: [], view: "ALL" },
    Math.min(1000, ids.length),
    undefined,
    signal,
  );
  return answer.runs ?? [];
}

export type ExperimentKeys = components["schemas"]["ExperimentKeysResponse"];

export async function experimentKeys(
  experimentIds: string[],
  signal?: AbortSignal,
): Promise<ExperimentKeys> {
  return unwrap(
    await api.GET("/api/2.0/cairn/experiments/keys", {
      params: { query: { experiment_ids: experimentIds } },
      signal,
    }),
  );
}

export type MetricAggregate = components["schemas"]["MetricAggregate"];
export type RunGroup = components["schemas"]["RunGroup"];

export interface GroupsParams {
  experimentIds: string[];
  filter: string;
  view: ViewType;
  groupBy: string;
  metrics: string[];
}

export async function runGroups(
  params: GroupsParams,
  signal?: AbortSignal,
): Promise<components["schemas"]["RunGroupsResponse"]> {
  return unwrap(
    await api.POST("/api/2.0/cairn/runs/groups", {
      body: {
        experiment_ids: params.experimentIds,
        filter: params.filter,
        run_view_type: params.view,
        group_by: params.groupBy,
        metrics: params.metrics,
      },
      signal,
    }),
  );
}

async function eachRun(action: "delete" | "restore", ids: string[]): Promise<void> {
  // A few requests in flight at a time: fast for hundreds of runs, gentle on the server.
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const body = { run_id: id };
      unwrap(
        action === "delete"
          ? await api.POST("/api/2.0/mlflow/runs/delete", { body })
          : await api.POST("/api/2.0/mlflow/runs/restore", { body }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(6, ids.length) }, worker));
}

export const deleteRuns = (ids: string[]) => eachRun("delete", ids);
export const restoreRuns = (ids: string[]) => eachRun("restore", ids);

export interface ExportParams {
  experimentIds: string[];
  filter: string;
  orderBy: string[];
  view: ViewType;
  columns: { params: string[]; metrics: string[]; tags: string[] };
}

/** Download runs/export's CSV of the current view as a file (the answer is a CSV stream). */
export async function exportCsv(params: ExportParams): Promise<void> {
  const response = await fetch(`${serverRoot()}/api/2.0/cairn/runs/export`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      experiment_ids: params.experimentIds,
      filter: params.filter,
      order_by: params.orderBy,
      columns: params.columns,
      run_view_type: params.view,
    }),
  });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new ApiError(
      response.status,
      body.error_code ?? "INTERNAL_ERROR",
      body.message ?? `The server answered ${response.status}.`,
    );
  }
  const blob = await response.blob();
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = match ? decodeURIComponent(match[1]) : "runs.csv";
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = name;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
