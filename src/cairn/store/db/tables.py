"""The relational schema, as SQLAlchemy Core tables (the Alembic tree must agree with it).

Core rather than ORM: the hot paths are bulk inserts and hand-shaped search queries, where the
unit of work only costs time. Strings use a binary collation on MySQL/MariaDB so that equality,
LIKE and uniqueness are case-sensitive on every backend, as MLflow's search grammar requires.
"""

from __future__ import annotations

import sqlalchemy as sa

from cairn.store.db.types import BigId, Blob, LongText, Str

#: Indexes that exist only on some backends. PostgreSQL caps a B-tree entry near 2.7 KB, so
#: a 6000-character param value cannot sit in an index there; MySQL indexes a prefix.
DIALECT_INDEXES: dict[str, tuple[str, ...]] = {
    "ix_params_key_value": ("sqlite", "mysql", "mariadb"),
    "ix_params_key": ("postgresql",),
}


def index_applies(name: str | None, dialect: str) -> bool:
    """Whether an index belongs in a database of this dialect."""
    return name not in DIALECT_INDEXES or dialect in DIALECT_INDEXES[name]


def _dialect_index(name: str, *columns: str, **kwargs: object) -> sa.Index:
    return sa.Index(name, *columns, **kwargs).ddl_if(dialect=DIALECT_INDEXES[name])  # type: ignore[arg-type]


metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _run_fk() -> sa.ForeignKey:
    return sa.ForeignKey("runs.run_uuid", ondelete="CASCADE")


