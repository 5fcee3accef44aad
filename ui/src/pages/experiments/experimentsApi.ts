/** Experiments: the list (searched, paged) and the changes made from the experiments page. */
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQueryClient,
} from "@tanstack/react-query";

import { api, unwrap } from "@/api/client";
import { queryKeys } from "@/api/queryKeys";
import type { ViewType } from "@/components/runs/types";
import { quoteValue } from "@/components/runs/urlState";

export const EXPERIMENTS_PAGE_SIZE = 200;

export type ExperimentOrder = "newest" | "name" | "updated";
const ORDERS: Record<ExperimentOrder, string[]> = {
  newest: ["creation_time DESC"],
  name: ["name ASC"],
  updated: ["last_update_time DESC"],
};

/** `name ILIKE '%text%'`, with LIKE's wildcards in the text taken literally where possible. */
export function nameFilter(text: string): string {
  const q = text.trim();
  return q ? `name ILIKE ${quoteValue(`%${q}%`)}` : "";
}

export interface ExperimentsQuery {
  search: string;
  view: ViewType;
  order: ExperimentOrder;
}

export function useExperimentsList({ search, view, order }: ExperimentsQuery) {
  return useInfiniteQuery({
    queryKey: queryKeys.experiments.list({ search, view, order }),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.POST("/api/2.0/mlflow/experiments/search", {
          body: {
            max_results: EXPERIMENTS_PAGE_SIZE,
            filter: nameFilter(search),
            order_by: ORDERS[order],
            view_type: view,
            page_token: pageParam || undefined,
          },
          signal,
        }),
      ),
    initialPageParam: "",
    getNextPageParam: (last) => last.next_page_token || undefined,
    placeholderData: keepPreviousData,
  });
}

/** One mutation hook for every experiment change; each refreshes the experiment lists. */
export function useExperimentMutations() {
  const queryClient = useQueryClient();
  const onSettled = () => queryClient.invalidateQueries({ queryKey: queryKeys.experiments.all });
  // Deleting or restoring an experiment deletes or restores its runs too.
  const refreshAll = () => {
    void onSettled();
    void queryClient.invalidateQueries({ queryKey: queryKeys.runs.all });
  };
  return {
    create: useMutation({
      mutationFn: async (name: string) =>
        unwrap(await api.POST("/api/2.0/mlflow/experiments/create", { body: { name } })),
      onSettled,
    }),
    rename: useMutation({
      mutationFn: async ({ id, name }: { id: string; name: string }) =>
        unwrap(
          await api.POST("/api/2.0/mlflow/experiments/update", {
            body: { experiment_id: id, new_name: name },
          }),
        ),
      onSettled,
    }),
    remove: useMutation({
      mutationFn: (ids: string[]) =>
        Promise.all(
          ids.map(async (id) =>
            unwrap(
              await api.POST("/api/2.0/mlflow/experiments/delete", { body: { experiment_id: id } }),
            ),
          ),
        ),
      onSettled: refreshAll,
    }),
    restore: useMutation({
      mutationFn: (ids: string[]) =>
        Promise.all(
          ids.map(async (id) =>
            unwrap(
              await api.POST("/api/2.0/mlflow/experiments/restore", {
                body: { experiment_id: id },
              }),
            ),
          ),
        ),
      onSettled: refreshAll,
    }),
    setTag: useMutation({
      mutationFn: async ({ id, key, value }: { id: string; key: string; value: string }) =>
        unwrap(
          await api.POST("/api/2.0/mlflow/experiments/set-experiment-tag", {
            body: { experiment_id: id, key, value },
          }),
        ),
      onSettled,
    }),
    deleteTag: useMutation({
      mutationFn: async ({ id, key }: { id: string; key: string }) =>
        unwrap(
          await api.POST("/api/2.0/mlflow/experiments/delete-experiment-tag", {
            body: { experiment_id: id, key },
          }),
        ),
      onSettled,
    }),
  };
}

export type ExperimentMutations = ReturnType<typeof useExperimentMutations>;
