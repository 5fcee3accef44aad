/**
 * Experiments: search by name, create, rename, delete and restore, tags; select several and
 * open their runs together (`#/experiments/1,2`). Search text, the deleted toggle and the
 * order live in the URL.
 */
import {
  Alert,
  Button,
  Center,
  Group,
  Loader,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import { useMemo, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";

import type { Experiment } from "@/components/runs/types";

import { NameDialog, TagsDialog } from "./ExperimentDialogs";
import { useExperimentMutations, useExperimentsList, type ExperimentOrder } from "./experimentsApi";
import { ExperimentsTable } from "./ExperimentsTable";

type Dialog = { kind: "create" } | { kind: "rename"; experiment: Experiment } | null;

export default function ExperimentsPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const showDeleted = params.get("deleted") === "1";
  const order = (params.get("order") as ExperimentOrder | null) ?? "newest";
  // The box keeps its own state (typing never waits for the router); the URL follows it.
  const [text, setText] = useState(params.get("q") ?? "");
  const [search] = useDebouncedValue(text, 250);
  const setParam = (name: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  const query = useExperimentsList({ search, view: showDeleted ? "ALL" : "ACTIVE_ONLY", order });
  const experiments = useMemo(
    () => query.data?.pages.flatMap((p) => p.experiments ?? []) ?? [],
    [query.data],
  );
  const mutations = useExperimentMutations();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<Dialog>(null);
  const [tagsFor, setTagsFor] = useState<string | null>(null);
  const tagsExperiment = experiments.find((e) => e.experiment_id === tagsFor) ?? null;

  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const toggleAll = () =>
    setSelected((prev) =>
      experiments.every((e) => prev.has(e.experiment_id))
        ? new Set()
        : new Set(experiments.map((e) => e.experiment_id)),
    );
  const chosen = experiments
    .filter((e) => selected.has(e.experiment_id))
    .map((e) => e.experiment_id);

  const confirmDelete = (e: Experiment) =>
    modals.openConfirmModal({
      title: "Delete experiment?",
      children: (
        <Text size="sm">
          “{e.name}” and all of its runs will be marked deleted. It can be restored from the deleted
          list.
        </Text>
      ),
      labels: { confirm: "Delete", cancel: "Cancel" },
      confirmProps: { color: "red" },
      onConfirm: () =>
        mutations.remove.mutate([e.experiment_id], {
          onSuccess: () => notifications.show({ color: "teal", message: `Deleted “${e.name}”.` }),
          onError: (err) =>
            notifications.show({ color: "red", title: "Not deleted", message: err.message }),
        }),
    });
  const restore = (e: Experiment) =>
    mutations.restore.mutate([e.experiment_id], {
      onSuccess: () => notifications.show({ color: "teal", message: `Restored “${e.name}”.` }),
      onError: (err) =>
        notifications.show({ color: "red", title: "Not restored", message: err.message }),
    });

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3}>Experiments</Title>
        <Button onClick={() => setDialog({ kind: "create" })}>Create experiment</Button>
      </Group>
      <Group gap="sm" align="center">
        <TextInput
          placeholder="Search by name"
          aria-label="Search experiments"
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            setParam("q", e.currentTarget.value || null);
          }}
          style={{ flex: 1, maxWidth: 420 }}
        />
        <Select
          aria-label="Order"
          value={order}
          onChange={(v) => setParam("order", v === "newest" ? null : v)}
          data={[
            { value: "newest", label: "Newest first" },
            { value: "name", label: "Name A–Z" },
            { value: "updated", label: "Recently updated" },
          ]}
          allowDeselect={false}
          w={180}
        />
        <Switch
          label="Show deleted"
          checked={showDeleted}
          onChange={(e) => setParam("deleted", e.currentTarget.checked ? "1" : null)}
        />
        <Button
          variant="light"
          disabled={chosen.length === 0}
          onClick={() => navigate(`/experiments/${chosen.join(",")}`)}
        >
          Open selected ({chosen.length})
        </Button>
      </Group>
      {query.error && (
        <Alert color="red" title="The experiments could not be loaded">
          {query.error.message}
        </Alert>
      )}
      {query.isLoading ? (
        <Center h={200}>
          <Loader />
        </Center>
      ) : (
        <ExperimentsTable
          experiments={experiments}
          selected={selected}
          onToggle={toggle}
          onToggleAll={toggleAll}
          onRename={(experiment) => setDialog({ kind: "rename", experiment })}
          onTags={(e) => setTagsFor(e.experiment_id)}
          onDelete={confirmDelete}
          onRestore={restore}
        />
      )}
      {!query.isLoading && experiments.length === 0 && (
        <Text c="dimmed" ta="center" p="lg">
          {search ? "No experiment matches." : "No experiments yet."}
        </Text>
      )}
      {query.hasNextPage && (
        <Button
          variant="default"
          onClick={() => query.fetchNextPage()}
          loading={query.isFetchingNextPage}
          w="fit-content"
        >
          Load more
        </Button>
      )}
      {dialog && (
        <NameDialog
          opened
          title={dialog.kind === "create" ? "Create experiment" : "Rename experiment"}
          initial={dialog.kind === "rename" ? dialog.experiment.name : ""}
          submitLabel={dialog.kind === "create" ? "Create" : "Rename"}
          onClose={() => setDialog(null)}
          onSubmit={(name) =>
            dialog.kind === "create"
              ? mutations.create.mutateAsync(name)
              : mutations.rename.mutateAsync({ id: dialog.experiment.experiment_id, name })
          }
        />
      )}
      <TagsDialog
        experiment={tagsExperiment}
        mutations={mutations}
        onClose={() => setTagsFor(null)}
      />
    </Stack>
  );
}
