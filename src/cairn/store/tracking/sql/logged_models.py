"""Logged models (MLflow 3.x) in the SQL tracking store: create, read, finalize, delete, tags,
params, search, and the metric points runs log against a model.

A model is soft-deleted like a run: it disappears from searches and plain gets but its rows
stay, so the runs that link to it keep their inputs and outputs. Mutations find deleted models
too, as MLflow's do.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from typing import Any

import sqlalchemy as sa

from cairn.entities import (
    LifecycleStage,
    LoggedModel,
    LoggedModelParam,
    LoggedModelStatus,
    LoggedModelTag,
    Metric,
    Page,
)
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.store.db import tables as t
from cairn.store.search import decode_page_token, encode_page_token, select_logged_model_ids
from cairn.store.tracking import validation as v
from cairn.store.tracking.base import DatasetFilter, LoggedModelOrder
from cairn.store.tracking.run_names import generate_run_name
from cairn.store.tracking.sql import experiments, runs
from cairn.store.tracking.sql._dialect import insert_ignore, upsert
from cairn.store.tracking.sql.mapping import load_logged_models

#: A model's artifacts live in ``<experiment artifact location>/models/<model_id>/artifacts``.
MODELS_FOLDER = "models"
#: Characters MLflow forbids in a model name (they would break ``models:/`` and runs:/ URIs).
_BAD_NAME_CHARS = ("/", ":", ".", "%", '"', "'")
_FINAL_STATUSES = (
    LoggedModelStatus.LOGGED_MODEL_READY,
    LoggedModelStatus.LOGGED_MODEL_UPLOAD_FAILED,
)
MAX_NAME_LENGTH = 500
MAX_MODEL_TYPE_LENGTH = 500
MAX_KEY_LENGTH = 255
MAX_DATASET_NAME_LENGTH = 500
MAX_DATASET_DIGEST_LENGTH = 36
#: Page size cap of logged-model searches (MLflow's server default page is 100).
SEARCH_MAX_RESULTS_CAP = 1000


def _not_found(model_id: str) -> ResourceDoesNotExist:
    return ResourceDoesNotExist(f"Logged model with ID '{model_id}' not found.")


def get_row(conn: sa.Connection, model_id: str, allow_deleted: bool = True) -> Any:
    row = conn.execute(
        sa.select(t.logged_models).where(t.logged_models.c.model_id == model_id)
    ).first()
    if row is None or (not allow_deleted and row.lifecycle_stage != LifecycleStage.ACTIVE.value):
        raise _not_found(model_id)
    return row


def require_active(conn: sa.Connection, model_ids: Collection[str]) -> None:
    """One query for any number of ids; names every id that is unknown or deleted."""
    if not model_ids:
        return
    lm = t.logged_models
    found = set(
        conn.execute(
            sa.select(lm.c.model_id).where(
                lm.c.model_id.in_(sorted(model_ids)),
                lm.c.lifecycle_stage == LifecycleStage.ACTIVE.value,
            )
        ).scalars()
    )
    missing = sorted(set(model_ids) - found)
    if missing:
        raise ResourceDoesNotExist(
            f"Logged model(s) not found: {', '.join(repr(m) for m in missing)}."
        )


def _validate_name(name: str | None) -> str:
    if name is None:
        return generate_run_name()
    if not isinstance(name, str) or not name or any(c in name for c in _BAD_NAME_CHARS):
        raise InvalidParameterValue(
            f"Invalid model name {name!r}: it must be a non-empty string without any of "
            f"{' '.join(_BAD_NAME_CHARS)}"
        )
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidParameterValue(
            f"Model name is {len(name)} characters long; the limit is {MAX_NAME_LENGTH}."
        )
    return name


def _key_values(
    items: Sequence[LoggedModelTag] | Sequence[LoggedModelParam], what: str
) -> dict[str, str]:
    """Validated ``{key: value}``; a key given twice keeps its last value, as in MLflow."""
    result: dict[str, str] = {}
    for item in items:
        if not isinstance(item.key, str) or not item.key:
            raise InvalidParameterValue(f"Missing value for required parameter '{what} key'.")
        if len(item.key) > MAX_KEY_LENGTH:
            raise InvalidParameterValue(
                f"Logged model {what} key '{item.key[:80]}...' is {len(item.key)} characters "
                f"long; the limit is {MAX_KEY_LENGTH}."
            )
        if not isinstance(item.value, str):
            raise InvalidParameterValue(f"Logged model {what} '{item.key}' must be a string.")
        result[item.key] = item.value
    return result


def _rows(model_id: str, by_key: dict[str, str]) -> list[dict[str, str]]:
    return [{"model_id": model_id, "key": k, "value": val} for k, val in by_key.items()]


def create(
    conn: sa.Connection,
    experiment_id: int,
    name: str | None,
    source_run_id: str | None,
    tags: Sequence[LoggedModelTag],
    params: Sequence[LoggedModelParam],
    model_type: str | None,
) -> LoggedModel:
    name = _validate_name(name)
    if model_type is not None and len(model_type) > MAX_MODEL_TYPE_LENGTH:
        raise InvalidParameterValue(
            f"Model type is {len(model_type)} characters long; the limit is "
            f"{MAX_MODEL_TYPE_LENGTH}."
        )
    tag_values = _key_values(tags, "tag")
    param_values = _key_values(params, "param")
    exp = experiments.get_active_row(conn, experiment_id)
    if source_run_id:
        runs.get_row(conn, source_run_id)
    model_id = f"m-{uuid.uuid4().hex}"
    now = experiments.now_ms()
    conn.execute(
        sa.insert(t.logged_models).values(
            model_id=model_id,
            experiment_id=experiment_id,
            name=name,
            artifact_location=experiments.join_location(
                exp.artifact_location, MODELS_FOLDER, model_id, "artifacts"
            ),
            creation_timestamp=now,
            last_updated_timestamp=now,
            status=LoggedModelStatus.LOGGED_MODEL_PENDING.name,
            lifecycle_stage=LifecycleStage.ACTIVE.value,
            model_type=model_type,
            source_run_id=source_run_id or None,
            status_message=None,
        )
    )
    if tag_values:
        conn.execute(sa.insert(t.logged_model_tags), _rows(model_id, tag_values))
    if param_values:
        conn.execute(sa.insert(t.logged_model_params), _rows(model_id, param_values))
    return load_logged_models(conn, [model_id])[0]


def get(conn: sa.Connection, model_id: str, allow_deleted: bool) -> LoggedModel:
    get_row(conn, model_id, allow_deleted)
    return load_logged_models(conn, [model_id])[0]


def _touch(conn: sa.Connection, model_id: str, **values: Any) -> None:
    conn.execute(
        sa.update(t.logged_models)
        .where(t.logged_models.c.model_id == model_id)
        .values(last_updated_timestamp=experiments.now_ms(), **values)
    )


def finalize(
    conn: sa.Connection, model_id: str, status: LoggedModelStatus | str | int
) -> LoggedModel:
    parsed = LoggedModelStatus.parse(status)
    if parsed not in _FINAL_STATUSES:
        allowed = " or ".join(s.name for s in _FINAL_STATUSES)
        raise InvalidParameterValue(
            f"A logged model can only be finalized as {allowed}; got {parsed.name}."
        )
    get_row(conn, model_id)
    _touch(conn, model_id, status=parsed.name)
    return load_logged_models(conn, [model_id])[0]


def delete(conn: sa.Connection, model_id: str) -> None:
    get_row(conn, model_id)
    _touch(conn, model_id, lifecycle_stage=LifecycleStage.DELETED.value)


def set_tags(conn: sa.Connection, model_id: str, tags: Sequence[LoggedModelTag]) -> None:
    by_key = _key_values(tags, "tag")
    get_row(conn, model_id)
    upsert(conn, t.logged_model_tags, _rows(model_id, by_key), ["value"])
    _touch(conn, model_id)


def delete_tag(conn: sa.Connection, model_id: str, key: str) -> None:
    get_row(conn, model_id)
    lmt = t.logged_model_tags
    result = conn.execute(sa.delete(lmt).where(lmt.c.model_id == model_id, lmt.c.key == key))
    if result.rowcount == 0:
        raise ResourceDoesNotExist(f"No tag with key {key!r} found for model with ID {model_id!r}.")
    _touch(conn, model_id)


def log_params(conn: sa.Connection, model_id: str, params: Sequence[LoggedModelParam]) -> None:
    by_key = _key_values(params, "param")
    get_row(conn, model_id)
    upsert(conn, t.logged_model_params, _rows(model_id, by_key), ["value"])
    _touch(conn, model_id)


def check_metric_models(conn: sa.Connection, metrics: Sequence[Metric]) -> None:
    """Before a batch writes anything: every model its metrics name exists and is active."""
    for metric in metrics:
        for field, limit in (
            ("dataset_name", MAX_DATASET_NAME_LENGTH),
            ("dataset_digest", MAX_DATASET_DIGEST_LENGTH),
        ):
            value = getattr(metric, field)
            if value is not None and len(value) > limit:
                raise InvalidParameterValue(
                    f"Metric '{metric.key}' has a {field} of {len(value)} characters; "
                    f"the limit is {limit}."
                )
    require_active(conn, {m.model_id for m in metrics if m.model_id})


def record_metrics(conn: sa.Connection, run_id: str, metrics: Sequence[Metric]) -> None:
    """Record the points that name a model as that model's metrics too (first value wins for
    a repeated (model, key, timestamp, step, run), as in MLflow)."""
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for metric in metrics:
        if not metric.model_id:
            continue
        value, is_nan = v.encode_metric_value(metric.value)
        key = (metric.model_id, metric.key, metric.timestamp, metric.step)
        rows.setdefault(
            key,
            {
                "model_id": metric.model_id,
                "key": metric.key,
                "timestamp": metric.timestamp,
                "step": metric.step,
                "run_uuid": run_id,
                "value": value,
                "is_nan": is_nan,
                "dataset_name": metric.dataset_name or None,
                "dataset_digest": metric.dataset_digest or None,
            },
        )
    insert_ignore(conn, t.logged_model_metrics, list(rows.values()))


def search(
    conn: sa.Connection,
    experiment_ids: Sequence[str],
    filter_string: str | None,
    datasets: Sequence[DatasetFilter],
    max_results: int,
    order_by: Sequence[LoggedModelOrder],
    page_token: str | None,
) -> Page[LoggedModel]:
    if isinstance(max_results, bool) or not isinstance(max_results, int):
        raise InvalidParameterValue(f"max_results must be an integer; got {max_results!r}.")
    if not 1 <= max_results <= SEARCH_MAX_RESULTS_CAP:
        raise InvalidParameterValue(
            f"max_results must be between 1 and {SEARCH_MAX_RESULTS_CAP}; got {max_results}."
        )
    if not experiment_ids:
        raise InvalidParameterValue("A logged model search needs at least one experiment id.")
    ids = [v.parse_experiment_id(e) for e in experiment_ids]
    offset = decode_page_token(page_token)
    query = select_logged_model_ids(ids, filter_string, datasets, order_by, offset, max_results + 1)
    model_ids = list(conn.execute(query).scalars())
    token = encode_page_token(offset + max_results) if len(model_ids) > max_results else None
    return Page(tuple(load_logged_models(conn, model_ids[:max_results])), token)
