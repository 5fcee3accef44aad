"""Which numpy dtype casts cannot change a value: the one widening rule that column
enforcement (:mod:`cairn.models.enforcement`) and tensor enforcement
(:mod:`cairn.models.tensor_enforcement`) share, kept in one place so both always agree.
"""

from __future__ import annotations

from typing import Any


def is_upcast(given: Any, target: Any) -> bool:
    """Same kind and not narrower; unsigned into wider signed; small ints into double."""
    import numpy as np

    if given.kind == target.kind:
        return bool(given.itemsize <= target.itemsize)
    if given.kind == "u" and target.kind == "i":
        return bool(given.itemsize < target.itemsize)
    return given.kind in ("i", "u") and target == np.float64 and given.itemsize <= 6
