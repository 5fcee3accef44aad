"""Request parsing quirks of MLflow's server (reference section 0.2)."""

from __future__ import annotations

import math

import pytest

from cairn.errors import InvalidParameterValue
from cairn.server.params import Params, parse_json_body, to_float


def test_malformed_json_reads_as_empty_object() -> None:
    assert parse_json_body(b"{not json") == {}
    assert parse_json_body(b"[1, 2]") == {}
    assert parse_json_body(b"") == {}


def test_double_encoded_json_is_decoded_twice() -> None:
    assert parse_json_body(b'"{\\"name\\": \\"x\\"}"') == {"name": "x"}


def test_camel_case_names_are_accepted() -> None:
    params = Params({"experimentId": "3", "maxResults": 5})
    assert params.text("experiment_id") == "3"
    assert params.integer("max_results") == 5


def test_both_spellings_of_one_field_are_refused() -> None:
    with pytest.raises(InvalidParameterValue, match="twice"):
        Params({"run_id": "a", "runId": "b"})


def test_missing_required_field_names_it() -> None:
    with pytest.raises(InvalidParameterValue, match="'run_id'"):
        Params({}).required("run_id")
    with pytest.raises(InvalidParameterValue, match="'run_id'"):
        Params({"run_id": ""}).required("run_id")


def test_legacy_alias_is_used_when_the_field_is_absent() -> None:
    assert Params({"run_uuid": "abc"}).required("run_id", alias="run_uuid") == "abc"
    assert Params({"run_id": "x", "run_uuid": "y"}).required("run_id", alias="run_uuid") == "x"


def test_int64_accepts_digit_strings_but_not_words_or_bools() -> None:
    assert Params({"timestamp": "5"}).integer("timestamp") == 5
    with pytest.raises(InvalidParameterValue, match="timestamp"):
        Params({"timestamp": "soon"}).integer("timestamp")
    with pytest.raises(InvalidParameterValue):
        Params({"timestamp": True}).integer("timestamp")


def test_query_lists_keep_repeated_keys_and_single_values() -> None:
    params = Params.from_query([("run_ids", "a"), ("run_ids", "b"), ("metric_key", "loss")])
    assert params.values("run_ids") == ["a", "b"]
    assert params.text("metric_key") == "loss"
    assert Params.from_query([("run_ids", "a")]).values("run_ids") == ["a"]


def test_query_bools_must_be_true_or_false() -> None:
    assert Params.from_query([("allow_deleted", "TRUE")]).flag("allow_deleted") is True
    assert Params.from_query([("allow_deleted", "false")]).flag("allow_deleted") is False
    with pytest.raises(InvalidParameterValue):
        Params.from_query([("allow_deleted", "yes")]).flag("allow_deleted")


def test_metric_values_accept_mlflow_spellings_of_nan_and_infinity() -> None:
    assert math.isnan(to_float("value", "NaN"))
    assert to_float("value", "Infinity") == math.inf
    assert to_float("value", "-Infinity") == -math.inf
    assert to_float("value", "2.5") == 2.5
    with pytest.raises(InvalidParameterValue):
        to_float("value", True)
    with pytest.raises(InvalidParameterValue):
        to_float("value", "abc")


def test_path_parameters_win_over_body_fields() -> None:
    params = Params({"model_id": "body"}).with_path({"model_id": "path"})
    assert params.text("model_id") == "path"
