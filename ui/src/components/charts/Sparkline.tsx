/**
 * A tiny line of a metric's history (server-sampled, ~40 buckets) drawn as an SVG path that
 * this code builds from numbers only; hovering shows nothing, it is a glance.
 */
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";

import { SPARKLINE_BUCKETS, sampledQuery } from "./api";
import type { Series } from "./decode";
import { yColumn } from "./lines";

export function sparkPath(series: Series, width: number, height: number): string {
  const y = yColumn(series.values, false);
  const x = series.steps;
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (let i = 0; i < y.length; i++) {
    if (Number.isNaN(y[i])) continue;
    x0 = Math.min(x0, x[i]);
    x1 = Math.max(x1, x[i]);
    y0 = Math.min(y0, y[i]);
    y1 = Math.max(y1, y[i]);
  }
  if (x0 === Infinity) return "";
  const sx = x1 > x0 ? (width - 2) / (x1 - x0) : 0;
  const sy = y1 > y0 ? (height - 2) / (y1 - y0) : 0;
  let d = "";
  let pen = "M";
  for (let i = 0; i < y.length; i++) {
    if (Number.isNaN(y[i])) {
      pen = "M";
      continue;
    }
    const px = 1 + (x1 > x0 ? (x[i] - x0) * sx : (width - 2) / 2);
    const py = height - 1 - (y1 > y0 ? (y[i] - y0) * sy : (height - 2) / 2);
    d += `${pen}${px.toFixed(1)},${py.toFixed(1)}`;
    pen = "L";
  }
  return d;
}

export function Sparkline({
  runId,
  metricKey,
  width = 120,
  height = 28,
}: {
  runId: string;
  metricKey: string;
  width?: number;
  height?: number;
}) {
  const { data } = useQuery(sampledQuery(runId, metricKey, SPARKLINE_BUCKETS));
  const path = useMemo(() => (data ? sparkPath(data, width, height) : ""), [data, width, height]);
  if (!data) return <svg width={width} height={height} aria-hidden="true" />;
  return (
    <svg
      width={width}
      height={height}
      role="img"
      aria-label={`History of ${metricKey}`}
      data-testid="sparkline"
      data-points={data.count}
    >
      <path d={path} fill="none" stroke="var(--mantine-color-blue-6)" strokeWidth={1.3} />
      {data.count === 1 && (
        <circle cx={width / 2} cy={height / 2} r={2} fill="var(--mantine-color-blue-6)" />
      )}
    </svg>
  );
}
