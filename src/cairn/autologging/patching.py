"""Safe patching: wrap a class's method so autologging can never change what the user sees.

The wrapper runs the user's original method exactly once and returns its value (or raises its
exception) unchanged. Anything autologging raises around it becomes a warning (nothing when
``silent``), because a tracker must never kill training. Calls made while another patched call
is running (a pipeline fitting its steps, a grid search fitting clones) go straight to the
original, so only the outermost call logs.
"""

from __future__ import annotations

import functools
import logging
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from cairn.autologging.config import get_config, is_enabled

_logger = logging.getLogger(__name__)


class AutologgingWarning(UserWarning):
    """An autologging step failed; the user's training went on unaffected."""


class _Depth(threading.local):
    value = 0


_DEPTH = _Depth()

#: (owner class or module, attribute name) -> (integration, the attribute before patching).
_PATCHES: dict[tuple[Any, str], tuple[str, Any]] = {}


@dataclass
class OriginalCall:
    """The user's call, run at most once by a hook; remembers its result or exception."""

    function: Callable[..., Any]
    instance: Any
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    called: bool = False
    result: Any = None
    error: BaseException | None = field(default=None)

    def __call__(self) -> Any:
        if self.called:
            raise RuntimeError("An autologging hook called the original method twice.")
        self.called = True
        try:
            self.result = self.function(self.instance, *self.args, **self.kwargs)
        except BaseException as exc:
            self.error = exc
            raise
        return self.result


#: A hook gets the pending user call and runs it (once) between its logging steps.
Hook = Callable[[OriginalCall], None]


def warn_failure(integration: str, exc: BaseException) -> None:
    """Report an autologging failure without ever raising (even under ``-W error``)."""
    config = get_config(integration)
    if config is not None and config.silent:
        return
    message = f"cairn autologging for {integration} failed: {exc!r}"
    try:
        warnings.warn(message, AutologgingWarning, stacklevel=3)
    except Exception:
        _logger.warning(message)


def _run_hooked(integration: str, hook: Hook, call: OriginalCall) -> Any:
    """Run the hook; the user's outcome wins over anything the hook did or raised."""
    _DEPTH.value += 1
    try:
        failure: Exception | None = None
        try:
            hook(call)
        except Exception as exc:
            failure = exc
        if call.error is not None:
            raise call.error  # outside the handler: the user's exception stays as it was
        if failure is not None:
            warn_failure(integration, failure)
        return call.result if call.called else call()
    finally:
        _DEPTH.value -= 1


def patch_method(integration: str, owner: type, name: str, hook: Hook) -> None:
    """Replace ``owner.name`` with a safe wrapper running ``hook`` (idempotent)."""
    if (owner, name) in _PATCHES:
        return
    original = owner.__dict__[name]

    @functools.wraps(original)
    def patched(self: Any, *args: Any, **kwargs: Any) -> Any:
        if _DEPTH.value or not is_enabled(integration):
            return original(self, *args, **kwargs)
        call = OriginalCall(original, self, args, kwargs)
        return _run_hooked(integration, hook, call)

    _PATCHES[(owner, name)] = (integration, original)
    setattr(owner, name, patched)


def _unbound(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` taking (and dropping) the ``instance`` slot that ``OriginalCall`` passes."""

    def call(_instance: Any, *args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    return call


def patch_function(integration: str, module: ModuleType, name: str, hook: Hook) -> None:
    """Replace the module function ``module.name`` like ``patch_method`` (same guarantees);
    the hook's ``OriginalCall`` has ``instance=None`` and the user's args as given."""
    if (module, name) in _PATCHES:
        return
    original = getattr(module, name)
    unbound = _unbound(original)

    @functools.wraps(original)
    def patched(*args: Any, **kwargs: Any) -> Any:
        if _DEPTH.value or not is_enabled(integration):
            return original(*args, **kwargs)
        return _run_hooked(integration, hook, OriginalCall(unbound, None, args, kwargs))

    _PATCHES[(module, name)] = (integration, original)
    setattr(module, name, patched)


def unpatch_all(integration: str) -> None:
    """Put back every method the integration patched (``disable=True``)."""
    for key, (owner_integration, original) in list(_PATCHES.items()):
        if owner_integration == integration:
            setattr(key[0], key[1], original)
            del _PATCHES[key]


def patched_methods(integration: str) -> list[tuple[Any, str]]:
    return [key for key, (owner, _) in _PATCHES.items() if owner == integration]
