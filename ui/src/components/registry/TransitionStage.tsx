import { Button, Checkbox, Group, Modal, Select, Stack, Text } from "@mantine/core";
import { useState } from "react";

import { STAGES } from "./types";

/**
 * "Change stage" for one version: the target stage and, for Staging/Production, whether the
 * versions already there move to Archived (MLflow's archive_existing_versions).
 */
export function TransitionStageButton(props: {
  version: string;
  current?: string;
  onTransition: (stage: string, archiveExisting: boolean) => Promise<unknown>;
  size?: "xs" | "compact-xs";
}) {
  const [open, setOpen] = useState(false);
  const [stage, setStage] = useState<string | null>(null);
  const [archive, setArchive] = useState(false);
  const canArchive = stage === "Staging" || stage === "Production";
  const close = () => {
    setOpen(false);
    setStage(null);
    setArchive(false);
  };
  return (
    <>
      <Button size={props.size ?? "compact-xs"} variant="default" onClick={() => setOpen(true)}>
        {`Change stage of v${props.version}`}
      </Button>
      <Modal opened={open} onClose={close} title={`Change the stage of version ${props.version}`}>
        <Stack gap="sm">
          <Text size="sm">Now in stage {props.current || "None"}.</Text>
          <Select
            label="New stage"
            data={STAGES.filter((s) => s !== (props.current || "None"))}
            value={stage}
            onChange={setStage}
            comboboxProps={{ withinPortal: true }}
          />
          <Checkbox
            label={`Archive the versions now in ${canArchive ? stage : "that stage"}`}
            disabled={!canArchive}
            checked={canArchive && archive}
            onChange={(e) => setArchive(e.currentTarget.checked)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              disabled={!stage}
              onClick={() => {
                if (!stage) return;
                void props.onTransition(stage, canArchive && archive).then(close, () => undefined);
              }}
            >
              Change stage
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
