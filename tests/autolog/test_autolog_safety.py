"""The framework's promises: exclusive, disable, silent, and a failing hook never breaks fit."""

from __future__ import annotations

import subprocess
import sys
import warnings
from typing import Any

import pytest
from sklearn.linear_model import LogisticRegression

import cairn
from cairn.autologging import sklearn_logging
from cairn.autologging.patching import AutologgingWarning
from cairn.entities import RunStatus


def _boom(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("logging broke")


def test_exclusive_leaves_user_runs_alone(xy: Any) -> None:
    cairn.autolog(exclusive=True)
    with cairn.start_run() as run:
        LogisticRegression().fit(*xy)
    logged = cairn.get_run(run.info.run_id)
    assert logged.data.metric_dict == {} and logged.data.param_dict == {}
    LogisticRegression().fit(*xy)  # outside a user run it still logs, in its own run
    assert len(cairn.search_runs(output_format="list")) == 2


def test_disable_puts_fit_back(xy: Any) -> None:
    original = LogisticRegression.fit
    cairn.autolog()
    assert LogisticRegression.fit is not original
    cairn.autolog(disable=True)
    assert LogisticRegression.fit is original
    LogisticRegression().fit(*xy)
    assert cairn.search_runs(output_format="list") == []


def test_failing_hook_warns_and_fit_returns_the_same_object(
    xy: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sklearn_logging, "training_metrics", _boom)
    cairn.autolog(log_models=False)
    model = LogisticRegression()
    with pytest.warns(AutologgingWarning, match="logging broke"):
        assert model.fit(*xy) is model
    assert model.predict(xy[0]).shape == (60,)
    assert cairn.active_run() is None


def test_silent_hides_the_warning(xy: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sklearn_logging, "training_metrics", _boom)
    cairn.autolog(silent=True, log_models=False)
    model = LogisticRegression()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert model.fit(*xy) is model


def test_failing_run_start_still_trains(xy: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cairn.tracking.fluent.start_run", _boom)
    cairn.autolog()
    model = LogisticRegression()
    with pytest.warns(AutologgingWarning):
        assert model.fit(*xy) is model
    assert hasattr(model, "coef_")


def test_user_exception_passes_through_unchanged() -> None:
    cairn.autolog()
    with pytest.raises(ValueError) as raised:
        LogisticRegression().fit([[0.0], [1.0]], [0, 0])  # one class: sklearn refuses
    assert "class" in str(raised.value)
    runs = cairn.search_runs(output_format="list")
    assert [r.info.status for r in runs] == [RunStatus.FAILED]


def test_cairn_autolog_imports_no_library_and_patches_each_when_imported() -> None:
    """A script that never imports scikit-learn or Lightning pays nothing for them; the
    first import of each sets its integration up."""
    code = (
        "import sys, cairn\n"
        "cairn.autolog()\n"
        "heavy = ['sklearn', 'xgboost', 'lightgbm', 'lightning', 'transformers', 'torch']\n"
        "assert not [m for m in heavy if m in sys.modules], sys.modules.keys()\n"
        "from cairn.autologging import patching\n"
        "import sklearn.linear_model\n"
        "print(hasattr(sklearn.linear_model.LogisticRegression.fit, '__wrapped__'))\n"
        "import lightning\n"
        "print([owner.__name__ for owner, _ in patching.patched_methods('pytorch')])\n"
    )
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["True", "['Trainer']"]
