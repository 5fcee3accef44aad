/** Which preview an artifact gets, from its name, and the size limits of previews. */

export type PreviewKind =
  "text" | "json" | "yaml" | "csv" | "markdown" | "image" | "html" | "mlmodel" | "unknown";

/** Textual previews read at most this much (the download button always works). */
export const TEXT_PREVIEW_LIMIT = 1024 * 1024;
export const IMAGE_PREVIEW_LIMIT = 20 * 1024 * 1024;
/** Rows a CSV preview shows. */
export const CSV_PREVIEW_ROWS = 500;

const IMAGE_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  svg: "image/svg+xml",
  webp: "image/webp",
  bmp: "image/bmp",
};

const TEXT_EXTENSIONS = new Set([
  "txt",
  "log",
  "out",
  "err",
  "py",
  "sh",
  "cfg",
  "ini",
  "toml",
  "conf",
  "r",
  "sql",
  "js",
  "ts",
  "jsonl",
  "ndjson",
  "xml",
  "rst",
  "tex",
  "properties",
  "env",
  "gitignore",
  "dockerfile",
  "diff",
  "patch",
  "ipynb",
]);

const TEXT_NAMES = new Set(["mlproject", "dockerfile", "license", "readme", "makefile"]);

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export function extension(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

export function previewKind(path: string): PreviewKind {
  const name = baseName(path);
  if (name === "MLmodel") return "mlmodel";
  const ext = extension(path);
  if (ext in IMAGE_TYPES) return "image";
  if (ext === "json") return "json";
  if (ext === "yaml" || ext === "yml" || name.toLowerCase() === "mlproject") return "yaml";
  if (ext === "csv" || ext === "tsv") return "csv";
  if (ext === "md" || ext === "markdown") return "markdown";
  if (ext === "html" || ext === "htm") return "html";
  if (TEXT_EXTENSIONS.has(ext) || TEXT_NAMES.has(name.toLowerCase())) return "text";
  return "unknown";
}

/** The MIME type an image blob is given (an <img> needs it for SVG). */
export function imageType(path: string): string {
  return IMAGE_TYPES[extension(path)] ?? "application/octet-stream";
}

export function previewLimit(kind: PreviewKind): number {
  return kind === "image" ? IMAGE_PREVIEW_LIMIT : TEXT_PREVIEW_LIMIT;
}

/** A NUL byte in the first 8 KB: not text. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

export function formatBytes(n: number | undefined): string {
  if (n === undefined) return "";
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** Event-handler attributes inside tags, renamed before any parsing (see `inertHtml`). */
const TAG = /<[a-zA-Z/!][^>]*>/g;
const HANDLER = /([\s"'/])on([a-z0-9_-]*)\s*=/gi;
const RENAMED = "data-cairn-on";

/**
 * HTML for the sandboxed preview frame with scripts, event-handler attributes and
 * `javascript:` URLs removed. The frame's empty sandbox already keeps them from running; this
 * keeps the browser from logging every blocked attempt, and is a second fence. Handlers are
 * renamed textually first: Chrome reports a CSP violation for an inline handler as soon as a
 * parser (even DOMParser) creates one.
 */
export function inertHtml(html: string): string {
  const renamed = html.replace(TAG, (tag) => tag.replace(HANDLER, `$1${RENAMED}$2=`));
  const doc = new DOMParser().parseFromString(renamed, "text/html");
  doc.querySelectorAll("script, noscript, object, embed, base").forEach((el) => el.remove());
  doc.querySelectorAll("meta[http-equiv]").forEach((el) => el.remove());
  for (const el of Array.from(doc.querySelectorAll("*"))) {
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      const value = attr.value.trim().toLowerCase();
      if (
        name.startsWith("on") ||
        name.startsWith(RENAMED) ||
        value.startsWith("javascript:") ||
        value.startsWith("vbscript:")
      ) {
        el.removeAttribute(attr.name);
      }
    }
  }
  return `<!doctype html>${doc.documentElement.outerHTML}`;
}
