/**
 * Confirmations for destructive actions (Mantine modals, never the browser's dialogs). Deleting
 * a whole model asks for its name to be typed, as GitHub does for repositories.
 */
import { Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { modals } from "@mantine/modals";
import { useState, type ReactNode } from "react";

export function confirmAction(opts: {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  danger?: boolean;
}) {
  modals.openConfirmModal({
    title: opts.title,
    children: typeof opts.body === "string" ? <Text size="sm">{opts.body}</Text> : opts.body,
    labels: { confirm: opts.confirmLabel, cancel: "Cancel" },
    confirmProps: { color: opts.danger === false ? undefined : "red" },
    onConfirm: opts.onConfirm,
  });
}

function TypeToConfirm(props: { expected: string; what: ReactNode; onConfirm: () => void; close: () => void }) {
  const [typed, setTyped] = useState("");
  const matches = typed === props.expected;
  return (
    <Stack gap="sm">
      {props.what}
      <Text size="sm">
        Type <b>{props.expected}</b> to confirm.
      </Text>
      <TextInput
        aria-label="Name to confirm"
        value={typed}
        onChange={(e) => setTyped(e.currentTarget.value)}
        data-autofocus
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={props.close}>
          Cancel
        </Button>
        <Button
          color="red"
          disabled={!matches}
          onClick={() => {
            props.close();
            props.onConfirm();
          }}
        >
          Delete model
        </Button>
      </Group>
    </Stack>
  );
}

export function confirmByTypingName(opts: { title: string; name: string; what: ReactNode; onConfirm: () => void }) {
  const id = modals.open({
    title: opts.title,
    children: (
      <TypeToConfirm
        expected={opts.name}
        what={opts.what}
        onConfirm={opts.onConfirm}
        close={() => modals.close(id)}
      />
    ),
  });
}
