"""Autologging: one call captures params, metrics, datasets and models while a library trains.

>>> import cairn
>>> cairn.autolog()  # doctest: +SKIP

``cairn.autolog`` turns on every supported integration whose library is installed;
``cairn.sklearn.autolog`` configures scikit-learn alone. A failure inside autologging is a
warning, never an exception in the user's training code (see ``patching``).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping
from typing import Any

#: integration -> (the library it needs, the module holding its ``autolog``).
_INTEGRATIONS = {
    "sklearn": ("sklearn", "cairn.autologging.sklearn"),
    "lightgbm": ("lightgbm", "cairn.autologging.lightgbm"),
    "xgboost": ("xgboost", "cairn.autologging.xgboost"),
}


def _installed(library: str) -> bool:
    return importlib.util.find_spec(library) is not None


def autolog(
    log_models: bool = True,
    log_datasets: bool = True,
    log_input_examples: bool = False,
    log_model_signatures: bool = True,
    disable: bool = False,
    exclusive: bool = False,
    silent: bool = False,
    max_tuning_runs: int | None = 5,
    registered_model_name: str | None = None,
    extra_tags: Mapping[str, Any] | None = None,
) -> None:
    """Turn on (or with ``disable=True`` off) autologging for every installed integration."""
    options = dict(
        log_models=log_models,
        log_datasets=log_datasets,
        log_input_examples=log_input_examples,
        log_model_signatures=log_model_signatures,
        disable=disable,
        exclusive=exclusive,
        silent=silent,
        max_tuning_runs=max_tuning_runs,
        registered_model_name=registered_model_name,
        extra_tags=extra_tags,
    )
    for library, module_name in _INTEGRATIONS.values():
        if _installed(library):
            integration: Callable[..., None] = importlib.import_module(module_name).autolog
            integration(**options)


__all__ = ["autolog"]
