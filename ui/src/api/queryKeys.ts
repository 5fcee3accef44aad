/**
 * Every TanStack Query key of the UI, in one place, so invalidation after a mutation names
 * exactly what it changes (e.g. `queryKeys.runs.all` after deleting runs).
 */
export const queryKeys = {
  experiments: {
    all: ["experiments"] as const,
    list: (params: object) => ["experiments", "list", params] as const,
    detail: (experimentId: string) => ["experiments", "detail", experimentId] as const,
  },
  runs: {
    all: ["runs"] as const,
    search: (params: object) => ["runs", "search", params] as const,
    detail: (runId: string) => ["runs", "detail", runId] as const,
    keys: (experimentIds: readonly string[]) => ["runs", "keys", experimentIds] as const,
    groups: (params: object) => ["runs", "groups", params] as const,
    /** The runs of the compare view, fetched together (runs/get each). */
    compare: (runIds: readonly string[]) => ["runs", "compare", runIds] as const,
  },
  metrics: {
    all: ["metrics"] as const,
    sampled: (runId: string, key: string, params: object) =>
      ["metrics", "sampled", runId, key, params] as const,
    history: (runId: string, key: string) => ["metrics", "history", runId, key] as const,
  },
  artifacts: {
    all: ["artifacts"] as const,
    list: (runId: string, path: string) => ["artifacts", "list", runId, path] as const,
    content: (runId: string, path: string) => ["artifacts", "content", runId, path] as const,
  },
  loggedModels: {
    all: ["loggedModels"] as const,
    search: (params: object) => ["loggedModels", "search", params] as const,
  },
  registry: {
    all: ["registry"] as const,
    models: (params: object) => ["registry", "models", params] as const,
    model: (name: string) => ["registry", "model", name] as const,
    versions: (name: string) => ["registry", "versions", name] as const,
    version: (name: string, version: string) => ["registry", "version", name, version] as const,
    history: (name: string, version?: string) => ["registry", "history", name, version] as const,
    lineage: (name: string, version: string) => ["registry", "lineage", name, version] as const,
  },
} as const;
