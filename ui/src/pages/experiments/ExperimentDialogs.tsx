/** The experiment forms: a name (create, rename) and the tags editor. */
import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
} from "@mantine/core";
import { useState, type FormEvent } from "react";

import type { Experiment } from "@/components/runs/types";

import type { ExperimentMutations } from "./experimentsApi";

function message(error: unknown): string | null {
  return error ? (error as Error).message : null;
}

interface NameDialogProps {
  opened: boolean;
  title: string;
  initial: string;
  submitLabel: string;
  onSubmit: (name: string) => Promise<unknown>;
  onClose: () => void;
}

/** A one-field form; the server's error (a duplicate name, say) is shown in it as text. */
export function NameDialog({
  opened,
  title,
  initial,
  submitLabel,
  onSubmit,
  onClose,
}: NameDialogProps) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(name.trim());
      onClose();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <form onSubmit={submit}>
        <Stack>
          <TextInput
            label="Name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-autofocus
            required
            maxLength={500}
          />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!name.trim()}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

interface TagsDialogProps {
  experiment: Experiment | null;
  mutations: ExperimentMutations;
  onClose: () => void;
}

/** View, add, change and remove an experiment's tags. */
export function TagsDialog({ experiment, mutations, onClose }: TagsDialogProps) {
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const tags = experiment?.tags ?? [];
  const error = message(mutations.setTag.error ?? mutations.deleteTag.error);
  const id = experiment?.experiment_id ?? "";
  const readOnly = experiment?.lifecycle_stage === "deleted";

  const add = (event: FormEvent) => {
    event.preventDefault();
    mutations.setTag.mutate(
      { id, key: key.trim(), value },
      {
        onSuccess: () => {
          setKey("");
          setValue("");
        },
      },
    );
  };

  return (
    <Modal
      opened={experiment !== null}
      onClose={onClose}
      title={`Tags of ${experiment?.name ?? ""}`}
      size="lg"
    >
      <Stack>
        {tags.length === 0 ? (
          <Text c="dimmed" size="sm">
            No tags yet.
          </Text>
        ) : (
          <Table withTableBorder>
            <Table.Tbody>
              {tags.map((tag) => (
                <Table.Tr key={tag.key}>
                  <Table.Td ff="monospace" style={{ wordBreak: "break-all" }}>
                    {tag.key}
                  </Table.Td>
                  <Table.Td style={{ wordBreak: "break-word", whiteSpace: "pre-wrap" }}>
                    {tag.value}
                  </Table.Td>
                  <Table.Td w={80}>
                    {!readOnly && (
                      <Group gap={4} wrap="nowrap">
                        <ActionIcon
                          variant="subtle"
                          aria-label={`Edit tag ${tag.key}`}
                          onClick={() => {
                            setKey(tag.key);
                            setValue(tag.value);
                          }}
                        >
                          ✎
                        </ActionIcon>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Remove tag ${tag.key}`}
                          onClick={() => mutations.deleteTag.mutate({ id, key: tag.key })}
                        >
                          ✕
                        </ActionIcon>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {!readOnly && (
          <form onSubmit={add}>
            <Group align="flex-end" wrap="nowrap">
              <TextInput
                label="Key"
                value={key}
                onChange={(e) => setKey(e.currentTarget.value)}
                required
                style={{ flex: 1 }}
              />
              <TextInput
                label="Value"
                value={value}
                onChange={(e) => setValue(e.currentTarget.value)}
                style={{ flex: 2 }}
              />
              <Button type="submit" loading={mutations.setTag.isPending} disabled={!key.trim()}>
                Set tag
              </Button>
            </Group>
          </form>
        )}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
      </Stack>
    </Modal>
  );
}
