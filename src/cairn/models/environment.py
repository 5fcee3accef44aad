"""The environment files beside ``MLmodel``, byte-for-byte as MLflow 3.17.2 writes them.

``mlflow models serve``, ``mlflow models build-docker`` and
``mlflow.pyfunc.get_model_dependencies`` rebuild a model's environment from
``requirements.txt``, ``python_env.yaml`` and ``conda.yaml`` (plus ``constraints.txt`` when
pip constraints were given), so a model saved by cairn must carry the same files with the same
structure. The rules for which requirements end up there (``pip_requirements`` replaces the
flavor's defaults, ``extra_pip_requirements`` adds to them, ``-c`` lines become
``constraints.txt``, duplicates merge) are MLflow's ``_process_pip_requirements``.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as model_dir:
...     wanted = resolve_requirements(["scikit-learn"], extra_pip_requirements=["rich"])
...     write_environment(model_dir, wanted)
...     read_requirements(model_dir)
{'conda': 'conda.yaml', 'virtualenv': 'python_env.yaml'}
['scikit-learn', 'rich']
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet

from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.models import yaml_text
from cairn.models.requirements import (
    distribution_version,
    infer_pip_requirements,
    local_version_label,
    pinned,
    strip_local_version_label,
)

__all__ = [
    "CONDA_ENV_FILE",
    "CONSTRAINTS_FILE",
    "PYTHON_ENV_FILE",
    "REQUIREMENTS_FILE",
    "ResolvedRequirements",
    "infer_pip_requirements",
    "pinned",
    "read_requirements",
    "resolve_requirements",
    "write_environment",
]

logger = logging.getLogger(__name__)

CONDA_ENV_FILE = "conda.yaml"
PYTHON_ENV_FILE = "python_env.yaml"
REQUIREMENTS_FILE = "requirements.txt"
CONSTRAINTS_FILE = "constraints.txt"
_CONSTRAINTS_LINE = f"-c {CONSTRAINTS_FILE}"
_BUILD_PACKAGES = ("pip", "setuptools", "wheel")

PipRequirements = Sequence[str] | str | os.PathLike[str]


@dataclass(frozen=True)
class ResolvedRequirements:
    """What goes into ``requirements.txt`` (ending in ``-c constraints.txt`` when there are
    constraints) and into ``constraints.txt``; MLflow's ``(pip_requirements, constraints)``."""

    requirements: list[str]
    constraints: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- files


def _python_version() -> str:
    return "{}.{}.{}".format(*sys.version_info[:3])


def python_env() -> dict[str, Any]:
    """``python_env.yaml``: this interpreter, its build tools (a missing one unpinned, as in
    MLflow) and the requirements file."""
    build = []
    for package in _BUILD_PACKAGES:
        version = distribution_version(package)
        build.append(f"{package}=={version}" if version else package)
    return {
        "python": _python_version(),
        "build_dependencies": build,
        "dependencies": [f"-r {REQUIREMENTS_FILE}"],
    }


def conda_env(requirements: Sequence[str]) -> dict[str, Any]:
    """``conda.yaml``; pip is ``<=`` the installed one because conda-forge lags PyPI."""
    conda_deps: list[Any] = [f"python={_python_version()}"]
    if requirements:
        pip_version = distribution_version("pip")
        conda_deps.append(f"pip<={pip_version}" if pip_version else "pip")
    conda_deps.append({"pip": list(requirements)})
    return {"name": "mlflow-env", "channels": ["conda-forge"], "dependencies": conda_deps}


def write_environment(
    model_dir: str | Path,
    requirements: Sequence[str] | ResolvedRequirements,
    constraints: Sequence[str] | None = None,
) -> dict[str, str]:
    """Write the environment files and return the python_function flavor's ``env`` entry.

    ``requirements`` may be the result of :func:`resolve_requirements`, whose constraints are
    then written too; ``-c constraints.txt`` is added when constraints exist so pip uses them.
    """
    if isinstance(requirements, ResolvedRequirements):
        constraints = requirements.constraints if constraints is None else constraints
        requirements = requirements.requirements
    reqs = list(requirements)
    if constraints and _CONSTRAINTS_LINE not in reqs:
        reqs.append(_CONSTRAINTS_LINE)
    root = Path(model_dir)
    with open(root / CONDA_ENV_FILE, "w", encoding="utf-8") as out:
        yaml_text.dump(conda_env(reqs), stream=out, default_flow_style=False)
    if constraints:
        (root / CONSTRAINTS_FILE).write_text("\n".join(constraints), encoding="utf-8")
    (root / REQUIREMENTS_FILE).write_text("\n".join(reqs), encoding="utf-8")
    data = {k: v for k, v in python_env().items() if v}
    with open(root / PYTHON_ENV_FILE, "w", encoding="utf-8") as out:
        yaml_text.dump(data, out, sort_keys=False, default_flow_style=False)
    return {"conda": CONDA_ENV_FILE, "virtualenv": PYTHON_ENV_FILE}


