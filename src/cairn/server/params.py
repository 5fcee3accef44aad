"""Request fields the way MLflow's server reads them (reference section 0.2).

GET fields come from the query string (repeated keys make lists; a single occurrence of a
repeated field is still a list) and fall back to a JSON body when the query is empty; other
methods read the JSON body only. Malformed JSON counts as ``{}``; a JSON string holding JSON
is decoded once more. lowerCamelCase names are accepted, but both spellings of one field in a
request are an error. Every failure here is a 400 INVALID_PARAMETER_VALUE, never a 5xx.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import orjson

from cairn.errors import InvalidParameterValue

_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")
_TRUE = {"true"}
_FALSE = {"false"}


def _loads(text: bytes | str) -> Any:
    """orjson (3x faster on a 1,000-metric batch); the standard library for what strict JSON
    rejects but MLflow's Python client sends (``NaN``/``Infinity`` literals, huge integers)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def parse_json_body(body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    try:
        data = _loads(body)
        if isinstance(data, str):
            data = _loads(data)
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _snake(name: str) -> str:
    return _CAMEL.sub(lambda m: "_" + m.group(1).lower(), name)


def normalize(data: Mapping[str, Any]) -> dict[str, Any]:
    """snake_case names for lowerCamelCase ones; both spellings of one field is an error."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        snake = _snake(key)
        if snake in out:
            raise InvalidParameterValue(
                f"Field '{snake}' was given twice (as '{snake}' and in camelCase); send one."
            )
        out[snake] = value
    return out


def _missing(name: str) -> InvalidParameterValue:
    return InvalidParameterValue(
        f"Missing value for required parameter '{name}'. See the API docs for more information "
        "about request parameters."
    )


def _invalid(name: str, value: Any, expected: str) -> InvalidParameterValue:
    shown = repr(value)
    if len(shown) > 100:
        shown = shown[:100] + "..."
    return InvalidParameterValue(
        f"Invalid value {shown} for parameter '{name}' supplied: expected {expected}."
    )


class Params:
    """The fields of one request, with typed getters that raise MLflow's errors."""

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        from_query: bool = False,
        identify: Callable[[], str | None] | None = None,
    ) -> None:
        self._data = normalize(data)
        self._from_query = from_query
        self._identify = identify

    def with_identity(self, identify: Callable[[], str | None]) -> Params:
        """Who sent the request, worked out only if a handler asks (``user``): the metric
        ingest path never pays for header parsing it does not use."""
        self._identify = identify
        return self

    @property
    def user(self) -> str | None:
        """Recorded in the audit history (see ``server/identity.py``)."""
        return self._identify() if self._identify is not None else None

    @classmethod
    def from_query(cls, pairs: list[tuple[str, str]]) -> Params:
        grouped: dict[str, list[str]] = {}
        for key, value in pairs:
            grouped.setdefault(key, []).append(value)
        return cls(grouped, from_query=True)

    def with_path(self, path_params: Mapping[str, str]) -> Params:
        """Path segments (``/logged-models/{model_id}``) win over body fields of the same name."""
        merged = dict(self._data)
        for key, value in path_params.items():
            merged[key] = [value] if self._from_query else value
        return Params(merged, from_query=self._from_query, identify=self._identify)

    def raw(self, name: str) -> Any:
        value = self._data.get(name)
        if self._from_query and isinstance(value, list):
            return value[0] if value else None
        return value

    def has(self, name: str) -> bool:
        return self._data.get(name) is not None

    def text(self, name: str, *, required: bool = False, alias: str | None = None) -> str | None:
        value = self.raw(name)
        if value is None and alias is not None:
            value = self.raw(alias)
        if value is None or value == "":
            if required:
                raise _missing(name)
            return None if value is None else ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise _invalid(name, value, "a string")
        return str(value)

    def required(self, name: str, *, alias: str | None = None) -> str:
        value = self.text(name, required=True, alias=alias)
        assert value is not None
        return value

    def integer(self, name: str, *, required: bool = False) -> int | None:
        value = self.raw(name)
        if value is None or value == "":
            if required:
                raise _missing(name)
            return None
        if isinstance(value, bool):
            raise _invalid(name, value, "an integer")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
            return int(value)
        raise _invalid(name, value, "an integer")

    def number(self, name: str, *, required: bool = False) -> float | None:
        value = self.raw(name)
        if value is None or value == "":
            if required:
                raise _missing(name)
            return None
        return to_float(name, value)

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
        raise _invalid(name, value, "true or false")

    def values(self, name: str) -> list[Any]:
        value = self._data.get(name)
        if value is None:
            return []
        if isinstance(value, list):
            return value
        if self._from_query:
            return [value]
        raise _invalid(name, value, "a list")

    def objects(self, name: str) -> list[dict[str, Any]]:
        """A repeated message field: a list of JSON objects with camelCase names normalized."""
        items = self.values(name)
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise _invalid(f"{name}[{index}]", item, "an object")
        return [normalize(item) for item in items]


def to_float(name: str, value: Any) -> float:
    """A double field: numbers, digit strings and MLflow's "NaN"/"Infinity" spellings."""
    if isinstance(value, bool):
        raise _invalid(name, value, "a number")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise _invalid(name, value, "a number") from None
        if math.isnan(number) and value.strip().lower() not in {"nan"}:
            raise _invalid(name, value, "a number")
        return number
    raise _invalid(name, value, "a number")


def field(item: Mapping[str, Any], path: str, name: str, *, required: bool = True) -> Any:
    """A field of a nested object (``metrics[0].timestamp``), with the path in the error."""
    value = item.get(name)
    if required and (value is None or value == ""):
        raise _missing(f"{path}.{name}")
    return value


def int_field(item: Mapping[str, Any], path: str, name: str, *, required: bool = True) -> int:
    value = field(item, path, name, required=required)
    if value is None:
        return 0
    label = f"{path}.{name}"
    return Params({label: value}).integer(label) or 0
