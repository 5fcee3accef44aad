/**
 * The run's description (tag `mlflow.note.content`) as markdown. react-markdown builds React
 * elements (no innerHTML) and `skipHtml` drops raw HTML, so a `<script>` in a note is inert.
 */
import { Button, Group, Paper, Text, Textarea, Title, Typography } from "@mantine/core";
import { lazy, Suspense, useState } from "react";

import { deleteRunTag, setRunTag } from "./api";
import { useRunMutation } from "./useRunMutation";

export const NOTE_TAG = "mlflow.note.content";

// The markdown renderer loads on its own, off the path to the run's data and charts.
const Markdown = lazy(() => import("react-markdown"));

export function RunDescription({ runId, note }: { runId: string; note: string | undefined }) {
  const [draft, setDraft] = useState<string | null>(null);
  const save = useRunMutation(
    (text: string) =>
      text.trim() === ""
        ? note !== undefined
          ? deleteRunTag(runId, NOTE_TAG)
          : Promise.resolve()
        : setRunTag(runId, NOTE_TAG, text),
    "The description could not be saved",
  );
  return (
    <Paper withBorder p="md" radius="md" data-testid="run-description">
      <Group justify="space-between" mb="xs">
        <Title order={4}>Description</Title>
        {draft === null && (
          <Button size="compact-sm" variant="default" onClick={() => setDraft(note ?? "")}>
            Edit description
          </Button>
        )}
      </Group>
      {draft !== null ? (
        <>
          <Textarea
            aria-label="Description (markdown)"
            autosize
            minRows={4}
            maxRows={20}
            value={draft}
            onChange={(e) => setDraft(e.currentTarget.value)}
          />
          <Group gap="xs" mt="xs">
            <Button
              size="xs"
              loading={save.isPending}
              onClick={() => save.mutate(draft, { onSuccess: () => setDraft(null) })}
            >
              Save
            </Button>
            <Button size="xs" variant="default" onClick={() => setDraft(null)}>
              Cancel
            </Button>
          </Group>
        </>
      ) : note ? (
        <Typography data-testid="run-description-text">
          <Suspense fallback={<Text style={{ whiteSpace: "pre-wrap" }}>{note}</Text>}>
            <Markdown skipHtml>{note}</Markdown>
          </Suspense>
        </Typography>
      ) : (
        <Text c="dimmed" size="sm">
          No description.
        </Text>
      )}
    </Paper>
  );
}
