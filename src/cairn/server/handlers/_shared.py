"""Small pieces every handler module uses the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from cairn.entities import Page, ViewType
from cairn.errors import InvalidParameterValue
from cairn.server.params import Params

T = TypeVar("T")
JsonDict = dict[str, Any]


def page_response(page: Page[T], key: str, encode: Callable[[T], JsonDict]) -> JsonDict:
    """A search reply as MLflow writes it: no key for no hits, a token only if more exist."""
    response: JsonDict = {}
    if page.items:
        response[key] = [encode(item) for item in page]
    if page.next_page_token:
        response["next_page_token"] = page.next_page_token
    return response


def bounded_int(params: Params, name: str, default: int, maximum: int) -> int:
    """An optional page size: ``default`` when absent, else between 1 and ``maximum``."""
    value = params.integer(name)
    value = default if value is None else value
    if not 1 <= value <= maximum:
        raise InvalidParameterValue(f"{name} must be between 1 and {maximum}; got {value}.")
    return value


def run_scope(params: Params) -> tuple[list[str], str | None, ViewType]:
    """``experiment_ids``, ``filter`` and ``run_view_type`` as ``runs/search`` reads them, for
    the cairn-native reads over the same set of runs."""
    return (
        [str(e) for e in params.values("experiment_ids")],
        params.text("filter") or None,
        ViewType.parse(params.raw("run_view_type")),
    )
