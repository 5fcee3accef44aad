/** What can be done with the selected runs: compare, delete, restore (with confirmation). */
import { Button, Group, Text } from "@mantine/core";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";

import { queryKeys } from "@/api/queryKeys";

import { deleteRuns, restoreRuns } from "./runsApi";
import type { ViewType } from "./types";

interface RunActionsProps {
  selected: string[];
  view: ViewType;
  onClear: () => void;
}

export function RunActions({ selected, view, onClear }: RunActionsProps) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const n = selected.length;
  const plural = n === 1 ? "run" : "runs";

  const mutation = useMutation({
    mutationFn: ({ action, ids }: { action: "delete" | "restore"; ids: string[] }) =>
      action === "delete" ? deleteRuns(ids) : restoreRuns(ids),
    onSuccess: (_, { action, ids }) => {
      notifications.show({
        color: "teal",
        message: `${action === "delete" ? "Deleted" : "Restored"} ${ids.length} ${ids.length === 1 ? "run" : "runs"}.`,
      });
      onClear();
    },
    onError: (error) =>
      notifications.show({
        color: "red",
        title: "Not done",
        message: String((error as Error).message),
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.runs.all }),
  });

  const confirm = (action: "delete" | "restore") =>
    modals.openConfirmModal({
      title: action === "delete" ? `Delete ${n} ${plural}?` : `Restore ${n} ${plural}?`,
      children: (
        <Text size="sm">
          {action === "delete"
            ? `The ${plural} will be marked deleted; they can be restored until garbage collection removes them.`
            : `The ${plural} will be active again.`}
        </Text>
      ),
      labels: { confirm: action === "delete" ? "Delete" : "Restore", cancel: "Cancel" },
      confirmProps: { color: action === "delete" ? "red" : undefined },
      onConfirm: () => mutation.mutate({ action, ids: selected }),
    });

  if (n === 0) return null;
  return (
    <Group gap="xs" data-testid="run-actions">
      <Text size="sm" fw={600}>
        {n} selected
      </Text>
      <Button
        size="xs"
        disabled={n < 2}
        onClick={() => navigate(`/compare?runs=${selected.map(encodeURIComponent).join(",")}`)}
      >
        Compare
      </Button>
      {view !== "DELETED_ONLY" && (
        <Button
          size="xs"
          color="red"
          variant="light"
          onClick={() => confirm("delete")}
          loading={mutation.isPending}
        >
          Delete
        </Button>
      )}
      {view !== "ACTIVE_ONLY" && (
        <Button
          size="xs"
          variant="light"
          onClick={() => confirm("restore")}
          loading={mutation.isPending}
        >
          Restore
        </Button>
      )}
      <Button size="xs" variant="subtle" color="gray" onClick={onClear}>
        Clear selection
      </Button>
    </Group>
  );
}
