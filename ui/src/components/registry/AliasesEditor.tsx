import { Badge, Button, CloseButton, Group, Paper, Select, Text, TextInput } from "@mantine/core";
import { useState } from "react";

import { confirmAction } from "./confirm";

export interface AliasEntry {
  alias: string;
  version: string;
}

/**
 * Aliases of a model: set a new one, move one to another version (confirmed, since deployments
 * follow it), delete one (confirmed). With `fixedVersion` (the version page) the form sets
 * aliases on that version only.
 */
export function AliasesEditor(props: {
  aliases: AliasEntry[];
  versions?: string[];
  fixedVersion?: string;
  onSet: (alias: string, version: string) => Promise<unknown>;
  onDelete: (alias: string) => void;
}) {
  const [alias, setAlias] = useState("");
  const [version, setVersion] = useState<string | null>(props.fixedVersion ?? null);
  const target = props.fixedVersion ?? version;
  const existing = props.aliases.find((a) => a.alias === alias.trim());
  const shown = props.fixedVersion
    ? props.aliases.filter((a) => a.version === props.fixedVersion)
    : props.aliases;

  const submit = () => {
    if (!target) return;
    const name = alias.trim();
    const run = () =>
      props.onSet(name, target).then(
        () => setAlias(""),
        () => undefined,
      );
    if (existing && existing.version !== target) {
      confirmAction({
        title: "Move alias",
        body: `Move alias "${name}" from v${existing.version} to v${target}? Whatever loads models:/…@${name} will get v${target}.`,
        confirmLabel: "Move alias",
        danger: false,
        onConfirm: () => void run(),
      });
    } else {
      void run();
    }
  };

  return (
    <Paper withBorder p="sm">
      <Text fw={600} size="sm" mb="xs">
        Aliases
      </Text>
      <Group gap="xs" mb="xs" data-testid="aliases">
        {shown.length === 0 && (
          <Text c="dimmed" size="sm">
            No aliases.
          </Text>
        )}
        {[...shown]
          .sort((a, b) => a.alias.localeCompare(b.alias))
          .map((a) => (
            <Badge
              key={a.alias}
              variant="outline"
              color="violet"
              tt="none"
              rightSection={
                <CloseButton
                  size="xs"
                  aria-label={`Delete alias ${a.alias}`}
                  onClick={() =>
                    confirmAction({
                      title: "Delete alias",
                      body: `Delete alias "${a.alias}" (now on v${a.version})?`,
                      confirmLabel: "Delete alias",
                      onConfirm: () => props.onDelete(a.alias),
                    })
                  }
                />
              }
            >
              {`@${a.alias} → v${a.version}`}
            </Badge>
          ))}
      </Group>
      <Group gap="xs" align="flex-end">
        <TextInput
          size="xs"
          label="Alias"
          placeholder="champion"
          value={alias}
          onChange={(e) => setAlias(e.currentTarget.value)}
        />
        {!props.fixedVersion && (
          <Select
            size="xs"
            label="Version"
            placeholder="Pick a version"
            data={(props.versions ?? []).map((v) => ({ value: v, label: `v${v}` }))}
            value={version}
            onChange={setVersion}
            w={140}
          />
        )}
        <Button size="xs" disabled={!alias.trim() || !target} onClick={submit}>
          {existing && existing.version !== target ? "Move alias" : "Set alias"}
        </Button>
      </Group>
    </Paper>
  );
}
