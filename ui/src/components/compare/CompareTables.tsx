import { ActionIcon, Anchor, CloseButton, Group, Table, Text, Tooltip } from "@mantine/core";
import type { ReactNode } from "react";
import { Link } from "react-router";

import { formatNumber, type CompareRun, type MetricRow, type ParamRow } from "./compareData";

function RunHeaders({ runs, onRemove }: { runs: CompareRun[]; onRemove?: (runId: string) => void }) {
  return (
    <>
      {runs.map((run) => (
        <Table.Th key={run.runId} miw={120}>
          <Group gap={2} wrap="nowrap">
            <Anchor component={Link} to={`/runs/${encodeURIComponent(run.runId)}`} size="sm" fw={600}>
              {run.name}
            </Anchor>
            {onRemove && runs.length > 1 && (
              <CloseButton size="xs" aria-label={`Remove ${run.name} from the comparison`} onClick={() => onRemove(run.runId)} />
            )}
          </Group>
        </Table.Th>
      ))}
    </>
  );
}

/** A table with a column of keys and one column per run, and a line that says why it is empty. */
function CompareTable(props: {
  testId: string;
  keyHeader: string;
  runs: CompareRun[];
  onRemove?: (runId: string) => void;
  /** What to say under the table, or nothing when it has rows. */
  empty?: string;
  children: ReactNode;
}) {
  return (
    <Table.ScrollContainer minWidth={400}>
      <Table withTableBorder withColumnBorders data-testid={props.testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{props.keyHeader}</Table.Th>
            <RunHeaders runs={props.runs} onRemove={props.onRemove} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{props.children}</Table.Tbody>
      </Table>
      {props.empty && (
        <Text c="dimmed" size="sm" mt="xs">
          {props.empty}
        </Text>
      )}
    </Table.ScrollContainer>
  );
}

const DIFFERS = { backgroundColor: "var(--mantine-color-yellow-light)" };
const BEST = { backgroundColor: "var(--mantine-color-teal-light)", fontWeight: 700 };

export function ParamsTable(props: {
  runs: CompareRun[];
  rows: ParamRow[];
  onlyDiff: boolean;
  onRemove?: (runId: string) => void;
}) {
  const rows = props.onlyDiff ? props.rows.filter((r) => r.differs) : props.rows;
  const empty =
    props.onlyDiff && props.rows.length ? "Every param has the same value in these runs." : "No params.";
  return (
    <CompareTable
      testId="params-table"
      keyHeader="Param"
      runs={props.runs}
      onRemove={props.onRemove}
      empty={rows.length === 0 ? empty : undefined}
    >
      {rows.map((row) => (
        <Table.Tr key={row.key} data-differs={row.differs} style={row.differs ? DIFFERS : undefined}>
          <Table.Td ff="monospace">{row.key}</Table.Td>
          {row.values.map((value, i) => (
            <Table.Td key={props.runs[i]!.runId} style={{ wordBreak: "break-all" }}>
              {value ?? <Text c="dimmed" span>—</Text>}
            </Table.Td>
          ))}
        </Table.Tr>
      ))}
    </CompareTable>
  );
}

export function MetricsTable(props: {
  runs: CompareRun[];
  rows: MetricRow[];
  onlyDiff: boolean;
  onFlip: (key: string) => void;
}) {
  const rows = props.onlyDiff ? props.rows.filter((r) => r.differs) : props.rows;
  return (
    <CompareTable
      testId="metrics-table"
      keyHeader="Metric (latest)"
      runs={props.runs}
      empty={rows.length === 0 ? "No metrics." : undefined}
    >
      {rows.map((row) => (
        <Table.Tr key={row.key} data-differs={row.differs}>
          <Table.Td>
            <Group gap={4} wrap="nowrap">
              <Text ff="monospace" size="sm">
                {row.key}
              </Text>
              <Tooltip label={`${row.goal === "min" ? "Lower" : "Higher"} is better; click to flip`}>
                <ActionIcon
                  size="xs"
                  variant="subtle"
                  aria-label={`${row.key}: ${row.goal === "min" ? "lower" : "higher"} is better`}
                  onClick={() => props.onFlip(row.key)}
                >
                  {row.goal === "min" ? "↓" : "↑"}
                </ActionIcon>
              </Tooltip>
            </Group>
          </Table.Td>
          {row.values.map((value, i) => (
            <Table.Td
              key={props.runs[i]!.runId}
              data-best={row.best === i}
              style={row.best === i && props.runs.length > 1 ? BEST : undefined}
              ff="monospace"
            >
              {formatNumber(value)}
            </Table.Td>
          ))}
        </Table.Tr>
      ))}
    </CompareTable>
  );
}
