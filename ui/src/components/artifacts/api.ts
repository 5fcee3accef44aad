/** Run artifacts: the tracking listing (one directory at a time) and the download route. */
import { queryOptions } from "@tanstack/react-query";

import { api, ApiError, serverRoot, unwrap } from "@/api/client";
import { queryKeys } from "@/api/queryKeys";
import type { components } from "@/api/schema";

import { imageType, looksBinary, previewLimit, type PreviewKind } from "./preview";

export type FileInfo = components["schemas"]["FileInfo"];

/** Directories first, then files, each by name. */
function ordered(files: FileInfo[]): FileInfo[] {
  return [...files].sort(
    (a, b) => Number(!!b.is_dir) - Number(!!a.is_dir) || a.path.localeCompare(b.path),
  );
}

export async function listArtifacts(runId: string, path: string): Promise<FileInfo[]> {
  const files: FileInfo[] = [];
  let token: string | undefined;
  for (let page = 0; page < 50; page++) {
    const query = {
      run_id: runId,
      ...(path ? { path } : {}),
      ...(token ? { page_token: token } : {}),
    };
    const body = unwrap(await api.GET("/api/2.0/mlflow/artifacts/list", { params: { query } }));
    files.push(...(body.files ?? []));
    token = body.next_page_token;
    if (!token) break;
  }
  // A path naming a file lists as itself on some stores: not a directory's content.
  return ordered(files.filter((f) => f.path !== path));
}

export const artifactListQuery = (runId: string, path: string) =>
  queryOptions({
    queryKey: queryKeys.artifacts.list(runId, path),
    queryFn: () => listArtifacts(runId, path),
  });

/** The download URL: the server answers with `Content-Disposition: attachment`. */
export function artifactUrl(runId: string, path: string): string {
  const params = new URLSearchParams({ run_id: runId, path });
  return `${serverRoot()}/get-artifact?${params}`;
}

export interface ArtifactContent {
  /** Bytes read (at most the preview limit). */
  size: number;
  /** Whether the file is longer than what was read. */
  truncated: boolean;
  /** Decoded UTF-8 text for textual kinds (and sniffed-textual unknown files). */
  text?: string;
  /** The raw bytes for images. */
  blob?: Blob;
  binary?: boolean;
}

async function errorOf(response: Response): Promise<ApiError> {
  let message = `The server answered ${response.status}.`;
  let code = "INTERNAL_ERROR";
  try {
    const body = (await response.json()) as { message?: string; error_code?: string };
    message = body.message ?? message;
    code = body.error_code ?? code;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, code, message);
}

/** The first `limit` bytes of a response body (the rest is never downloaded). */
async function readCapped(
  response: Response,
  limit: number,
): Promise<[Uint8Array<ArrayBuffer>, boolean]> {
  const reader = response.body?.getReader();
  if (!reader) {
    const all = new Uint8Array(await response.arrayBuffer());
    return [all.slice(0, limit), all.length > limit];
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
    if (total > limit) {
      truncated = true;
      await reader.cancel();
      break;
    }
  }
  const bytes = new Uint8Array(Math.min(total, limit));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, Math.min(chunk.length, bytes.length - offset));
    bytes.set(part, offset);
    offset += part.length;
    if (offset >= bytes.length) break;
  }
  return [bytes, truncated];
}

export async function fetchArtifact(
  runId: string,
  path: string,
  kind: PreviewKind,
  signal?: AbortSignal,
): Promise<ArtifactContent> {
  const response = await fetch(artifactUrl(runId, path), { signal });
  if (!response.ok) throw await errorOf(response);
  const [bytes, truncated] = await readCapped(response, previewLimit(kind));
  if (kind === "image") {
    return { size: bytes.length, truncated, blob: new Blob([bytes], { type: imageType(path) }) };
  }
  if (kind === "unknown" && looksBinary(bytes))
    return { size: bytes.length, truncated, binary: true };
  return { size: bytes.length, truncated, text: new TextDecoder("utf-8").decode(bytes) };
}

export const artifactContentQuery = (runId: string, path: string, kind: PreviewKind) =>
  queryOptions({
    queryKey: queryKeys.artifacts.content(runId, path),
    queryFn: ({ signal }) => fetchArtifact(runId, path, kind, signal),
    staleTime: 60_000,
  });
