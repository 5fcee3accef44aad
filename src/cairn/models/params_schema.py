"""Inference params of a signature: :class:`ParamSpec`, :class:`ParamSchema` and the casts
they allow.

Params are typed and validated differently from input columns (a value is cast only by a
widening cast, a list param must be 1-D, binary is refused), and they are checked both when a
spec is built and at predict time (:mod:`cairn.models.param_enforcement`), so those rules live
together here rather than inside the column schema of :mod:`cairn.models.signature`.
"""

from __future__ import annotations

import builtins
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cairn.errors import InvalidParameterValue
from cairn.models.data_types import Array, DataType, Object, type_dict, type_from_dict

#: Which inferred value types a param of each type accepts besides its own (MLflow's rules).
_PARAM_WIDENING = {
    DataType.long: (DataType.integer,),
    DataType.float: (DataType.integer, DataType.long),
    DataType.double: (DataType.integer, DataType.long, DataType.float),
}
_EXACT_TYPES: dict[DataType, tuple[type, ...]] = {
    DataType.boolean: (bool,),
    DataType.integer: (int,),
    DataType.long: (int,),
    DataType.float: (builtins.float,),
    DataType.double: (builtins.float,),
    DataType.string: (str,),
    DataType.binary: (bytes, bytearray),
    DataType.datetime: (dt.date, dt.datetime),
}


def value_has_type(dtype: DataType, value: Any) -> bool:
    """MLflow's ``DataType.check_type``: exact Python type, or numpy scalar of the dtype."""
    import numpy as np

    if type(value) in _EXACT_TYPES[dtype]:
        return True
    if isinstance(value, np.generic):
        if dtype is DataType.datetime:
            return type(value) is np.datetime64
        return bool(np.dtype(type(value)) == dtype.to_numpy())
    return False


def coerce_param_value(value: Any, dtype: DataType) -> Any:
    """Turn one param value into the Python type of ``dtype``, allowing only widening casts
    (int -> long/float/double, float -> double); anything -> datetime is tried."""
    import numpy as np

    if value is None:
        return None
    if dtype is DataType.datetime:
        try:
            converted = np.datetime64(value).item()
        except ValueError as exc:
            raise InvalidParameterValue(
                f"Failed to convert value `{value}` from type `{type(value)}` to `{dtype}`"
            ) from exc
        if isinstance(converted, int):
            raise InvalidParameterValue(
                f"Failed to convert value to `{dtype}`. "
                f"It must be convertible to datetime.date/datetime, got `{value}`"
            )
        return converted
    if not np.isscalar(value):
        raise InvalidParameterValue(f"Value must be a scalar for type `{dtype}`, got `{value}`")
    widening = _PARAM_WIDENING.get(dtype, ())
    if value_has_type(dtype, value) or any(value_has_type(t, value) for t in widening):
        return dtype.to_python()(value)
    raise InvalidParameterValue(
        f"Can not safely convert `{type(value)}` to `{dtype}` for value `{value!s}`"
    )


def _check_object_value(value: Any, obj: Object) -> None:
    """Structural check of a dict param against an Object type (the value is kept as given)."""
    if not isinstance(value, dict):
        raise InvalidParameterValue(f"Expected data to be dictionary, got {type(value).__name__}")
    props = {p.name: p for p in obj.properties}
    if missing := {n for n, p in props.items() if p.required} - set(value):
        raise InvalidParameterValue(f"Missing required properties: {missing}")
    if unknown := set(value) - set(props):
        raise InvalidParameterValue(f"Invalid properties not defined in the schema: {unknown}")
    for key, item in value.items():
        prop = props[key]
        if item is None and not prop.required:
            continue
        if isinstance(prop.dtype, DataType):
            coerce_param_value(item, prop.dtype)
        elif isinstance(prop.dtype, Object):
            _check_object_value(item, prop.dtype)
        elif isinstance(prop.dtype, Array) and not isinstance(item, list):
            raise InvalidParameterValue(f"Expected a list for key `{key}`")


