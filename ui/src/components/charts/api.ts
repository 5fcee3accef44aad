/** cairn's sampled metric endpoint as TanStack queries: columns decoded into typed arrays. */
import { keepPreviousData, queryOptions, type QueryClient } from "@tanstack/react-query";

import { api, unwrap } from "@/api/client";
import { queryKeys } from "@/api/queryKeys";

import { decodeSeries, type Series } from "./decode";

/** Buckets of a chart's overview: at most ~2,000 points per run whatever the history length. */
export const OVERVIEW_BUCKETS = 1000;
/** Buckets of a sparkline. */
export const SPARKLINE_BUCKETS = 40;

export interface StepRange {
  start: number;
  end: number;
}

export async function fetchSampled(
  runId: string,
  key: string,
  buckets: number,
  range?: StepRange,
  signal?: AbortSignal,
): Promise<Series> {
  const query = {
    run_id: runId,
    metric_key: key,
    buckets,
    ...(range ? { start_step: Math.floor(range.start), end_step: Math.ceil(range.end) } : {}),
  };
  const answer = await api.GET("/api/2.0/cairn/metrics/sampled", { params: { query }, signal });
  return decodeSeries(unwrap(answer).series);
}

export const sampledQuery = (runId: string, key: string, buckets: number, range?: StepRange) =>
  queryOptions({
    queryKey: queryKeys.metrics.sampled(runId, key, {
      buckets,
      start: range?.start ?? null,
      end: range?.end ?? null,
    }),
    queryFn: ({ signal }) => fetchSampled(runId, key, buckets, range, signal),
    // A zoom keeps drawing the previous detail until the new one arrives.
    placeholderData: range ? keepPreviousData : undefined,
    staleTime: 30_000,
  });

/** Charts at the top are mounted (and their data fetched) at once; the rest when scrolled to. */
export const EAGER_CHARTS = 4;

/**
 * Start the overview fetches of the first charts. Pages call this as soon as they know the
 * runs and keys, so the data loads while the chart code and canvases are still being set up.
 */
export function prefetchOverviews(
  client: QueryClient,
  runIds: readonly string[],
  keys: readonly string[],
): void {
  for (const key of keys.slice(0, EAGER_CHARTS)) {
    for (const runId of runIds) {
      void client.prefetchQuery(sampledQuery(runId, key, OVERVIEW_BUCKETS));
    }
  }
}
