/**
 * TanStack Query hooks of the registry pages. Every change invalidates `registry.all`: a change
 * to one version moves the model's latest versions, aliases and history too, and the registry's
 * reads are small.
 */
import { notifications } from "@mantine/notifications";
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";

import { queryKeys } from "@/api/queryKeys";

import { registryApi } from "./api";
import { assembleLineage } from "./lineage";
import type { ModelVersion } from "./types";

export function useModelsSearch(params: { filter?: string; pageToken?: string }) {
  return useQuery({
    queryKey: queryKeys.registry.models(params),
    queryFn: () => registryApi.searchModels(params),
    placeholderData: keepPreviousData,
  });
}

export function useModel(name: string) {
  return useQuery({
    queryKey: queryKeys.registry.model(name),
    queryFn: () => registryApi.getModel(name),
  });
}

/** All live versions of a model, newest first, a page of 100 at a time. */
export function useVersions(name: string) {
  return useInfiniteQuery({
    queryKey: queryKeys.registry.versions(name),
    queryFn: ({ pageParam }) => registryApi.searchVersions(name, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_page_token || undefined,
  });
}

export function useVersion(name: string, version: string) {
  return useQuery({
    queryKey: queryKeys.registry.version(name, version),
    queryFn: () => registryApi.getVersion(name, version),
  });
}

export function useHistory(name: string, version?: string) {
  return useQuery({
    queryKey: queryKeys.registry.history(name, version),
    queryFn: () => registryApi.events(name, version),
  });
}

export function useLineage(version: ModelVersion | undefined) {
  return useQuery({
    queryKey: queryKeys.registry.lineage(version?.name ?? "", version?.version ?? ""),
    queryFn: () => assembleLineage(version!, registryApi),
    enabled: version !== undefined,
  });
}

/**
 * A registry change: reports success or the server's message, then refreshes the registry.
 * `onDone` runs after a success (e.g. navigate away from a deleted model).
 */
export function useRegistryMutation<A>(
  action: (args: A) => Promise<unknown>,
  success: string | ((args: A) => string),
  onDone?: (args: A) => void,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: action,
    onSuccess: async (_data, args) => {
      notifications.show({
        color: "teal",
        message: typeof success === "function" ? success(args) : success,
      });
      onDone?.(args);
      await client.invalidateQueries({ queryKey: queryKeys.registry.all });
    },
    onError: (error) => {
      notifications.show({ color: "red", title: "The change failed", message: error.message });
    },
  });
}
