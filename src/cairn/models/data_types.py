"""The value types a signature names: scalar :class:`DataType` and the composite
:class:`Array`, :class:`Object`, :class:`Map` and :class:`AnyType`.

Column specs (:mod:`cairn.models.signature`) and inference params
(:mod:`cairn.models.params_schema`) both type their values with these, so they live below both
in their own module; their JSON form is MLflow's, byte-for-byte.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Union

from cairn.errors import InvalidParameterValue


class DataType(Enum):
    """Scalar column types; each maps to the numpy dtype MLflow uses for it."""

    boolean = "boolean"
    integer = "integer"
    long = "long"
    float = "float"
    double = "double"
    string = "string"
    binary = "binary"
    datetime = "datetime"

    def __repr__(self) -> str:
        return self.name

    def to_numpy(self) -> Any:
        """The numpy dtype (``str``/``bytes`` are size-less, datetime is nanoseconds)."""
        import numpy as np

        return np.dtype(_NUMPY_NAMES[self])

    def to_pandas(self) -> Any:
        """The dtype pandas holds this type in: strings and bytes live in object columns."""
        return object if self in (DataType.string, DataType.binary) else self.to_numpy()

    def to_python(self) -> type:
        return _PYTHON_TYPES[self]


_NUMPY_NAMES = {
    DataType.boolean: "bool",
    DataType.integer: "int32",
    DataType.long: "int64",
    DataType.float: "float32",
    DataType.double: "float64",
    DataType.string: "str",
    DataType.binary: "bytes",
    DataType.datetime: "datetime64[ns]",
}
_PYTHON_TYPES: dict[DataType, type] = {
    DataType.boolean: bool,
    DataType.integer: int,
    DataType.long: int,
    DataType.float: builtins.float,
    DataType.double: builtins.float,
    DataType.string: str,
    DataType.binary: bytes,
    DataType.datetime: dt.date,
}

ColType = Union[DataType, "Array", "Object", "Map", "AnyType"]


def as_type(value: Any, what: str) -> ColType:
    """Accept a type object or a scalar type name (``"long"``), as MLflow's constructors do."""
    if isinstance(value, str):
        try:
            return DataType[value]
        except KeyError:
            names = [t.name for t in DataType]
            raise InvalidParameterValue(
                f"Unsupported type '{value}', expected instance of DataType, Array, Object, "
                f"Map or one of {names}"
            ) from None
    if not isinstance(value, (DataType, Array, Object, Map, AnyType)):
        raise InvalidParameterValue(
            f"Expected DataType, Array, Object, Map, AnyType or str for {what}, got {value!r}"
        )
    return value


def type_dict(value: ColType) -> dict[str, Any]:
    """The JSON object of a type: ``{"type": "long"}`` for a scalar, ``to_dict()`` otherwise."""
    return {"type": value.name} if isinstance(value, DataType) else value.to_dict()


@dataclass(frozen=True, repr=False)
class Array:
    """A list whose items all have one type."""

    items: ColType

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", as_type(self.items, "items"))

    def to_dict(self) -> dict[str, Any]:
        return {"type": "array", "items": type_dict(self.items)}

    def __repr__(self) -> str:
        return f"Array({self.items!r})"


@dataclass(frozen=True, repr=False)
class Property:
    """One named field of an :class:`Object`."""

    name: str
    dtype: ColType
    required: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise InvalidParameterValue(f"Expected name to be a string, got {self.name!r}")
        object.__setattr__(self, "dtype", as_type(self.dtype, "dtype"))

    def to_dict(self) -> dict[str, Any]:
        return {self.name: {**type_dict(self.dtype), "required": self.required}}

    def __repr__(self) -> str:
        return f"{self.name}: {self.dtype!r} ({'required' if self.required else 'optional'})"


@dataclass(frozen=True, repr=False)
class Object:
    """A JSON object with known properties, kept sorted by name like MLflow does."""

    properties: Sequence[Property]

    def __post_init__(self) -> None:
        props = list(self.properties)
        if not props or not all(isinstance(p, Property) for p in props):
            raise InvalidParameterValue("Object needs a non-empty list of Property")
        names = [p.name for p in props]
        if duplicates := sorted({n for n in names if names.count(n) > 1}):
            raise InvalidParameterValue(f"Found duplicated property names: `{duplicates}`")
        object.__setattr__(self, "properties", tuple(sorted(props, key=lambda p: p.name)))

    def to_dict(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for prop in self.properties:
            merged.update(prop.to_dict())
        return {"type": "object", "properties": merged}

    def __repr__(self) -> str:
        return "{" + ", ".join(map(repr, self.properties)) + "}"


@dataclass(frozen=True, repr=False)
class Map:
    """A dict with string keys and values of one type."""

    value_type: ColType

    def __post_init__(self) -> None:
        object.__setattr__(self, "value_type", as_type(self.value_type, "value_type"))

    def to_dict(self) -> dict[str, Any]:
        return {"type": "map", "values": type_dict(self.value_type)}

    def __repr__(self) -> str:
        return f"Map(str -> {self.value_type!r})"


@dataclass(frozen=True, repr=False)
class AnyType:
    """Anything JSON-able, None included; nothing is validated."""

    def to_dict(self) -> dict[str, Any]:
        return {"type": "any"}

    def __repr__(self) -> str:
        return "Any"


def type_from_dict(data: dict[str, Any]) -> ColType:
    """Parse a type JSON object (``{"type": "array", "items": {...}}``...)."""
    kind = data.get("type")
    if kind == "array":
        return Array(type_from_dict(data["items"]))
    if kind == "object":
        props = data["properties"]
        return Object(tuple(_property_from_dict(n, p) for n, p in props.items()))
    if kind == "map":
        return Map(type_from_dict(data["values"]))
    if kind == "any":
        return AnyType()
    return as_type(kind, "type")


def _property_from_dict(name: str, data: dict[str, Any]) -> Property:
    return Property(name, type_from_dict(data), data.get("required", True))
