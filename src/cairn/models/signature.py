"""Model signatures: the types of a model's inputs, outputs and inference params.

A signature is stored in ``MLmodel`` as three JSON strings (MLflow's form, kept byte-for-byte so
MLflow and cairn read each other's models), and enforced at predict time by
:mod:`cairn.models.enforcement`. numpy is only imported by the few functions that need it, so
building or reading a column signature costs nothing.

>>> sig = ModelSignature(Schema([ColSpec("long", "x")]))
>>> sig.to_dict()["inputs"]
'[{"type": "long", "name": "x", "required": true}]'
"""

from __future__ import annotations

import builtins
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
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


def _as_type(value: Any, what: str) -> ColType:
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


def _type_dict(value: ColType) -> dict[str, Any]:
    return {"type": value.name} if isinstance(value, DataType) else value.to_dict()


@dataclass(frozen=True, repr=False)
class Array:
    """A list whose items all have one type."""

    items: ColType

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", _as_type(self.items, "items"))

    def to_dict(self) -> dict[str, Any]:
        return {"type": "array", "items": _type_dict(self.items)}

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
        object.__setattr__(self, "dtype", _as_type(self.dtype, "dtype"))

    def to_dict(self) -> dict[str, Any]:
        return {self.name: {**_type_dict(self.dtype), "required": self.required}}

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
        object.__setattr__(self, "value_type", _as_type(self.value_type, "value_type"))

    def to_dict(self) -> dict[str, Any]:
        return {"type": "map", "values": _type_dict(self.value_type)}

    def __repr__(self) -> str:
        return f"Map(str -> {self.value_type!r})"


@dataclass(frozen=True, repr=False)
class AnyType:
    """Anything JSON-able, None included; nothing is validated."""

    def to_dict(self) -> dict[str, Any]:
        return {"type": "any"}

    def __repr__(self) -> str:
        return "Any"


@dataclass(frozen=True, repr=False)
class ColSpec:
    """One column. ``name`` is None for unnamed schemas (pandas integer column labels stay
    ints, exactly as MLflow records them)."""

    type: ColType
    name: str | int | None = None
    required: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", _as_type(self.type, "type"))

    def to_dict(self) -> dict[str, Any]:
        out = _type_dict(self.type)
        if self.name is not None:
            out["name"] = self.name
        out["required"] = self.required
        return out

    def __repr__(self) -> str:
        text = f"{self.type!r} ({'required' if self.required else 'optional'})"
        return text if self.name is None else f"{self.name!r}: {text}"


@dataclass(frozen=True, repr=False)
class TensorSpec:
    """An n-d array input. ``dtype`` is kept as the numpy dtype *name* (``"float32"``) so the
    spec stays hashable and serialises without numpy; -1 in ``shape`` marks a variable axis."""

    dtype: Any
    shape: Sequence[int]
    name: str | None = None

    def __post_init__(self) -> None:
        import numpy as np

        dtype = np.dtype(self.dtype)
        if dtype.char in ("U", "S") and not dtype.name.isalpha():
            raise InvalidParameterValue(
                "MLflow does not support size information in flexible numpy data types. "
                f'Use np.dtype("{dtype.name.rstrip("0123456789")}") instead'
            )
        if not isinstance(self.shape, (tuple, list)):
            raise InvalidParameterValue(f"Expected shape to be a tuple or list: {self.shape!r}")
        object.__setattr__(self, "dtype", dtype.name)
        object.__setattr__(self, "shape", tuple(int(d) for d in self.shape))

    @property
    def numpy_dtype(self) -> Any:
        import numpy as np

        return np.dtype(self.dtype)

    @property
    def required(self) -> bool:
        return True

    def to_dict(self) -> dict[str, Any]:
        spec = {"type": "tensor", "tensor-spec": {"dtype": self.dtype, "shape": list(self.shape)}}
        return spec if self.name is None else {"name": self.name, **spec}

    def __repr__(self) -> str:
        tensor = f"Tensor({self.dtype!r}, {self.shape!r})"
        return tensor if self.name is None else f"{self.name!r}: {tensor}"


Spec = ColSpec | TensorSpec


