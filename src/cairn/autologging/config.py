"""Per-integration autologging settings: what ``cairn.autolog(...)`` asked for, by library.

Kept apart from the patches so a patched method reads its settings at call time: changing
``cairn.sklearn.autolog(log_models=False)`` takes effect without re-patching anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class AutologConfig:
    """The options of one integration, as MLflow users know them."""

    log_models: bool = True
    log_datasets: bool = True
    log_input_examples: bool = False
    log_model_signatures: bool = True
    disable: bool = False
    exclusive: bool = False
    silent: bool = False
    max_tuning_runs: int | None = 5
    registered_model_name: str | None = None
    extra_tags: Mapping[str, str] = field(default_factory=dict)


_CONFIGS: dict[str, AutologConfig] = {}


def set_config(integration: str, config: AutologConfig) -> None:
    _CONFIGS[integration] = config


def get_config(integration: str) -> AutologConfig | None:
    """The integration's settings, or None when it was never turned on."""
    return _CONFIGS.get(integration)


def is_enabled(integration: str) -> bool:
    config = _CONFIGS.get(integration)
    return config is not None and not config.disable


def configure(integration: str, options: Mapping[str, Any]) -> AutologConfig:
    """Store an integration's settings from its ``autolog`` arguments (pass ``locals()``);
    arguments that are not common options (an integration's own) are left to the caller."""
    names = {f.name for f in fields(AutologConfig)}
    values = {k: v for k, v in options.items() if k in names}
    values["extra_tags"] = {k: str(v) for k, v in (values.get("extra_tags") or {}).items()}
    config = AutologConfig(**values)
    set_config(integration, config)
    return config
