/**
 * The registry's entities as the server sends them (MLflow's REST JSON, reference section 3.4,
 * plus cairn's audit events). Unset fields are omitted on the wire, hence the optionals.
 */

export interface KeyValue {
  key: string;
  value: string;
}

export type Stage = "None" | "Staging" | "Production" | "Archived";
export const STAGES: readonly Stage[] = ["None", "Staging", "Production", "Archived"];

export interface ModelVersion {
  name: string;
  version: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  user_id?: string;
  current_stage?: string;
  description?: string;
  source?: string;
  run_id?: string;
  run_link?: string;
  status?: string;
  status_message?: string;
  tags?: KeyValue[];
  aliases?: string[];
  model_id?: string;
}

export interface RegisteredModel {
  name: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  user_id?: string;
  description?: string;
  latest_versions?: ModelVersion[];
  tags?: KeyValue[];
  aliases?: { alias: string; version: string }[];
}

export type RegistryEventType =
  | "model_created"
  | "model_renamed"
  | "model_description_changed"
  | "model_tag_set"
  | "model_tag_deleted"
  | "model_deleted"
  | "alias_set"
  | "alias_deleted"
  | "version_created"
  | "version_description_changed"
  | "version_tag_set"
  | "version_tag_deleted"
  | "stage_transitioned"
  | "version_deleted";

export interface RegistryEvent {
  event_id: number;
  name: string;
  version?: string | number | null;
  /** A known type, or a newer server's one (shown by its name). */
  event_type: RegistryEventType | (string & {});
  user_id?: string | null;
  timestamp: number;
  details?: Record<string, unknown>;
}

export interface ModelsPage {
  registered_models?: RegisteredModel[];
  next_page_token?: string;
}

export interface VersionsPage {
  model_versions?: ModelVersion[];
  next_page_token?: string;
}

/** The parts of a run the lineage and compare views read (runs/get). */
export interface Run {
  info: {
    run_id: string;
    run_name?: string;
    experiment_id: string;
    user_id?: string;
    status?: string;
    start_time?: number;
    end_time?: number;
    lifecycle_stage?: string;
  };
  data?: {
    metrics?: { key: string; value: number | string; timestamp?: number; step?: number }[];
    params?: KeyValue[];
    tags?: KeyValue[];
  };
  inputs?: {
    dataset_inputs?: {
      tags?: KeyValue[];
      dataset: { name: string; digest: string; source_type?: string; source?: string };
    }[];
    model_inputs?: { model_id: string }[];
  };
  outputs?: { model_outputs?: { model_id: string; step?: number }[] };
}

export interface Experiment {
  experiment_id: string;
  name: string;
  lifecycle_stage?: string;
}

export interface LoggedModel {
  info: { model_id: string; source_run_id?: string; name?: string; experiment_id?: string };
}
