import { Group, MultiSelect, Paper, Select, Text, useComputedColorScheme } from "@mantine/core";
import { ParallelChart, ScatterChart } from "echarts/charts";
import { ParallelComponent, VisualMapComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { useMemo } from "react";

import { EChart, type EChartsOption } from "@/components/charts/EChart";

import { chooseAxes, type CompareRun, type Dimension } from "./compareData";
import { parallelOption, scatterOption } from "./plotOptions";

// The parts of ECharts that only the compare plots use (the shared wrapper registers the rest).
echarts.use([ParallelChart, ScatterChart, ParallelComponent, VisualMapComponent]);

/** One compare plot: a canvas chart that follows the color scheme, its option replaced whole. */
function Plot({ option, height, testId }: { option: EChartsOption; height: number; testId: string }) {
  const dark = useComputedColorScheme("light") === "dark";
  const themed = useMemo(() => ({ backgroundColor: "transparent", ...option }), [option]);
  return (
    <EChart
      option={themed}
      hasData
      notMerge
      theme={dark ? "dark" : undefined}
      style={{ height }}
      attributes={{ "data-testid": testId }}
    />
  );
}

function options(dims: Dimension[], kind?: Dimension["kind"]) {
  const groups = (["param", "metric"] as const)
    .filter((k) => !kind || k === kind)
    .map((k) => ({
      group: k === "param" ? "Params" : "Metrics",
      items: dims.filter((d) => d.kind === k).map((d) => ({ value: d.id, label: d.label })),
    }));
  return groups.filter((g) => g.items.length > 0);
}

export function ParallelPanel(props: {
  runs: CompareRun[];
  dims: Dimension[];
  axes: string[];
  color?: string;
  onAxes: (axes: string[]) => void;
  onColor: (color: string | undefined) => void;
}) {
  const chosen = useMemo(
    () => chooseAxes(props.dims, props.axes, props.color),
    [props.dims, props.axes, props.color],
  );
  const colorDim = props.dims.find((d) => d.id === props.color && d.kind === "metric");
  const option = useMemo(() => parallelOption(props.runs, chosen, colorDim), [props.runs, chosen, colorDim]);
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" align="flex-end" mb="xs">
        <Text fw={600}>Parallel coordinates</Text>
        <Group gap="xs" align="flex-end">
          <MultiSelect
            size="xs"
            label="Axes"
            data={options(props.dims)}
            value={chosen.map((d) => d.id)}
            onChange={props.onAxes}
            searchable
            w={380}
            maxDropdownHeight={300}
          />
          <Select
            size="xs"
            label="Color by"
            placeholder="No color"
            data={options(props.dims, "metric")}
            value={colorDim?.id ?? null}
            onChange={(v) => props.onColor(v ?? undefined)}
            clearable
            w={200}
          />
        </Group>
      </Group>
      {chosen.length < 2 ? (
        <Text c="dimmed" size="sm">
          Pick at least two axes.
        </Text>
      ) : (
        <Plot option={option} height={380} testId="parallel-plot" />
      )}
    </Paper>
  );
}

export function ScatterPanel(props: {
  runs: CompareRun[];
  dims: Dimension[];
  x?: string;
  y?: string;
  onChange: (axes: { x?: string; y?: string }) => void;
}) {
  // Defaults: the first differing param against the first metric.
  const fallbackX = props.dims.find((d) => d.kind === "param" && new Set(d.values.map(String)).size > 1) ?? props.dims[0];
  const fallbackY = props.dims.find((d) => d.kind === "metric" && d !== fallbackX) ?? props.dims.find((d) => d !== fallbackX);
  const x = props.dims.find((d) => d.id === props.x) ?? fallbackX;
  const y = props.dims.find((d) => d.id === props.y) ?? fallbackY;
  const option = useMemo(() => (x && y ? scatterOption(props.runs, x, y) : null), [props.runs, x, y]);
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" align="flex-end" mb="xs">
        <Text fw={600}>Scatter</Text>
        <Group gap="xs">
          <Select
            size="xs"
            label="X axis"
            data={options(props.dims)}
            value={x?.id ?? null}
            onChange={(v) => props.onChange({ x: v ?? undefined, y: y?.id })}
            allowDeselect={false}
            searchable
            w={200}
          />
          <Select
            size="xs"
            label="Y axis"
            data={options(props.dims)}
            value={y?.id ?? null}
            onChange={(v) => props.onChange({ x: x?.id, y: v ?? undefined })}
            allowDeselect={false}
            searchable
            w={200}
          />
        </Group>
      </Group>
      {option ? (
        <Plot option={option} height={360} testId="scatter-plot" />
      ) : (
        <Text c="dimmed" size="sm">
          These runs have fewer than two params and metrics to plot.
        </Text>
      )}
    </Paper>
  );
}
