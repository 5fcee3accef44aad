import { ActionIcon, Button, Group, Paper, Table, Text, TextInput } from "@mantine/core";
import { useState } from "react";

import { confirmAction } from "./confirm";
import type { KeyValue } from "./types";

/** Tags as a key/value table: set (add or overwrite) and delete (after a confirmation). */
export function TagsEditor(props: {
  tags?: KeyValue[];
  onSet: (key: string, value: string) => Promise<unknown>;
  onDelete: (key: string) => void;
}) {
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const tags = [...(props.tags ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  const save = () =>
    props.onSet(key.trim(), value).then(
      () => {
        setKey("");
        setValue("");
      },
      () => undefined,
    );
  return (
    <Paper withBorder p="sm">
      <Text fw={600} size="sm" mb="xs">
        Tags
      </Text>
      {tags.length === 0 ? (
        <Text c="dimmed" size="sm" mb="xs">
          No tags.
        </Text>
      ) : (
        <Table striped withRowBorders={false} mb="xs" data-testid="tags-table">
          <Table.Tbody>
            {tags.map((tag) => (
              <Table.Tr key={tag.key}>
                <Table.Td ff="monospace">{tag.key}</Table.Td>
                <Table.Td style={{ wordBreak: "break-all" }}>{tag.value}</Table.Td>
                <Table.Td w={40}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`Delete tag ${tag.key}`}
                    onClick={() =>
                      confirmAction({
                        title: "Delete tag",
                        body: `Delete the tag "${tag.key}"?`,
                        confirmLabel: "Delete tag",
                        onConfirm: () => props.onDelete(tag.key),
                      })
                    }
                  >
                    ×
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group gap="xs" align="flex-end">
        <TextInput size="xs" label="Tag key" value={key} onChange={(e) => setKey(e.currentTarget.value)} />
        <TextInput size="xs" label="Tag value" value={value} onChange={(e) => setValue(e.currentTarget.value)} />
        <Button size="xs" disabled={!key.trim()} onClick={save}>
          Set tag
        </Button>
      </Group>
    </Paper>
  );
}