def read_requirements(model_dir: str | Path) -> list[str]:
    """The model's pip requirements, ``-r`` files expanded and constraint references left out.

    Models saved before ``requirements.txt`` existed only have ``conda.yaml``; its pip section
    is read instead.
    """
    root = Path(model_dir)
    path = root / REQUIREMENTS_FILE
    if path.is_file():
        lines = path.read_text(encoding="utf-8").splitlines()
    elif (root / CONDA_ENV_FILE).is_file():
        conda = yaml.safe_load((root / CONDA_ENV_FILE).read_text(encoding="utf-8")) or {}
        pip_sections = [d for d in conda.get("dependencies", []) if isinstance(d, dict)]
        lines = [str(r) for d in pip_sections for r in d.get("pip", [])]
    else:
        raise ResourceDoesNotExist(
            f"No {REQUIREMENTS_FILE} or {CONDA_ENV_FILE} in {root}: not a model directory, "
            "or a model saved without an environment."
        )
    return [req for req, is_constraint in _parse_lines(lines, root) if not is_constraint]


# --------------------------------------------------------------------------- parsing


def _strip_inline_comment(line: str) -> str:
    return line[: line.find(" #")].rstrip() if " #" in line else line


def _join_continued(lines: Iterable[str]) -> Iterator[str]:
    pending: list[str] = []
    for line in lines:
        if line.endswith("\\"):
            pending.append(line.rstrip("\\"))
        else:
            yield "".join([*pending, line])
            pending.clear()
    if pending:
        yield "".join(pending)


def _read_file(path: Path, what: str) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InvalidParameterValue(f"Cannot read the {what} file {path}: {exc}") from exc


def _parse_lines(
    lines: Iterable[str], base_dir: Path, is_constraint: bool = False
) -> Iterator[tuple[str, bool]]:
    """pip's requirements-file syntax as MLflow reads it: comments, blank lines and
    continuations; ``-r`` and ``-c`` references are followed (relative to ``base_dir``) and
    yield ``(line, is_constraint)``."""
    joined = _join_continued(_strip_inline_comment(line.strip()) for line in lines)
    for line in joined:
        if not line or line.startswith("#"):
            continue
        option, _, ref = line.partition(" ")
        if option in ("-r", "--requirement", "-c", "--constraint"):
            path = base_dir / ref.strip()
            nested_constraint = option in ("-c", "--constraint")
            what = "constraints" if nested_constraint else "requirements"
            yield from _parse_lines(_read_file(path, what), path.parent, nested_constraint)
        else:
            yield line, is_constraint


def _parse_pip_requirements(value: PipRequirements) -> tuple[list[str], list[str]]:
    """A list of requirement lines, or the path of a requirements file, split into
    requirements and constraints."""
    if isinstance(value, (str, os.PathLike)):
        path = Path(value)
        parsed = list(_parse_lines(_read_file(path, "requirements"), path.parent))
    elif isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
        parsed = list(_parse_lines(value, Path.cwd()))
    else:
        raise InvalidParameterValue(
            "Pip requirements must be a path to a pip requirements file or a list of "
            f"requirement strings, got {type(value).__name__}."
        )
    requirements = [line for line, is_constraint in parsed if not is_constraint]
    constraints = [line for line, is_constraint in parsed if is_constraint]
    return requirements, constraints


# --------------------------------------------------------------------------- resolution


