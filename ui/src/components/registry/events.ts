/**
 * Audit events as sentences: "alias champion: v1 → v2", "stage Staging → Production". The same
 * wording as `cairn models history`, so the UI and the CLI read alike. Plain strings only: the
 * caller renders them as text, so a tag value with markup stays visible markup.
 */
import type { RegistryEvent } from "./types";

type Details = Record<string, unknown>;

const ARROW = "→";

function v(version: unknown): string {
  return version === null || version === undefined || version === "" ? "(none)" : `v${version}`;
}

/** A user's text, quoted and cut to `max` characters (the full text is on the page). */
export function clip(value: unknown, max = 60): string {
  if (value === null || value === undefined || value === "") return "(empty)";
  const text = String(value);
  return `“${text.length > max ? `${text.slice(0, max - 1)}…` : text}”`;
}

function tagsText(tags: unknown): string {
  if (!tags || typeof tags !== "object") return "";
  const entries = Object.entries(tags as Record<string, unknown>);
  return entries.length ? `tags ${entries.map(([k, val]) => `${k}=${val}`).join(", ")}` : "";
}

function joinParts(head: string, parts: string[]): string {
  const rest = parts.filter(Boolean);
  return rest.length ? `${head} (${rest.join("; ")})` : head;
}

function stage(d: Details): string {
  const text = `stage ${d.from ?? "None"} ${ARROW} ${d.to ?? "None"}`;
  if (d.archived_by_version !== undefined && d.archived_by_version !== null) {
    return `${text} (archived by ${v(d.archived_by_version)})`;
  }
  if (d.archive_existing_versions) return `${text} (archiving other ${d.to} versions)`;
  return text;
}

function aliasSet(d: Details): string {
  const prev = d.previous_version;
  if (prev === null || prev === undefined) return `alias ${d.alias} set to ${v(d.version)}`;
  if (String(prev) === String(d.version)) return `alias ${d.alias} set to ${v(d.version)} (unchanged)`;
  return `alias ${d.alias}: ${v(prev)} ${ARROW} ${v(d.version)}`;
}

function versionDeleted(d: Details): string {
  const aliases = Array.isArray(d.aliases) ? (d.aliases as unknown[]).map(String) : [];
  return joinParts("version deleted", [
    d.stage ? `was in ${d.stage}` : "",
    aliases.length ? `aliases removed: ${aliases.join(", ")}` : "",
  ]);
}

const DESCRIBE: Record<string, (d: Details) => string> = {
  model_created: (d) =>
    joinParts("model created", [tagsText(d.tags), d.description ? `description ${clip(d.description)}` : ""]),
  model_renamed: (d) => `model renamed: ${d.old_name} ${ARROW} ${d.new_name}`,
  model_description_changed: (d) => `description changed: ${clip(d.from)} ${ARROW} ${clip(d.to)}`,
  model_tag_set: (d) => `tag ${d.key} set to ${clip(d.value)}`,
  model_tag_deleted: (d) => `tag ${d.key} deleted`,
  model_deleted: () => "model deleted",
  alias_set: aliasSet,
  alias_deleted: (d) => `alias ${d.alias} removed (was ${v(d.previous_version)})`,
  version_created: (d) =>
    joinParts(`version created from ${d.source ?? "(unknown source)"}`, [
      d.run_id ? `run ${d.run_id}` : "",
      d.model_id ? `logged model ${d.model_id}` : "",
      tagsText(d.tags),
    ]),
  version_description_changed: (d) => `description changed: ${clip(d.from)} ${ARROW} ${clip(d.to)}`,
  version_tag_set: (d) => `tag ${d.key} set to ${clip(d.value)}`,
  version_tag_deleted: (d) => `tag ${d.key} deleted`,
  stage_transitioned: stage,
  version_deleted: versionDeleted,
};

/** What the event changed, in words; a type this UI does not know shows its name and details. */
export function describeEvent(event: RegistryEvent): string {
  const details = (event.details ?? {}) as Details;
  const describe = DESCRIBE[event.event_type];
  if (describe) return describe(details);
  const raw = Object.entries(details)
    .map(([k, val]) => `${k}=${typeof val === "object" ? JSON.stringify(val) : val}`)
    .join(", ");
  return raw ? `${event.event_type}: ${raw}` : event.event_type;
}

/** The events of versions other than the one in view name their version first. */
export function describeEventFor(event: RegistryEvent, inModelView: boolean): string {
  const text = describeEvent(event);
  const hasVersion = event.version !== null && event.version !== undefined && event.version !== "";
  return inModelView && hasVersion ? `${v(event.version)}: ${text}` : text;
}

/** Who did it: the recorded user, or a plain word when the server did not know. */
export function eventActor(event: RegistryEvent): string {
  return event.user_id ? event.user_id : "an unknown user";
}
