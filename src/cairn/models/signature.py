"""Model signatures: the types of a model's inputs, outputs and inference params.

A signature is stored in ``MLmodel`` as three JSON strings (MLflow's form, kept byte-for-byte so
MLflow and cairn read each other's models), and enforced at predict time by
:mod:`cairn.models.enforcement`. numpy is only imported by the few functions that need it, so
building or reading a column signature costs nothing. The value types live in
:mod:`cairn.models.data_types` and the params in :mod:`cairn.models.params_schema`; both are
re-exported here, where MLflow users look for them.

>>> sig = ModelSignature(Schema([ColSpec("long", "x")]))
>>> sig.to_dict()["inputs"]
'[{"type": "long", "name": "x", "required": true}]'
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cairn.errors import InvalidParameterValue
from cairn.models.data_types import (
    AnyType,
    Array,
    ColType,
    DataType,
    Map,
    Object,
    Property,
    as_type,
    type_dict,
    type_from_dict,
)
from cairn.models.params_schema import (
    ParamSchema,
    ParamSpec,
    coerce_param_value,
    value_has_type,
)

__all__ = [
    "AnyType",
    "Array",
    "ColSpec",
    "ColType",
    "DataType",
    "Map",
    "ModelSignature",
    "Object",
    "ParamSchema",
    "ParamSpec",
    "Property",
    "Schema",
    "Spec",
    "TensorSpec",
    "coerce_param_value",
    "spec_from_dict",
    "type_from_dict",
    "value_has_type",
]


@dataclass(frozen=True, repr=False)
class ColSpec:
    """One column. ``name`` is None for unnamed schemas (pandas integer column labels stay
    ints, exactly as MLflow records them)."""

    type: ColType
    name: str | int | None = None
    required: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", as_type(self.type, "type"))

    def to_dict(self) -> dict[str, Any]:
        out = type_dict(self.type)
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
