/**
 * The description, tags and aliases of a registered model or of one of its versions, each editor
 * wired to its registry call: shared by the model page and the version page.
 */
import { SimpleGrid } from "@mantine/core";

import { AliasesEditor, type AliasEntry } from "./AliasesEditor";
import { registryApi } from "./api";
import { DescriptionEditor } from "./DescriptionEditor";
import { useRegistryMutation } from "./hooks";
import { TagsEditor } from "./TagsEditor";
import type { KeyValue } from "./types";

/** The calls that differ between a model and a version. */
export interface MetadataCalls {
  describe: (text: string) => Promise<unknown>;
  setTag: (key: string, value: string) => Promise<unknown>;
  deleteTag: (key: string) => Promise<unknown>;
}

export function MetadataEditors(props: {
  /** The registered model's name (aliases belong to the model). */
  name: string;
  description?: string;
  tags?: KeyValue[];
  calls: MetadataCalls;
  aliases: AliasEntry[];
  /** The versions an alias may point to (model page) ... */
  versions?: string[];
  /** ... or the one version it is set to (version page). */
  fixedVersion?: string;
}) {
  const { name, calls } = props;
  const describe = useRegistryMutation((text: string) => calls.describe(text), "Description saved.");
  const setTag = useRegistryMutation(
    (a: { key: string; value: string }) => calls.setTag(a.key, a.value),
    (a) => `Tag ${a.key} set.`,
  );
  const deleteTag = useRegistryMutation(
    (key: string) => calls.deleteTag(key),
    (key) => `Tag ${key} deleted.`,
  );
  const setAlias = useRegistryMutation(
    (a: { alias: string; version: string }) => registryApi.setAlias(name, a.alias, a.version),
    (a) => `Alias ${a.alias} now points to version ${a.version}.`,
  );
  const deleteAlias = useRegistryMutation(
    (alias: string) => registryApi.deleteAlias(name, alias),
    (alias) => `Alias ${alias} deleted.`,
  );
  return (
    <>
      <DescriptionEditor
        description={props.description}
        saving={describe.isPending}
        onSave={(text) => describe.mutateAsync(text)}
      />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <TagsEditor
          tags={props.tags}
          onSet={(key, value) => setTag.mutateAsync({ key, value })}
          onDelete={(key) => deleteTag.mutate(key)}
        />
        <AliasesEditor
          aliases={props.aliases}
          versions={props.versions}
          fixedVersion={props.fixedVersion}
          onSet={(alias, version) => setAlias.mutateAsync({ alias, version })}
          onDelete={(alias) => deleteAlias.mutate(alias)}
        />
      </SimpleGrid>
    </>
  );
}
