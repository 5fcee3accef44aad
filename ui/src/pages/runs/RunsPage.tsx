/**
 * The runs of one experiment or several (`#/experiments/1,2`): a table and charts. Every part
 * of the view lives in the URL (see components/runs/urlState.ts), so a view is a link.
 */
import { Anchor, Breadcrumbs, Stack, Tabs, Text, Title } from "@mantine/core";
import { useQueries, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { Link, useParams } from "react-router";

import { api, unwrap } from "@/api/client";
import { queryKeys } from "@/api/queryKeys";
import { defaultColumns } from "@/components/runs/ColumnChooser";
import { GroupsTable } from "@/components/runs/GroupsTable";
import { RunsTable, serverSearchFor } from "@/components/runs/RunsTable";
import { RunsToolbar } from "@/components/runs/RunsToolbar";
import { runsPagesOptions, useExperimentKeys } from "@/components/runs/useRunsData";
import { useRunsUrlState } from "@/components/runs/useRunsUrlState";
import { orderByFor } from "@/components/runs/urlState";

import { RunsCharts } from "./RunsCharts";

const TABLE_HEIGHT = "max(320px, calc(100vh - 250px))";

function useExperimentNames(ids: string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: queryKeys.experiments.detail(id),
      queryFn: async ({ signal }: { signal: AbortSignal }) =>
        unwrap(
          await api.GET("/api/2.0/mlflow/experiments/get", {
            params: { query: { experiment_id: id } },
            signal,
          }),
        ).experiment,
    })),
  });
}

export default function RunsPage() {
  const { experimentIds: idsParam = "" } = useParams();
  const experimentIds = useMemo(() => idsParam.split(",").filter(Boolean), [idsParam]);
  const experiments = useExperimentNames(experimentIds);
  const [state, update] = useRunsUrlState();
  const { keys } = useExperimentKeys(experimentIds);
  const columns = useMemo(() => state.columns ?? defaultColumns(keys), [state.columns, keys]);
  const search = useMemo(
    () => ({
      experimentIds,
      filter: state.filter,
      orderBy: orderByFor(state.sort),
      view: state.view,
    }),
    [experimentIds, state.filter, state.sort, state.view],
  );
  // The first page of runs is asked for now, before the page's first render (the toolbar,
  // the tabs) has run, instead of when the table mounts at the end of it.
  const queryClient = useQueryClient();
  useState(() => {
    if (state.tab === "table" && !state.groupBy)
      void queryClient.prefetchInfiniteQuery(
        runsPagesOptions(serverSearchFor(search, state.nested)),
      );
  });
  const onSort = useCallback(
    (key: string) => {
      const current = state.sort ?? { column: "attributes.start_time", desc: true };
      const desc =
        current.column === key
          ? !current.desc
          : key.startsWith("metrics.") || key.endsWith("_time");
      update({ sort: { column: key, desc } });
    },
    [state.sort, update],
  );
  const onSelectedChange = useCallback((selected: string[]) => update({ selected }), [update]);
  const tableProps = {
    search,
    dataColumns: columns,
    pinned: state.pinned,
    sort: state.sort,
    onSort,
    selected: state.selected,
    onSelectedChange,
  };
  const metricKeys = columns.filter((c) => c.startsWith("metrics.")).map((c) => c.slice(8));

  return (
    <Stack gap="sm">
      <Breadcrumbs>
        <Anchor component={Link} to="/experiments">
          Experiments
        </Anchor>
        {experiments.map((q, i) => (
          <Text key={experimentIds[i]} fw={600}>
            {q.data?.name ?? experimentIds[i]}
          </Text>
        ))}
      </Breadcrumbs>
      <Title order={3} style={{ wordBreak: "break-all" }}>
        {experiments.map((q, i) => q.data?.name ?? experimentIds[i]).join(" + ")}
      </Title>
      <Tabs
        value={state.tab}
        onChange={(tab) => update({ tab: tab === "charts" ? "charts" : "table" })}
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab value="table">Table</Tabs.Tab>
          <Tabs.Tab value="charts">Charts</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="table" pt="sm">
          <Stack gap="xs">
            <RunsToolbar
              experimentIds={experimentIds}
              state={state}
              update={update}
              keys={keys}
              columns={columns}
            />
            {state.groupBy ? (
              <GroupsTable {...tableProps} groupBy={state.groupBy} />
            ) : (
              <RunsTable {...tableProps} nested={state.nested} height={TABLE_HEIGHT} />
            )}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="charts" pt="sm">
          <RunsCharts
            search={search}
            selected={state.selected}
            groupBy={state.groupBy}
            metricKeys={metricKeys}
          />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
