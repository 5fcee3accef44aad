"""Linking logged models to runs: the models a run consumed (inputs) and produced (outputs).

Every 3.x ``log_model`` records its model as an output of the run at a step; evaluating a
model records it as an input. Both links are idempotent, and both name existing, active models.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from cairn.entities import ModelInput, ModelOutput
from cairn.errors import InvalidParameterValue
from cairn.store.db import tables as t
from cairn.store.tracking import validation as v
from cairn.store.tracking.sql import logged_models, runs
from cairn.store.tracking.sql._dialect import insert_ignore


def _check_ids(model_ids: Sequence[object]) -> None:
    for model_id in model_ids:
        if not isinstance(model_id, str) or not model_id:
            raise InvalidParameterValue("Missing value for required parameter 'model_id'.")


def log_inputs(conn: sa.Connection, run_id: str, models: Sequence[ModelInput]) -> None:
    ids = [m.model_id for m in models]
    _check_ids(ids)
    v.validate_run_id(run_id)
    runs.get_active_row(conn, run_id)
    logged_models.require_active(conn, set(ids))
    rows = [{"run_uuid": run_id, "model_id": model_id} for model_id in dict.fromkeys(ids)]
    insert_ignore(conn, t.run_model_inputs, rows)


def log_outputs(conn: sa.Connection, run_id: str, models: Sequence[ModelOutput]) -> None:
    _check_ids([m.model_id for m in models])
    for model in models:
        if isinstance(model.step, bool) or not isinstance(model.step, int):
            raise InvalidParameterValue(
                f"Model output {model.model_id!r} has step {model.step!r}; it must be an integer."
            )
    v.validate_run_id(run_id)
    runs.get_active_row(conn, run_id)
    logged_models.require_active(conn, {m.model_id for m in models})
    keys = dict.fromkeys((m.model_id, m.step) for m in models)
    rows = [{"run_uuid": run_id, "model_id": mid, "step": step} for mid, step in keys]
    insert_ignore(conn, t.run_model_outputs, rows)
