"""Environment files and requirement rules, checked against MLflow 3.17.2 itself."""

from __future__ import annotations

import doctest
import importlib.metadata
import logging
from pathlib import Path
from typing import Any

import pytest
import yaml

from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.models import environment, requirements
from cairn.models.environment import (
    ResolvedRequirements,
    read_requirements,
    resolve_requirements,
    write_environment,
)
from cairn.models.requirements import pinned

MLFLOW_PIN = "mlflow==3.17.2"
ENV_FILES = ("requirements.txt", "conda.yaml", "python_env.yaml", "constraints.txt")


@pytest.fixture
def no_pip_dry_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """MLflow checks merged specifiers with ``pip install --dry-run`` (a package index);
    the comparisons below must not depend on one."""
    monkeypatch.setenv("MLFLOW_SKIP_PIP_REQUIREMENTS_CHECK", "true")


def _files(model_dir: Path) -> dict[str, bytes]:
    return {n: (model_dir / n).read_bytes() for n in ENV_FILES if (model_dir / n).exists()}


def _save_with_mlflow(path: Path, pip_requirements: list[str]) -> None:
    import mlflow.sklearn
    import numpy as np
    from sklearn.linear_model import LinearRegression

    model = LinearRegression().fit(np.array([[1.0], [2.0]]), np.array([1.0, 2.0]))
    mlflow.sklearn.save_model(
        model, str(path), serialization_format="cloudpickle", pip_requirements=pip_requirements
    )


@pytest.mark.filterwarnings("ignore:.*Any type hint is inferred as AnyType:UserWarning")
def test_env_files_are_byte_identical_to_mlflow_save_model(tmp_path: Path) -> None:
    constraints = tmp_path / "pins.txt"
    constraints.write_text("numpy<3\n")
    wanted = [pinned("scikit-learn"), "pyyaml", f"-c {constraints}"]
    _save_with_mlflow(tmp_path / "mlflow", wanted)

    ours = tmp_path / "cairn"
    ours.mkdir()
    resolved = resolve_requirements([], wanted, loader_requirement=MLFLOW_PIN)
    env = write_environment(ours, resolved)

    assert env == {"conda": "conda.yaml", "virtualenv": "python_env.yaml"}
    assert _files(ours) == _files(tmp_path / "mlflow")
    assert set(_files(ours)) == set(ENV_FILES)
    mlmodel = yaml.safe_load((tmp_path / "mlflow" / "MLmodel").read_text())
    assert mlmodel["flavors"]["python_function"]["env"] == env


def test_env_file_structures_equal_mlflow_writers(tmp_path: Path) -> None:
    from mlflow.utils.environment import _mlflow_conda_env, _PythonEnv

    reqs = [MLFLOW_PIN, pinned("numpy"), "scikit-learn>=1"]
    write_environment(tmp_path, reqs)

    conda = yaml.safe_load((tmp_path / "conda.yaml").read_text())
    assert conda == _mlflow_conda_env(additional_pip_deps=list(reqs), install_mlflow=False)
    python_env = yaml.safe_load((tmp_path / "python_env.yaml").read_text())
    assert python_env == _PythonEnv.current().to_dict()
    assert (tmp_path / "requirements.txt").read_text() == "\n".join(reqs)
    assert not (tmp_path / "constraints.txt").exists()


def test_write_environment_adds_constraints_reference_once(tmp_path: Path) -> None:
    write_environment(tmp_path, ["numpy"], constraints=["numpy<3", "scipy<2"])
    assert (tmp_path / "requirements.txt").read_text() == "numpy\n-c constraints.txt"
    assert (tmp_path / "constraints.txt").read_text() == "numpy<3\nscipy<2"

    write_environment(tmp_path, ["numpy", "-c constraints.txt"], constraints=["numpy<3"])
    assert (tmp_path / "requirements.txt").read_text() == "numpy\n-c constraints.txt"


