"""Merging two inferred value types into the one that covers both (MLflow's ``_merge``).

Inferring a list or a column looks at every item and must widen the type seen so far with
each new one; this rule works on :mod:`cairn.models.data_types` alone and knows nothing of
the data being inferred, so it lives apart from :mod:`cairn.models.infer`.
"""

from __future__ import annotations

from cairn.errors import InvalidParameterValue
from cairn.models.data_types import AnyType, Array, ColType, DataType, Map, Object, Property


def merge_types(left: ColType, right: ColType) -> ColType:
    """The type covering both (MLflow's ``_merge``): objects gain optional properties, an
    AnyType makes the other side optional; different scalar types do not merge."""
    if isinstance(left, AnyType):
        return right if isinstance(right, (DataType, AnyType)) else merge_types(right, left)
    if isinstance(left, DataType):
        if left == right or isinstance(right, AnyType):
            return left
        raise InvalidParameterValue(f"Types are incompatible: {left!r} and {right!r}")
    if isinstance(left, Array):
        if isinstance(right, AnyType) or left == right:
            return left
        if not isinstance(right, Array):
            raise InvalidParameterValue(f"Can't merge array with {type(right).__name__}")
        return Array(merge_types(left.items, right.items))
    if isinstance(left, Map):
        if isinstance(right, AnyType) or left == right:
            return left
        if not isinstance(right, Map):
            raise InvalidParameterValue(f"Can't merge map with {type(right).__name__}")
        return Map(merge_types(left.value_type, right.value_type))
    return _merge_objects(left, right)


def _merge_objects(left: Object, right: ColType) -> Object:
    if isinstance(right, AnyType):
        return Object([Property(p.name, p.dtype, False) for p in left.properties])
    if not isinstance(right, Object):
        raise InvalidParameterValue(f"Can't merge object with {type(right).__name__}")
    ours = {p.name: p for p in left.properties}
    theirs = {p.name: p for p in right.properties}
    merged = [Property(n, p.dtype, False) for n, p in ours.items() if n not in theirs]
    for name in ours.keys() & theirs.keys():
        a, b = ours[name], theirs[name]
        merged.append(Property(name, merge_types(a.dtype, b.dtype), a.required and b.required))
    merged += [Property(n, p.dtype, False) for n, p in theirs.items() if n not in ours]
    return Object(merged)
