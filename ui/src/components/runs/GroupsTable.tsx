/**
 * Runs grouped by a param or tag: one row per value with its run count and the mean (min, max,
 * std in the tooltip) of each metric column; a group expands to its runs (the same table,
 * filtered on the value).
 */
import { Alert, Center, Loader, Table, Text, Tooltip, UnstyledButton } from "@mantine/core";
import { Fragment, useState } from "react";

import { ApiError } from "@/api/client";
import { formatNumber } from "@/lib/format";

import { headerLabel } from "./columns";
import { RunsTable, type RunsTableProps } from "./RunsTable";
import { HEADER_HEIGHT, ROW_HEIGHT } from "./RunsTableParts";
import type { MetricAggregate, RunGroup } from "./runsApi";
import { useRunGroups } from "./useRunsData";
import { andFilters, filterIdentifier, quoteValue } from "./urlState";

const MAX_GROUPS_SHOWN = 500;

export function groupFilter(groupBy: string, value: string | null): string {
  const ident = filterIdentifier(groupBy);
  return value === null ? `${ident} IS NULL` : `${ident} = ${quoteValue(value)}`;
}

interface GroupsTableProps extends Omit<RunsTableProps, "height" | "nested"> {
  groupBy: string;
}

function Aggregate({ agg }: { agg: MetricAggregate | undefined }) {
  if (!agg || agg.mean === null || agg.mean === undefined) return null;
  const detail = `min ${formatNumber(agg.min)} · max ${formatNumber(agg.max)} · std ${formatNumber(agg.std)}`;
  return (
    <Tooltip label={detail} withinPortal>
      <Text size="sm" ta="right" style={{ fontVariantNumeric: "tabular-nums" }}>
        {formatNumber(agg.mean)}
        <Text span size="xs" c="dimmed">
          {" "}
          ({formatNumber(agg.min)}–{formatNumber(agg.max)})
        </Text>
      </Text>
    </Tooltip>
  );
}

export function GroupsTable(props: GroupsTableProps) {
  const { search, groupBy, dataColumns } = props;
  const metrics = dataColumns.filter((c) => c.startsWith("metrics.")).map((c) => c.slice(8));
  const query = useRunGroups({
    experimentIds: search.experimentIds,
    filter: search.filter,
    view: search.view,
    groupBy,
    metrics,
  });
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(key)) next.add(key);
      return next;
    });

  const groups: RunGroup[] = query.data?.groups ?? [];
  const [, groupLabel] = headerLabel(groupBy);
  const span = 2 + metrics.length;

  return (
    <div>
      {query.error && (
        <Alert color="red" mb="xs" title="The groups could not be loaded" data-testid="runs-error">
          {query.error instanceof ApiError ? query.error.message : String(query.error)}
        </Alert>
      )}
      {query.isLoading && (
        <Center h={120}>
          <Loader size="sm" />
        </Center>
      )}
      <Table.ScrollContainer minWidth={400}>
        <Table striped highlightOnHover withTableBorder data-testid="groups-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{groupLabel}</Table.Th>
              <Table.Th ta="right">Runs</Table.Th>
              {metrics.map((m) => (
                <Table.Th key={m} ta="right">
                  {m}{" "}
                  <Text span size="xs" c="dimmed">
                    mean (min–max)
                  </Text>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {groups.slice(0, MAX_GROUPS_SHOWN).map((group) => {
              const key = group.value === null ? "\u0000null" : `=${group.value}`;
              const isOpen = open.has(key);
              return (
                <Fragment key={key}>
                  <Table.Tr data-group={group.value ?? ""}>
                    <Table.Td>
                      <UnstyledButton
                        onClick={() => toggle(key)}
                        aria-expanded={isOpen}
                        aria-label={`${isOpen ? "Collapse" : "Expand"} group ${group.value ?? "(not set)"}`}
                      >
                        <Text size="sm" span>
                          {isOpen ? "▾ " : "▸ "}
                        </Text>
                        <Text
                          size="sm"
                          span
                          fw={600}
                          c={group.value === null ? "dimmed" : undefined}
                        >
                          {group.value ?? "(not set)"}
                        </Text>
                      </UnstyledButton>
                    </Table.Td>
                    <Table.Td ta="right">{group.count.toLocaleString()}</Table.Td>
                    {metrics.map((m) => (
                      <Table.Td key={m}>
                        <Aggregate agg={group.metrics?.[m]} />
                      </Table.Td>
                    ))}
                  </Table.Tr>
                  {isOpen && (
                    <Table.Tr>
                      <Table.Td colSpan={span} p={4}>
                        <RunsTable
                          {...props}
                          search={{
                            ...search,
                            filter: andFilters(search.filter, groupFilter(groupBy, group.value)),
                          }}
                          nested={false}
                          height={Math.min(group.count, 10) * ROW_HEIGHT + HEADER_HEIGHT + 4}
                        />
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {groups.length > MAX_GROUPS_SHOWN && (
        <Text size="xs" c="dimmed" mt={4}>
          Showing the first {MAX_GROUPS_SHOWN} of {groups.length.toLocaleString()} groups.
        </Text>
      )}
      {query.data && groups.length === 0 && (
        <Text c="dimmed" ta="center" p="xl">
          No runs match.
        </Text>
      )}
    </div>
  );
}
