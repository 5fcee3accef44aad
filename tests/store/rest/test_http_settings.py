"""HTTP settings come from the environment once and reach the REST store unchanged."""

from __future__ import annotations

import pytest

from cairn.config import Settings, settings_from_env
from cairn.errors import InvalidParameterValue
from cairn.store.tracking.registry import open_tracking_store
from cairn.store.tracking.rest import HttpConfig, RestTrackingStore


def test_defaults_match_the_documented_policy() -> None:
    settings = settings_from_env({})
    assert (settings.http_timeout, settings.http_max_retries) == (120.0, 5)
    assert settings.http_backoff_factor == 0.5 and settings.insecure_tls is False


def test_cairn_variables_win_over_their_mlflow_twins() -> None:
    settings = settings_from_env(
        {
            "CAIRN_HTTP_REQUEST_TIMEOUT": "3.5",
            "MLFLOW_HTTP_REQUEST_TIMEOUT": "99",
            "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "2",
            "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR": "0.1",
            "MLFLOW_TRACKING_TOKEN": "tok",
            "CAIRN_TRACKING_USERNAME": "ann",
            "MLFLOW_TRACKING_PASSWORD": "pw",
            "MLFLOW_TRACKING_INSECURE_TLS": "true",
        }
    )
    config = HttpConfig.from_settings(settings)
    assert (config.timeout, config.max_retries, config.backoff_factor) == (3.5, 2, 0.1)
    assert (config.username, config.password, config.token) == ("ann", "pw", "tok")
    assert config.insecure_tls is True
    assert "pw" not in repr(settings) and "tok" not in repr(settings)
    hash(settings)  # used as a cache key


@pytest.mark.parametrize(
    ("name", "value"),
    [("CAIRN_HTTP_REQUEST_TIMEOUT", "soon"), ("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "-1")],
)
def test_bad_numbers_are_refused_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(InvalidParameterValue, match=name):
        settings_from_env({name: value})


@pytest.mark.parametrize("uri", ["http://127.0.0.1:5000", "https://tracking.example.com/ml"])
def test_server_uris_open_a_rest_store_with_the_settings(uri: str) -> None:
    store = open_tracking_store(uri, Settings(tracking_token="tok", http_max_retries=1))
    try:
        assert isinstance(store, RestTrackingStore)
        assert store.tracking_uri == uri
        assert store.transport.config.max_retries == 1 and store.transport.config.token == "tok"
    finally:
        store.close()


def test_docstring_examples_run() -> None:
    import doctest

    from cairn.store.tracking.rest import store as store_module

    result = doctest.testmod(store_module)
    assert result.failed == 0 and result.attempted > 0
