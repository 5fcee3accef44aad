/** The preview pane: what the selected artifact is, its content, and a download button. */
import { Alert, Button, Center, Group, Loader, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";

import { artifactContentQuery, artifactUrl, type FileInfo } from "./api";
import { MlModelSummary } from "./MlModelSummary";
import {
  CsvPreview,
  HtmlPreview,
  ImagePreview,
  JsonPreview,
  MarkdownPreview,
  TextPreview,
  YamlPreview,
} from "./previews";
import { formatBytes, previewKind, previewLimit, type PreviewKind } from "./preview";

/** Kinds that cannot be shown from a partial file. */
const WHOLE_FILE: ReadonlySet<PreviewKind> = new Set(["json", "yaml", "mlmodel", "html", "image"]);

function Body({ runId, file, kind }: { runId: string; file: FileInfo; kind: PreviewKind }) {
  const limit = previewLimit(kind);
  const tooBig = WHOLE_FILE.has(kind) && (file.file_size ?? 0) > limit;
  const content = useQuery({ ...artifactContentQuery(runId, file.path, kind), enabled: !tooBig });
  if (tooBig) {
    return (
      <Text c="dimmed" data-testid="preview-too-large">
        This file is {formatBytes(file.file_size)}; previews stop at {formatBytes(limit)}. Download
        it to see it.
      </Text>
    );
  }
  if (content.isPending) {
    return (
      <Center h={120}>
        <Loader aria-label="Loading preview" />
      </Center>
    );
  }
  if (content.error) {
    return (
      <Alert color="red" title="The preview could not be loaded">
        {content.error.message}
      </Alert>
    );
  }
  const data = content.data;
  const note = data.truncated && (
    <Text size="sm" c="dimmed" data-testid="preview-truncated">
      Showing the first {formatBytes(limit)} of this file.
    </Text>
  );
  if (data.binary) {
    return <Text c="dimmed">No preview for this binary file; download it instead.</Text>;
  }
  if (kind === "image" && data.blob) return <ImagePreview blob={data.blob} path={file.path} />;
  const text = data.text ?? "";
  if (WHOLE_FILE.has(kind) && data.truncated) {
    return <Text c="dimmed">This file is too large to preview; download it instead.</Text>;
  }
  let body;
  switch (kind) {
    case "json":
      body = <JsonPreview text={text} />;
      break;
    case "yaml":
      body = <YamlPreview text={text} />;
      break;
    case "csv":
      body = <CsvPreview text={text} path={file.path} />;
      break;
    case "markdown":
      body = <MarkdownPreview text={text} />;
      break;
    case "html":
      body = <HtmlPreview text={text} path={file.path} />;
      break;
    case "mlmodel":
      body = <MlModelSummary text={text} runId={runId} path={file.path} />;
      break;
    default:
      body = <TextPreview text={text} />;
  }
  return (
    <>
      {note}
      {body}
    </>
  );
}

export function ArtifactPreview({ runId, file }: { runId: string; file: FileInfo }) {
  const kind = previewKind(file.path);
  return (
    <Stack gap="sm" data-testid="artifact-preview" data-kind={kind}>
      <Group justify="space-between" wrap="nowrap">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text fw={600} truncate title={file.path}>
            {file.path}
          </Text>
          <Text size="xs" c="dimmed">
            {formatBytes(file.file_size)}
          </Text>
        </Stack>
        <Button
          component="a"
          href={artifactUrl(runId, file.path)}
          download
          variant="default"
          size="xs"
        >
          Download
        </Button>
      </Group>
      <Body key={file.path} runId={runId} file={file} kind={kind} />
    </Stack>
  );
}