def test_read_requirements_round_trips_and_leaves_out_constraints(tmp_path: Path) -> None:
    write_environment(tmp_path, ResolvedRequirements(["a==1", "b[x]>2"], ["c<3"]))
    assert read_requirements(tmp_path) == ["a==1", "b[x]>2"]


def test_read_requirements_expands_nested_files_and_comments(tmp_path: Path) -> None:
    (tmp_path / "more.txt").write_text("# comment\nc==3  # inline\n\nd \\\n==4\n")
    (tmp_path / "requirements.txt").write_text("a==1\n-r more.txt\n")
    assert read_requirements(tmp_path) == ["a==1", "c==3", "d ==4"]


def test_read_requirements_falls_back_to_conda_yaml(tmp_path: Path) -> None:
    conda = {"name": "mlflow-env", "dependencies": ["python=3.8", {"pip": ["mlflow", "x==1"]}]}
    (tmp_path / "conda.yaml").write_text(yaml.safe_dump(conda))
    assert read_requirements(tmp_path) == ["mlflow", "x==1"]


def test_read_requirements_of_a_directory_without_env_files_is_clear(tmp_path: Path) -> None:
    with pytest.raises(ResourceDoesNotExist, match=r"requirements\.txt"):
        read_requirements(tmp_path)


# --------------------------------------------------------------------------- resolution


def test_pip_requirements_replace_the_defaults() -> None:
    got = resolve_requirements(["scikit-learn", "numpy"], pip_requirements=["pyyaml"])
    assert got == ResolvedRequirements(["pyyaml"], [])


def test_extra_pip_requirements_add_to_the_defaults() -> None:
    got = resolve_requirements(["scikit-learn"], extra_pip_requirements=["pyyaml"])
    assert got.requirements == ["scikit-learn", "pyyaml"]


def test_defaults_are_used_as_given_and_not_mutated() -> None:
    defaults = ["numpy"]
    got = resolve_requirements(defaults, loader_requirement=MLFLOW_PIN)
    assert got.requirements == [MLFLOW_PIN, "numpy"]
    assert defaults == ["numpy"]


def test_giving_both_requirement_kinds_is_rejected() -> None:
    with pytest.raises(InvalidParameterValue, match="Only one of `pip_requirements` and"):
        resolve_requirements([], pip_requirements=["a"], extra_pip_requirements=["b"])


def test_pip_requirements_file_with_constraints_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "cons.txt").write_text("numpy<3\n")
    (tmp_path / "reqs.txt").write_text("numpy\n-c cons.txt\n")
    got = resolve_requirements(["scikit-learn"], pip_requirements=tmp_path / "reqs.txt")
    assert got == ResolvedRequirements(["numpy", "-c constraints.txt"], ["numpy<3"])
    assert resolve_requirements([], pip_requirements=str(tmp_path / "reqs.txt")) == got


def test_constraints_in_extra_pip_requirements(tmp_path: Path) -> None:
    (tmp_path / "cons.txt").write_text("scipy<2\n")
    got = resolve_requirements(["numpy"], extra_pip_requirements=[f"-c {tmp_path / 'cons.txt'}"])
    assert got == ResolvedRequirements(["numpy", "-c constraints.txt"], ["scipy<2"])


def test_missing_requirements_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterValue, match="requirements file"):
        resolve_requirements([], pip_requirements=tmp_path / "absent.txt")


def test_requirements_of_the_wrong_type_are_rejected() -> None:
    bad: Any = [1, 2]
    with pytest.raises(InvalidParameterValue, match="list of requirement strings"):
        resolve_requirements([], pip_requirements=bad)


def test_loader_requirement_is_not_added_twice() -> None:
    got = resolve_requirements(["mlflow[gateway]", "numpy"], loader_requirement=MLFLOW_PIN)
    assert got.requirements == ["mlflow[gateway]", "numpy"]


def test_duplicates_merge_extras_and_specifiers() -> None:
    got = resolve_requirements(["markdown[a]>=3.5.1", "markdown[b]<4", "markdown", "x", "x"])
    assert got.requirements == ["markdown[a,b]<4,>=3.5.1", "x"]


