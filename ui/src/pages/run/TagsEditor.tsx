/** Editable run tags; system tags (`mlflow.*`) are listed read-only. */
import {
  ActionIcon,
  Button,
  Group,
  Paper,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import { useState } from "react";

import { deleteRunTag, setRunTag, type KeyValue } from "./api";
import { useRunMutation } from "./useRunMutation";

const SYSTEM_PREFIX = "mlflow.";

function TagRow({ runId, tag }: { runId: string; tag: KeyValue }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(tag.value);
  const save = useRunMutation(
    (v: string) => setRunTag(runId, tag.key, v),
    "The tag could not be saved",
  );
  const remove = useRunMutation(() => deleteRunTag(runId, tag.key), "The tag could not be deleted");
  return (
    <Table.Tr data-testid="run-tag" data-tag-key={tag.key}>
      <Table.Td style={{ wordBreak: "break-all" }}>{tag.key}</Table.Td>
      <Table.Td style={{ wordBreak: "break-all" }}>
        {editing ? (
          <TextInput
            size="xs"
            aria-label={`Value of tag ${tag.key}`}
            value={value}
            autoFocus
            onChange={(e) => setValue(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") save.mutate(value, { onSuccess: () => setEditing(false) });
              if (e.key === "Escape") setEditing(false);
            }}
          />
        ) : (
          <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
            {tag.value}
          </Text>
        )}
      </Table.Td>
      <Table.Td w={150}>
        <Group gap={4} wrap="nowrap">
          {editing ? (
            <>
              <Button
                size="compact-xs"
                loading={save.isPending}
                onClick={() => save.mutate(value, { onSuccess: () => setEditing(false) })}
              >
                Save
              </Button>
              <Button size="compact-xs" variant="default" onClick={() => setEditing(false)}>
                Cancel
              </Button>
            </>
          ) : (
            <>
              <Tooltip label="Edit">
                <ActionIcon
                  size="sm"
                  variant="subtle"
                  aria-label={`Edit tag ${tag.key}`}
                  onClick={() => {
                    setValue(tag.value);
                    setEditing(true);
                  }}
                >
                  ✎
                </ActionIcon>
              </Tooltip>
              <Tooltip label="Delete">
                <ActionIcon
                  size="sm"
                  variant="subtle"
                  color="red"
                  aria-label={`Delete tag ${tag.key}`}
                  loading={remove.isPending}
                  onClick={() => remove.mutate(undefined)}
                >
                  ✕
                </ActionIcon>
              </Tooltip>
            </>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

function AddTag({ runId, existing }: { runId: string; existing: Set<string> }) {
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const add = useRunMutation(
    () => setRunTag(runId, key.trim(), value),
    "The tag could not be added",
  );
  const trimmed = key.trim();
  const error = trimmed.startsWith(SYSTEM_PREFIX)
    ? "Tags starting with mlflow. are system tags."
    : existing.has(trimmed)
      ? "This tag exists; edit it above."
      : undefined;
  const submit = () => {
    if (!trimmed || error) return;
    add.mutate(undefined, {
      onSuccess: () => {
        setKey("");
        setValue("");
      },
    });
  };
  return (
    <Group gap="xs" align="flex-start" mt="sm">
      <TextInput
        size="xs"
        placeholder="Key"
        aria-label="New tag key"
        value={key}
        error={error}
        onChange={(e) => setKey(e.currentTarget.value)}
      />
      <TextInput
        size="xs"
        placeholder="Value"
        aria-label="New tag value"
        value={value}
        onChange={(e) => setValue(e.currentTarget.value)}
        onKeyDown={(e) => e.key === "Enter" && submit()}
      />
      <Button size="xs" onClick={submit} disabled={!trimmed || !!error} loading={add.isPending}>
        Add tag
      </Button>
    </Group>
  );
}

export function TagsEditor({ runId, tags }: { runId: string; tags: KeyValue[] }) {
  const sorted = [...tags].sort((a, b) => a.key.localeCompare(b.key));
  const user = sorted.filter((t) => !t.key.startsWith(SYSTEM_PREFIX));
  const system = sorted.filter(
    (t) => t.key.startsWith(SYSTEM_PREFIX) && t.key !== "mlflow.note.content",
  );
  const [showSystem, setShowSystem] = useState(false);
  return (
    <Paper withBorder p="md" radius="md" data-testid="run-tags">
      <Title order={4} mb="xs">
        Tags
      </Title>
      {user.length === 0 ? (
        <Text c="dimmed" size="sm">
          No tags.
        </Text>
      ) : (
        <Table>
          <Table.Tbody>
            {user.map((t) => (
              <TagRow key={t.key} runId={runId} tag={t} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      <AddTag runId={runId} existing={new Set(tags.map((t) => t.key))} />
      {system.length > 0 && (
        <>
          <Button
            variant="subtle"
            size="compact-xs"
            mt="sm"
            onClick={() => setShowSystem((s) => !s)}
          >
            {showSystem ? "Hide" : "Show"} {system.length} system tags
          </Button>
          {showSystem && (
            <Table data-testid="system-tags">
              <Table.Tbody>
                {system.map((t) => (
                  <Table.Tr key={t.key}>
                    <Table.Td style={{ wordBreak: "break-all" }}>
                      <Text size="xs" c="dimmed">
                        {t.key}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ wordBreak: "break-all" }}>
                      <Text size="xs">{t.value}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
    </Paper>
  );
}
