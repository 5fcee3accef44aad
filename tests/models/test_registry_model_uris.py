"""Registered models end to end: ``log_model(registered_model_name=...)`` and loading by
``models:/<name>/<version|stage|latest>`` and ``models:/<name>@<alias>``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import cairn
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.models import pyfunc
from cairn.models.flavors import sklearn as cairn_sklearn
from cairn.models.mlmodel import MLMODEL_FILE
from cairn.models.uri import local_model_dir
from cairn.tracking.client import CairnClient
from cairn.tracking.registry_client import MODEL_VERSIONS_TAG

pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::FutureWarning", "ignore::UserWarning"
)


@pytest.fixture
def models(tracking_dir: Path, xy: tuple[Any, Any]) -> tuple[Any, Any]:
    """Two classifiers logged and registered as versions 1 and 2 of ``churn``; version 1 is
    in Production with the alias ``champion``, version 2 in Staging."""
    from sklearn.linear_model import LogisticRegression

    x, y = xy
    first, second = LogisticRegression().fit(x, y), LogisticRegression(C=0.01).fit(x, 1 - y)
    for model in (first, second):
        with cairn.start_run():
            cairn_sklearn.log_model(
                model, "clf", registered_model_name="churn", pip_requirements=[]
            )
    client = CairnClient()
    client.transition_model_version_stage("churn", 1, "Production")
    client.transition_model_version_stage("churn", 2, "Staging")
    client.set_registered_model_alias("churn", "champion", 1)
    return first, second


def test_log_model_registers_a_version(tracking_dir: Path, xy: tuple[Any, Any]) -> None:
    from sklearn.linear_model import LogisticRegression

    with cairn.start_run() as run:
        info = cairn_sklearn.log_model(
            LogisticRegression().fit(*xy), "clf", registered_model_name="RM", pip_requirements=[]
        )
        again = cairn_sklearn.log_model(
            LogisticRegression().fit(*xy), "clf2", registered_model_name="RM", pip_requirements=[]
        )

    client = CairnClient()
    version = client.get_model_version("RM", 1)
    assert (info.registered_model_version, again.registered_model_version) == (1, 2)
    assert version.source == info.model_uri and version.model_id == info.model_id
    assert version.run_id == run.info.run_id
    assert MODEL_VERSIONS_TAG in client.get_logged_model(info.model_id).tag_dict


def test_log_model_without_a_registered_name_registers_nothing(
    tracking_dir: Path, xy: tuple[Any, Any]
) -> None:
    from sklearn.linear_model import LogisticRegression

    with cairn.start_run():
        info = cairn_sklearn.log_model(LogisticRegression().fit(*xy), "clf", pip_requirements=[])

    assert info.registered_model_version is None
    assert len(CairnClient().search_registered_models()) == 0


@pytest.mark.parametrize(
    ("uri", "which"),
    [
        ("models:/churn@champion", 0),
        ("models:/churn/Production", 0),
        ("models:/churn/production", 0),
        ("models:/churn/1", 0),
        ("models:/churn/staging", 1),
        ("models:/churn/latest", 1),
        ("models:/churn/2", 1),
    ],
)
def test_registry_uris_load_the_version_they_name(
    models: tuple[Any, Any], xy: tuple[Any, Any], uri: str, which: int
) -> None:
    x, _ = xy
    expected = models[which].predict(x)

    np.testing.assert_array_equal(pyfunc.load_model(uri).predict(x), expected)
    np.testing.assert_array_equal(cairn_sklearn.load_model(uri).predict(x), expected)


def test_an_alias_follows_its_moves(models: tuple[Any, Any], xy: tuple[Any, Any]) -> None:
    x, _ = xy
    CairnClient().set_registered_model_alias("churn", "champion", 2)

    loaded = cairn.pyfunc.load_model("models:/churn@champion")

    np.testing.assert_array_equal(loaded.predict(x), models[1].predict(x))


def test_registry_uri_copies_to_dst_path(models: tuple[Any, Any], tmp_path: Path) -> None:
    copied = Path(local_model_dir("models:/churn@champion", str(tmp_path / "dst")))

    assert copied == tmp_path / "dst" and (copied / MLMODEL_FILE).is_file()


def test_versions_with_path_and_runs_sources_load_too(
    models: tuple[Any, Any], xy: tuple[Any, Any], tmp_path: Path
) -> None:
    x, _ = xy
    client = CairnClient()
    saved = tmp_path / "saved"
    cairn_sklearn.save_model(models[0], saved, pip_requirements=[])
    run_id = client.get_model_version("churn", 2).run_id
    client.create_registered_model("other")
    client.create_model_version("other", str(saved))
    client.create_model_version("other", f"runs:/{run_id}/clf", run_id=run_id)

    by_path = pyfunc.load_model("models:/other/1")
    by_runs = pyfunc.load_model("models:/other/2")

    np.testing.assert_array_equal(by_path.predict(x), models[0].predict(x))
    np.testing.assert_array_equal(by_runs.predict(x), models[1].predict(x))


@pytest.mark.parametrize(
    ("uri", "error", "match"),
    [
        ("models:/nope/1", ResourceDoesNotExist, "nope"),
        ("models:/churn/9", ResourceDoesNotExist, "churn"),
        ("models:/churn@nobody", InvalidParameterValue, "alias nobody not found"),
        ("models:/churn/Archived", ResourceDoesNotExist, "no version in stage 'Archived'"),
        ("models:/churn/Live", InvalidParameterValue, "Invalid Model Version stage"),
        ("models:/churn/1/MLmodel", InvalidParameterValue, "Invalid model URI"),
    ],
)
def test_bad_registry_uris_fail_with_the_right_error(
    models: tuple[Any, Any], uri: str, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        pyfunc.load_model(uri)
