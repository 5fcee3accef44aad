"""What the registry's SQL stores (models and versions, webhooks) share: the default clock and
the page-size check, so both answer a bad ``max_results`` with the same 400."""

from __future__ import annotations

import time

from cairn.errors import InvalidParameterValue


def now_ms() -> int:
    return int(time.time() * 1000)


def check_page_size(max_results: int, cap: int) -> None:
    if isinstance(max_results, bool) or not isinstance(max_results, int):
        raise InvalidParameterValue(f"max_results must be an integer; got {max_results!r}.")
    if not 1 <= max_results <= cap:
        raise InvalidParameterValue(f"max_results must be between 1 and {cap}; got {max_results}.")
