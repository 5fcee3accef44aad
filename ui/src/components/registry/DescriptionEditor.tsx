import { Button, Group, Paper, Stack, Text, Textarea } from "@mantine/core";
import { useState } from "react";

import { Markdown } from "./Markdown";

/** A markdown description, shown rendered (without raw HTML) and edited as source. */
export function DescriptionEditor(props: {
  description?: string;
  onSave: (text: string) => Promise<unknown>;
  saving?: boolean;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" mb="xs">
        <Text fw={600} size="sm">
          Description
        </Text>
        {draft === null && (
          <Button size="compact-xs" variant="default" onClick={() => setDraft(props.description ?? "")}>
            Edit description
          </Button>
        )}
      </Group>
      {draft === null ? (
        <Markdown text={props.description} />
      ) : (
        <Stack gap="xs">
          <Textarea
            aria-label="Description (markdown)"
            autosize
            minRows={4}
            value={draft}
            onChange={(e) => setDraft(e.currentTarget.value)}
          />
          <Group gap="xs">
            <Button
              size="xs"
              loading={props.saving}
              onClick={() => props.onSave(draft).then(() => setDraft(null), () => undefined)}
            >
              Save description
            </Button>
            <Button size="xs" variant="default" onClick={() => setDraft(null)}>
              Cancel
            </Button>
          </Group>
        </Stack>
      )}
    </Paper>
  );
}
