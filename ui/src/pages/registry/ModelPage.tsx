/**
 * `#/models/:name`: one registered model: description, tags, aliases, its versions with stage
 * transitions and deletion, rename, delete (type the name to confirm) and the audit history.
 */
import { Alert, Anchor, Breadcrumbs, Button, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { Link, useNavigate, useParams } from "react-router";

import { registryApi } from "@/components/registry/api";
import { confirmByTypingName } from "@/components/registry/confirm";
import { formatTime } from "@/components/registry/format";
import { HistoryTimeline } from "@/components/registry/HistoryTimeline";
import { useModel, useRegistryMutation, useVersions } from "@/components/registry/hooks";
import { MetadataEditors } from "@/components/registry/MetadataEditors";
import { RenameModelButton } from "@/components/registry/RenameModelButton";
import { VersionsTable } from "@/components/registry/VersionsTable";

export default function ModelPage() {
  const name = useParams().name ?? "";
  const navigate = useNavigate();
  const model = useModel(name);
  const versions = useVersions(name);

  const deleteModel = useRegistryMutation(
    () => registryApi.deleteModel(name),
    `Deleted model ${name}.`,
    () => navigate("/models", { replace: true }),
  );

  if (model.isPending) return <Loader />;
  if (model.isError) {
    return (
      <Stack maw={640}>
        <Alert color="red" title={`Model “${name}” could not be loaded`}>
          {model.error.message}
        </Alert>
        <Anchor component={Link} to="/models">
          Back to models
        </Anchor>
      </Stack>
    );
  }
  const m = model.data;
  const allVersions = versions.data?.pages.flatMap((p) => p.model_versions ?? []) ?? [];
  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/models">
          Models
        </Anchor>
        <Text>{m.name}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{m.name}</Title>
          <Text size="sm" c="dimmed">
            {`Created ${formatTime(m.creation_timestamp)}${m.user_id ? ` by ${m.user_id}` : ""} · last modified ${formatTime(m.last_updated_timestamp)}`}
          </Text>
        </div>
        <Group gap="xs">
          <RenameModelButton name={m.name} />
          <Button
            color="red"
            variant="light"
            onClick={() =>
              confirmByTypingName({
                title: "Delete model",
                name: m.name,
                what: (
                  <Text size="sm">
                    {`This deletes “${m.name}” with all its versions, tags and aliases. It cannot be undone.`}
                  </Text>
                ),
                onConfirm: () => deleteModel.mutate(undefined),
              })
            }
          >
            Delete model
          </Button>
        </Group>
      </Group>
      <MetadataEditors
        name={name}
        description={m.description}
        tags={m.tags}
        calls={{
          describe: (text) => registryApi.updateModel(name, text),
          setTag: (key, value) => registryApi.setModelTag(name, key, value),
          deleteTag: (key) => registryApi.deleteModelTag(name, key),
        }}
        aliases={m.aliases ?? []}
        versions={allVersions.map((v) => v.version)}
      />
      <Title order={4}>Versions</Title>
      {versions.isError && (
        <Alert color="red" title="The versions could not be loaded">
          {versions.error.message}
        </Alert>
      )}
      {versions.isPending ? (
        <Loader size="sm" />
      ) : (
        <VersionsTable
          versions={allVersions}
          hasMore={versions.hasNextPage}
          loadMore={() => void versions.fetchNextPage()}
        />
      )}
      <HistoryTimeline name={m.name} />
    </Stack>
  );
}
