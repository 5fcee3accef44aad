import { describeEvent, describeEventFor, eventActor } from "./events";
import type { RegistryEvent } from "./types";

const event = (event_type: string, details: Record<string, unknown>, extra: Partial<RegistryEvent> = {}): RegistryEvent => ({
  event_id: 1,
  name: "churn",
  event_type,
  user_id: "alice",
  timestamp: 1_700_000_000_000,
  details,
  ...extra,
});

describe("describeEvent", () => {
  it("says where an alias moved", () => {
    expect(describeEvent(event("alias_set", { alias: "champion", version: 2, previous_version: 1 }))).toBe(
      "alias champion: v1 → v2",
    );
    expect(describeEvent(event("alias_set", { alias: "champion", version: 1, previous_version: null }))).toBe(
      "alias champion set to v1",
    );
    expect(describeEvent(event("alias_deleted", { alias: "champion", previous_version: 2 }))).toBe(
      "alias champion removed (was v2)",
    );
  });

  it("says how a stage changed, and why a version was archived", () => {
    expect(describeEvent(event("stage_transitioned", { from: "Staging", to: "Production", archive_existing_versions: false }))).toBe(
      "stage Staging → Production",
    );
    expect(describeEvent(event("stage_transitioned", { from: "Production", to: "Archived", archived_by_version: 3 }))).toBe(
      "stage Production → Archived (archived by v3)",
    );
    expect(describeEvent(event("stage_transitioned", { from: "None", to: "Production", archive_existing_versions: true }))).toBe(
      "stage None → Production (archiving other Production versions)",
    );
  });

  it("describes creation, renames, tags, descriptions and deletion", () => {
    expect(describeEvent(event("version_created", { source: "s3://b/m", run_id: "r1", model_id: null, tags: {} }))).toBe(
      "version created from s3://b/m (run r1)",
    );
    expect(describeEvent(event("model_created", { description: "", tags: { team: "ml" } }))).toBe("model created (tags team=ml)");
    expect(describeEvent(event("model_renamed", { old_name: "a", new_name: "b" }))).toBe("model renamed: a → b");
    expect(describeEvent(event("model_tag_set", { key: "team", value: "ml" }))).toBe("tag team set to “ml”");
    expect(describeEvent(event("version_tag_deleted", { key: "team" }))).toBe("tag team deleted");
    expect(describeEvent(event("version_description_changed", { from: "", to: "x".repeat(80) }))).toBe(
      `description changed: (empty) → “${"x".repeat(59)}…”`,
    );
    expect(describeEvent(event("version_deleted", { stage: "Staging", aliases: ["champion"] }))).toBe(
      "version deleted (was in Staging; aliases removed: champion)",
    );
  });

  it("keeps an unknown event readable", () => {
    expect(describeEvent(event("model_frozen", { reason: "audit", by: { team: "x" } }))).toBe(
      'model_frozen: reason=audit, by={"team":"x"}',
    );
    expect(describeEvent(event("model_thawed", {}))).toBe("model_thawed");
  });

  it("names the version in the model's history and the user", () => {
    const e = event("stage_transitioned", { from: "None", to: "Staging" }, { version: "2" });
    expect(describeEventFor(e, true)).toBe("v2: stage None → Staging");
    expect(describeEventFor(e, false)).toBe("stage None → Staging");
    expect(describeEventFor(event("model_deleted", {}, { version: null }), true)).toBe("model deleted");
    expect(eventActor(e)).toBe("alice");
    expect(eventActor({ ...e, user_id: null })).toBe("an unknown user");
  });
});
