"""Page tokens: MLflow's byte-exact format, round trips, and rejection of garbage."""

from __future__ import annotations

import base64

import pytest

from cairn.errors import InvalidParameterValue
from cairn.store.search import decode_page_token, encode_page_token


def test_token_matches_mlflow_byte_for_byte() -> None:
    assert encode_page_token(1) == "eyJvZmZzZXQiOiAxfQ=="


@pytest.mark.parametrize("offset", [0, 1, 999, 50_000, 10**12])
def test_token_round_trips_its_offset(offset: int) -> None:
    assert decode_page_token(encode_page_token(offset)) == offset


@pytest.mark.parametrize("token", [None, ""])
def test_missing_token_means_the_first_page(token: str | None) -> None:
    assert decode_page_token(token) == 0


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "token",
    [
        "not base64!",
        "eyJvZmZzZXQiOiAxfQ",  # missing padding
        "é",
        b64("not json"),
        b64("[1]"),
        b64('{"offset": -1}'),
        b64('{"offset": "3"}'),
        b64('{"offset": 1.5}'),
        b64('{"offset": true}'),
        b64('{"page": 2}'),
    ],
)
def test_garbage_token_is_an_invalid_parameter(token: str) -> None:
    with pytest.raises(InvalidParameterValue, match=r"^Invalid page token"):
        decode_page_token(token)
