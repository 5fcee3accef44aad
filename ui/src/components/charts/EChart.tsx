/**
 * A thin React wrapper over one ECharts instance (canvas renderer, tree-shaken modules).
 *
 * The instance is created once per mount (and theme) and updated with `setOption` when `option`
 * changes (merging, with `series` replaced, unless `notMerge`), so zoom state and the canvas
 * survive re-renders. When a render with data has finished, the container gets
 * `data-rendered="true"` and `data-rendered-at` (ms since navigation start): what tests and the
 * benchmark wait for.
 */
import { CustomChart, LineChart } from "echarts/charts";
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  ToolboxComponent,
  TooltipComponent,
} from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useLayoutEffect, useRef, type CSSProperties } from "react";

echarts.use([
  LineChart,
  CustomChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  DataZoomComponent,
  ToolboxComponent,
  CanvasRenderer,
]);

export type EChartsInstance = echarts.ECharts;
export type EChartsOption = echarts.EChartsCoreOption;
export type EChartHandler = (params: unknown, chart: EChartsInstance) => void;

const EVENTS = ["datazoom", "restore", "legendselectchanged"] as const;
export type EChartEvent = (typeof EVENTS)[number];

export interface EChartProps {
  option: EChartsOption;
  style?: CSSProperties;
  /** Whether the option holds data: only then does a finished render count as drawn. */
  hasData: boolean;
  onEvents?: Partial<Record<EChartEvent, EChartHandler>>;
  /** Extra attributes of the container (`data-*`, aria). */
  attributes?: Record<string, string | number | undefined>;
  /** An ECharts theme by name ("dark"); a change re-creates the chart. */
  theme?: string;
  /** Replace the whole option on a change, rather than merge it with the last one. */
  notMerge?: boolean;
}

export function EChart({ option, style, hasData, onEvents, attributes, theme, notMerge }: EChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<EChartsInstance | null>(null);
  const handlers = useRef(onEvents);
  const hasDataRef = useRef(hasData);
  useLayoutEffect(() => {
    handlers.current = onEvents;
    hasDataRef.current = hasData;
  });

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = echarts.init(element, theme ?? null, { renderer: "canvas" });
    chartRef.current = chart;
    chart.on("finished", () => {
      if (!hasDataRef.current || element.dataset.rendered === "true") return;
      element.dataset.rendered = "true";
      element.dataset.renderedAt = String(Math.round(performance.now()));
    });
    for (const name of EVENTS) {
      chart.on(name, (params: unknown) => handlers.current?.[name]?.(params, chart));
    }
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
      delete element.dataset.rendered;
    };
  }, [theme]);

  useEffect(() => {
    chartRef.current?.setOption(option, notMerge ? { notMerge: true } : { replaceMerge: ["series"] });
  }, [option, notMerge, theme]);

  return <div ref={ref} style={{ width: "100%", ...style }} {...attributes} />;
}
