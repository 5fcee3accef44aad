/** The experiments list: select, open, and a menu of actions per experiment. */
import {
  ActionIcon,
  Anchor,
  Badge,
  Checkbox,
  Group,
  Menu,
  Table,
  Text,
  Tooltip,
} from "@mantine/core";
import { Link } from "react-router";

import type { Experiment } from "@/components/runs/types";
import { formatRelative, formatTimestamp } from "@/lib/format";

const SHOWN_TAGS = 4;

interface ExperimentsTableProps {
  experiments: Experiment[];
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onToggleAll: () => void;
  onRename: (e: Experiment) => void;
  onTags: (e: Experiment) => void;
  onDelete: (e: Experiment) => void;
  onRestore: (e: Experiment) => void;
}

function userTags(e: Experiment) {
  return (e.tags ?? []).filter((t) => !t.key.startsWith("mlflow."));
}

export function ExperimentsTable(props: ExperimentsTableProps) {
  const { experiments, selected } = props;
  const all = experiments.length > 0 && experiments.every((e) => selected.has(e.experiment_id));
  const some = experiments.some((e) => selected.has(e.experiment_id));
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table highlightOnHover verticalSpacing={6} data-testid="experiments-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={36}>
              <Checkbox
                size="xs"
                aria-label="Select all experiments"
                checked={all}
                indeterminate={some && !all}
                onChange={props.onToggleAll}
              />
            </Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th w={80}>ID</Table.Th>
            <Table.Th w={170}>Created</Table.Th>
            <Table.Th w={140}>Last updated</Table.Th>
            <Table.Th>Tags</Table.Th>
            <Table.Th w={48} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {experiments.map((e) => {
            const deleted = e.lifecycle_stage === "deleted";
            const tags = userTags(e);
            return (
              <Table.Tr key={e.experiment_id} data-experiment-id={e.experiment_id}>
                <Table.Td>
                  <Checkbox
                    size="xs"
                    aria-label={`Select experiment ${e.name}`}
                    checked={selected.has(e.experiment_id)}
                    onChange={() => props.onToggle(e.experiment_id)}
                  />
                </Table.Td>
                <Table.Td style={{ wordBreak: "break-word" }}>
                  <Group gap="xs" wrap="nowrap">
                    <Anchor
                      component={Link}
                      to={`/experiments/${e.experiment_id}`}
                      c={deleted ? "dimmed" : undefined}
                    >
                      {e.name}
                    </Anchor>
                    {deleted && (
                      <Badge size="xs" color="gray" variant="outline">
                        deleted
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {e.experiment_id}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{formatTimestamp(e.creation_time)}</Text>
                </Table.Td>
                <Table.Td>
                  <Tooltip
                    label={formatTimestamp(e.last_update_time)}
                    disabled={!e.last_update_time}
                  >
                    <Text size="sm">{formatRelative(e.last_update_time)}</Text>
                  </Tooltip>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {tags.slice(0, SHOWN_TAGS).map((t) => (
                      <Badge key={t.key} variant="light" color="gray" tt="none" maw={220}>
                        {t.key}: {t.value}
                      </Badge>
                    ))}
                    {tags.length > SHOWN_TAGS && (
                      <Text size="xs" c="dimmed">
                        +{tags.length - SHOWN_TAGS}
                      </Text>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        aria-label={`Actions for ${e.name}`}
                      >
                        ⋯
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item disabled={deleted} onClick={() => props.onRename(e)}>
                        Rename
                      </Menu.Item>
                      <Menu.Item onClick={() => props.onTags(e)}>Tags</Menu.Item>
                      {deleted ? (
                        <Menu.Item onClick={() => props.onRestore(e)}>Restore</Menu.Item>
                      ) : (
                        <Menu.Item color="red" onClick={() => props.onDelete(e)}>
                          Delete
                        </Menu.Item>
                      )}
                    </Menu.Dropdown>
                  </Menu>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
