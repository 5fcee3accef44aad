/** The artifact tree: each directory is listed only when it is first opened. */
import { Loader, NavLink, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";

import { artifactListQuery, type FileInfo } from "./api";
import { baseName, formatBytes } from "./preview";

interface TreeProps {
  runId: string;
  selected: string | null;
  expanded: ReadonlySet<string>;
  onToggle: (path: string) => void;
  onSelect: (file: FileInfo) => void;
}

export function DirectoryNode({
  path,
  enabled,
  ...props
}: TreeProps & { path: string; enabled: boolean }) {
  const listing = useQuery({ ...artifactListQuery(props.runId, path), enabled });
  if (!enabled) return null;
  if (listing.isPending) return <Loader size="xs" m="xs" aria-label="Loading artifacts" />;
  if (listing.error) {
    return (
      <Text c="red" size="sm" p="xs">
        {listing.error.message}
      </Text>
    );
  }
  if (listing.data.length === 0) {
    return (
      <Text c="dimmed" size="sm" p="xs">
        {path ? "Empty folder." : "This run has no artifacts."}
      </Text>
    );
  }
  return listing.data.map((file) => {
    const name = baseName(file.path);
    if (file.is_dir) {
      const opened = props.expanded.has(file.path);
      return (
        <NavLink
          key={file.path}
          label={name}
          leftSection={<span aria-hidden="true">{opened ? "▾" : "▸"}</span>}
          opened={opened}
          onChange={() => props.onToggle(file.path)}
          childrenOffset={14}
          disableRightSectionRotation
          rightSection={<span />}
          data-testid="artifact-dir"
          aria-label={`Folder ${name}`}
        >
          <DirectoryNode {...props} path={file.path} enabled={opened} />
        </NavLink>
      );
    }
    return (
      <NavLink
        key={file.path}
        label={name}
        active={props.selected === file.path}
        onClick={() => props.onSelect(file)}
        rightSection={
          <Text size="xs" c="dimmed">
            {formatBytes(file.file_size)}
          </Text>
        }
        data-testid="artifact-file"
        aria-label={`File ${name}`}
      />
    );
  });
}
