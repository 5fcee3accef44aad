import { Badge } from "@mantine/core";

const COLORS: Record<string, string> = {
  Production: "green",
  Staging: "yellow",
  Archived: "gray",
  None: "blue",
};

export function StageBadge({ stage }: { stage?: string }) {
  const value = stage || "None";
  return (
    <Badge color={COLORS[value] ?? "blue"} variant="light" size="sm">
      {value}
    </Badge>
  );
}

export function AliasBadge({ alias, version }: { alias: string; version?: string }) {
  return (
    <Badge variant="outline" color="violet" size="sm" tt="none">
      {version ? `@${alias} → v${version}` : `@${alias}`}
    </Badge>
  );
}
