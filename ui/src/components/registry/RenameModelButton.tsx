import { Button, Group, Modal, Stack, TextInput } from "@mantine/core";
import { useState } from "react";
import { useNavigate } from "react-router";

import { registryApi } from "./api";
import { modelHref } from "./format";
import { useRegistryMutation } from "./hooks";

/** Rename a model (its versions and history follow); the page moves to the new name. */
export function RenameModelButton({ name }: { name: string }) {
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [newName, setNewName] = useState(name);
  const rename = useRegistryMutation(
    (a: { name: string; newName: string }) => registryApi.renameModel(a.name, a.newName),
    (a) => `Renamed ${a.name} to ${a.newName}.`,
    (a) => {
      setOpen(false);
      navigate(modelHref(a.newName), { replace: true });
    },
  );
  return (
    <>
      <Button
        variant="default"
        onClick={() => {
          setNewName(name);
          setOpen(true);
        }}
      >
        Rename
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`Rename ${name}`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            rename.mutate({ name, newName: newName.trim() });
          }}
        >
          <Stack gap="sm">
            <TextInput
              label="New name"
              value={newName}
              onChange={(e) => setNewName(e.currentTarget.value)}
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={!newName.trim() || newName.trim() === name} loading={rename.isPending}>
                Rename
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
