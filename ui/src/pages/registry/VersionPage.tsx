/**
 * `#/models/:name/versions/:version`: one version: details, description, tags, aliases, stage,
 * its lineage (run, experiment, code, params, metrics, datasets) and its audit history.
 */
import { Alert, Anchor, Breadcrumbs, Button, Code, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router";

import { registryApi } from "@/components/registry/api";
import { formatTime, modelHref, runHref } from "@/components/registry/format";
import { HistoryTimeline } from "@/components/registry/HistoryTimeline";
import { useModel, useVersion } from "@/components/registry/hooks";
import { LineagePanel } from "@/components/registry/LineagePanel";
import { MetadataEditors } from "@/components/registry/MetadataEditors";
import { StageBadge } from "@/components/registry/StageBadge";
import { TransitionStageButton } from "@/components/registry/TransitionStage";
import { useDeleteVersion, useTransition } from "@/components/registry/VersionsTable";

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div" style={{ wordBreak: "break-all" }}>
        {children}
      </Text>
    </div>
  );
}

export default function VersionPage() {
  const { name = "", version = "" } = useParams();
  const navigate = useNavigate();
  const mv = useVersion(name, version);
  const model = useModel(name);
  const transition = useTransition();
  const confirmDelete = useDeleteVersion(() => navigate(modelHref(name), { replace: true }));

  if (mv.isPending) return <Loader />;
  if (mv.isError) {
    return (
      <Stack maw={640}>
        <Alert color="red" title={`Version ${version} of “${name}” could not be loaded`}>
          {mv.error.message}
        </Alert>
        <Anchor component={Link} to={modelHref(name)}>
          Back to the model
        </Anchor>
      </Stack>
    );
  }
  const v = mv.data;
  // Aliases on the model say where each points, so setting one here can warn about a move.
  const aliases =
    model.data?.aliases ?? (v.aliases ?? []).map((alias) => ({ alias, version: v.version }));
  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/models">
          Models
        </Anchor>
        <Anchor component={Link} to={modelHref(name)}>
          {name}
        </Anchor>
        <Text>{`Version ${v.version}`}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Group gap="sm">
          <Title order={2}>{`${v.name} · version ${v.version}`}</Title>
          <StageBadge stage={v.current_stage} />
        </Group>
        <Group gap="xs">
          <TransitionStageButton
            size="xs"
            version={v.version}
            current={v.current_stage}
            onTransition={(stage, archive) => transition.mutateAsync({ v, stage, archive })}
          />
          <Button color="red" variant="light" size="xs" onClick={() => confirmDelete(v)}>
            Delete version
          </Button>
        </Group>
      </Group>
      <Paper withBorder p="sm">
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
          <Field label="Created">{formatTime(v.creation_timestamp)}</Field>
          <Field label="Last modified">{formatTime(v.last_updated_timestamp)}</Field>
          <Field label="Registered by">{v.user_id || "—"}</Field>
          <Field label="Status">{v.status || "—"}</Field>
          <Field label="Source">{v.source ? <Code>{v.source}</Code> : "—"}</Field>
          <Field label="Run">
            {v.run_id ? (
              <Anchor component={Link} to={runHref(v.run_id)} ff="monospace">
                {v.run_id}
              </Anchor>
            ) : (
              "—"
            )}
          </Field>
          {v.model_id && <Field label="Logged model">{v.model_id}</Field>}
          {v.status_message && <Field label="Status message">{v.status_message}</Field>}
        </SimpleGrid>
      </Paper>
      <MetadataEditors
        name={name}
        description={v.description}
        tags={v.tags}
        calls={{
          describe: (text) => registryApi.updateVersion(name, version, text),
          setTag: (key, value) => registryApi.setVersionTag(name, version, key, value),
          deleteTag: (key) => registryApi.deleteVersionTag(name, version, key),
        }}
        aliases={aliases}
        fixedVersion={v.version}
      />
      <LineagePanel version={v} />
      <HistoryTimeline name={name} version={v.version} />
    </Stack>
  );
}