def test_conflicting_pins_are_rejected() -> None:
    with pytest.raises(InvalidParameterValue, match="incompatible"):
        resolve_requirements(["scikit-learn==1.1", "scikit-learn<1"])


def test_mismatch_with_this_environment_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="cairn.models.environment"):
        resolve_requirements(["numpy==0.0.1", "cairn-no-such-package"])
    (record,) = caplog.records
    assert "numpy (current: " in record.getMessage()
    assert "cairn-no-such-package (current: uninstalled" in record.getMessage()


@pytest.mark.parametrize(
    ("default", "pip_reqs", "extra"),
    [
        (["scikit-learn==1.9.1", "numpy"], None, None),
        (["a"], ["b==1", "b[x]>=0.5", "c"], None),
        (["a[x]", "numpy>1"], None, ["numpy<3", "a[y]", "git+https://h/y.git", "--pre"]),
        (["torch==2.1.0"], None, ["torch==2.1.0+cpu"]),
        ([MLFLOW_PIN, "databricks-connect", "pyspark"], None, None),
    ],
)
def test_resolution_matches_mlflow(
    no_pip_dry_run: None, default: list[str], pip_reqs: Any, extra: Any
) -> None:
    from mlflow.utils.environment import _process_pip_requirements

    _, want_reqs, want_constraints = _process_pip_requirements(list(default), pip_reqs, extra)
    got = resolve_requirements(default, pip_reqs, extra, loader_requirement=MLFLOW_PIN)
    assert got == ResolvedRequirements(want_reqs, want_constraints)


def test_resolution_with_constraints_matches_mlflow(no_pip_dry_run: None, tmp_path: Path) -> None:
    from mlflow.utils.environment import _process_pip_requirements

    (tmp_path / "c.txt").write_text("numpy<3\n# why\nscipy<2\n")
    extra = [f"--constraint {tmp_path / 'c.txt'}", "scipy"]
    _, want_reqs, want_constraints = _process_pip_requirements(["numpy"], None, extra)
    got = resolve_requirements(["numpy"], None, extra, loader_requirement=MLFLOW_PIN)
    assert got == ResolvedRequirements(want_reqs, want_constraints)


# --------------------------------------------------------------------------- pinning


@pytest.mark.parametrize(
    ("package", "distribution"),
    [("scikit-learn", "scikit-learn"), ("numpy", "numpy"), ("pyyaml", "PyYAML")],
)
def test_pinned_uses_the_installed_version(package: str, distribution: str) -> None:
    from mlflow.utils.requirements_utils import _get_pinned_requirement

    want = f"{package}=={importlib.metadata.version(distribution)}"
    assert pinned(package) == want == _get_pinned_requirement(package)


def test_pinned_keeps_extras() -> None:
    assert pinned("mlflow[gateway]") == "mlflow[gateway]==3.17.2"
    assert pinned("mlflow[b,a]", version="1.0") == "mlflow[a,b]==1.0"


def test_pinning_a_missing_package_is_a_clear_error() -> None:
    with pytest.raises(InvalidParameterValue, match=r"'cairn-no-such-package'.*not installed"):
        pinned("cairn-no-such-package")


def test_pinned_strips_a_local_version_label(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    dist_info = tmp_path / "cairn_local_label_pkg-2.1.0+cpu.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: cairn-local-label-pkg\nVersion: 2.1.0+cpu\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with caplog.at_level(logging.WARNING, logger="cairn.models.requirements"):
        assert pinned("cairn-local-label-pkg") == "cairn-local-label-pkg==2.1.0"
    assert "local version label (+cpu)" in caplog.text


def test_module_examples_run() -> None:
    for module in (environment, requirements):
        result = doctest.testmod(module, globs={**vars(module), "importlib": importlib})
        assert result.failed == 0 and result.attempted > 0
