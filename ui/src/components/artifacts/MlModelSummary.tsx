/** An MLmodel file as a summary: flavors, signature, requirements (from the sibling file). */
import { Accordion, Badge, Group, List, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { parse as parseYaml } from "yaml";

import { artifactContentQuery, artifactListQuery } from "./api";
import { TextPreview } from "./previews";

interface ColumnSpec {
  name?: string;
  type?: string;
  required?: boolean;
  "tensor-spec"?: { dtype?: string; shape?: number[] };
  default?: unknown;
}

type Doc = Record<string, unknown>;

/** Signature parts are JSON strings inside the YAML; tolerate lists too. */
export function parseSpec(raw: unknown): ColumnSpec[] | null {
  if (raw === null || raw === undefined) return null;
  try {
    const value = typeof raw === "string" ? JSON.parse(raw) : raw;
    return Array.isArray(value) ? (value as ColumnSpec[]) : null;
  } catch {
    return null;
  }
}

function show(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function SpecTable({ title, spec }: { title: string; spec: ColumnSpec[] }) {
  return (
    <Stack gap={4}>
      <Text fw={600} size="sm">
        {title}
      </Text>
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Required</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {spec.map((col, i) => {
            const tensor = col["tensor-spec"];
            const type = tensor
              ? `tensor ${tensor.dtype ?? ""} ${JSON.stringify(tensor.shape ?? [])}`
              : show(col.type);
            return (
              <Table.Tr key={i}>
                <Table.Td>{col.name ?? `#${i}`}</Table.Td>
                <Table.Td>{type}</Table.Td>
                <Table.Td>{col.required === false ? "no" : "yes"}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function Requirements({ runId, dir }: { runId: string; dir: string }) {
  const listing = useQuery(artifactListQuery(runId, dir));
  const path = dir ? `${dir}/requirements.txt` : "requirements.txt";
  const present = listing.data?.some((f) => f.path === path) ?? false;
  const content = useQuery({ ...artifactContentQuery(runId, path, "text"), enabled: present });
  const lines = useMemo(
    () =>
      (content.data?.text ?? "")
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith("#")),
    [content.data],
  );
  if (!present || lines.length === 0) return null;
  return (
    <Stack gap={4}>
      <Text fw={600} size="sm">
        Requirements
      </Text>
      <List size="sm" data-testid="mlmodel-requirements">
        {lines.map((l, i) => (
          <List.Item key={i}>
            <Text size="sm" ff="monospace">
              {l}
            </Text>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}

export function MlModelSummary({
  text,
  runId,
  path,
}: {
  text: string;
  runId: string;
  path: string;
}) {
  const doc = useMemo<Doc | null>(() => {
    try {
      const parsed = parseYaml(text) as unknown;
      return parsed && typeof parsed === "object" ? (parsed as Doc) : null;
    } catch {
      return null;
    }
  }, [text]);
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
  if (!doc) {
    return (
      <>
        <Text c="orange" size="sm">
          This MLmodel file could not be read as YAML; shown as text.
        </Text>
        <TextPreview text={text} />
      </>
    );
  }
  const flavors = (doc.flavors && typeof doc.flavors === "object" ? doc.flavors : {}) as Doc;
  const signature = (doc.signature ?? {}) as Doc;
  const inputs = parseSpec(signature.inputs);
  const outputs = parseSpec(signature.outputs);
  const params = parseSpec(signature.params);
  const facts: [string, unknown][] = [
    ["Name", doc.name ?? doc.artifact_path],
    ["Model id", doc.model_id ?? doc.model_uuid],
    ["Created", doc.utc_time_created],
    ["MLflow version", doc.mlflow_version],
    [
      "Size",
      doc.model_size_bytes !== undefined ? `${show(doc.model_size_bytes)} bytes` : undefined,
    ],
  ];
  return (
    <Stack gap="md" data-testid="mlmodel-summary">
      <Title order={5}>Model</Title>
      <Table withTableBorder>
        <Table.Tbody>
          {facts
            .filter(([, v]) => v !== undefined && v !== null && v !== "")
            .map(([k, v]) => (
              <Table.Tr key={k}>
                <Table.Th w={160}>{k}</Table.Th>
                <Table.Td>{show(v)}</Table.Td>
              </Table.Tr>
            ))}
        </Table.Tbody>
      </Table>
      <Stack gap={4}>
        <Text fw={600} size="sm">
          Flavors
        </Text>
        {Object.entries(flavors).map(([name, conf]) => (
          <Group key={name} gap="xs" align="flex-start" wrap="nowrap">
            <Badge variant="light" data-testid="mlmodel-flavor">
              {name}
            </Badge>
            <Text size="xs" c="dimmed" style={{ wordBreak: "break-all" }}>
              {Object.entries((conf ?? {}) as Doc)
                .filter(([, v]) => v !== null && typeof v !== "object")
                .map(([k, v]) => `${k}: ${show(v)}`)
                .join(" · ")}
            </Text>
          </Group>
        ))}
      </Stack>
      {inputs && <SpecTable title="Signature inputs" spec={inputs} />}
      {outputs && <SpecTable title="Signature outputs" spec={outputs} />}
      {params && <SpecTable title="Parameters" spec={params} />}
      {!inputs && !outputs && (
        <Text size="sm" c="dimmed">
          No signature.
        </Text>
      )}
      <Requirements runId={runId} dir={dir} />
      <Accordion variant="contained">
        <Accordion.Item value="raw">
          <Accordion.Control>MLmodel file</Accordion.Control>
          <Accordion.Panel>
            <TextPreview text={text} />
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
    </Stack>
  );
}
