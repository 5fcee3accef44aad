/** Run edits (tags, description, name): errors become notifications, success refreshes runs. */
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";

import { queryKeys } from "@/api/queryKeys";

export function useRunMutation<V>(action: (vars: V) => Promise<unknown>, failure: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: action,
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.runs.all }),
    onError: (error) =>
      notifications.show({ color: "red", title: failure, message: error.message }),
  });
}
