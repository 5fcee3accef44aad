"""The ``MLmodel`` file: what a model directory holds and how to load it.

cairn writes the file exactly as MLflow 3.x does (same keys, same flavor configs, the same
``loader_module`` names such as ``mlflow.sklearn``), so ``mlflow.pyfunc.load_model`` opens a
cairn model with MLflow's own code, and cairn opens MLflow's models with its own. Keys this
version does not know are kept and written back unchanged.

>>> m = Model(flavors={"python_function": {"loader_module": "mlflow.sklearn"}})
>>> Model.from_dict(m.to_dict()).flavors["python_function"]["loader_module"]
'mlflow.sklearn'
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.models import yaml_text

MLMODEL_FILE = "MLmodel"
PYFUNC = "python_function"
#: The MLflow release whose file format cairn writes; MLflow readers compare against it.
MLFLOW_FORMAT_VERSION = "3.17.2"

_KNOWN = (
    "artifact_path",
    "flavors",
    "run_id",
    "model_id",
    "model_uuid",
    "utc_time_created",
    "mlflow_version",
    "signature",
    "saved_input_example_info",
    "metadata",
    "model_size_bytes",
    "is_signature_from_type_hint",
    "type_hint_from_example",
    "prompts",
)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


@dataclass(frozen=True)
class Model:
    """One ``MLmodel`` file. ``signature`` stays in MLmodel form (JSON strings per part);
    :mod:`cairn.models.signature` turns it into types when a model is loaded for predict."""

    flavors: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    run_id: str | None = None
    model_id: str | None = None
    artifact_path: str | None = None
    model_uuid: str = field(default_factory=lambda: uuid.uuid4().hex)
    utc_time_created: str = field(default_factory=_now)
    mlflow_version: str | None = MLFLOW_FORMAT_VERSION
    signature: Mapping[str, Any] | None = None
    saved_input_example_info: Mapping[str, Any] | None = None
    metadata: Mapping[str, Any] | None = None
    model_size_bytes: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def pyfunc_conf(self) -> Mapping[str, Any]:
        conf = self.flavors.get(PYFUNC)
        if conf is None:
            raise InvalidParameterValue(
                "This model has no python_function flavor, so it cannot be loaded as a "
                f"generic model; its flavors are: {', '.join(self.flavors) or 'none'}. Load "
                "it with its own flavor's load_model."
            )
        return conf

    def with_flavor(self, name: str, **config: Any) -> Model:
        return replace(self, flavors={**self.flavors, name: config})

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(self.extra)
        data.update(
            flavors={k: dict(v) for k, v in self.flavors.items()},
            model_uuid=self.model_uuid,
            utc_time_created=self.utc_time_created,
            mlflow_version=self.mlflow_version,
            model_id=self.model_id,
            prompts=data.get("prompts"),
        )
        optional = {
            "run_id": self.run_id,
            "artifact_path": self.artifact_path,
            "signature": None if self.signature is None else dict(self.signature),
            "saved_input_example_info": self.saved_input_example_info,
            "metadata": self.metadata,
            "model_size_bytes": self.model_size_bytes,
        }
        data.update({k: v for k, v in optional.items() if v is not None})
        if self.signature is not None:
            data.setdefault("is_signature_from_type_hint", False)
            data.setdefault("type_hint_from_example", False)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Model:
        flavors = data.get("flavors")
        if not isinstance(flavors, Mapping) or not flavors:
            raise InvalidParameterValue("An MLmodel file must name at least one flavor.")
        return cls(
            flavors={str(k): dict(v or {}) for k, v in flavors.items()},
            run_id=data.get("run_id"),
            model_id=data.get("model_id"),
            artifact_path=data.get("artifact_path"),
            model_uuid=data.get("model_uuid") or "",
            utc_time_created=str(data.get("utc_time_created") or ""),
            mlflow_version=data.get("mlflow_version"),
            signature=data.get("signature"),
            saved_input_example_info=data.get("saved_input_example_info"),
            metadata=data.get("metadata"),
            model_size_bytes=data.get("model_size_bytes"),
            extra={k: v for k, v in data.items() if k not in _KNOWN},
        )


def read_model(model_dir: str | Path) -> Model:
    path = Path(model_dir) / MLMODEL_FILE
    if not path.is_file():
        raise ResourceDoesNotExist(
            f"No MLmodel file in {model_dir}: a model directory holds one at its root. "
            "Check the path or URI."
        )
    try:
        data = yaml_text.load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InvalidParameterValue(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(data, Mapping):
        raise InvalidParameterValue(f"{path} must hold a YAML mapping.")
    return Model.from_dict(data)


def directory_size(model_dir: Path) -> int:
    """Bytes of every file in the model directory except ``MLmodel`` itself."""
    skip = model_dir / MLMODEL_FILE
    return sum(p.stat().st_size for p in model_dir.rglob("*") if p.is_file() and p != skip)


def write_model(model: Model, model_dir: str | Path) -> Model:
    """Write ``MLmodel`` last, with the directory's final size (as MLflow counts it: every
    file present before the MLmodel file itself)."""
    root = Path(model_dir)
    final = replace(model, model_size_bytes=directory_size(root))
    text = yaml_text.dump(final.to_dict(), default_flow_style=False, sort_keys=True)
    (root / MLMODEL_FILE).write_text(text, encoding="utf-8")
    return final
