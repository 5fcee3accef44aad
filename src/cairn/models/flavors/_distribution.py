"""Pin the installed distribution that provides an importable module.

Some libraries ship under several distribution names that all install the same module:
``xgboost`` and ``xgboost-cpu`` both provide ``import xgboost``, as ``onnxruntime`` and
``onnxruntime-gpu`` both provide ``import onnxruntime``. A requirement must name the
distribution actually installed: pinning ``xgboost==3.2.0`` where only ``xgboost-cpu`` is
installed would make a serving environment download the (much larger, GPU) ``xgboost`` wheel
instead of the build the model was trained with. MLflow pins the module name and then adds
the inferred distribution beside it; cairn writes the one right pin.
"""

from __future__ import annotations

import functools
import importlib.metadata


@functools.cache
def _module_distributions() -> dict[str, list[str]]:
    """Scanning every installed distribution takes ~50-100 ms; autologging saves a model per
    training, so the map is read once per process (installing a package mid-process is rare
    and only changes which of several providers gets pinned)."""
    return dict(importlib.metadata.packages_distributions())


def providing_distribution(module: str) -> str:
    """The distribution that installed ``module``; the module's own name when it is one of
    several candidates or when no metadata maps it (e.g. code on ``sys.path`` only)."""
    candidates = _module_distributions().get(module) or [module]
    return module if module in candidates else sorted(candidates)[0]


def pinned_provider(module: str) -> str:
    """``"xgboost"`` -> ``"xgboost-cpu==3.2.0"`` when ``xgboost-cpu`` is what is installed."""
    from cairn.models.environment import pinned

    return pinned(providing_distribution(module), module=module)
