/** An experiment's name (its id until the name has loaded). */
import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "@/api/client";
import { queryKeys } from "@/api/queryKeys";

export function ExperimentName({ experimentId }: { experimentId: string }) {
  const { data } = useQuery({
    queryKey: queryKeys.experiments.detail(experimentId),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/2.0/mlflow/experiments/get", {
          params: { query: { experiment_id: experimentId } },
        }),
      ).experiment,
  });
  // Tolerate either cached shape ({name} or {experiment: {name}}): the key is shared.
  const value = data as { name?: string; experiment?: { name?: string } } | undefined;
  return <>{value?.name ?? value?.experiment?.name ?? `Experiment ${experimentId}`}</>;
}
