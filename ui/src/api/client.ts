/**
 * The one HTTP client of the UI: typed from the server's /openapi.json (schema.d.ts is
 * generated at build time by `npm run gen:api`), rooted at the page's own URL so the UI works
 * under `cairn server --static-prefix` too.
 */
import createClient from "openapi-fetch";
import type { paths } from "./schema";

/** An error answer of the server: MLflow's `{error_code, message}` plus the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The server root: the directory of the page (index.html is served at the prefix root). */
export function serverRoot(): string {
  const base = new URL(".", document.baseURI).toString();
  return base.endsWith("/") ? base.slice(0, -1) : base;
}

export const api = createClient<paths>({ baseUrl: serverRoot() });

/** Throw an ApiError for an error answer, so TanStack Query sees a failed query. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    const body = (result.error ?? {}) as { error_code?: string; message?: string };
    throw new ApiError(
      result.response.status,
      body.error_code ?? "INTERNAL_ERROR",
      body.message ?? `The server answered ${result.response.status}.`,
    );
  }
  return result.data as T;
}

/** Plain JSON calls for endpoints whose schema is loose (cairn-native, artifacts). */
export async function fetchJson<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${serverRoot()}${path}`, {
    ...init,
    headers: { "Content-Type": "application/json", ...(init?.headers ?? {}) },
  });
  const text = await response.text();
  const body = text ? JSON.parse(text) : {};
  if (!response.ok) {
    throw new ApiError(
      response.status,
      body.error_code ?? "INTERNAL_ERROR",
      body.message ?? `The server answered ${response.status}.`,
    );
  }
  return body as T;
}
