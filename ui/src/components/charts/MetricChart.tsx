/**
 * One metric of several runs. The overview is a server-side min/max sample (~1,000 step
 * buckets per run, so a 1M-point history draws at once and keeps its spikes); zooming in
 * fetches the zoomed step range again at the same resolution and splices it in, so a deep zoom
 * shows the real points.
 */
import { Group, Loader, Paper, Text, useComputedColorScheme } from "@mantine/core";
import { useQueries } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import { OVERVIEW_BUCKETS, sampledQuery, type StepRange } from "./api";
import { buildOption, type RunLine } from "./buildOption";
import { EChart, type EChartHandler } from "./EChart";
import { spliceDetail, startTime, stepRangeOf, xColumn } from "./lines";
import type { ChartSettings } from "./settings";
import { useStableArray } from "./useStable";

export interface ChartLineSpec {
  runId: string;
  name: string;
  group?: string;
  color: string;
}

interface MetricChartProps {
  metricKey: string;
  lines: ChartLineSpec[];
  settings: ChartSettings;
  height?: number;
}

interface ZoomOption {
  dataZoom?: { start?: number; end?: number; startValue?: number; endValue?: number }[];
}

const ZOOM_DEBOUNCE_MS = 250;

export function MetricChart({ metricKey, lines, settings, height = 320 }: MetricChartProps) {
  const dark = useComputedColorScheme("light") === "dark";
  const [zoom, setZoom] = useState<[number, number] | null>(null);

  const overviews = useQueries({
    queries: lines.map((l) => sampledQuery(l.runId, metricKey, OVERVIEW_BUCKETS)),
  });
  const overviewData = useStableArray(overviews.map((q) => q.data));

  // Per run, the step range the zoomed x window covers (time axes map through each run).
  const ranges = useMemo<(StepRange | undefined)[]>(
    () =>
      overviewData.map((series) => {
        if (!zoom || !series || series.count === 0) return undefined;
        if (settings.x === "step") {
          return { start: Math.floor(zoom[0]), end: Math.ceil(zoom[1]) };
        }
        const xs = xColumn(series, settings.x, startTime(series));
        return stepRangeOf(series, xs, zoom[0], zoom[1]);
      }),
    [overviewData, zoom, settings.x],
  );
  const details = useQueries({
    queries: lines.map((l, i) => ({
      ...sampledQuery(l.runId, metricKey, OVERVIEW_BUCKETS, ranges[i]),
      enabled: ranges[i] !== undefined,
    })),
  });
  const detailData = useStableArray(details.map((q) => q.data));

  const runLines = useMemo<RunLine[]>(() => {
    const out: RunLine[] = [];
    lines.forEach((spec, i) => {
      const overview = overviewData[i];
      if (!overview || overview.count === 0) return;
      const range = ranges[i];
      const detail = range ? detailData[i] : undefined;
      const series = range ? spliceDetail(overview, detail, range.start, range.end) : overview;
      out.push({ ...spec, series, t0: startTime(overview) });
    });
    return out;
  }, [lines, overviewData, detailData, ranges]);

  const built = useMemo(() => buildOption(runLines, settings, dark), [runLines, settings, dark]);

  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const onZoom = useCallback<EChartHandler>((_params, chart) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const zoomState = (chart.getOption() as ZoomOption).dataZoom?.[0];
      if (!zoomState) return;
      const full = (zoomState.start ?? 0) <= 0 && (zoomState.end ?? 100) >= 100;
      const { startValue, endValue } = zoomState;
      if (full || startValue === undefined || endValue === undefined) setZoom(null);
      else setZoom([startValue, endValue]);
    }, ZOOM_DEBOUNCE_MS);
  }, []);
  const onRestore = useCallback<EChartHandler>(() => setZoom(null), []);
  const events = useMemo(() => ({ datazoom: onZoom, restore: onRestore }), [onZoom, onRestore]);

  const loading = overviews.some((q) => q.isPending) || details.some((q) => q.isFetching);
  const failed = overviews.find((q) => q.error)?.error;
  const empty = !loading && runLines.length === 0;

  return (
    <Paper withBorder p="xs" radius="md">
      <Group justify="space-between" gap="xs" mb={4} wrap="nowrap">
        <Text fw={600} size="sm" truncate title={metricKey}>
          {metricKey}
        </Text>
        {loading && <Loader size="xs" aria-label="Loading metric" />}
      </Group>
      {failed && (
        <Text c="red" size="sm">
          {failed.message}
        </Text>
      )}
      {empty && !failed && (
        <Text c="dimmed" size="sm">
          No values logged for this metric.
        </Text>
      )}
      <EChart
        option={built.option}
        hasData={built.pointCount > 0}
        onEvents={events}
        style={{ height, display: empty ? "none" : undefined }}
        attributes={{
          "data-testid": "metric-chart",
          "data-metric-key": metricKey,
          "data-series-count": built.seriesCount,
          "data-point-count": built.pointCount,
          "data-zoomed": zoom ? "true" : "false",
          role: "img",
          "aria-label": `Chart of ${metricKey}`,
        }}
      />
    </Paper>
  );
}
