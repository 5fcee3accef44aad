import { Anchor, Button, Group, Table, Text, Tooltip } from "@mantine/core";
import { Link } from "react-router";

import { registryApi } from "./api";
import { confirmAction } from "./confirm";
import { formatTime, runHref, versionHref } from "./format";
import { useRegistryMutation } from "./hooks";
import { AliasBadge, StageBadge } from "./StageBadge";
import { TransitionStageButton } from "./TransitionStage";
import type { ModelVersion } from "./types";

/** Delete a version after a confirmation naming what goes with it (its aliases). */
export function useDeleteVersion(onDone?: () => void) {
  const remove = useRegistryMutation(
    (v: ModelVersion) => registryApi.deleteVersion(v.name, v.version),
    (v) => `Deleted version ${v.version} of ${v.name}.`,
    onDone,
  );
  return (v: ModelVersion) =>
    confirmAction({
      title: `Delete version ${v.version}`,
      body:
        `Delete version ${v.version} of “${v.name}”?` +
        ((v.aliases ?? []).length ? ` Its aliases (${v.aliases!.join(", ")}) are removed too.` : "") +
        " This cannot be undone.",
      confirmLabel: "Delete version",
      onConfirm: () => remove.mutate(v),
    });
}

export function useTransition() {
  return useRegistryMutation(
    (a: { v: ModelVersion; stage: string; archive: boolean }) =>
      registryApi.transitionStage(a.v.name, a.v.version, a.stage, a.archive),
    (a) => `Version ${a.v.version} is now in ${a.stage}.`,
  );
}

/** The versions of a model, newest first, with their stage, aliases, origin and actions. */
export function VersionsTable(props: {
  versions: ModelVersion[];
  hasMore: boolean;
  loadMore: () => void;
}) {
  const transition = useTransition();
  const confirmDelete = useDeleteVersion();
  return (
    <>
      <Table highlightOnHover data-testid="versions-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Version</Table.Th>
            <Table.Th>Stage</Table.Th>
            <Table.Th>Aliases</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Source</Table.Th>
            <Table.Th>Run</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.versions.map((v) => (
            <Table.Tr key={v.version} data-testid={`version-row-${v.version}`}>
              <Table.Td>
                <Anchor component={Link} to={versionHref(v.name, v.version)}>
                  {`Version ${v.version}`}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <StageBadge stage={v.current_stage} />
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {(v.aliases ?? []).map((a) => (
                    <AliasBadge key={a} alias={a} />
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatTime(v.creation_timestamp)}</Text>
              </Table.Td>
              <Table.Td maw={280}>
                <Tooltip label={v.source ?? ""} disabled={!v.source} openDelay={400}>
                  <Text size="sm" truncate="end">
                    {v.source || "—"}
                  </Text>
                </Tooltip>
              </Table.Td>
              <Table.Td>
                {v.run_id ? (
                  <Anchor component={Link} to={runHref(v.run_id)} size="sm" ff="monospace">
                    {v.run_id.slice(0, 8)}
                  </Anchor>
                ) : (
                  "—"
                )}
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap" justify="flex-end">
                  <TransitionStageButton
                    version={v.version}
                    current={v.current_stage}
                    onTransition={(stage, archive) => transition.mutateAsync({ v, stage, archive })}
                  />
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    aria-label={`Delete version ${v.version}`}
                    onClick={() => confirmDelete(v)}
                  >
                    Delete
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {props.versions.length === 0 && (
        <Text c="dimmed" size="sm">
          No versions yet: register one with `cairn.register_model` or `log_model(..., registered_model_name=...)`.
        </Text>
      )}
      {props.hasMore && (
        <Button variant="default" size="xs" w="fit-content" onClick={props.loadMore}>
          Load more versions
        </Button>
      )}
    </>
  );
}
