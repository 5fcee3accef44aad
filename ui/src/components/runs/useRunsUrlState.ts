import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";

import { parseRunsState, writeRunsState, type RunsViewState } from "./urlState";

export type UpdateRunsState = (patch: Partial<RunsViewState>) => void;

/** The runs view read from and written to the URL (history entries are replaced, not pushed). */
export function useRunsUrlState(): [RunsViewState, UpdateRunsState] {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => parseRunsState(params), [params]);
  const update = useCallback<UpdateRunsState>(
    (patch) => setParams((prev) => writeRunsState(prev, patch), { replace: true }),
    [setParams],
  );
  return [state, update];
}
