/**
 * The charts tab's fast path. The chart code (ECharts) loads only for this tab, in parallel
 * with the run's data, and not through React.lazy: a Suspense boundary holds revealed content
 * back for up to 300 ms after its fallback, a third of a chart's time budget. The first
 * charts' data is requested the moment the run's metric keys are known.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import { prefetchOverviews } from "@/components/charts/api";

import { runQuery } from "./api";

type ChartsModule = typeof import("@/components/charts/MetricCharts");

let chartsModule: Promise<ChartsModule> | undefined;
const loadCharts = () => (chartsModule ??= import("@/components/charts/MetricCharts"));

// A link straight to the charts tab starts the chart code with the page's own code.
if (/[?&]tab=metrics\b/.test(window.location.hash)) void loadCharts();

/** The charts module once loaded (null before, or while `wanted` is false). */
export function useChartsModule(wanted: boolean): ChartsModule | null {
  const [module, setModule] = useState<ChartsModule | null>(null);
  useEffect(() => {
    if (!wanted || module) return;
    let live = true;
    void loadCharts().then((m) => live && setModule(m));
    return () => {
      live = false;
    };
  }, [wanted, module]);
  return module;
}

/**
 * On the charts tab, fetch the first charts' overviews in the run fetch's own continuation,
 * ahead of the render that the run's data triggers.
 */
export function usePrefetchCharts(runId: string, wanted: boolean): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    queryClient
      .fetchQuery(runQuery(runId))
      .then((run) => {
        const keys = [...new Set((run.data?.metrics ?? []).map((m) => m.key))].sort();
        if (live) prefetchOverviews(queryClient, [runId], keys);
      })
      .catch(() => undefined); // the page's own query shows the error
    return () => {
      live = false;
    };
  }, [wanted, runId, queryClient]);
}
