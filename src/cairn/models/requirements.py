"""What a model needs installed: pinned versions and requirements inferred from its imports.

A requirement list written by hand goes stale; MLflow instead loads the saved model in a fresh
interpreter, records which top-level modules it imports and maps them to the distributions
that provide them. Doing it in a subprocess keeps whatever the caller already imported out of
the answer, and a model that hangs or crashes while loading cannot take the caller with it.
The rules (exclusions, pruning, pinning, sorting) follow ``mlflow.utils.requirements_utils``;
which imports count is narrower than MLflow's (see ``_ImportRecorder``), so cairn declares
what the model uses, not what its libraries import while initialising.

>>> pinned("pyyaml") == f"pyyaml=={importlib.metadata.version('pyyaml')}"
True
"""

from __future__ import annotations

import builtins
import functools
import importlib
import importlib.metadata
import json
import logging
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import InvalidVersion, Version

from cairn.errors import InvalidParameterValue

logger = logging.getLogger(__name__)

DEFAULT_LOADER = "cairn.models.pyfunc:load_model"
DEFAULT_TIMEOUT_S = 120.0

#: Never a model requirement: build tools (MLflow excludes ``setuptools``; pip and wheel
#: belong in python_env.yaml's build_dependencies) and the platforms that load the model,
#: which the serving environment installs itself.
EXCLUDED_PACKAGES = frozenset(
    {"setuptools", "pip", "wheel", "mlflow", "mlflow-skinny", "mlflow-tracing", "cairn"}
)
#: Packages whose own dependencies are installed unpinned with them, so a model that needs
#: one of those dependencies must still pin it (MLflow's "do not prune mlflow's dependencies").
_PLATFORM_PACKAGES = ("mlflow", "cairn")
_NORMALIZE = re.compile(r"[-_.]+")


def normalize_name(name: str) -> str:
    """PEP 503 name, so ``PyYAML`` and ``pyyaml`` count as one package."""
    return _NORMALIZE.sub("-", name).lower()


# --------------------------------------------------------------------------- versions


def local_version_label(version: str) -> str | None:
    """``cpu`` for ``2.1.0+cpu``; such builds are not on PyPI, so a pin must drop the label."""
    try:
        return Version(version).local
    except InvalidVersion:
        return None


def strip_local_version_label(version: str) -> str:
    """``2.1.0+cpu`` -> ``2.1.0``; anything that is not a PEP 440 version is kept as is."""
    try:
        return Version(version).public
    except InvalidVersion:
        return version


