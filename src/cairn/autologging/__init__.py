"""Autologging: one call captures params, metrics, datasets and models while a library trains.

>>> import cairn
>>> cairn.autolog()  # doctest: +SKIP

``cairn.autolog`` turns on every supported integration whose library is installed;
``cairn.sklearn.autolog`` configures scikit-learn alone. A failure inside autologging is a
warning, never an exception in the user's training code (see ``patching``).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Mapping
from typing import Any

from cairn.autologging.import_hooks import cancel, patch_on_import

#: integration -> (the libraries it serves, any one installed enables it; the module holding
#: its ``autolog``).
_INTEGRATIONS = {
    "sklearn": (("sklearn",), "cairn.autologging.sklearn"),
    "lightgbm": (("lightgbm",), "cairn.autologging.lightgbm"),
    "xgboost": (("xgboost",), "cairn.autologging.xgboost"),
    "pytorch": (("lightning", "pytorch_lightning"), "cairn.autologging.pytorch_lightning"),
    "transformers": (("transformers",), "cairn.autologging.transformers"),
}


def _installed(libraries: tuple[str, ...]) -> bool:
    return any(importlib.util.find_spec(library) is not None for library in libraries)


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
    """Turn on (or with ``disable=True`` off) autologging for every installed integration;
    one whose library is not imported yet is set up when it is (see ``_enable``)."""
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
    for integration, (libraries, module_name) in _INTEGRATIONS.items():
        if _installed(libraries):
            _enable(integration, libraries, module_name, options)


def _enable(
    integration: str, libraries: tuple[str, ...], module_name: str, options: dict[str, Any]
) -> None:
    """Configure the integration now if its library is loaded (or to turn it off), else when
    the library is first imported: scikit-learn's autolog imports every estimator module
    (~3 s), which a script that never imports scikit-learn must not pay."""

    def configure(_module: object = None) -> None:
        try:
            enable: Callable[..., None] = importlib.import_module(module_name).autolog
            enable(**options)
        except Exception as exc:  # runs inside the user's import statement: never raise
            from cairn.autologging.patching import warn_failure

            warn_failure(integration, exc)

    for library in libraries:
        cancel(library)
    if options["disable"] or any(library in sys.modules for library in libraries):
        configure()
        return
    for library in libraries:
        patch_on_import(library, configure)


__all__ = ["autolog"]
