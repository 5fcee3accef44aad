"""The error tree's wire mapping and the environment settings."""

from __future__ import annotations

import pytest

from cairn.config import settings_from_env
from cairn.errors import (
    CairnError,
    InvalidParameterValue,
    ResourceAlreadyExists,
    ResourceDoesNotExist,
    error_from_code,
)


@pytest.mark.parametrize(
    ("code", "cls", "status"),
    [
        ("INVALID_PARAMETER_VALUE", InvalidParameterValue, 400),
        ("RESOURCE_ALREADY_EXISTS", ResourceAlreadyExists, 400),
        ("RESOURCE_DOES_NOT_EXIST", ResourceDoesNotExist, 404),
    ],
)
def test_wire_codes_map_back_to_their_classes(code: str, cls: type, status: int) -> None:
    error = error_from_code(code, "boom")
    assert type(error) is cls and error.http_status == status
    assert error.to_dict() == {"error_code": code, "message": "boom"}


def test_unknown_wire_code_becomes_a_generic_internal_error() -> None:
    error = error_from_code("SOMETHING_NEW", "x")
    assert type(error) is CairnError and error.http_status == 500


def test_cairn_variables_win_over_mlflow_ones() -> None:
    settings = settings_from_env(
        {"CAIRN_TRACKING_URI": "/cairn", "MLFLOW_TRACKING_URI": "/mlflow", "MLFLOW_RUN_ID": "r1"}
    )
    assert settings.tracking_uri == "/cairn" and settings.run_id == "r1"


@pytest.mark.parametrize(("value", "expected"), [("false", False), ("0", False), ("TRUE", True)])
def test_truncate_long_values_switch(value: str, expected: bool) -> None:
    settings = settings_from_env({"MLFLOW_TRUNCATE_LONG_VALUES": value})
    assert settings.truncate_long_values is expected
    assert settings_from_env({}).truncate_long_values is True


def test_mlflow_synonym_codes_map_to_typed_errors() -> None:
    from cairn.errors import (
        Conflict,
        DeadlineExceeded,
        RequestLimitExceeded,
        ResourceDoesNotExist,
        Unauthenticated,
        error_from_code,
    )

    assert isinstance(error_from_code("UNAUTHENTICATED", "m"), Unauthenticated)
    assert isinstance(error_from_code("CUSTOMER_UNAUTHORIZED", "m"), Unauthenticated)
    assert isinstance(error_from_code("ALREADY_EXISTS", "m"), Conflict)
    assert isinstance(error_from_code("REQUEST_LIMIT_EXCEEDED", "m"), RequestLimitExceeded)
    assert isinstance(error_from_code("DEADLINE_EXCEEDED", "m"), DeadlineExceeded)
    assert isinstance(error_from_code("NOT_FOUND", "m"), ResourceDoesNotExist)
    assert error_from_code("SOMETHING_NEW", "m").message == "m"
