/**
 * The previews of one artifact's content. Every user string is rendered as text; markdown goes
 * through react-markdown without raw HTML; HTML only inside a sandboxed frame (no scripts, no
 * same-origin); images from a blob URL in an <img> (SVG markup is never put in the page).
 */
import { Code, ScrollArea, Table, Text, Typography } from "@mantine/core";
import { useEffect, useMemo, useState } from "react";
import Markdown from "react-markdown";
import { parse as parseYaml } from "yaml";

import { parseCsv } from "./csv";
import { CSV_PREVIEW_ROWS, extension, inertHtml } from "./preview";

const MAX_HEIGHT = 600;

export function TextPreview({ text }: { text: string }) {
  return (
    <ScrollArea.Autosize mah={MAX_HEIGHT} type="auto">
      <Code block data-testid="text-preview" style={{ whiteSpace: "pre", minWidth: "100%" }}>
        {text}
      </Code>
    </ScrollArea.Autosize>
  );
}

export function JsonPreview({ text }: { text: string }) {
  const pretty = useMemo(() => {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      return null;
    }
  }, [text]);
  if (pretty === null) {
    return (
      <>
        <Text size="sm" c="orange">
          Not valid JSON; shown as text.
        </Text>
        <TextPreview text={text} />
      </>
    );
  }
  return <TextPreview text={pretty} />;
}

export function YamlPreview({ text }: { text: string }) {
  const error = useMemo(() => {
    try {
      parseYaml(text);
      return null;
    } catch (e) {
      return e instanceof Error ? e.message.split("\n")[0] : "Not valid YAML.";
    }
  }, [text]);
  return (
    <>
      {error && (
        <Text size="sm" c="orange">
          Not valid YAML ({error}); shown as text.
        </Text>
      )}
      <TextPreview text={text} />
    </>
  );
}

export function CsvPreview({ text, path }: { text: string; path: string }) {
  const table = useMemo(
    () => parseCsv(text, CSV_PREVIEW_ROWS + 1, extension(path) === "tsv" ? "\t" : ","),
    [text, path],
  );
  const [header, ...rows] = table.rows;
  if (!header) return <Text c="dimmed">The file is empty.</Text>;
  return (
    <>
      <ScrollArea.Autosize mah={MAX_HEIGHT} type="auto">
        <Table striped withTableBorder withColumnBorders stickyHeader data-testid="csv-preview">
          <Table.Thead>
            <Table.Tr>
              {header.map((cell, i) => (
                <Table.Th key={i}>{cell}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row, r) => (
              <Table.Tr key={r}>
                {header.map((_, c) => (
                  <Table.Td key={c}>{row[c] ?? ""}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
      {table.truncated && (
        <Text size="sm" c="dimmed">
          Showing the first {CSV_PREVIEW_ROWS} rows.
        </Text>
      )}
    </>
  );
}

export function MarkdownPreview({ text }: { text: string }) {
  return (
    <ScrollArea.Autosize mah={MAX_HEIGHT} type="auto">
      <Typography data-testid="markdown-preview">
        <Markdown skipHtml>{text}</Markdown>
      </Typography>
    </ScrollArea.Autosize>
  );
}

export function HtmlPreview({ text, path }: { text: string; path: string }) {
  const html = useMemo(() => inertHtml(text), [text]);
  return (
    <iframe
      // An empty sandbox: no scripts, no forms, no same-origin access, no top navigation.
      sandbox=""
      srcDoc={html}
      title={`HTML preview of ${path}`}
      data-testid="html-preview"
      referrerPolicy="no-referrer"
      style={{
        width: "100%",
        height: MAX_HEIGHT,
        border: "1px solid var(--mantine-color-default-border)",
        background: "white",
      }}
    />
  );
}

export function ImagePreview({ blob, path }: { blob: Blob; path: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const made = URL.createObjectURL(blob);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [blob]);
  if (!url) return null;
  return (
    <img
      src={url}
      alt={path}
      data-testid="image-preview"
      style={{
        maxWidth: "100%",
        maxHeight: MAX_HEIGHT,
        objectFit: "contain",
        background: "repeating-conic-gradient(#eee 0 25%, #fff 0 50%) 50% / 16px 16px",
      }}
    />
  );
}