def resolve_requirements(
    default: Sequence[str],
    pip_requirements: PipRequirements | None = None,
    extra_pip_requirements: PipRequirements | None = None,
    *,
    loader_requirement: str | None = None,
) -> ResolvedRequirements:
    """The requirements a saved model declares, by MLflow's rules.

    ``pip_requirements`` (a list or a requirements file) replaces ``default``;
    ``extra_pip_requirements`` is appended to it; giving both is an error. ``-c FILE`` lines
    in either become constraints. ``loader_requirement`` (MLflow always uses
    ``mlflow==<version>``) is put first unless the list already names that package.
    Duplicates merge (extras united, specifiers combined; conflicting pins are an error).
    """
    if pip_requirements is not None and extra_pip_requirements is not None:
        raise InvalidParameterValue(
            "Only one of `pip_requirements` and `extra_pip_requirements` can be specified: "
            "`pip_requirements` replaces the default requirements, `extra_pip_requirements` "
            "adds to them."
        )
    constraints: list[str] = []
    if pip_requirements is not None:
        reqs, constraints = _parse_pip_requirements(pip_requirements)
    elif extra_pip_requirements is not None:
        extra, constraints = _parse_pip_requirements(extra_pip_requirements)
        reqs = [*default, *extra]
    else:
        reqs = list(default)
    if loader_requirement and _name(loader_requirement) not in {_name(r) for r in reqs}:
        reqs.insert(0, loader_requirement)
    reqs = _remove_incompatible(_deduplicate(reqs))
    _warn_mismatches(reqs)
    if constraints:
        reqs.append(_CONSTRAINTS_LINE)
    return ResolvedRequirements(reqs, constraints)


def _name(requirement: str) -> str:
    try:
        return Requirement(requirement).name.lower()
    except InvalidRequirement:
        return requirement


def _deduplicate(requirements: Iterable[str]) -> list[str]:
    """One entry per package (and marker), in first-seen order; URLs, paths and pip options
    are kept as they are."""
    merged: dict[Any, Requirement | str] = {}
    for line in requirements:
        try:
            req = Requirement(line)
        except InvalidRequirement:
            merged.setdefault(line, line)
            continue
        key = (req.name, str(req.marker) if req.marker else "")
        existing = merged.get(key)
        if isinstance(existing, Requirement):
            _merge_into(req, existing)
        merged[key] = req
    return [str(req) for req in merged.values()]


def _merge_into(req: Requirement, existing: Requirement) -> None:
    """Fold ``existing`` into ``req``: extras united, specifiers combined (a pin that differs
    only by a local version label keeps the PyPI-installable one)."""
    old, new = list(existing.specifier), list(req.specifier)
    if old and new and existing.specifier != req.specifier:
        if (
            len(old) == len(new) == 1
            and old[0].operator == new[0].operator == "=="
            and strip_local_version_label(old[0].version)
            == strip_local_version_label(new[0].version)
            and bool(local_version_label(old[0].version))
            != bool(local_version_label(new[0].version))
        ):
            if local_version_label(new[0].version):
                req.specifier = existing.specifier
        else:
            _check_compatible(existing, req)
            req.specifier = SpecifierSet(f"{existing.specifier},{req.specifier}")
    elif old and not new:
        req.specifier = existing.specifier
    if existing.extras:
        req.extras = set(existing.extras) | set(req.extras)


def _check_compatible(first: Requirement, second: Requirement) -> None:
    """Two exact pins must agree with every other specifier of the package. MLflow asks
    ``pip install --dry-run`` instead, which needs the package index; this offline check
    catches the common case (``==1.1`` against ``<1``)."""
    combined = SpecifierSet(f"{first.specifier},{second.specifier}")
    pins = [s.version for s in combined if s.operator in ("==", "===") and "*" not in s.version]
    for version in pins:
        if not all(spec.contains(version, prereleases=True) for spec in combined):
            raise InvalidParameterValue(
                f"The specified requirements versions are incompatible: '{first}' and "
                f"'{second}' cannot both be satisfied."
            )


def _remove_incompatible(requirements: list[str]) -> list[str]:
    """databricks-connect replaces pyspark and breaks when both are installed (MLflow)."""
    names = {_name(r) for r in requirements}
    if "databricks-connect" in names and names & {"pyspark", "pyspark-connect"}:
        return [r for r in requirements if _name(r) not in ("pyspark", "pyspark-connect")]
    return requirements


def _warn_mismatches(requirements: Iterable[str]) -> None:
    """Log (never fail) when this environment does not satisfy what the model will declare,
    since predictions checked here may then differ from those of the served model."""
    mismatches = []
    for line in requirements:
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        if req.marker and not req.marker.evaluate({"extra": ""}):
            continue
        current = distribution_version(req.name)
        if current is None or (req.specifier and not req.specifier.contains(current, True)):
            mismatches.append(f"{req.name} (current: {current or 'uninstalled'}, required: {line})")
    if mismatches:
        logger.warning(
            "Detected one or more mismatches between the model's dependencies and the current "
            "Python environment:\n - %s",
            "\n - ".join(mismatches),
        )
