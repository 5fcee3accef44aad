/** TanStack Query hooks of the runs page: pages of runs, keys, parents, children, groups. */
import {
  infiniteQueryOptions,
  keepPreviousData,
  useInfiniteQuery,
  useQueries,
  useQuery,
  type InfiniteData,
} from "@tanstack/react-query";
import { useMemo } from "react";

import { ApiError } from "@/api/client";
import { queryKeys } from "@/api/queryKeys";

import {
  experimentKeys,
  runGroups,
  runsByIds,
  searchRuns,
  type ExperimentKeys,
  type GroupsParams,
  type SearchRunsParams,
} from "./runsApi";
import { PARENT_TAG, toRunRow, type RunRow, type ViewType } from "./types";
import { quoteValue } from "./urlState";

/** The first page is small (first rows fast); later pages are larger (fewer round trips). */
export const FIRST_PAGE_SIZE = 200;
export const NEXT_PAGE_SIZE = 500;
export const LIVE_REFRESH_MS = 5000;

export interface RunsPage {
  rows: RunRow[];
  next?: string;
}

export type RunsPages = InfiniteData<RunsPage, string>;

export function anyRunning(rows: readonly RunRow[]): boolean {
  return rows.some((r) => r.status === "RUNNING");
}

/** The query of a search's pages, shared by the table and the page's early prefetch. */
export function runsPagesOptions(params: SearchRunsParams) {
  return infiniteQueryOptions({
    queryKey: queryKeys.runs.search({ pages: true, ...params }),
    queryFn: async ({ pageParam, signal }): Promise<RunsPage> => {
      const size = pageParam ? NEXT_PAGE_SIZE : FIRST_PAGE_SIZE;
      const answer = await searchRuns(params, size, pageParam || undefined, signal);
      return { rows: (answer.runs ?? []).map(toRunRow), next: answer.next_page_token };
    },
    initialPageParam: "",
    getNextPageParam: (last: RunsPage) => last.next || undefined,
  });
}

/** Every page of a search loaded so far; more come with fetchNextPage (as the table scrolls). */
export function useRunsPages(params: SearchRunsParams, options: { enabled?: boolean } = {}) {
  return useInfiniteQuery({
    ...runsPagesOptions(params),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
    // Live refresh of a short list: re-read it while one of its runs is RUNNING. Deep lists
    // refresh only their visible running runs (useLiveRuns), not every page loaded.
    refetchInterval: (query) => {
      const pages = query.state.data?.pages;
      if (!pages || pages.length > 2 || query.state.status === "error") return false;
      return pages.some((p) => anyRunning(p.rows)) ? LIVE_REFRESH_MS : false;
    },
  });
}

/** Fresh copies of the given (visible, running) runs, re-read every few seconds. */
export function useLiveRuns(experimentIds: string[], ids: string[]) {
  const query = useQuery({
    queryKey: queryKeys.runs.search({ live: true, experimentIds, ids }),
    queryFn: async ({ signal }) => (await runsByIds(experimentIds, ids, signal)).map(toRunRow),
    enabled: ids.length > 0,
    refetchInterval: LIVE_REFRESH_MS,
    staleTime: LIVE_REFRESH_MS,
  });
  return useMemo(() => new Map((query.data ?? []).map((r) => [r.id, r])), [query.data]);
}

/** Runs by id: the selection, whatever pages are loaded. */
export function useRunsByIds(experimentIds: string[], ids: string[]) {
  return useQuery({
    queryKey: queryKeys.runs.search({ byIds: true, experimentIds, ids }),
    queryFn: async ({ signal }) =>
      (await runsByIds(experimentIds, ids.slice(0, 1000), signal)).map(toRunRow),
    enabled: ids.length > 0,
    placeholderData: keepPreviousData,
  });
}

export function keysOfRuns(rows: readonly RunRow[]): ExperimentKeys {
  const metrics = new Set<string>();
  const params = new Set<string>();
  const tags = new Set<string>();
  for (const r of rows) {
    for (const k in r.metrics) metrics.add(k);
    for (const k in r.params) params.add(k);
    for (const k in r.tags) tags.add(k);
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return { metric_keys: sorted(metrics), param_keys: sorted(params), tag_keys: sorted(tags) };
}

const EMPTY_KEYS: ExperimentKeys = { metric_keys: [], param_keys: [], tag_keys: [] };

/** Metric, param and tag names of the experiments (for autocomplete and the column chooser). */
export function useExperimentKeys(experimentIds: string[]) {
  const query = useQuery({
    queryKey: queryKeys.runs.keys(experimentIds),
    queryFn: async ({ signal }) => {
      try {
        return await experimentKeys(experimentIds, signal);
      } catch (error) {
        // A server without cairn's keys endpoint: the names found in the newest runs.
        if (!(error instanceof ApiError) || ![404, 501].includes(error.status)) throw error;
        const params = { experimentIds, filter: "", orderBy: [], view: "ALL" as const };
        return keysOfRuns(
          ((await searchRuns(params, 200, undefined, signal)).runs ?? []).map(toRunRow),
        );
      }
    },
    staleTime: 30_000,
  });
  return { keys: query.data ?? EMPTY_KEYS, isLoading: query.isLoading, error: query.error };
}

/** How many child runs each parent run has (one grouped query over the experiments). */
export function useParentCounts(experimentIds: string[], view: ViewType, enabled: boolean) {
  const query = useQuery({
    queryKey: queryKeys.runs.groups({ parents: true, experimentIds, view }),
    queryFn: ({ signal }) =>
      runGroups(
        {
          experimentIds,
          view,
          filter: `tags.\`${PARENT_TAG}\` IS NOT NULL`,
          groupBy: `tags.${PARENT_TAG}`,
          metrics: [],
        },
        signal,
      ),
    enabled,
    staleTime: 30_000,
    retry: false,
  });
  const counts = useMemo(() => {
    const map = new Map<string, number>();
    for (const g of query.data?.groups ?? []) if (g.value) map.set(g.value, g.count);
    return map;
  }, [query.data]);
  // A server without runs/groups (or a failure) just means no expanders.
  return { counts };
}

export function childrenFilter(parentId: string): string {
  return `tags.\`${PARENT_TAG}\` = ${quoteValue(parentId)}`;
}

/** The child runs of each expanded parent (at most 1000 each), in the table's order. */
export function useChildRuns(
  base: Omit<SearchRunsParams, "filter">,
  parentIds: string[],
): Map<string, RunRow[] | undefined> {
  const data = useQueries({
    queries: parentIds.map((id) => ({
      queryKey: queryKeys.runs.search({ children: id, ...base }),
      queryFn: async ({ signal }: { signal: AbortSignal }) => {
        const params = { ...base, filter: childrenFilter(id) };
        const answer = await searchRuns(params, 1000, undefined, signal);
        return (answer.runs ?? []).map(toRunRow);
      },
    })),
    combine: combineData,
  });
  return useMemo(() => new Map(parentIds.map((id, i) => [id, data[i]])), [parentIds, data]);
}

function combineData<T>(results: { data?: T }[]): (T | undefined)[] {
  return results.map((r) => r.data);
}

export function useRunGroups(params: GroupsParams) {
  return useQuery({
    queryKey: queryKeys.runs.groups(params),
    queryFn: ({ signal }) => runGroups(params, signal),
    placeholderData: keepPreviousData,
  });
}