@dataclass(frozen=True, repr=False)
class ParamSpec:
    """One inference param: a scalar (``shape=None``) or a 1-D list (``shape=(-1,)``) of a
    non-binary scalar type, or an Object. The default is validated and normalised."""

    name: str
    dtype: DataType | Object
    default: Any
    shape: Sequence[int] | None = None

    def __post_init__(self) -> None:
        dtype: Any = self.dtype
        if isinstance(dtype, str) and dtype in DataType.__members__:
            dtype = DataType[dtype]
        if not isinstance(dtype, (DataType, Object)):
            raise InvalidParameterValue(f"Unsupported type '{self.dtype}' for param '{self.name}'")
        if dtype is DataType.binary:
            raise InvalidParameterValue(
                f"Binary type is not supported for parameters, ParamSpec '{self.name}'"
            )
        object.__setattr__(self, "name", str(self.name))
        object.__setattr__(self, "dtype", dtype)
        object.__setattr__(self, "shape", None if self.shape is None else tuple(self.shape))
        object.__setattr__(self, "default", self.validate(self.default))

    def validate(self, value: Any) -> Any:
        """The value cast to this spec's type, or :class:`InvalidParameterValue`."""
        import numpy as np

        is_1d = isinstance(value, (list, np.ndarray)) and np.array(value).ndim == 1
        if self.shape == (-1,) and not is_1d:
            raise InvalidParameterValue(
                f"Value must be a 1D array with shape (-1,) for param {self!r}, "
                f"received {type(value).__name__} with ndim {np.array(value).ndim}"
            )
        if self.shape not in (None, (-1,)):
            raise InvalidParameterValue(
                f"Shape must be None for scalar or dictionary value, or (-1,) for 1D array "
                f"value for ParamSpec {self!r}), received {self.shape}"
            )
        try:
            if isinstance(self.dtype, Object):
                _check_object_value(value, self.dtype)
                return value
            if self.shape is None:
                return coerce_param_value(value, self.dtype)
            return [coerce_param_value(v, self.dtype) for v in value]
        except InvalidParameterValue as exc:
            raise InvalidParameterValue(
                f"Failed to validate type and shape for {self!r}, error: {exc.message}"
            ) from None

    def to_dict(self) -> dict[str, Any]:
        default = self.default
        if self.dtype is DataType.datetime and default is not None:
            default = [v.isoformat() for v in default] if self.shape else default.isoformat()
        out: dict[str, Any] = {"name": self.name, "default": default}
        out["shape"] = None if self.shape is None else list(self.shape)
        out.update(type_dict(self.dtype))
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParamSpec:
        kind = data.get("type") or data.get("dtype")
        if "name" not in data or "default" not in data or kind is None:
            raise InvalidParameterValue(
                "Missing keys in ParamSpec JSON. Expected to find keys `name`, `type`(or "
                f"`dtype`) and `default`. Received keys: {list(data)}"
            )
        dtype = type_from_dict(data) if kind == "object" else DataType[kind]
        assert isinstance(dtype, (DataType, Object))
        return cls(str(data["name"]), dtype, data["default"], data.get("shape"))

    def __repr__(self) -> str:
        shape = f" (shape: {self.shape})" if self.shape is not None else ""
        return f"{self.name!r}: {self.dtype!r} (default: {self.default}){shape}"


@dataclass(frozen=True, repr=False)
class ParamSchema:
    """The params a model accepts at predict time, each with a default."""

    params: Sequence[ParamSpec]

    def __post_init__(self) -> None:
        params = tuple(self.params)
        names = [p.name for p in params]
        if duplicates := [n for i, n in enumerate(names) if n in names[:i]]:
            raise InvalidParameterValue(f"Duplicated parameters found in schema: {duplicates}")
        object.__setattr__(self, "params", params)

    def __len__(self) -> int:
        return len(self.params)

    def to_dict(self) -> list[dict[str, Any]]:
        return [p.to_dict() for p in self.params]

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_json(cls, text: str) -> ParamSchema:
        return cls(tuple(ParamSpec.from_dict(x) for x in json.loads(text)))

    def __repr__(self) -> str:
        return repr(list(self.params))