@dataclass(frozen=True, repr=False)
class Schema:
    """An ordered list of column specs or of tensor specs (never both), all named or none."""

    inputs: Sequence[Spec]

    def __post_init__(self) -> None:
        inputs = tuple(self.inputs)
        if not inputs:
            raise InvalidParameterValue("Creating Schema with empty inputs is not allowed.")
        named = [x.name is not None for x in inputs]
        if any(named) and not all(named):
            raise InvalidParameterValue(
                "Creating Schema with a combination of named and unnamed inputs is not allowed. "
                f"Got input names {[x.name for x in inputs]}"
            )
        tensors = [isinstance(x, TensorSpec) for x in inputs]
        columns = [isinstance(x, ColSpec) for x in inputs]
        if not (all(tensors) or all(columns)):
            raise InvalidParameterValue("A Schema holds only ColSpec or only TensorSpec inputs.")
        if all(tensors) and len(inputs) > 1 and not all(named):
            raise InvalidParameterValue("Multiple TensorSpecs in one Schema must all be named.")
        if not any(named) and not all(x.required for x in inputs):
            raise InvalidParameterValue("Unnamed optional inputs are not supported.")
        object.__setattr__(self, "inputs", inputs)

    def __len__(self) -> int:
        return len(self.inputs)

    def is_tensor_spec(self) -> bool:
        return isinstance(self.inputs[0], TensorSpec)

    def has_input_names(self) -> bool:
        return self.inputs[0].name is not None

    def input_names(self) -> list[str | int]:
        """Names, or positions for an unnamed schema."""
        return [x.name if x.name is not None else i for i, x in enumerate(self.inputs)]

    def required_input_names(self) -> list[str | int]:
        return [n for n, x in zip(self.input_names(), self.inputs, strict=True) if x.required]

    def optional_input_names(self) -> list[str | int]:
        return [n for n, x in zip(self.input_names(), self.inputs, strict=True) if not x.required]

    def input_types(self) -> list[Any]:
        return [x.type if isinstance(x, ColSpec) else x.dtype for x in self.inputs]

    def input_dict(self) -> dict[str | int, Spec]:
        return dict(zip(self.input_names(), self.inputs, strict=True))

    def to_dict(self) -> list[dict[str, Any]]:
        return [x.to_dict() for x in self.inputs]

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_json(cls, text: str) -> Schema:
        return cls(tuple(spec_from_dict(x) for x in json.loads(text)))

    def __repr__(self) -> str:
        return repr(list(self.inputs))


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
    return _as_type(kind, "type")


def _property_from_dict(name: str, data: dict[str, Any]) -> Property:
    return Property(name, type_from_dict(data), data.get("required", True))


def spec_from_dict(data: dict[str, Any]) -> Spec:
    """Parse one element of a schema JSON list."""
    if "type" not in data:
        raise InvalidParameterValue(f"Missing key `type` in schema element {data!r}")
    if data["type"] == "tensor":
        info = data["tensor-spec"]
        return TensorSpec(info["dtype"], tuple(info["shape"]), data.get("name"))
    required = data.get("required", True)
    if "optional" in data:  # MLflow 2.4-2.7 wrote `optional` instead of `required`
        required = not data["optional"]
    return ColSpec(type_from_dict(data), data.get("name"), True if required is None else required)


# Params ------------------------------------------------------------------------------------

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
        out.update(_type_dict(self.dtype))
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


@dataclass(frozen=True)
class ModelSignature:
    """Inputs, outputs and params of a model; at least one is set."""

    inputs: Schema | None = None
    outputs: Schema | None = None
    params: ParamSchema | None = field(default=None)

    def __post_init__(self) -> None:
        for name in ("inputs", "outputs"):
            if getattr(self, name) is not None and not isinstance(getattr(self, name), Schema):
                raise InvalidParameterValue(f"{name} must be None or a Schema")
        if self.params is not None and not isinstance(self.params, ParamSchema):
            raise InvalidParameterValue("params must be None or a ParamSchema")
        if self.inputs is None and self.outputs is None and self.params is None:
            raise InvalidParameterValue("A signature needs at least inputs, outputs or params")

    def to_dict(self) -> dict[str, str | None]:
        """The ``signature`` block of ``MLmodel``: each part a JSON string, or None."""
        return {
            "inputs": self.inputs.to_json() if self.inputs else None,
            "outputs": self.outputs.to_json() if self.outputs else None,
            "params": self.params.to_json() if self.params else None,
        }

    @classmethod
    def from_dict(cls, data: Any) -> ModelSignature:
        inputs = Schema.from_json(x) if (x := data.get("inputs")) else None
        outputs = Schema.from_json(x) if (x := data.get("outputs")) else None
        params = ParamSchema.from_json(x) if (x := data.get("params")) else None
        return cls(inputs, outputs, params)
