"""Patch a module's classes when the module is first imported, not before.

Importing ``transformers.trainer`` or Lightning's trainer loads torch and much more (seconds),
so ``cairn.autolog()`` must not import them just because they are installed: a scikit-learn
script would pay for it. When the module is not loaded yet, a finder at the
front of ``sys.meta_path`` waits for it and runs the patch right after the module's own code,
before the importer gets the module (the post-import hook ``wrapt`` and MLflow use).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

#: What to run with the freshly imported module; it must not raise (warn instead).
OnImport = Callable[[ModuleType], None]


class _PatchingLoader(importlib.abc.Loader):
    """The module's own loader, then ``on_import`` on the executed module."""

    def __init__(self, inner: Any, on_import: OnImport) -> None:
        self.inner = inner
        self.on_import = on_import

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        module: ModuleType | None = self.inner.create_module(spec)
        return module

    def exec_module(self, module: ModuleType) -> None:
        self.inner.exec_module(module)
        self.on_import(module)


class _ImportWatcher(importlib.abc.MetaPathFinder):
    """Finds nothing itself: it asks the other finders and wraps the loader they return."""

    def __init__(self, module_name: str, on_import: OnImport) -> None:
        self.module_name = module_name
        self.on_import = on_import
        self._finding = False

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.module_name or self._finding:
            return None
        self._finding = True  # importlib.util.find_spec asks this finder again
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            self._finding = False
        if spec is None or spec.loader is None:
            return None
        cancel(self.module_name)  # once: a re-import is patched by the patch's own guard
        spec.loader = _PatchingLoader(spec.loader, self.on_import)
        return spec


def patch_on_import(module_name: str, on_import: OnImport) -> None:
    """``on_import(module)`` now if ``module_name`` is loaded, else right after its import."""
    module = sys.modules.get(module_name)
    if module is not None:
        on_import(module)
        return
    cancel(module_name)
    sys.meta_path.insert(0, _ImportWatcher(module_name, on_import))


def cancel(module_name: str) -> None:
    """Stop waiting for ``module_name`` (``disable=True`` before it was ever imported)."""
    sys.meta_path[:] = [
        finder
        for finder in sys.meta_path
        if not (isinstance(finder, _ImportWatcher) and finder.module_name == module_name)
    ]


def waiting(module_name: str) -> bool:
    return any(
        isinstance(finder, _ImportWatcher) and finder.module_name == module_name
        for finder in sys.meta_path
    )
