/**
 * ECharts options of the compare plots, as pure functions of the runs and the chosen axes.
 * Tooltips render as rich text inside the canvas (`renderMode: "richText"`), never as HTML, so a
 * run name with markup is drawn as the characters it is.
 */
import type { EChartsOption } from "@/components/charts/EChart";

import { formatNumber, type CompareRun, type Dimension } from "./compareData";

/** Plasma without its palest end: every line stays visible on a light or dark background. */
const PALETTE = ["#0d0887", "#6a00a8", "#b12a90", "#e16462", "#fca636"];

/** ECharts reads "-" as "no value": the line has no point on that axis. */
const cell = (value: number | string | null) => (value === null ? "-" : value);

function range(values: (number | string | null)[]): [number, number] {
  const numbers = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  if (numbers.length === 0) return [0, 1];
  const min = Math.min(...numbers);
  const max = Math.max(...numbers);
  return min === max ? [min - 0.5, max + 0.5] : [min, max];
}


export function parallelOption(runs: CompareRun[], axes: Dimension[], color?: Dimension): EChartsOption {
  const colorIndex = color ? axes.findIndex((d) => d.id === color.id) : -1;
  const [min, max] = colorIndex >= 0 ? range(color!.values) : [0, 1];
  return {
    animation: false,
    tooltip: { trigger: "item", renderMode: "richText" },
    parallel: { left: 60, right: colorIndex >= 0 ? 160 : 60, top: 50, bottom: 30 },
    parallelAxis: axes.map((d, i) => ({
      dim: i,
      name: d.label,
      type: d.type,
      scale: d.type === "value",
      data: d.type === "category" ? d.categories : undefined,
      nameTextStyle: { fontSize: 11 },
      nameTruncate: { maxWidth: 110 },
    })),
    visualMap:
      colorIndex >= 0
        ? {
            type: "continuous",
            dimension: colorIndex,
            min,
            max,
            calculable: true,
            right: 20,
            top: "middle",
            text: [color!.label, ""],
            formatter: (value: number) => formatNumber(value),
            inRange: { color: PALETTE },
          }
        : undefined,
    series: [
      {
        type: "parallel",
        lineStyle: { width: 2, opacity: 0.85, color: colorIndex >= 0 ? undefined : "#12b886" },
        emphasis: { lineStyle: { width: 4, opacity: 1 } },
        data: runs.map((run, i) => ({ name: run.name, value: axes.map((d) => cell(d.values[i]!)) })),
      },
    ],
  };
}

function cartesianAxis(d: Dimension) {
  return {
    type: d.type,
    name: d.label,
    nameLocation: "middle" as const,
    nameGap: 30,
    scale: d.type === "value",
    data: d.type === "category" ? d.categories : undefined,
  };
}

export function scatterOption(runs: CompareRun[], x: Dimension, y: Dimension): EChartsOption {
  const points = runs
    .map((run, i) => ({ name: run.name, value: [x.values[i], y.values[i]] }))
    .filter((p) => p.value[0] !== null && p.value[1] !== null);
  return {
    animation: false,
    grid: { left: 70, right: 70, top: 30, bottom: 50 },
    tooltip: {
      trigger: "item",
      renderMode: "richText",
      formatter: (p: { name: string; value: (number | string)[] }) =>
        `${p.name}\n${x.key}: ${p.value[0]}\n${y.key}: ${p.value[1]}`,
    },
    xAxis: cartesianAxis(x),
    yAxis: { ...cartesianAxis(y), nameGap: 50 },
    series: [
      {
        type: "scatter",
        symbolSize: 12,
        itemStyle: { color: "#12b886" },
        label: { show: points.length <= 20, position: "right", formatter: "{b}", fontSize: 11 },
        data: points,
      },
    ],
  };
}
