import { Text, Typography } from "@mantine/core";
import ReactMarkdown from "react-markdown";

/**
 * A user's markdown. Raw HTML in it is shown as the text it is (react-markdown turns raw nodes
 * into text unless a raw-HTML plugin is added, and none is), and its default URL filter keeps
 * `javascript:` links out.
 */
export function Markdown({ text, empty = "No description." }: { text?: string; empty?: string }) {
  if (!text?.trim()) {
    return (
      <Text c="dimmed" size="sm" fs="italic">
        {empty}
      </Text>
    );
  }
  return (
    <Typography fz="sm" data-testid="markdown">
      <ReactMarkdown>{text}</ReactMarkdown>
    </Typography>
  );
}
