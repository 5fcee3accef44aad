/**
 * A run's artifacts: a lazily listed tree on the left, the selected file's preview on the
 * right. The selected path is in the URL (`artifact=`), so a preview is a link.
 */
import { Grid, Paper, ScrollArea, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { useSearchParams } from "react-router";

import { artifactListQuery, type FileInfo } from "./api";
import { ArtifactPreview } from "./ArtifactPreview";
import { DirectoryNode } from "./ArtifactTree";

export const ARTIFACT_PARAM = "artifact";

function parentOf(path: string): string {
  return path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
}

/** Every folder above `path` ("a/b/c.txt" → "a", "a/b"). */
export function ancestors(path: string): string[] {
  const parts = path.split("/").slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join("/"));
}

export function ArtifactBrowser({ runId }: { runId: string }) {
  const [params, setParams] = useSearchParams();
  const selected = params.get(ARTIFACT_PARAM);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(ancestors(selected ?? "")));

  const onToggle = useCallback((path: string) => {
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });
  }, []);
  const onSelect = useCallback(
    (file: FileInfo) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          next.set(ARTIFACT_PARAM, file.path);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  // The selected file's entry (with its size) from its folder's listing.
  const siblings = useQuery({
    ...artifactListQuery(runId, parentOf(selected ?? "")),
    enabled: selected !== null,
  });
  const file = useMemo(
    () => siblings.data?.find((f) => f.path === selected && !f.is_dir),
    [siblings.data, selected],
  );

  return (
    <Grid gutter="md" data-testid="artifact-browser">
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Paper withBorder p={4} radius="md">
          <ScrollArea.Autosize mah={640} type="auto">
            <DirectoryNode
              runId={runId}
              path=""
              enabled
              selected={selected}
              expanded={expanded}
              onToggle={onToggle}
              onSelect={onSelect}
            />
          </ScrollArea.Autosize>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Paper withBorder p="md" radius="md" mih={200}>
          {file ? (
            <ArtifactPreview runId={runId} file={file} />
          ) : selected && siblings.isSuccess ? (
            <Text c="dimmed">No artifact at this path.</Text>
          ) : (
            <Text c="dimmed">Select a file to preview it.</Text>
          )}
        </Paper>
      </Grid.Col>
    </Grid>
  );
}
