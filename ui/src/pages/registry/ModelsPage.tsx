/**
 * `#/models?q=...&page=...`: registered models, searched by name (`name ILIKE '%q%'`) and paged
 * on the server by its page tokens; each row shows the latest version per stage and the aliases.
 */
import { Alert, Anchor, Button, Group, Loader, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";

import { nameFilter } from "@/components/registry/api";
import { CreateModelButton } from "@/components/registry/CreateModelButton";
import { formatTime, modelHref, versionHref } from "@/components/registry/format";
import { useModelsSearch } from "@/components/registry/hooks";
import { AliasBadge, StageBadge } from "@/components/registry/StageBadge";
import type { RegisteredModel } from "@/components/registry/types";

function ModelRow({ model }: { model: RegisteredModel }) {
  const latest = [...(model.latest_versions ?? [])].sort((a, b) => Number(b.version) - Number(a.version));
  return (
    <Table.Tr data-testid="model-row">
      <Table.Td>
        <Anchor component={Link} to={modelHref(model.name)} fw={500}>
          {model.name}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <Group gap={6}>
          {latest.length === 0 && <Text size="sm" c="dimmed">—</Text>}
          {latest.map((v) => (
            <Group key={v.version} gap={4} wrap="nowrap">
              <Anchor component={Link} to={versionHref(model.name, v.version)} size="sm">
                {`v${v.version}`}
              </Anchor>
              <StageBadge stage={v.current_stage} />
            </Group>
          ))}
        </Group>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          {(model.aliases ?? []).map((a) => (
            <AliasBadge key={a.alias} alias={a.alias} version={a.version} />
          ))}
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{formatTime(model.last_updated_timestamp)}</Text>
      </Table.Td>
    </Table.Tr>
  );
}

export default function ModelsPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const pageToken = params.get("page") ?? undefined;
  const [input, setInput] = useState(q);
  // Tokens of the pages before this one (a shared link starts its own trail at its page).
  const [trail, setTrail] = useState<string[]>([]);
  const search = useModelsSearch({ filter: nameFilter(q), pageToken });
  // The URL wins when it changes under the box (the Models link, back and forward), not when
  // it catches up with what was typed.
  const pushed = useRef(q);
  useEffect(() => {
    if (q !== pushed.current) {
      pushed.current = q;
      setInput(q);
    }
  }, [q]);

  const go = (next: { q?: string; page?: string }) => {
    const p = new URLSearchParams();
    if (next.q) p.set("q", next.q);
    if (next.page) p.set("page", next.page);
    setParams(p, { replace: next.page === undefined });
  };
  const applySearch = useDebouncedCallback((value: string) => {
    setTrail([]);
    pushed.current = value.trim();
    go({ q: value.trim() });
  }, 300);

  const models = search.data?.registered_models ?? [];
  const nextToken = search.data?.next_page_token;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Models</Title>
        <CreateModelButton />
      </Group>
      <TextInput
        placeholder="Search models by name"
        aria-label="Search models"
        value={input}
        onChange={(e) => {
          setInput(e.currentTarget.value);
          applySearch(e.currentTarget.value);
        }}
        maw={420}
      />
      {search.isError && (
        <Alert color="red" title="The models could not be loaded">
          {search.error.message}
        </Alert>
      )}
      {search.isPending ? (
        <Loader />
      ) : (
        <Table highlightOnHover data-testid="models-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Latest versions</Table.Th>
              <Table.Th>Aliases</Table.Th>
              <Table.Th>Last modified</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {models.map((m) => (
              <ModelRow key={m.name} model={m} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      {search.isSuccess && models.length === 0 && (
        <Text c="dimmed">{q ? `No model name contains “${q}”.` : "No registered models yet."}</Text>
      )}
      <Group gap="xs">
        <Button
          variant="default"
          size="xs"
          disabled={!pageToken}
          onClick={() => {
            const previous = trail.at(-1);
            setTrail(trail.slice(0, -1));
            go({ q, page: previous || undefined });
          }}
        >
          Previous page
        </Button>
        <Button
          variant="default"
          size="xs"
          disabled={!nextToken}
          onClick={() => {
            setTrail([...trail, pageToken ?? ""]);
            go({ q, page: nextToken });
          }}
        >
          Next page
        </Button>
      </Group>
    </Stack>
  );
}
