/**
 * The ECharts option of one metric chart: runs overlaid (raw line faint behind a smoothed
 * one when smoothing is on), grouped runs as a mean line over a min/max or std band. Pure, so
 * it is memoized on its inputs and unit-tested without a canvas.
 */
import { format } from "echarts/core";

import type { Series } from "./decode";
import { groupBand, type Band, type Line } from "./groups";
import { xColumn, yColumn } from "./lines";
import type { ChartSettings } from "./settings";
import { smooth } from "./smoothing";

export const PALETTE = [
  "#4269d0",
  "#efb118",
  "#ff725c",
  "#6cc5b0",
  "#3ca951",
  "#ff8ab7",
  "#a463f2",
  "#97bbf5",
  "#9c6b4e",
  "#9498a0",
];

export interface RunLine {
  runId: string;
  /** The legend name (unique among the chart's lines). */
  name: string;
  group?: string;
  color: string;
  series: Series;
  /** Origin of relative time for this run. */
  t0: number;
}

export interface BuiltOption {
  option: Record<string, unknown>;
  seriesCount: number;
  pointCount: number;
}

type Pair = [number, number];

function pairs(x: ArrayLike<number>, y: ArrayLike<number>): Pair[] {
  const out: Pair[] = new Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = [x[i], y[i]];
  return out;
}

export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(3);
  return String(Number(v.toPrecision(6)));
}

export function formatSeconds(s: number): string {
  const sign = s < 0 ? "-" : "";
  let t = Math.abs(Math.round(s));
  const h = Math.floor(t / 3600);
  t -= h * 3600;
  const m = Math.floor(t / 60);
  const sec = t - m * 60;
  if (h > 0) return `${sign}${h}h${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${sign}${m}m${String(sec).padStart(2, "0")}s`;
  return `${sign}${sec}s`;
}

function formatX(x: number, mode: ChartSettings["x"]): string {
  if (mode === "time") return new Date(x).toLocaleString();
  if (mode === "relative") return formatSeconds(x);
  return `step ${x}`;
}

interface TooltipParam {
  seriesId?: string;
  seriesName?: string;
  color?: string;
  value?: Pair;
}

function swatch(color: string): string {
  const style = `display:inline-block;width:8px;height:8px;border-radius:4px;margin-right:6px`;
  return `<span style="${style};background:${format.encodeHTML(color)}"></span>`;
}

/** Tooltip HTML; every user string is escaped (run and group names are user input). */
function tooltip(mode: ChartSettings["x"]) {
  return (raw: unknown) => {
    const items = (Array.isArray(raw) ? raw : [raw]) as TooltipParam[];
    const shown = items.filter(
      (p) => p.seriesId?.startsWith("line:") && p.value && Number.isFinite(p.value[1]),
    );
    if (shown.length === 0) return "";
    shown.sort((a, b) => b.value![1] - a.value![1]);
    const rows = shown.slice(0, 15).map((p) => {
      const name = format.encodeHTML(p.seriesName ?? "");
      return `<div>${swatch(p.color ?? "")}${name}: <b>${formatValue(p.value![1])}</b></div>`;
    });
    if (shown.length > 15) rows.push(`<div>… ${shown.length - 15} more</div>`);
    return `<div>${format.encodeHTML(formatX(shown[0].value![0], mode))}</div>${rows.join("")}`;
  };
}

function lineSeries(id: string, name: string, color: string, data: Pair[], faint: boolean) {
  return {
    id,
    name,
    type: "line",
    data,
    color,
    showSymbol: data.length <= 30,
    symbolSize: 4,
    lineStyle: { width: faint ? 1 : 1.6, opacity: faint ? 0.25 : 1 },
    itemStyle: { opacity: faint ? 0.25 : 1 },
    emphasis: { disabled: true },
    silent: faint,
    z: faint ? 1 : 2,
    animation: false,
    // Pre-sampled on the server: no client-side sampling, progressive drawing for many runs.
    progressive: 5000,
    progressiveThreshold: 20000,
    connectNulls: false,
  };
}

type Point = [number, number];
interface RenderApi {
  coord: (point: Point) => Point;
}

/**
 * The band between a group's lower and upper lines: one polygon per gap-free stretch, drawn
 * by a custom series (its data, both edges' points, sets the axis extent; only the first item
 * draws). Stacked areas would stack the x values too on a value x-axis.
 */
