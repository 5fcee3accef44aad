/** The run's dataset inputs and the models it logged. */
import { Anchor, Badge, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";

import { loggedModelsQuery, registrations, type DatasetInput, type Run } from "./api";
import { formatTime } from "./format";

function profileSummary(profile: string | undefined): string {
  if (!profile) return "";
  try {
    const p = JSON.parse(profile) as Record<string, unknown>;
    return Object.entries(p)
      .filter(([, v]) => typeof v !== "object")
      .map(([k, v]) => `${k.replace(/_/g, " ")}: ${String(v)}`)
      .join(", ");
  } catch {
    return "";
  }
}

function DatasetRow({ input }: { input: DatasetInput }) {
  const d = input.dataset;
  const context = input.tags?.find((t) => t.key === "mlflow.data.context")?.value;
  const profile = profileSummary(d.profile);
  return (
    <Stack gap={2} data-testid="run-dataset">
      <Group gap={6}>
        <Text fw={600} size="sm">
          {d.name}
        </Text>
        <Badge size="xs" variant="outline" ff="monospace" title="digest">
          {d.digest}
        </Badge>
        {context && (
          <Badge size="xs" variant="light">
            {context}
          </Badge>
        )}
      </Group>
      <Text size="xs" c="dimmed" style={{ wordBreak: "break-all" }} lineClamp={2} title={d.source}>
        {d.source_type ? `${d.source_type}: ` : ""}
        {d.source}
      </Text>
      {profile && (
        <Text size="xs" c="dimmed">
          {profile}
        </Text>
      )}
    </Stack>
  );
}

export function DatasetsCard({ run }: { run: Run }) {
  const inputs = run.inputs?.dataset_inputs ?? [];
  return (
    <Paper withBorder p="md" radius="md" data-testid="run-datasets">
      <Title order={4} mb="xs">
        Datasets
      </Title>
      {inputs.length === 0 ? (
        <Text c="dimmed" size="sm">
          No dataset inputs.
        </Text>
      ) : (
        <Stack gap="sm">
          {inputs.map((input, i) => (
            <DatasetRow key={`${input.dataset.name}:${input.dataset.digest}:${i}`} input={input} />
          ))}
        </Stack>
      )}
    </Paper>
  );
}

export function LoggedModelsCard({ run }: { run: Run }) {
  const { data, isPending, error } = useQuery(loggedModelsQuery(run));
  return (
    <Paper withBorder p="md" radius="md" data-testid="run-logged-models">
      <Title order={4} mb="xs">
        Logged models
      </Title>
      {isPending ? (
        <Text c="dimmed" size="sm">
          Loading…
        </Text>
      ) : error ? (
        <Text c="red" size="sm">
          {error.message}
        </Text>
      ) : data.length === 0 ? (
        <Text c="dimmed" size="sm">
          No logged models.
        </Text>
      ) : (
        <Table>
          <Table.Tbody>
            {data.map((m) => (
              <Table.Tr key={m.info.model_id} data-testid="logged-model">
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {m.info.name || m.info.model_id}
                  </Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {m.info.model_id}
                  </Text>
                  {registrations(m).map((r) =>
                    r.name ? (
                      <Anchor
                        key={`${r.name}/${r.version}`}
                        component={Link}
                        size="xs"
                        mr={6}
                        to={`/models/${encodeURIComponent(r.name)}/versions/${encodeURIComponent(r.version)}`}
                      >
                        {r.name} v{r.version}
                      </Anchor>
                    ) : null,
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge
                    size="xs"
                    variant="light"
                    color={m.info.status === "LOGGED_MODEL_READY" ? "green" : "gray"}
                  >
                    {(m.info.status ?? "").replace("LOGGED_MODEL_", "").toLowerCase() || "unknown"}
                  </Badge>
                  {m.info.source_run_id && m.info.source_run_id !== run.info.run_id && (
                    <Text size="xs" c="dimmed">
                      from another run
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {formatTime(m.info.creation_timestamp_ms)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
