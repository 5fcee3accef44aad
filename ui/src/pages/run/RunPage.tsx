/**
 * A run: overview (details, description, params, latest metrics, tags, datasets, logged
 * models), its metric charts and its artifacts. The tab is in the URL (`tab=`).
 */
import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Center,
  Grid,
  Group,
  Loader,
  Stack,
  Tabs,
  Text,
} from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useMemo } from "react";
import { Link, useParams, useSearchParams } from "react-router";

import { runQuery, tagMap, type Run } from "./api";
import { useChartsModule, usePrefetchCharts } from "./chartsTab";
import { ExperimentName } from "./ExperimentName";
import { STATUS_COLORS } from "./format";
import { DatasetsCard, LoggedModelsCard } from "./InputsOutputs";
import { MetricsTable, ParamsTable } from "./ParamsMetrics";
import { NOTE_TAG, RunDescription } from "./RunDescription";
import { RunDetails } from "./RunDetails";
import { RunTitle } from "./RunTitle";
import { TagsEditor } from "./TagsEditor";

const ArtifactBrowser = lazy(() =>
  import("@/components/artifacts/ArtifactBrowser").then((m) => ({ default: m.ArtifactBrowser })),
);

const TABS = ["overview", "metrics", "artifacts"] as const;
type Tab = (typeof TABS)[number];

function TabLoader({ label }: { label: string }) {
  return (
    <Center h={120}>
      <Loader aria-label={label} />
    </Center>
  );
}

function Overview({ run }: { run: Run }) {
  const tags = tagMap(run);
  const runId = run.info.run_id;
  return (
    <Grid gutter="md">
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <Stack gap="md">
          <RunDetails run={run} />
          <RunDescription runId={runId} note={tags.get(NOTE_TAG)} />
          <ParamsTable params={run.data?.params ?? []} />
          <MetricsTable runId={runId} metrics={run.data?.metrics ?? []} />
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <Stack gap="md">
          <TagsEditor runId={runId} tags={run.data?.tags ?? []} />
          <DatasetsCard run={run} />
          <LoggedModelsCard run={run} />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

export default function RunPage() {
  const { runId = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const requested = params.get("tab") as Tab;
  const tab: Tab = TABS.includes(requested) ? requested : "overview";
  const { data: run, error, isPending } = useQuery(runQuery(runId));
  const name = run?.info.run_name || runId;
  const charts = useChartsModule(tab === "metrics");
  usePrefetchCharts(runId, tab === "metrics");
  const chartRuns = useMemo(() => [{ runId, runName: name }], [runId, name]);

  useEffect(() => {
    document.title = `${name} · cairn`;
    return () => {
      document.title = "cairn";
    };
  }, [name]);

  if (isPending) {
    return (
      <Center h={200}>
        <Loader aria-label="Loading run" />
      </Center>
    );
  }
  if (error) {
    return (
      <Alert color="red" title="This run could not be loaded" maw={640}>
        {error.message}
      </Alert>
    );
  }

  const setTab = (value: string | null) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (!value || value === "overview") next.delete("tab");
      else next.set("tab", value);
      return next;
    });
  const experimentId = run.info.experiment_id;

  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/experiments" size="sm">
          Experiments
        </Anchor>
        <Anchor component={Link} to={`/experiments/${encodeURIComponent(experimentId)}`} size="sm">
          <ExperimentName experimentId={experimentId} />
        </Anchor>
        <Text size="sm">{name}</Text>
      </Breadcrumbs>
      <Group gap="sm">
        <RunTitle runId={runId} name={name} />
        <Badge color={STATUS_COLORS[run.info.status ?? ""] ?? "gray"} variant="light">
          {run.info.status}
        </Badge>
        {run.info.lifecycle_stage === "deleted" && <Badge color="red">deleted</Badge>}
      </Group>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          <Tabs.Tab value="metrics">Metric charts</Tabs.Tab>
          <Tabs.Tab value="artifacts">Artifacts</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          <Overview run={run} />
        </Tabs.Panel>
        <Tabs.Panel value="metrics" pt="md">
          {charts ? <charts.default runs={chartRuns} /> : <TabLoader label="Loading charts" />}
        </Tabs.Panel>
        <Tabs.Panel value="artifacts" pt="md">
          <Suspense fallback={<TabLoader label="Loading artifacts" />}>
            <ArtifactBrowser runId={runId} />
          </Suspense>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
