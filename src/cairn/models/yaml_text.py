"""YAML for model files through libyaml when PyYAML was built with it.

A saved model writes four YAML files (MLmodel twice, conda.yaml, python_env.yaml) and reads
MLmodel back; the pure-Python emitter and parser take ~2-4 ms per file, libyaml ~0.3 ms, with
the same text and data. Autologging saves a model per training, so this is part of its
overhead budget.
"""

from __future__ import annotations

from typing import IO, Any

import yaml

_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def dump(data: Any, stream: IO[str] | None = None, **options: Any) -> Any:
    """``yaml.safe_dump`` with the fastest safe dumper available."""
    return yaml.dump(data, stream, Dumper=_DUMPER, **options)


def load(text: str) -> Any:
    """``yaml.safe_load`` with the fastest safe loader available."""
    return yaml.load(text, Loader=_LOADER)  # a safe loader: what safe_load itself passes