@functools.cache
def distribution_version(package: str) -> str | None:
    """``importlib.metadata.version`` walks ``sys.path`` on each call (~5-10 ms); autologging
    saves a model per training and asks for the same few packages each time, so the answers
    are kept for the process (a package upgraded mid-process is pinned at its old version)."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def installed_version(package: str, module: str | None = None) -> str:
    """The installed version of ``package``; like MLflow, fall back to ``module.__version__``
    for code importable without distribution metadata."""
    if normalize_name(package) == "cairn":
        from cairn.version import __version__  # metadata is stale in editable installs

        return __version__
    found = distribution_version(package)
    if found is not None:
        return found
    try:
        version = getattr(importlib.import_module(module or package), "__version__", None)
    except Exception:  # an absent or broken module: both mean "cannot pin"
        version = None
    if not isinstance(version, str):
        raise InvalidParameterValue(
            f"Cannot pin {package!r}: it is not installed in this Python environment "
            f"({sys.executable}). Install it, or give the requirement with an explicit "
            f"version (e.g. '{package}==1.0')."
        )
    return version


def pinned(requirement: str, version: str | None = None, module: str | None = None) -> str:
    """``"scikit-learn"`` -> ``"scikit-learn==1.9.1"`` with the installed version; extras are
    kept (``"mlflow[gateway]"`` -> ``"mlflow[gateway]==3.17.2"``) and a local version label
    is dropped with a warning, as MLflow does, so the pin is installable from PyPI."""
    try:
        req = Requirement(requirement)
    except InvalidRequirement as exc:
        raise InvalidParameterValue(f"Invalid requirement {requirement!r}: {exc}") from exc
    if version is None:
        raw = installed_version(req.name, module)
        version = raw
        if label := local_version_label(raw):
            version = strip_local_version_label(raw)
            logger.warning(
                "Found %s version (%s) contains a local version label (+%s). Logged a pip "
                "requirement for this package as '%s==%s' without the local version label "
                "to make it installable from PyPI. To keep the label, pass the requirement "
                "explicitly in `pip_requirements`.",
                req.name,
                raw,
                label,
                req.name,
                version,
            )
    extras = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
    return f"{req.name}{extras}=={version}"


# --------------------------------------------------------------------------- inference


def infer_pip_requirements(
    model_dir: str | Path,
    flavor_requirements: Iterable[str],
    *,
    loader: str = DEFAULT_LOADER,
    timeout: float = DEFAULT_TIMEOUT_S,
    raise_on_error: bool = False,
) -> list[str]:
    """The flavor's requirements plus every package the model imports while it loads and
    predicts on its saved input example, pinned and sorted (MLflow's
    ``sorted(set(inferred) | set(defaults))``).

    ``loader`` is the ``module:function`` the subprocess calls with the model directory.
    Inference is best effort: on a timeout or any failure the flavor's requirements are
    returned and a warning is logged, unless ``raise_on_error`` (MLflow's
    ``MLFLOW_REQUIREMENTS_INFERENCE_RAISE_ERRORS``).
    """
    fallback = list(flavor_requirements)
    try:
        inferred = _infer(Path(model_dir), loader, timeout)
    except Exception as exc:
        if raise_on_error:
            raise
        if isinstance(exc, subprocess.TimeoutExpired):
            reason = f"the operation timed out in {timeout} seconds"
        else:
            reason = f"an unexpected error occurred: {exc}"
        logger.warning(
            "Could not infer pip requirements for the model at %s: %s. Falling back to %s.",
            model_dir,
            reason,
            fallback,
        )
        logger.debug("Requirement inference failure", exc_info=True)
        inferred = []
    return sorted(set(inferred) | set(fallback))


def _infer(model_dir: Path, loader: str, timeout: float) -> list[str]:
    modules = _capture_imported_modules(model_dir, loader, timeout)
    by_module = importlib.metadata.packages_distributions()
    packages = {normalize_name(dist) for mod in modules for dist in by_module.get(mod, [])}
    providers = {d for mod in ("mlflow", "cairn") for d in by_module.get(mod, [])}
    excluded = EXCLUDED_PACKAGES | {normalize_name(d) for d in providers}
    packages = _prune_packages(packages) - excluded
    if "pandas" in packages and Version(installed_version("pandas")) < Version("2.1.2"):
        packages.add("numpy")  # older pandas breaks on numpy 2 without pinning numpy
    return sorted(pinned(package) for package in packages)


def _capture_imported_modules(model_dir: Path, loader: str, timeout: float) -> list[str]:
    """Run the model in a fresh interpreter and return the top-level modules it imported.

    The child gets this process's ``sys.path`` so the model's code resolves the same way.
    """
    code = (
        "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
        "from cairn.models.requirements import _capture_main; _capture_main(sys.argv[2:])"
    )
    with tempfile.TemporaryDirectory() as tmp:
        output, errors = Path(tmp, "modules.txt"), Path(tmp, "errors.txt")
        args = [json.dumps(sys.path), str(model_dir), loader, str(output), str(errors)]
        proc = subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(
                f"loading the model in a subprocess failed with exit status "
                f"{proc.returncode}:\n{proc.stderr.strip()[-2000:]}"
            )
        if errors.exists() and (text := errors.read_text(encoding="utf-8")):
            logger.warning("%s", text)
        return output.read_text(encoding="utf-8").split()


def _requires(package: str) -> Iterator[str]:
    """Direct, unconditional dependencies of an installed distribution (extras skipped)."""
    try:
        reqs = importlib.metadata.requires(package) or []
    except importlib.metadata.PackageNotFoundError:
        return
    for line in reqs:
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        if req.marker and not req.marker.evaluate({"extra": ""}):
            continue
        yield normalize_name(req.name)


def _requires_recursive(package: str) -> set[str]:
    seen = {normalize_name(package)}
    todo, found = [package], set()
    while todo:
        for dep in _requires(todo.pop()):
            if dep not in seen:
                seen.add(dep)
                found.add(dep)
                todo.append(dep)
    return found


def _prune_packages(packages: set[str]) -> set[str]:
    """Drop packages another captured package already requires (``scikit-learn`` brings
    ``joblib``), except dependencies of the loading platform, which are installed unpinned."""
    required = set().union(*map(_requires_recursive, packages)) if packages else set()
    required = {r for r in required if not r.startswith("llama-index-")}
    for platform in _PLATFORM_PACKAGES:
        required -= set(_requires(platform))
    required.discard("databricks-connect")
    return packages - required


# --------------------------------------------------------------------------- child process


class _ImportRecorder:
    """Patches ``__import__`` and ``importlib.import_module`` to note absolute imports, even
    of already-loaded modules, as MLflow's ``_CaptureImportedModules`` does.

    Unlike MLflow, imports made while an installed package's module body runs (the package
    initialising itself) do not count: that package's own requirements bring them. MLflow's
    child has imported mlflow and its heavy dependencies before it records, so it rarely sees
    such cascades; cairn imports almost nothing up front, and counting them would pin e.g.
    pyarrow for any model that imports sklearn. Imports made at run time count wherever they
    come from: the loader, a flavor's lazy ``import sklearn``, pickle or cloudpickle
    importing what the model references, user code shipped with the model.
    """

    def __init__(self, distributions: set[str]) -> None:
        self.modules: set[str] = set()
        self._packages = distributions | set(_PLATFORM_PACKAGES) | set(sys.stdlib_module_names)

    def record(self, name: str) -> None:
        if name and not name.startswith("_") and not self._initialising_a_package():
            self.modules.add(name.split(".")[0])

    def _initialising_a_package(self) -> bool:
        frame = sys._getframe(2)
        while frame is not None:
            if frame.f_code.co_name == "<module>":
                module = str(frame.f_globals.get("__name__") or "")
                if module.split(".")[0] in self._packages:
                    return True
            frame = frame.f_back  # type: ignore[assignment]
        return False

    def __enter__(self) -> _ImportRecorder:
        self._import, self._import_module = builtins.__import__, importlib.import_module
        original_import, original_import_module = self._import, self._import_module

        @functools.wraps(original_import)
        def wrapped_import(name: str, *args: Any, **kwargs: Any) -> Any:
            level = args[3] if len(args) > 3 else kwargs.get("level", 0)
            if level == 0:
                self.record(name)
            return original_import(name, *args, **kwargs)

        @functools.wraps(original_import_module)
        def wrapped_import_module(name: str, package: str | None = None) -> Any:
            if not name.startswith("."):
                self.record(name)
            return original_import_module(name, package)

        builtins.__import__ = wrapped_import
        importlib.import_module = wrapped_import_module
        return self

    def __exit__(self, *exc: object) -> None:
        builtins.__import__ = self._import
        importlib.import_module = self._import_module


def _resolve_loader(spec: str) -> Callable[[str], Any]:
    module_name, _, attr = spec.partition(":")
    func: Callable[[str], Any] = getattr(importlib.import_module(module_name), attr or "load_model")
    return func


def _capture_main(argv: list[str]) -> None:
    """Entry point of the child: load, predict on the input example, write module names.

    The loader module and the example are read before recording starts, so only imports the
    model itself triggers count (MLflow likewise imports its loader module first).
    """
    model_dir, loader_spec, output_file, error_file = argv
    load = _resolve_loader(loader_spec)
    example = _read_input_example(Path(model_dir))
    installed = set(importlib.metadata.packages_distributions())
    with _ImportRecorder(installed) as recorder:
        model = load(model_dir)
        if example is not None:
            data, params = example
            try:
                model.predict(data, params=params)
            except Exception as exc:  # the load's imports are still worth reporting
                Path(error_file).write_text(
                    "Failed to run predict on input_example, dependencies introduced in "
                    f"predict are not captured.\n{type(exc).__name__}: {exc}",
                    encoding="utf-8",
                )
    modules = sorted(m for m in recorder.modules if m not in sys.stdlib_module_names)
    Path(output_file).write_text("\n".join(modules), encoding="utf-8")


def _read_input_example(model_dir: Path) -> tuple[Any, Any] | None:
    """The saved input example and its params, as ``predict`` takes them; ``None`` when there
    is none, or it cannot be read here (then only the load's imports are recorded)."""
    import yaml

    from cairn.models.input_example import load_input_example, load_input_example_params

    path = model_dir / "MLmodel"
    mlmodel = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    info = (mlmodel or {}).get("saved_input_example_info")
    if not info:
        return None
    try:
        data = load_input_example(model_dir, info)
        return data, load_input_example_params(model_dir, info)
    except Exception:  # e.g. a sparse matrix example
        return None
