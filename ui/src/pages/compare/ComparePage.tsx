/**
 * `#/compare?runs=a,b,...`: runs side by side: params (differing rows highlighted, or only
 * those), latest metrics (best per metric highlighted), a parallel-coordinates plot colored by
 * a metric, and a scatter of any param or metric against another. Every setting is in the URL.
 */
import { Alert, Anchor, Group, Loader, Stack, Switch, Text, Title } from "@mantine/core";
import { useMemo } from "react";
import { Link, useSearchParams } from "react-router";

import { dimensions, metricRows, paramRows } from "@/components/compare/compareData";
import { ParallelPanel, ScatterPanel } from "@/components/compare/ComparePlots";
import { MetricsTable, ParamsTable } from "@/components/compare/CompareTables";
import { useCompareRuns } from "@/components/compare/useCompareRuns";
import { parseCompareState, writeCompareState, type CompareState } from "@/components/compare/urlState";

export default function ComparePage() {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => parseCompareState(params), [params]);
  const update = (change: Partial<CompareState>) =>
    setParams(writeCompareState({ ...state, ...change }), { replace: true });
  const query = useCompareRuns(state.runIds);
  const runs = useMemo(() => query.data?.runs ?? [], [query.data]);
  const flipped = useMemo(() => new Set(state.flip), [state.flip]);
  const params_ = useMemo(() => paramRows(runs), [runs]);
  const metrics = useMemo(() => metricRows(runs, flipped), [runs, flipped]);
  const dims = useMemo(() => dimensions(runs), [runs]);
  const defaultColor = dims.find((d) => d.kind === "metric")?.id;

  if (state.runIds.length === 0) {
    return (
      <Stack maw={640}>
        <Title order={2}>Compare runs</Title>
        <Text>
          No runs selected. Select runs in an experiment's runs table and press Compare, or open a
          link like <code>#/compare?runs=id1,id2</code>.
        </Text>
        <Anchor component={Link} to="/experiments">
          Go to experiments
        </Anchor>
      </Stack>
    );
  }
  if (query.isPending) return <Loader />;
  if (query.isError) {
    return (
      <Alert color="red" title="The runs could not be loaded">
        {query.error.message}
      </Alert>
    );
  }
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{`Comparing ${runs.length} run${runs.length === 1 ? "" : "s"}`}</Title>
        <Switch
          label="Only differences"
          checked={state.onlyDiff}
          onChange={(e) => update({ onlyDiff: e.currentTarget.checked })}
        />
      </Group>
      {query.data.missing.length > 0 && (
        <Alert color="yellow" title="Some runs were not found">
          {query.data.missing.join(", ")}
        </Alert>
      )}
      <Title order={4}>Params</Title>
      <ParamsTable
        runs={runs}
        rows={params_}
        onlyDiff={state.onlyDiff}
        onRemove={(id) => update({ runIds: state.runIds.filter((r) => r !== id) })}
      />
      <Title order={4}>Metrics</Title>
      <MetricsTable
        runs={runs}
        rows={metrics}
        onlyDiff={state.onlyDiff}
        onFlip={(key) =>
          update({ flip: flipped.has(key) ? state.flip.filter((k) => k !== key) : [...state.flip, key] })
        }
      />
      {dims.length >= 2 && runs.length > 0 && (
        <>
          <ParallelPanel
            runs={runs}
            dims={dims}
            axes={state.axes}
            color={state.color ?? defaultColor}
            onAxes={(axes) => update({ axes })}
            onColor={(color) => update({ color: color ?? "none" })}
          />
          <ScatterPanel runs={runs} dims={dims} x={state.x} y={state.y} onChange={(xy) => update(xy)} />
        </>
      )}
    </Stack>
  );
}