function bandSeries(id: string, name: string, color: string, band: Band, log: boolean) {
  const stretches: [number, number, number][][] = [];
  const data: Point[] = [];
  let current: [number, number, number][] = [];
  for (let i = 0; i < band.x.length; i++) {
    const [x, lo, hi] = [band.x[i], band.lower[i], band.upper[i]];
    if (Number.isFinite(lo) && Number.isFinite(hi) && (!log || lo > 0)) {
      current.push([x, lo, hi]);
      data.push([x, lo], [x, hi]);
    } else if (current.length) {
      stretches.push(current);
      current = [];
    }
  }
  if (current.length) stretches.push(current);
  return {
    id,
    name,
    type: "custom",
    data,
    encode: { x: 0, y: 1 },
    color,
    silent: true,
    clip: true,
    z: 1,
    animation: false,
    renderItem: (params: { dataIndex: number }, api: RenderApi) =>
      params.dataIndex !== 0
        ? null
        : {
            type: "group",
            children: stretches
              .filter((s) => s.length > 1)
              .map((s) => ({
                type: "polygon",
                shape: {
                  points: [
                    ...s.map(([x, , hi]) => api.coord([x, hi])),
                    ...[...s].reverse().map(([x, lo]) => api.coord([x, lo])),
                  ],
                },
                style: { fill: color, opacity: 0.18 },
              })),
          },
  };
}

export function buildOption(lines: RunLine[], settings: ChartSettings, dark: boolean): BuiltOption {
  const smoothing = settings.smooth !== "none";
  const series: Record<string, unknown>[] = [];
  let pointCount = 0;
  const groups = new Map<string, { color: string; raw: Line[]; smoothed: Line[] }>();

  for (const line of lines) {
    const x = xColumn(line.series, settings.x, line.t0);
    const y = yColumn(line.series.values, settings.log);
    const ys = smoothing ? smooth(y, settings.smooth, settings.weight, settings.window) : y;
    pointCount += x.length;
    if (line.group !== undefined) {
      const g = groups.get(line.group) ?? { color: line.color, raw: [], smoothed: [] };
      g.raw.push({ x, y });
      g.smoothed.push({ x, y: ys });
      groups.set(line.group, g);
      continue;
    }
    series.push(lineSeries(`line:${line.runId}`, line.name, line.color, pairs(x, ys), false));
    if (smoothing)
      series.push(lineSeries(`raw:${line.runId}`, line.name, line.color, pairs(x, y), true));
  }

  for (const [group, g] of groups) {
    const name = `${group} (${g.raw.length} run${g.raw.length === 1 ? "" : "s"})`;
    const band = groupBand(g.raw, settings.band);
    const mean = smoothing ? groupBand(g.smoothed, settings.band).mean : band.mean;
    series.push(lineSeries(`line:group:${group}`, name, g.color, pairs(band.x, mean), false));
    series.push(bandSeries(`band:${group}`, name, g.color, band, settings.log));
    if (smoothing)
      series.push(lineSeries(`raw:group:${group}`, name, g.color, pairs(band.x, band.mean), true));
  }

  const text = dark ? "#c9c9c9" : "#495057";
  const grid = dark ? "#373a40" : "#e9ecef";
  const axisLabel = { color: text, hideOverlap: true };
  const option = {
    backgroundColor: "transparent",
    animation: false,
    textStyle: { color: text },
    grid: { left: 56, right: 24, top: 40, bottom: 56 },
    legend: { type: "scroll", top: 0, left: 0, right: 80, textStyle: { color: text } },
    tooltip: {
      trigger: "axis",
      confine: true,
      axisPointer: { type: "line", animation: false },
      formatter: tooltip(settings.x),
    },
    toolbox: {
      right: 0,
      top: 0,
      feature: { dataZoom: { yAxisIndex: "none" }, restore: {} },
      iconStyle: { borderColor: text },
    },
    dataZoom: [
      { type: "inside", xAxisIndex: 0, filterMode: "none" },
      {
        type: "slider",
        xAxisIndex: 0,
        filterMode: "none",
        height: 16,
        bottom: 8,
        showDetail: false,
      },
    ],
    xAxis: {
      type: settings.x === "time" ? "time" : "value",
      scale: true,
      axisLabel: {
        ...axisLabel,
        formatter: settings.x === "relative" ? (v: number) => formatSeconds(v) : undefined,
      },
      splitLine: { show: false },
    },
    yAxis: {
      type: settings.log ? "log" : "value",
      scale: true,
      axisLabel: { ...axisLabel, formatter: (v: number) => formatValue(v) },
      splitLine: { lineStyle: { color: grid } },
    },
    series,
  };
  return { option, seriesCount: series.length, pointCount };
}
