/**
 * Chart settings live in the URL (`chart_*` search parameters) so that a view is a link.
 * Defaults are left out of the URL, and unknown or malformed values fall back to defaults.
 */
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";

import type { BandMode } from "./groups";
import type { SmoothMode } from "./smoothing";

export type XAxisMode = "step" | "time" | "relative";

export interface ChartSettings {
  x: XAxisMode;
  log: boolean;
  smooth: SmoothMode;
  /** EMA weight in [0, 0.99]. */
  weight: number;
  /** Running-average window in points. */
  window: number;
  band: BandMode;
  /** Only the metric keys containing this text (case-insensitive). */
  filter: string;
}

export const DEFAULT_CHART_SETTINGS: ChartSettings = {
  x: "step",
  log: false,
  smooth: "none",
  weight: 0.6,
  window: 10,
  band: "minmax",
  filter: "",
};

export const CHART_PARAMS = {
  x: "chart_x",
  log: "chart_log",
  smooth: "chart_smooth",
  weight: "chart_ema",
  window: "chart_window",
  band: "chart_band",
  filter: "chart_filter",
} as const satisfies Record<keyof ChartSettings, string>;

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

function number(value: string | null, lo: number, hi: number, fallback: number): number {
  if (value === null || value.trim() === "") return fallback;
  const n = Number(value);
  return Number.isFinite(n) && n >= lo && n <= hi ? n : fallback;
}

export function parseChartSettings(params: URLSearchParams): ChartSettings {
  const d = DEFAULT_CHART_SETTINGS;
  return {
    x: oneOf(params.get(CHART_PARAMS.x), ["step", "time", "relative"], d.x),
    log: params.get(CHART_PARAMS.log) === "1",
    smooth: oneOf(params.get(CHART_PARAMS.smooth), ["none", "ema", "avg"], d.smooth),
    weight: number(params.get(CHART_PARAMS.weight), 0, 0.99, d.weight),
    window: Math.round(number(params.get(CHART_PARAMS.window), 1, 1000, d.window)),
    band: oneOf(params.get(CHART_PARAMS.band), ["minmax", "std"], d.band),
    filter: params.get(CHART_PARAMS.filter) ?? d.filter,
  };
}

/** A copy of `params` with `patch` applied; settings equal to their default are removed. */
export function writeChartSettings(
  params: URLSearchParams,
  patch: Partial<ChartSettings>,
): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [field, value] of Object.entries(patch) as [keyof ChartSettings, unknown][]) {
    const name = CHART_PARAMS[field];
    if (value === undefined || value === DEFAULT_CHART_SETTINGS[field]) {
      next.delete(name);
    } else if (typeof value === "boolean") {
      next.set(name, value ? "1" : "0");
    } else {
      next.set(name, String(value));
    }
  }
  return next;
}

/** The settings of the current URL and a setter that rewrites only the `chart_*` keys. */
export function useChartSettings(): [ChartSettings, (patch: Partial<ChartSettings>) => void] {
  const [params, setParams] = useSearchParams();
  // Keyed on the chart keys only: other URL changes (selection, filters) keep the same object.
  const signature = Object.values(CHART_PARAMS)
    .map((name) => params.get(name) ?? "")
    .join("|");
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const settings = useMemo(() => parseChartSettings(params), [signature]);
  const update = useCallback(
    (patch: Partial<ChartSettings>) =>
      setParams((current) => writeChartSettings(current, patch), { replace: true }),
    [setParams],
  );
  return [settings, update];
}
