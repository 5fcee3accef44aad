import { useQuery } from "@tanstack/react-query";

import { api, ApiError, unwrap } from "@/api/client";
import { queryKeys } from "@/api/queryKeys";
import type { Run } from "@/components/registry/types";

import { toCompareRun, type CompareRun } from "./compareData";

export interface CompareRuns {
  runs: CompareRun[];
  /** Ids the server does not know (a stale link): reported, not fatal. */
  missing: string[];
}

/** The runs of a comparison, in the URL's order, one runs/get each (they may span experiments). */
export function useCompareRuns(runIds: string[]) {
  return useQuery({
    queryKey: queryKeys.runs.compare(runIds),
    enabled: runIds.length > 0,
    queryFn: async (): Promise<CompareRuns> => {
      const answers = await Promise.all(
        runIds.map((id) =>
          api
            .GET("/api/2.0/mlflow/runs/get", { params: { query: { run_id: id } } })
            .then((r): Run | null => unwrap(r).run)
            .catch((error: unknown) => {
              if (error instanceof ApiError && error.status < 500) return null;
              throw error;
            }),
        ),
      );
      return {
        runs: answers.filter((r): r is Run => r !== null).map(toCompareRun),
        missing: runIds.filter((_, i) => answers[i] === null),
      };
    },
  });
}
