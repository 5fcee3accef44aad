/** The params table and the latest-metrics table (with a sparkline of each history). */
import { Anchor, Paper, ScrollArea, Table, Text, TextInput, Title } from "@mantine/core";
import { useMemo, useState, type ReactNode } from "react";
import { Link } from "react-router";

import { LazyMount } from "@/components/charts/LazyMount";
import { Sparkline } from "@/components/charts/Sparkline";

import type { KeyValue, MetricPoint } from "./api";
import { formatMetric } from "./format";

function useFiltered<T extends { key: string }>(items: T[], filter: string): T[] {
  return useMemo(() => {
    const f = filter.trim().toLowerCase();
    const sorted = [...items].sort((a, b) => a.key.localeCompare(b.key));
    return f ? sorted.filter((i) => i.key.toLowerCase().includes(f)) : sorted;
  }, [items, filter]);
}

/** A titled, filterable table of keyed rows: the frame the params and the metrics share. */
function FilteredTable<T extends { key: string }>(props: {
  testId: string;
  title: string;
  items: T[];
  placeholder: string;
  filterLabel: string;
  empty: string;
  /** The table's sections (`Thead`, `Tbody`) for the rows shown. */
  children: (shown: T[]) => ReactNode;
}) {
  const { items } = props;
  const [filter, setFilter] = useState("");
  const shown = useFiltered(items, filter);
  return (
    <Paper withBorder p="md" radius="md" data-testid={props.testId}>
      <Title order={4} mb="xs">
        {props.title} ({items.length})
      </Title>
      {items.length > 10 && (
        <TextInput
          size="xs"
          mb="xs"
          placeholder={props.placeholder}
          aria-label={props.filterLabel}
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
        />
      )}
      {items.length === 0 ? (
        <Text c="dimmed" size="sm">
          {props.empty}
        </Text>
      ) : (
        <ScrollArea.Autosize mah={480} type="auto">
          <Table striped>{props.children(shown)}</Table>
        </ScrollArea.Autosize>
      )}
    </Paper>
  );
}

export function ParamsTable({ params }: { params: KeyValue[] }) {
  return (
    <FilteredTable
      testId="run-params"
      title="Parameters"
      items={params}
      placeholder="Filter parameters"
      filterLabel="Filter parameters"
      empty="No parameters."
    >
      {(shown) => (
        <Table.Tbody>
          {shown.map((p) => (
            <Table.Tr key={p.key}>
              <Table.Td w="40%" style={{ wordBreak: "break-all" }}>
                {p.key}
              </Table.Td>
              <Table.Td style={{ wordBreak: "break-all", whiteSpace: "pre-wrap" }}>
                {p.value}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      )}
    </FilteredTable>
  );
}

export function MetricsTable({ runId, metrics }: { runId: string; metrics: MetricPoint[] }) {
  return (
    <FilteredTable
      testId="run-metrics"
      title="Metrics"
      items={metrics}
      placeholder="Filter metrics"
      filterLabel="Filter latest metrics"
      empty="No metrics."
    >
      {(shown) => (
        <>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Metric</Table.Th>
              <Table.Th>Latest</Table.Th>
              <Table.Th>Step</Table.Th>
              <Table.Th>History</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((m) => (
              <Table.Tr key={m.key}>
                <Table.Td style={{ wordBreak: "break-all" }}>
                  <Anchor component={Link} to={`?tab=metrics`} size="sm">
                    {m.key}
                  </Anchor>
                </Table.Td>
                <Table.Td ff="monospace">{formatMetric(m.value)}</Table.Td>
                <Table.Td>{m.step ?? 0}</Table.Td>
                <Table.Td w={130}>
                  <LazyMount height={28}>
                    <Sparkline runId={runId} metricKey={m.key} />
                  </LazyMount>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </>
      )}
    </FilteredTable>
  );
}
