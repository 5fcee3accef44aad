/** The charts tab: the selected runs (or the first ten of the view) drawn by MetricCharts. */
import { Center, Loader, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useMemo } from "react";

import { queryKeys } from "@/api/queryKeys";
import type { ChartRun } from "@/components/charts/MetricCharts";
import { searchRuns, type SearchRunsParams } from "@/components/runs/runsApi";
import { toRunRow, type RunRow } from "@/components/runs/types";
import { useRunsByIds } from "@/components/runs/useRunsData";
import { splitColumnId } from "@/components/runs/urlState";

// The chart library loads only when this tab opens, never with the table.
const MetricCharts = lazy(() => import("@/components/charts/MetricCharts"));

const UNSELECTED_RUNS = 10;

interface RunsChartsProps {
  search: SearchRunsParams;
  selected: string[];
  groupBy: string | null;
  metricKeys: string[];
}

function groupOf(run: RunRow, groupBy: string | null): string | undefined {
  const parts = groupBy ? splitColumnId(groupBy) : null;
  if (!parts) return undefined;
  const value = parts.kind === "params" ? run.params[parts.key] : run.tags[parts.key];
  return value ?? "(not set)";
}

export function RunsCharts({ search, selected, groupBy, metricKeys }: RunsChartsProps) {
  const chosen = useRunsByIds(search.experimentIds, selected);
  const first = useQuery({
    queryKey: queryKeys.runs.search({ top: UNSELECTED_RUNS, ...search }),
    queryFn: async ({ signal }) =>
      ((await searchRuns(search, UNSELECTED_RUNS, undefined, signal)).runs ?? []).map(toRunRow),
    enabled: selected.length === 0,
  });
  const rows = selected.length ? chosen.data : first.data;
  const runs: ChartRun[] = useMemo(
    () => (rows ?? []).map((r) => ({ runId: r.id, runName: r.name, group: groupOf(r, groupBy) })),
    [rows, groupBy],
  );
  if (!rows) {
    return (
      <Center h={200}>
        <Loader />
      </Center>
    );
  }
  return (
    <>
      <Text size="sm" c="dimmed" mb="xs">
        {selected.length
          ? `${runs.length} selected runs`
          : `The first ${runs.length} runs of the table (select runs to choose)`}
        {groupBy ? `, grouped by ${groupBy}` : ""}
      </Text>
      <Suspense
        fallback={
          <Center h={200}>
            <Loader />
          </Center>
        }
      >
        <MetricCharts runs={runs} metricKeys={metricKeys.length ? metricKeys : undefined} />
      </Suspense>
    </>
  );
}
