/**
 * Metric charts of one or more runs: one chart per metric key, the runs overlaid (runs with a
 * `group` as the group's mean and band), settings in the URL. Used by the runs page (selected
 * runs) and the run page (one run).
 */
import { Center, Loader, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useQueries, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo } from "react";

import { runQuery } from "@/pages/run/api";

import { EAGER_CHARTS, prefetchOverviews } from "./api";
import { PALETTE } from "./buildOption";
import { ChartToolbar } from "./ChartToolbar";
import { LazyMount } from "./LazyMount";
import { MetricChart, type ChartLineSpec } from "./MetricChart";
import { useChartSettings } from "./settings";
import { useStableArray } from "./useStable";

export interface ChartRun {
  runId: string;
  runName: string;
  /** The group this run belongs to when the runs table is grouped (drawn as mean + band). */
  group?: string;
}

export interface MetricChartsProps {
  runs: ChartRun[];
  /** Metric keys to draw, one chart each; empty = every metric the runs have. */
  metricKeys?: string[];
}

const CHART_HEIGHT = 320;

/** Legend names (made unique with a short run id) and colors (per run, or per group). */
export function lineSpecs(runs: ChartRun[]): ChartLineSpec[] {
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.runName, (counts.get(r.runName) ?? 0) + 1);
  const groupColors = new Map<string, string>();
  return runs.map((r, i) => {
    let color = PALETTE[i % PALETTE.length];
    if (r.group !== undefined) {
      if (!groupColors.has(r.group)) {
        groupColors.set(r.group, PALETTE[groupColors.size % PALETTE.length]);
      }
      color = groupColors.get(r.group)!;
    }
    const name = r.runName || r.runId;
    const unique = (counts.get(r.runName) ?? 0) > 1 ? `${name} (${r.runId.slice(0, 7)})` : name;
    return { runId: r.runId, name: unique, group: r.group, color };
  });
}

export default function MetricCharts({ runs, metricKeys }: MetricChartsProps) {
  const [settings, setSettings] = useChartSettings();
  // The caller may rebuild its run list on every render: key on content, not identity.
  const signature = JSON.stringify(runs.map((r) => [r.runId, r.runName, r.group ?? null]));
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const stableRuns = useMemo(() => runs, [signature]);
  const lines = useMemo(() => lineSpecs([...stableRuns]), [stableRuns]);

  const needKeys = !metricKeys || metricKeys.length === 0;
  const details = useQueries({
    queries: (needKeys ? stableRuns : []).map((r) => runQuery(r.runId)),
  });
  const detailMetrics = useStableArray(details.map((q) => q.data?.data?.metrics));
  const keys = useMemo(() => {
    if (!needKeys) return [...metricKeys!];
    const all = new Set<string>();
    for (const metrics of detailMetrics) for (const m of metrics ?? []) all.add(m.key);
    return [...all].sort();
  }, [needKeys, metricKeys, detailMetrics]);

  const shown = useMemo(() => {
    const f = settings.filter.trim().toLowerCase();
    return f ? keys.filter((k) => k.toLowerCase().includes(f)) : keys;
  }, [keys, settings.filter]);

  // Start the first charts' fetches now, before their canvases are set up.
  const queryClient = useQueryClient();
  useEffect(() => {
    prefetchOverviews(
      queryClient,
      stableRuns.map((r) => r.runId),
      shown,
    );
  }, [queryClient, shown, stableRuns]);

  if (runs.length === 0) {
    return <Text c="dimmed">Select runs to chart their metrics.</Text>;
  }
  if (needKeys && details.some((q) => q.isPending)) {
    return (
      <Center h={120}>
        <Loader aria-label="Loading metrics" />
      </Center>
    );
  }

  return (
    <Stack gap="sm">
      <ChartToolbar
        settings={settings}
        onChange={setSettings}
        grouped={runs.some((r) => r.group !== undefined)}
      />
      {(keys.length > 4 || settings.filter) && (
        <TextInput
          size="xs"
          maw={320}
          placeholder="Filter metrics"
          aria-label="Filter metrics"
          value={settings.filter}
          onChange={(e) => setSettings({ filter: e.currentTarget.value })}
        />
      )}
      {keys.length === 0 && <Text c="dimmed">These runs have no metrics.</Text>}
      <SimpleGrid cols={{ base: 1, lg: shown.length > 1 ? 2 : 1 }} spacing="sm">
        {shown.map((key, i) => (
          <LazyMount key={key} height={CHART_HEIGHT + 40} eager={i < EAGER_CHARTS}>
            {/* A new x-axis mode remounts the chart: its zoom window is in the old units. */}
            <MetricChart
              key={settings.x}
              metricKey={key}
              lines={lines}
              settings={settings}
              height={CHART_HEIGHT}
            />
          </LazyMount>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
