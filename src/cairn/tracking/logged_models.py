"""The client's logged-model arguments, MLflow-style, turned into the entities a store takes.

``MlflowClient`` accepts plain mappings for a logged model's tags and params, and ``order_by``
dicts for searches; ``CairnClient`` keeps those signatures, and these conversions keep its
methods one store call each. :func:`run_models_named` is how ``runs:/<run>/<name>`` finds the
logged model behind it (model loading and registration both ask).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from cairn.entities import LoggedModel, LoggedModelParam, LoggedModelTag, Run
from cairn.store.tracking.base import LoggedModelOrder

if TYPE_CHECKING:
    from cairn.tracking.client import CairnClient


def model_tags(tags: Mapping[str, Any]) -> list[LoggedModelTag]:
    """Tags with their values as strings."""
    return [LoggedModelTag(k, str(v)) for k, v in tags.items()]


def model_params(params: Mapping[str, Any]) -> list[LoggedModelParam]:
    """Params with their values as strings."""
    return [LoggedModelParam(k, str(v)) for k, v in params.items()]


def search_orders(
    order_by: Sequence[LoggedModelOrder | Mapping[str, Any]] | None,
) -> list[LoggedModelOrder]:
    """MLflow's ``{"field_name": ..., "ascending": ...}`` dicts as ``LoggedModelOrder``."""
    return [o if isinstance(o, LoggedModelOrder) else LoggedModelOrder(**o) for o in order_by or ()]


def run_models_named(client: CairnClient, run: Run, name: str) -> list[LoggedModel]:
    """The run's logged models called ``name``, latest step first (MLflow 3 stores a run's
    ``log_model(name=...)`` output there, not in the run's artifacts). Found by a search
    filtered on the name, as MLflow's client does, since not every server filters on the run."""
    if not name or "'" in name or "\\" in name:  # never a model name; no filter literal holds it
        return []
    found: list[LoggedModel] = []
    token: str | None = None
    while True:
        page = client.search_logged_models(
            [run.info.experiment_id], filter_string=f"name = '{name}'", page_token=token
        )
        found.extend(m for m in page if m.source_run_id == run.info.run_id)
        token = page.next_page_token
        if token is None:
            break
    steps = {out.model_id: out.step for out in run.outputs.model_outputs}
    return sorted(found, key=lambda m: steps.get(m.model_id, -1), reverse=True)
