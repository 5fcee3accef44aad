/** Which metric, param and tag columns the table shows, and which of them are pinned. */
import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  Popover,
  ScrollArea,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from "@mantine/core";
import { useMemo, useState } from "react";

import type { ExperimentKeys } from "./runsApi";
import { columnId, type ColumnKind } from "./urlState";

export const DEFAULT_METRIC_COLUMNS = 10;
export const DEFAULT_PARAM_COLUMNS = 10;

/** The columns shown before anyone chooses: the first metrics and params by name. */
export function defaultColumns(keys: ExperimentKeys): string[] {
  return [
    ...keys.metric_keys.slice(0, DEFAULT_METRIC_COLUMNS).map((k) => columnId("metrics", k)),
    ...keys.param_keys.slice(0, DEFAULT_PARAM_COLUMNS).map((k) => columnId("params", k)),
  ];
}

interface ColumnChooserProps {
  keys: ExperimentKeys;
  columns: readonly string[];
  pinned: readonly string[];
  onColumnsChange: (columns: string[] | null) => void;
  onPinnedChange: (pinned: string[]) => void;
}

const SECTIONS: { kind: ColumnKind; title: string; field: keyof ExperimentKeys }[] = [
  { kind: "metrics", title: "Metrics", field: "metric_keys" },
  { kind: "params", title: "Parameters", field: "param_keys" },
  { kind: "tags", title: "Tags", field: "tag_keys" },
];

export function ColumnChooser(props: ColumnChooserProps) {
  const { keys, columns, pinned, onColumnsChange, onPinnedChange } = props;
  const [query, setQuery] = useState("");
  const shown = useMemo(() => new Set(columns), [columns]);
  const q = query.trim().toLowerCase();

  const toggle = (id: string) => {
    if (shown.has(id)) {
      onColumnsChange(columns.filter((c) => c !== id));
      if (pinned.includes(id)) onPinnedChange(pinned.filter((p) => p !== id));
    } else onColumnsChange([...columns, id]);
  };
  const togglePin = (id: string) => {
    if (pinned.includes(id)) onPinnedChange(pinned.filter((p) => p !== id));
    else {
      onPinnedChange([...pinned, id]);
      if (!shown.has(id)) onColumnsChange([...columns, id]);
    }
  };

  return (
    <Popover width={360} position="bottom-end" shadow="md" trapFocus>
      <Popover.Target>
        <Button variant="default">Columns ({columns.length})</Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <TextInput
            placeholder="Find a column"
            aria-label="Find a column"
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            size="xs"
          />
          <ScrollArea.Autosize mah={360} type="auto">
            <Stack gap="sm">
              {SECTIONS.map(({ kind, title, field }) => {
                const names = keys[field].filter((k) => !q || k.toLowerCase().includes(q));
                if (names.length === 0) return null;
                const ids = names.map((k) => columnId(kind, k));
                const allOn = ids.every((id) => shown.has(id));
                return (
                  <Stack gap={4} key={kind}>
                    <Group justify="space-between">
                      <Text size="xs" fw={700} c="dimmed">
                        {title}
                      </Text>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={() =>
                          onColumnsChange(
                            allOn
                              ? columns.filter((c) => !ids.includes(c))
                              : [...columns, ...ids.filter((id) => !shown.has(id))],
                          )
                        }
                      >
                        {allOn ? "None" : "All"}
                      </Button>
                    </Group>
                    {names.map((name) => {
                      const id = columnId(kind, name);
                      const isPinned = pinned.includes(id);
                      return (
                        <Group key={id} justify="space-between" wrap="nowrap" gap="xs">
                          <Checkbox
                            size="xs"
                            label={name}
                            checked={shown.has(id)}
                            onChange={() => toggle(id)}
                            styles={{ label: { wordBreak: "break-all" } }}
                          />
                          <Tooltip
                            label={isPinned ? "Unpin" : "Pin to the left"}
                            withinPortal={false}
                          >
                            <ActionIcon
                              size="sm"
                              variant={isPinned ? "filled" : "subtle"}
                              color={isPinned ? undefined : "gray"}
                              aria-label={`${isPinned ? "Unpin" : "Pin"} ${name}`}
                              aria-pressed={isPinned}
                              onClick={() => togglePin(id)}
                            >
                              📌
                            </ActionIcon>
                          </Tooltip>
                        </Group>
                      );
                    })}
                  </Stack>
                );
              })}
            </Stack>
          </ScrollArea.Autosize>
          <Group justify="flex-end">
            <Button size="compact-xs" variant="subtle" onClick={() => onColumnsChange(null)}>
              Default columns
            </Button>
          </Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
