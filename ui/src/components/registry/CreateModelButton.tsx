import { Button, Group, Modal, Stack, Textarea, TextInput } from "@mantine/core";
import { useState } from "react";
import { useNavigate } from "react-router";

import { registryApi } from "./api";
import { modelHref } from "./format";
import { useRegistryMutation } from "./hooks";

/** "Create model": a name and an optional markdown description; opens the new model after. */
export function CreateModelButton() {
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const create = useRegistryMutation(
    (args: { name: string; description: string }) => registryApi.createModel(args.name, args.description),
    (args) => `Created model ${args.name}.`,
    (args) => navigate(modelHref(args.name)),
  );
  const close = () => {
    setOpen(false);
    setName("");
    setDescription("");
  };
  return (
    <>
      <Button onClick={() => setOpen(true)}>Create model</Button>
      <Modal opened={open} onClose={close} title="Create a registered model">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name: name.trim(), description }, { onSuccess: close });
          }}
        >
          <Stack gap="sm">
            <TextInput
              label="Name"
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              data-autofocus
            />
            <Textarea
              label="Description (markdown)"
              autosize
              minRows={3}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" disabled={!name.trim()} loading={create.isPending}>
                Create
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
