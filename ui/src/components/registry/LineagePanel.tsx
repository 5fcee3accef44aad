import { Alert, Anchor, Code, Loader, Paper, SimpleGrid, Stack, Table, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { Link } from "react-router";

import { experimentHref, formatTime, runHref } from "./format";
import { useLineage } from "./hooks";
import type { Lineage } from "./lineage";
import type { ModelVersion } from "./types";

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div" style={{ wordBreak: "break-all" }}>
        {children ?? "—"}
      </Text>
    </div>
  );
}

function KeyValues({ title, rows }: { title: string; rows: { key: string; value: ReactNode }[] }) {
  return (
    <div>
      <Text fw={600} size="sm" mb={4}>
        {title}
      </Text>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          None.
        </Text>
      ) : (
        <Table withRowBorders={false} striped data-testid={`lineage-${title.toLowerCase()}`}>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.key}>
                <Table.Td ff="monospace">{row.key}</Table.Td>
                <Table.Td style={{ wordBreak: "break-all" }}>{row.value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </div>
  );
}

function RunPart({ lineage }: { lineage: Lineage }) {
  const run = lineage.run!;
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
        <Field label="Run">
          <Anchor component={Link} to={runHref(run.runId)}>
            {run.runName || run.runId}
          </Anchor>
        </Field>
        <Field label="Experiment">
          <Anchor component={Link} to={experimentHref(run.experimentId)}>
            {run.experimentName ?? run.experimentId}
          </Anchor>
        </Field>
        <Field label="Status">{run.status}</Field>
        <Field label="User">{run.userId || "—"}</Field>
        <Field label="Started">{formatTime(run.startTime)}</Field>
        <Field label="Ended">{formatTime(run.endTime)}</Field>
        <Field label="Source">{run.sourceName || "—"}</Field>
        <Field label="Git commit">{run.gitCommit ? <Code>{run.gitCommit}</Code> : "—"}</Field>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <KeyValues title="Params" rows={lineage.params} />
        <KeyValues title="Metrics" rows={lineage.metrics.map((m) => ({ key: m.key, value: String(m.value) }))} />
      </SimpleGrid>
      <div>
        <Text fw={600} size="sm" mb={4}>
          Datasets
        </Text>
        {lineage.datasets.length === 0 ? (
          <Text size="sm" c="dimmed">
            None.
          </Text>
        ) : (
          <Table data-testid="lineage-datasets">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Digest</Table.Th>
                <Table.Th>Context</Table.Th>
                <Table.Th>Source</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lineage.datasets.map((d) => (
                <Table.Tr key={`${d.name}/${d.digest}/${d.context ?? ""}`}>
                  <Table.Td>{d.name}</Table.Td>
                  <Table.Td ff="monospace">{d.digest}</Table.Td>
                  <Table.Td>{d.context ?? "—"}</Table.Td>
                  <Table.Td style={{ wordBreak: "break-all" }}>
                    {[d.sourceType, d.source].filter(Boolean).join(": ") || "—"}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </div>
    </Stack>
  );
}

/** Where the version came from: run, experiment, code, params, metrics, datasets. */
export function LineagePanel({ version }: { version: ModelVersion | undefined }) {
  const lineage = useLineage(version);
  return (
    <Paper withBorder p="sm" data-testid="lineage">
      <Text fw={600} size="sm" mb="xs">
        Lineage
      </Text>
      {lineage.isPending && <Loader size="sm" />}
      {lineage.isError && (
        <Alert color="red" title="The lineage could not be loaded">
          {lineage.error.message}
        </Alert>
      )}
      {lineage.data && (
        <Stack gap="sm">
          {lineage.data.modelId && <Field label="Logged model">{lineage.data.modelId}</Field>}
          {lineage.data.run ? (
            <RunPart lineage={lineage.data} />
          ) : (
            <Text size="sm" c="dimmed">
              This version was registered without a run, or its run no longer exists.
            </Text>
          )}
        </Stack>
      )}
    </Paper>
  );
}
