/** The run's name as the page title, renamed in place (`runs/update`). */
import { ActionIcon, Button, Group, TextInput, Title, Tooltip } from "@mantine/core";
import { useState } from "react";

import { renameRun } from "./api";
import { useRunMutation } from "./useRunMutation";

export function RunTitle({ runId, name }: { runId: string; name: string }) {
  const [draft, setDraft] = useState<string | null>(null);
  const rename = useRunMutation(
    (next: string) => renameRun(runId, next),
    "The run could not be renamed",
  );
  const save = () => {
    const next = (draft ?? "").trim();
    if (!next || next === name) return setDraft(null);
    rename.mutate(next, { onSuccess: () => setDraft(null) });
  };
  if (draft !== null) {
    return (
      <Group gap="xs">
        <TextInput
          aria-label="Run name"
          value={draft}
          autoFocus
          w={360}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") save();
            if (e.key === "Escape") setDraft(null);
          }}
        />
        <Button size="xs" onClick={save} loading={rename.isPending}>
          Save
        </Button>
        <Button size="xs" variant="default" onClick={() => setDraft(null)}>
          Cancel
        </Button>
      </Group>
    );
  }
  return (
    <Group gap={4} wrap="nowrap">
      <Title order={2} data-testid="run-name" style={{ wordBreak: "break-all" }}>
        {name}
      </Title>
      <Tooltip label="Rename">
        <ActionIcon variant="subtle" aria-label="Rename run" onClick={() => setDraft(name)}>
          ✎
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