experiments = sa.Table(
    "experiments",
    metadata,
    sa.Column("experiment_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", Str(500), nullable=False, unique=True),
    sa.Column("artifact_location", Str(2048), nullable=False),
    sa.Column("lifecycle_stage", Str(32), nullable=False),
    sa.Column("creation_time", sa.BigInteger, nullable=False),
    sa.Column("last_update_time", sa.BigInteger, nullable=False),
    sqlite_autoincrement=True,
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

experiment_tags = sa.Table(
    "experiment_tags",
    metadata,
    sa.Column(
        "experiment_id",
        sa.Integer,
        sa.ForeignKey("experiments.experiment_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("key", Str(250), primary_key=True),
    sa.Column("value", LongText(), nullable=False),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("run_uuid", Str(32), primary_key=True),
    sa.Column(
        "experiment_id",
        sa.Integer,
        sa.ForeignKey("experiments.experiment_id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("name", Str(250), nullable=False),
    sa.Column("user_id", Str(256), nullable=False),
    sa.Column("status", Str(20), nullable=False),
    sa.Column("start_time", sa.BigInteger, nullable=False),
    sa.Column("end_time", sa.BigInteger, nullable=True),
    sa.Column("deleted_time", sa.BigInteger, nullable=True),
    sa.Column("lifecycle_stage", Str(20), nullable=False),
    sa.Column("artifact_uri", Str(2200), nullable=False),
    sa.Index("ix_runs_experiment_id_start_time", "experiment_id", "start_time"),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

params = sa.Table(
    "params",
    metadata,
    sa.Column("run_uuid", Str(32), _run_fk(), primary_key=True),
    sa.Column("key", Str(250), primary_key=True),
    sa.Column("value", Str(6000), nullable=False),
    _dialect_index("ix_params_key_value", "key", "value", mysql_length={"value": 255}),
    _dialect_index("ix_params_key", "key"),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

tags = sa.Table(
    "tags",
    metadata,
    sa.Column("run_uuid", Str(32), _run_fk(), primary_key=True),
    sa.Column("key", Str(250), primary_key=True),
    sa.Column("value", LongText(), nullable=False),
    sa.Index("ix_tags_key", "key"),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

#: A run's metric points in chunks: one row per (run, key, logged batch) holding packed
#: little-endian columns (see cairn.store.tracking.series). A text-keyed row per point caps
#: SQLite near 190k points/s and costs ~150 bytes a point; a chunk costs 24 bytes a point and
#: reads back as three buffers. min/max step let range reads skip chunks.
metric_chunks = sa.Table(
    "metric_chunks",
    metadata,
    sa.Column("chunk_id", BigId(), primary_key=True, autoincrement=True),
    sa.Column("run_uuid", Str(32), _run_fk(), nullable=False),
    sa.Column("key", Str(250), nullable=False),
    sa.Column("point_count", sa.Integer, nullable=False),
    sa.Column("min_step", sa.BigInteger, nullable=False),
    sa.Column("max_step", sa.BigInteger, nullable=False),
    sa.Column("step_data", Blob(), nullable=False),
    sa.Column("timestamp_data", Blob(), nullable=False),
    sa.Column("value_data", Blob(), nullable=False),
    sa.Index("ix_metric_chunks_run_uuid_key", "run_uuid", "key"),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)
latest_metrics = sa.Table(
    "latest_metrics",
    metadata,
    sa.Column("run_uuid", Str(32), _run_fk(), primary_key=True),
    sa.Column("key", Str(250), primary_key=True),
    sa.Column("value", sa.Double, nullable=False),
    sa.Column("timestamp", sa.BigInteger, nullable=False),
    sa.Column("step", sa.BigInteger, nullable=False),
    sa.Column("is_nan", sa.Boolean, nullable=False),
    sa.Index("ix_latest_metrics_key_value", "key", "value"),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

datasets = sa.Table(
    "datasets",
    metadata,
    sa.Column("dataset_uuid", Str(36), primary_key=True),
    sa.Column(
        "experiment_id",
        sa.Integer,
        sa.ForeignKey("experiments.experiment_id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("name", Str(500), nullable=False),
    sa.Column("digest", Str(36), nullable=False),
    sa.Column("source_type", Str(36), nullable=False),
    sa.Column("source", LongText(), nullable=False),
    sa.Column("schema", LongText(), nullable=True),
    sa.Column("profile", LongText(), nullable=True),
    sa.UniqueConstraint("experiment_id", "name", "digest"),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

inputs = sa.Table(
    "inputs",
    metadata,
    sa.Column("input_uuid", Str(36), primary_key=True),
    sa.Column("source_type", Str(36), nullable=False),
    sa.Column("source_id", Str(36), nullable=False),
    sa.Column("destination_type", Str(36), nullable=False),
    sa.Column("destination_id", Str(36), nullable=False),
    sa.UniqueConstraint("source_type", "source_id", "destination_type", "destination_id"),
    sa.Index("ix_inputs_destination_id", "destination_id"),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

input_tags = sa.Table(
    "input_tags",
    metadata,
    sa.Column(
        "input_uuid",
        Str(36),
        sa.ForeignKey("inputs.input_uuid", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("name", Str(255), primary_key=True),
    sa.Column("value", Str(500), nullable=False),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)


def _model_fk() -> sa.ForeignKey:
    return sa.ForeignKey("logged_models.model_id", ondelete="CASCADE")


#: MLflow 3.x logged models. ``status`` holds the LoggedModelStatus name, so filters compare it
#: by name; ``source_run_id`` has no foreign key because a model outlives the run that made it.
#: Every foreign key column leads some index: InnoDB would otherwise add one of its own, which
#: the schema comparison would report.
logged_models = sa.Table(
    "logged_models",
    metadata,
    sa.Column("model_id", Str(36), primary_key=True),
    sa.Column(
        "experiment_id",
        sa.Integer,
        sa.ForeignKey("experiments.experiment_id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("name", Str(500), nullable=False),
    sa.Column("artifact_location", Str(2200), nullable=False),
    sa.Column("creation_timestamp", sa.BigInteger, nullable=False),
    sa.Column("last_updated_timestamp", sa.BigInteger, nullable=False),
    sa.Column("status", Str(32), nullable=False),
    sa.Column("lifecycle_stage", Str(32), nullable=False),
    sa.Column("model_type", Str(500), nullable=True),
    sa.Column("source_run_id", Str(32), nullable=True),
    sa.Column("status_message", Str(1000), nullable=True),
    sa.Index(
        "ix_logged_models_experiment_id_creation_timestamp", "experiment_id", "creation_timestamp"
    ),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

logged_model_tags = sa.Table(
    "logged_model_tags",
    metadata,
    sa.Column("model_id", Str(36), _model_fk(), primary_key=True),
    sa.Column("key", Str(255), primary_key=True),
    sa.Column("value", LongText(), nullable=False),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

logged_model_params = sa.Table(
    "logged_model_params",
    metadata,
    sa.Column("model_id", Str(36), _model_fk(), primary_key=True),
    sa.Column("key", Str(255), primary_key=True),
    sa.Column("value", LongText(), nullable=False),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

#: Every metric point logged with a ``model_id``; one per (model, key, timestamp, step, run) as
#: in MLflow, so re-logging a run's history against its model is idempotent.
logged_model_metrics = sa.Table(
    "logged_model_metrics",
    metadata,
    sa.Column("model_id", Str(36), _model_fk(), primary_key=True),
    sa.Column("key", Str(250), primary_key=True),
    sa.Column("timestamp", sa.BigInteger, primary_key=True),
    sa.Column("step", sa.BigInteger, primary_key=True),
    sa.Column("run_uuid", Str(32), _run_fk(), primary_key=True),
    sa.Column("value", sa.Double, nullable=False),
    sa.Column("is_nan", sa.Boolean, nullable=False),
    sa.Column("dataset_name", Str(500), nullable=True),
    sa.Column("dataset_digest", Str(36), nullable=True),
    sa.Index("ix_logged_model_metrics_key_model_id", "key", "model_id"),
    sa.Index("ix_logged_model_metrics_run_uuid", "run_uuid"),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

#: Logged models a run consumed (``RunInputs.model_inputs``).
run_model_inputs = sa.Table(
    "run_model_inputs",
    metadata,
    sa.Column("run_uuid", Str(32), _run_fk(), primary_key=True),
    sa.Column("model_id", Str(36), _model_fk(), primary_key=True),
    sa.Index("ix_run_model_inputs_model_id", "model_id"),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

#: Logged models a run produced, with the step they were logged at (``RunOutputs``).
run_model_outputs = sa.Table(
    "run_model_outputs",
    metadata,
    sa.Column("run_uuid", Str(32), _run_fk(), primary_key=True),
    sa.Column("model_id", Str(36), _model_fk(), primary_key=True),
    sa.Column("step", sa.BigInteger, primary_key=True),
    sa.Index("ix_run_model_outputs_model_id", "model_id"),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)


# --- Model Registry -------------------------------------------------------------------------
#: Registered models keep a surrogate key so a rename touches one row; ``next_version`` is the
#: per-model counter that makes version numbers increase and never come back after a delete.
registered_models = sa.Table(
    "registered_models",
    metadata,
    sa.Column("model_key", BigId(), primary_key=True, autoincrement=True),
    sa.Column("name", Str(256), nullable=False, unique=True),
    sa.Column("creation_timestamp", sa.BigInteger, nullable=False),
    sa.Column("last_updated_timestamp", sa.BigInteger, nullable=False),
    sa.Column("description", LongText(), nullable=True),
    sa.Column("user_id", Str(256), nullable=True),
    sa.Column("next_version", sa.Integer, nullable=False),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)


def _registered_model_fk() -> sa.ForeignKey:
    return sa.ForeignKey("registered_models.model_key", ondelete="CASCADE")


registered_model_tags = sa.Table(
    "registered_model_tags",
    metadata,
    sa.Column("model_key", BigId(), _registered_model_fk(), primary_key=True),
    sa.Column("key", Str(250), primary_key=True),
    sa.Column("value", LongText(), nullable=False),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

registered_model_aliases = sa.Table(
    "registered_model_aliases",
    metadata,
    sa.Column("model_key", BigId(), _registered_model_fk(), primary_key=True),
    sa.Column("alias", Str(255), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

#: Deleted versions stay as rows in stage ``Deleted_Internal`` with redacted locations, so their
#: numbers stay taken and the audit history keeps pointing at something.
model_versions = sa.Table(
    "model_versions",
    metadata,
    sa.Column("model_key", BigId(), _registered_model_fk(), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("creation_timestamp", sa.BigInteger, nullable=False),
    sa.Column("last_updated_timestamp", sa.BigInteger, nullable=False),
    sa.Column("user_id", Str(256), nullable=True),
    sa.Column("current_stage", Str(20), nullable=False),
    sa.Column("description", LongText(), nullable=True),
    sa.Column("source", Str(2200), nullable=False),
    sa.Column("run_id", Str(32), nullable=True),
    sa.Column("run_link", Str(2200), nullable=True),
    sa.Column("status", Str(32), nullable=False),
    sa.Column("status_message", Str(500), nullable=True),
    sa.Column("model_id", Str(36), nullable=True),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

model_version_tags = sa.Table(
    "model_version_tags",
    metadata,
    sa.Column("model_key", BigId(), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("key", Str(250), primary_key=True),
    sa.Column("value", LongText(), nullable=False),
    sa.ForeignKeyConstraint(
        ["model_key", "version"],
        ["model_versions.model_key", "model_versions.version"],
        ondelete="CASCADE",
    ),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

#: The audit history. No foreign key: events outlive the model they describe. ``details`` is
#: JSON text (what moved from where to where).
registry_events = sa.Table(
    "registry_events",
    metadata,
    sa.Column("event_id", BigId(), primary_key=True, autoincrement=True),
    sa.Column("name", Str(256), nullable=False),
    sa.Column("version", sa.Integer, nullable=True),
    sa.Column("event_type", Str(64), nullable=False),
    sa.Column("user_id", Str(256), nullable=True),
    sa.Column("timestamp", sa.BigInteger, nullable=False),
    sa.Column("details", LongText(), nullable=False),
    sa.Index("ix_registry_events_name_timestamp", "name", "timestamp"),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

# --- Webhooks -------------------------------------------------------------------------------
#: Deleted webhooks stay as rows (``deleted_timestamp`` set, secret cleared) so that delivery
#: records keep pointing at something, as MLflow soft-deletes them too.
webhooks = sa.Table(
    "webhooks",
    metadata,
    sa.Column("webhook_id", Str(36), primary_key=True),
    sa.Column("name", Str(63), nullable=False),
    sa.Column("description", LongText(), nullable=True),
    sa.Column("url", Str(2048), nullable=False),
    sa.Column("secret", Str(1024), nullable=True),
    sa.Column("status", Str(20), nullable=False),
    sa.Column("creation_timestamp", sa.BigInteger, nullable=False),
    sa.Column("last_updated_timestamp", sa.BigInteger, nullable=False),
    sa.Column("deleted_timestamp", sa.BigInteger, nullable=True),
    sa.Index("ix_webhooks_creation_timestamp", "creation_timestamp"),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)


def _webhook_fk() -> sa.ForeignKey:
    return sa.ForeignKey("webhooks.webhook_id", ondelete="CASCADE")


webhook_events = sa.Table(
    "webhook_events",
    metadata,
    sa.Column("webhook_id", Str(36), _webhook_fk(), primary_key=True),
    sa.Column("entity", Str(32), primary_key=True),
    sa.Column("action", Str(32), primary_key=True),
    sa.Index("ix_webhook_events_entity_action", "entity", "action"),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)

#: One row per HTTP attempt; retries of one event share ``delivery_id``.
webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    sa.Column("delivery_id", Str(36), primary_key=True),
    sa.Column("attempt", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("webhook_id", Str(36), _webhook_fk(), nullable=False),
    sa.Column("entity", Str(32), nullable=False),
    sa.Column("action", Str(32), nullable=False),
    sa.Column("status", Str(20), nullable=False),
    sa.Column("response_status", sa.Integer, nullable=True),
    sa.Column("error_message", Str(1000), nullable=True),
    sa.Column("timestamp", sa.BigInteger, nullable=False),
    sa.Column("duration_ms", sa.Integer, nullable=False),
    sa.Index("ix_webhook_deliveries_webhook_id_timestamp", "webhook_id", "timestamp"),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
)
