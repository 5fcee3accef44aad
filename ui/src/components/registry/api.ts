/**
 * The registry calls of the UI: MLflow's registry REST API (reference section 3) and cairn's
 * audit history. Thin wrappers over the typed `api` client (paths, fields and answers are
 * checked against the server's OpenAPI document); queries and mutations live in hooks.ts.
 */
import { api, unwrap } from "@/api/client";

import type {
  Experiment,
  LoggedModel,
  ModelsPage,
  ModelVersion,
  RegisteredModel,
  RegistryEvent,
  Run,
  VersionsPage,
} from "./types";

const M = "/api/2.0/mlflow";

/** A filter string literal: single-quoted, the quote escaped by doubling (reference 4.1). */
export function quoteFilterValue(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** The models search filter for a name box: case-insensitive substring, empty = all. */
export function nameFilter(q: string): string | undefined {
  const trimmed = q.trim();
  return trimmed ? `name ILIKE ${quoteFilterValue(`%${trimmed}%`)}` : undefined;
}

export const registryApi = {
  searchModels: async (p: { filter?: string; pageToken?: string; maxResults?: number }): Promise<ModelsPage> =>
    unwrap(
      await api.GET(`${M}/registered-models/search`, {
        params: { query: { filter: p.filter, page_token: p.pageToken, max_results: p.maxResults ?? 25 } },
      }),
    ),
  getModel: async (name: string): Promise<RegisteredModel> =>
    unwrap(await api.GET(`${M}/registered-models/get`, { params: { query: { name } } }))
      .registered_model,
  createModel: async (name: string, description: string) =>
    unwrap(
      await api.POST(`${M}/registered-models/create`, {
        body: { name, description: description || undefined },
      }),
    ),
  renameModel: async (name: string, newName: string) =>
    unwrap(await api.POST(`${M}/registered-models/rename`, { body: { name, new_name: newName } })),
  updateModel: async (name: string, description: string) =>
    unwrap(await api.PATCH(`${M}/registered-models/update`, { body: { name, description } })),
  deleteModel: async (name: string) =>
    unwrap(await api.DELETE(`${M}/registered-models/delete`, { body: { name } })),
  setModelTag: async (name: string, key: string, value: string) =>
    unwrap(await api.POST(`${M}/registered-models/set-tag`, { body: { name, key, value } })),
  deleteModelTag: async (name: string, key: string) =>
    unwrap(await api.DELETE(`${M}/registered-models/delete-tag`, { body: { name, key } })),
  setAlias: async (name: string, alias: string, version: string) =>
    unwrap(await api.POST(`${M}/registered-models/alias`, { body: { name, alias, version } })),
  deleteAlias: async (name: string, alias: string) =>
    unwrap(await api.DELETE(`${M}/registered-models/alias`, { body: { name, alias } })),

  searchVersions: async (name: string, pageToken?: string): Promise<VersionsPage> =>
    unwrap(
      await api.GET(`${M}/model-versions/search`, {
        params: {
          query: {
            filter: `name = ${quoteFilterValue(name)}`,
            order_by: ["version_number DESC"],
            max_results: 100,
            page_token: pageToken,
          },
        },
      }),
    ),
  getVersion: async (name: string, version: string): Promise<ModelVersion> =>
    unwrap(await api.GET(`${M}/model-versions/get`, { params: { query: { name, version } } }))
      .model_version,
  updateVersion: async (name: string, version: string, description: string) =>
    unwrap(await api.PATCH(`${M}/model-versions/update`, { body: { name, version, description } })),
  transitionStage: async (name: string, version: string, stage: string, archiveExisting: boolean) =>
    unwrap(
      await api.POST(`${M}/model-versions/transition-stage`, {
        body: { name, version, stage, archive_existing_versions: archiveExisting },
      }),
    ),
  deleteVersion: async (name: string, version: string) =>
    unwrap(await api.DELETE(`${M}/model-versions/delete`, { body: { name, version } })),
  setVersionTag: async (name: string, version: string, key: string, value: string) =>
    unwrap(await api.POST(`${M}/model-versions/set-tag`, { body: { name, version, key, value } })),
  deleteVersionTag: async (name: string, version: string, key: string) =>
    unwrap(await api.DELETE(`${M}/model-versions/delete-tag`, { body: { name, version, key } })),

  events: async (name: string, version?: string): Promise<RegistryEvent[]> =>
    unwrap(await api.GET("/api/2.0/cairn/registry/events", { params: { query: { name, version } } }))
      .events ?? [],

  getRun: async (runId: string): Promise<Run> =>
    unwrap(await api.GET(`${M}/runs/get`, { params: { query: { run_id: runId } } })).run,
  getExperiment: async (experimentId: string): Promise<Experiment> =>
    unwrap(
      await api.GET(`${M}/experiments/get`, { params: { query: { experiment_id: experimentId } } }),
    ).experiment,
  getLoggedModel: async (modelId: string): Promise<LoggedModel> =>
    unwrap(
      await api.GET(`${M}/logged-models/{model_id}`, { params: { path: { model_id: modelId } } }),
    ).model,
};
