"""``cairn models``: look inside a saved or logged model, check that it still predicts, and
read a registered model's history and lineage (:mod:`cairn.cli.models_registry`).

A model is named by any URI ``cairn.pyfunc.load_model`` takes (a path, ``runs:/<run>/<name>``,
``models:/<model_id>``, ``models:/<name>@<alias>``...); ``runs:/`` and ``models:/`` resolve
against ``--tracking-uri``. Remote models are downloaded to a temporary directory that is
removed afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cairn.cli._context import CliState, pass_state
from cairn.cli._options import json_option
from cairn.cli._output import add_row, console, echo_json, key_value_table, new_table
from cairn.cli.models_registry import history_cmd, lineage_cmd
from cairn.models.mlmodel import PYFUNC, Model, read_model
from cairn.models.uri import opened_model_dir

if TYPE_CHECKING:
    from rich.table import Table

_NO_EXAMPLE = (
    "The model has no saved input example, so there is nothing to predict on. Save or log it "
    "with input_example=... to make it checkable."
)


@click.group(name="models")
def models_group() -> None:
    """Inspect and check models; audit registered ones."""


models_group.add_command(history_cmd)
models_group.add_command(lineage_cmd)


@models_group.command("info")
@click.argument("model_uri", metavar="URI")
@json_option
@pass_state
def info_cmd(state: CliState, model_uri: str, as_json: bool) -> None:
    """Show the MLmodel summary of URI: flavors, signature, input example, size and ids."""
    with opened_model_dir(model_uri, state.client()) as root:
        summary = model_summary(read_model(root))
    if as_json:
        echo_json({"model_uri": model_uri, **summary})
        return
    out = console()
    out.print(key_value_table(f"Model {model_uri}", _overview(summary)))
    signature = summary["signature"]
    if signature is None:
        out.print("[dim]No signature: inputs are not checked at predict time.[/dim]")
        return
    for part in ("inputs", "outputs", "params"):
        if signature[part]:
            out.print(_specs_table(part.capitalize(), signature[part]))


def model_summary(model: Model) -> dict[str, Any]:
    """The JSON-ready facts ``info`` shows; signature parts are decoded from their JSON text."""
    pyfunc = model.flavors.get(PYFUNC, {})
    return {
        "run_id": model.run_id,
        "model_id": model.model_id,
        "artifact_path": model.artifact_path,
        "utc_time_created": model.utc_time_created,
        "mlflow_version": model.mlflow_version,
        "model_size_bytes": model.model_size_bytes,
        "flavors": {name: dict(conf) for name, conf in model.flavors.items()},
        "loader_module": pyfunc.get("loader_module"),
        "python_version": pyfunc.get("python_version"),
        "signature": _signature(model.signature),
        "input_example": (
            None if model.saved_input_example_info is None else dict(model.saved_input_example_info)
        ),
        "metadata": model.metadata,
    }


def _signature(signature: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not signature:
        return None
    parts = {}
    for part in ("inputs", "outputs", "params"):
        text = signature.get(part)
        parts[part] = json.loads(text) if isinstance(text, str) else text
    return parts


def _overview(summary: Mapping[str, Any]) -> dict[str, object]:
    example = summary["input_example"]
    return {
        "Flavors": ", ".join(summary["flavors"]),
        "Loader": summary["loader_module"] or "- (no python_function flavor)",
        "Python": summary["python_version"] or "-",
        "Input example": (
            f"{example.get('type')} ({example.get('artifact_path')})" if example else "none"
        ),
        "Size": _size(summary["model_size_bytes"]),
        "Run ID": summary["run_id"] or "-",
        "Model ID": summary["model_id"] or "-",
        "Created (UTC)": summary["utc_time_created"] or "-",
        "Format version": summary["mlflow_version"] or "-",
    }


def _size(size: int | None) -> str:
    if size is None:
        return "-"
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover - the loop always returns


def _specs_table(title: str, specs: list[Mapping[str, Any]]) -> Table:
    table = new_table("Name", "Type", "Notes", title=title)
    for spec in specs:
        if "default" in spec:  # a params entry
            notes = f"default {json.dumps(spec['default'])}"
        else:
            notes = "required" if spec.get("required", True) else "optional"
        add_row(table, spec.get("name", "-"), _type_text(spec), notes)
    return table


def _type_text(spec: Mapping[str, Any]) -> str:
    """``double``, ``tensor float64 [-1, 3]``, ``array<string>``, ``map<long>``..."""
    kind = spec.get("type")
    if kind == "tensor":
        tensor = spec.get("tensor-spec", {})
        return f"tensor {tensor.get('dtype')} {tensor.get('shape')}"
    if kind == "array" and isinstance(spec.get("items"), Mapping):
        return f"array<{_type_text(spec['items'])}>"
    if kind == "map" and isinstance(spec.get("values"), Mapping):
        return f"map<{_type_text(spec['values'])}>"
    shape = spec.get("shape")
    return f"{kind} {shape}" if shape else str(kind)


@models_group.command("validate")
@click.argument("model_uri", metavar="URI")
@pass_state
def validate_cmd(state: CliState, model_uri: str) -> None:
    """Load URI and predict on its saved input example; exit 1 when either fails."""
    with opened_model_dir(model_uri, state.client()) as root:
        prediction = _predict_on_example(root)
    console().print(f"[green]OK[/green]: the model predicted {_describe(prediction)}.")


def _predict_on_example(root: Path) -> Any:
    from cairn.models.input_example import load_input_example, load_input_example_params
    from cairn.models.pyfunc import load_local

    info = read_model(root).saved_input_example_info
    if not info:
        raise click.ClickException(_NO_EXAMPLE)
    try:
        model = load_local(root)
    except Exception as exc:
        raise click.ClickException(f"Loading the model failed: {_error(exc)}") from exc
    schema = model.signature.inputs if model.signature is not None else None
    try:
        example = load_input_example(root, dict(info), schema)
        params = load_input_example_params(root, dict(info))
        return model.predict(example, params=params)
    except Exception as exc:
        raise click.ClickException(
            f"Predicting on the saved input example failed: {_error(exc)}"
        ) from exc


def _error(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def _describe(value: Any) -> str:
    """Type and shape of a prediction: ``numpy.ndarray of shape (2,) (int64)``."""
    kind = type(value)
    package = kind.__module__.split(".")[0]
    name = kind.__qualname__ if package == "builtins" else f"{package}.{kind.__qualname__}"
    shape = getattr(value, "shape", None)
    if shape is None and hasattr(value, "__len__"):
        shape = (len(value),)
    text = name if shape is None else f"{name} of shape {tuple(shape)}"
    dtype = getattr(value, "dtype", None)
    return f"{text} ({dtype})" if dtype is not None else text
