/** The overview card: status, times, user, source, git commit, parent and children. */
import { Anchor, Badge, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router";

import { childRunsQuery, runQuery, tagMap, type Run } from "./api";
import { ExperimentName } from "./ExperimentName";
import { formatDuration, formatTime, runDuration, STATUS_COLORS } from "./format";

function RunLink({ runId }: { runId: string }) {
  const { data } = useQuery(runQuery(runId));
  return (
    <Anchor component={Link} to={`/runs/${encodeURIComponent(runId)}`} size="sm">
      {data?.info.run_name || runId}
    </Anchor>
  );
}

function Children({ run }: { run: Run }) {
  const { data, isPending, error } = useQuery(
    childRunsQuery(run.info.experiment_id, run.info.run_id),
  );
  if (isPending)
    return (
      <Text size="sm" c="dimmed">
        Loading…
      </Text>
    );
  if (error)
    return (
      <Text size="sm" c="red">
        {error.message}
      </Text>
    );
  if (data.length === 0)
    return (
      <Text size="sm" c="dimmed">
        None
      </Text>
    );
  return (
    <Stack gap={2} data-testid="child-runs">
      {data.map((child) => (
        <Group key={child.info.run_id} gap={6} wrap="nowrap">
          <Anchor component={Link} to={`/runs/${encodeURIComponent(child.info.run_id)}`} size="sm">
            {child.info.run_name || child.info.run_id}
          </Anchor>
          <Badge size="xs" variant="light" color={STATUS_COLORS[child.info.status ?? ""] ?? "gray"}>
            {child.info.status}
          </Badge>
        </Group>
      ))}
      {data.length >= 200 && (
        <Text size="xs" c="dimmed">
          First 200 shown.
        </Text>
      )}
    </Stack>
  );
}

export function RunDetails({ run }: { run: Run }) {
  const tags = tagMap(run);
  const info = run.info;
  const commit = tags.get("mlflow.source.git.commit");
  const parent = tags.get("mlflow.parentRunId");
  const source = tags.get("mlflow.source.name");
  const sourceType = tags.get("mlflow.source.type");
  const rows: [string, ReactNode][] = [
    [
      "Status",
      <Badge key="s" color={STATUS_COLORS[info.status ?? ""] ?? "gray"} variant="light">
        {info.status ?? "UNKNOWN"}
      </Badge>,
    ],
    [
      "Run ID",
      <Text key="id" size="sm" ff="monospace">
        {info.run_id}
      </Text>,
    ],
    [
      "Experiment",
      <Anchor
        key="e"
        component={Link}
        to={`/experiments/${encodeURIComponent(info.experiment_id)}`}
        size="sm"
      >
        <ExperimentName experimentId={info.experiment_id} />
      </Anchor>,
    ],
    ["Started", formatTime(info.start_time)],
    [
      "Ended",
      info.end_time ? formatTime(info.end_time) : info.status === "RUNNING" ? "running" : "—",
    ],
    ["Duration", formatDuration(runDuration(info.start_time, info.end_time))],
    ["User", tags.get("mlflow.user") || info.user_id || "—"],
    ["Source", source ? `${source}${sourceType ? ` (${sourceType})` : ""}` : "—"],
    [
      "Git commit",
      commit ? (
        <Text key="c" size="sm" ff="monospace" title={commit}>
          {commit.slice(0, 12)}
          {tags.get("mlflow.source.git.branch")
            ? ` on ${tags.get("mlflow.source.git.branch")}`
            : ""}
        </Text>
      ) : (
        "—"
      ),
    ],
    ["Parent run", parent ? <RunLink key="p" runId={parent} /> : "—"],
    ["Child runs", <Children key="ch" run={run} />],
    [
      "Artifact URI",
      <Text key="a" size="sm" ff="monospace" style={{ wordBreak: "break-all" }}>
        {info.artifact_uri ?? "—"}
      </Text>,
    ],
  ];
  if (info.lifecycle_stage === "deleted")
    rows.push([
      "Lifecycle",
      <Badge key="d" color="red">
        deleted
      </Badge>,
    ]);
  return (
    <Paper withBorder p="md" radius="md" data-testid="run-details">
      <Title order={4} mb="xs">
        Overview
      </Title>
      <Table>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={140} style={{ verticalAlign: "top" }}>
                {label}
              </Table.Th>
              <Table.Td>
                {typeof value === "string" ? <Text size="sm">{value}</Text> : value}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
