/** The controls above the runs table; every one of them writes the URL. */
import { Button, Group, SegmentedControl, Select, Switch } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMemo, useState } from "react";

import { ColumnChooser } from "./ColumnChooser";
import { FilterInput } from "./FilterInput";
import type { FilterKeys } from "./filterAutocomplete";
import { RunActions } from "./RunActions";
import { exportCsv, type ExperimentKeys } from "./runsApi";
import type { ViewType } from "./types";
import type { UpdateRunsState } from "./useRunsUrlState";
import { columnId, orderByFor, splitColumnId, type RunsViewState } from "./urlState";

interface RunsToolbarProps {
  experimentIds: string[];
  state: RunsViewState;
  update: UpdateRunsState;
  keys: ExperimentKeys;
  columns: string[];
}

export function RunsToolbar({ experimentIds, state, update, keys, columns }: RunsToolbarProps) {
  const filterKeys: FilterKeys = useMemo(
    () => ({ metrics: keys.metric_keys, params: keys.param_keys, tags: keys.tag_keys }),
    [keys],
  );
  const groupOptions = useMemo(
    () => [
      {
        group: "Parameters",
        items: keys.param_keys.map((k) => ({ value: columnId("params", k), label: k })),
      },
      {
        group: "Tags",
        items: keys.tag_keys.map((k) => ({ value: columnId("tags", k), label: k })),
      },
    ],
    [keys],
  );
  const [exporting, setExporting] = useState(false);

  const doExport = async () => {
    setExporting(true);
    const pick = (kind: string) =>
      columns
        .map(splitColumnId)
        .filter((p) => p?.kind === kind)
        .map((p) => p!.key);
    try {
      await exportCsv({
        experimentIds,
        filter: state.filter,
        orderBy: orderByFor(state.sort),
        view: state.view,
        columns: { metrics: pick("metrics"), params: pick("params"), tags: pick("tags") },
      });
    } catch (error) {
      notifications.show({
        color: "red",
        title: "Export failed",
        message: (error as Error).message,
      });
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <Group gap="xs" align="flex-start" wrap="wrap">
        <FilterInput
          value={state.filter}
          onApply={(filter) => update({ filter })}
          keys={filterKeys}
        />
        <SegmentedControl
          aria-label="Which runs"
          value={state.view}
          onChange={(view) => update({ view: view as ViewType, selected: [] })}
          data={[
            { value: "ACTIVE_ONLY", label: "Active" },
            { value: "DELETED_ONLY", label: "Deleted" },
            { value: "ALL", label: "All" },
          ]}
        />
        <ColumnChooser
          keys={keys}
          columns={columns}
          pinned={state.pinned}
          onColumnsChange={(cols) => update({ columns: cols })}
          onPinnedChange={(pinned) => update({ pinned })}
        />
        <Select
          aria-label="Group by"
          placeholder="Group by…"
          data={groupOptions}
          value={state.groupBy}
          onChange={(groupBy) => update({ groupBy })}
          searchable
          clearable
          w={200}
          nothingFoundMessage="No params or tags"
        />
        {!state.groupBy && (
          <Switch
            mt={8}
            label="Nest child runs"
            checked={state.nested}
            onChange={(e) => update({ nested: e.currentTarget.checked })}
          />
        )}
        <Button variant="default" onClick={doExport} loading={exporting}>
          Export CSV
        </Button>
      </Group>
      <RunActions
        selected={state.selected}
        view={state.view}
        onClear={() => update({ selected: [] })}
      />
    </>
  );
}
