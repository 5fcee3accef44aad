"""Input rules shared by every tracking store, with MLflow's limits and error codes.

Validation happens before any write, so a batch with one bad item writes nothing.
"""

from __future__ import annotations

import math
import numbers
import posixpath
import re
from collections.abc import Sequence, Sized

from cairn.entities import Dataset, DatasetInput, Metric, MetricSeries, Param, RunTag
from cairn.errors import InvalidParameterValue

MAX_KEY_LENGTH = 250
MAX_PARAM_VALUE_LENGTH = 6000
MAX_TAG_VALUE_LENGTH = 8000
MAX_EXPERIMENT_NAME_LENGTH = 500
MAX_EXPERIMENT_TAG_VALUE_LENGTH = 20000
MAX_ARTIFACT_LOCATION_LENGTH = 2048
MAX_RUN_NAME_LENGTH = 250
MAX_METRICS_PER_BATCH = 1000
MAX_PARAMS_PER_BATCH = 100
MAX_TAGS_PER_BATCH = 100
MAX_ENTITIES_PER_BATCH = 1000
MAX_CUSTOM_VIEW_TAGS = 50
CUSTOM_VIEW_TAG_PREFIX = "mlflow.customView.view"

DATASET_LIMITS = {
    "name": 500,
    "digest": 36,
    "source_type": 36,
    "source": 65535,
    "schema": 1048575,
    "profile": 16777215,
}
MAX_INPUT_TAG_KEY_LENGTH = 255
MAX_INPUT_TAG_VALUE_LENGTH = 500

_KEY_CHARS = re.compile(r"^[\w\-. /:]+$")
_RUN_ID = re.compile(r"^[a-zA-Z0-9][\w\-]{0,255}$")


def _shorten(text: str, limit: int = 80) -> str:
    """Echo user input in errors without echoing megabytes of it."""
    return text if len(text) <= limit else text[:limit] + "..."


def validate_key(key: object, what: str) -> str:
    if not isinstance(key, str) or not key:
        raise InvalidParameterValue(f"Missing value for required parameter '{what} key'.")
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidParameterValue(
            f"{what.capitalize()} key '{_shorten(key)}' is {len(key)} characters long; "
            f"the limit is {MAX_KEY_LENGTH}."
        )
    normalized = posixpath.normpath(key)
    if (
        not _KEY_CHARS.match(key)
        or normalized != key
        or key.startswith("/")
        or key == "."
        or ".." in key.split("/")
    ):
        raise InvalidParameterValue(
            f"Invalid {what} key '{_shorten(key)}'. Keys may contain only alphanumerics, "
            "underscores, dashes, periods, spaces, colons and slashes, and must be a "
            "normalized relative path (no '..', no leading or doubled '/')."
        )
    return key


def _fit(value: str, limit: int, what: str, key: str, truncate: bool) -> str:
    if len(value) <= limit:
        return value
    if truncate:
        return value[:limit]
    raise InvalidParameterValue(
        f"{what} '{_shorten(key)}' has a value of {len(value)} characters; the limit is {limit}."
    )


def validate_param(param: Param, truncate: bool) -> Param:
    validate_key(param.key, "param")
    if not isinstance(param.value, str):
        raise InvalidParameterValue(f"Param '{param.key}' must have a string value.")
    return Param(param.key, _fit(param.value, MAX_PARAM_VALUE_LENGTH, "Param", param.key, truncate))


def validate_tag(tag: RunTag, truncate: bool) -> RunTag:
    validate_key(tag.key, "tag")
    if not isinstance(tag.value, str):
        raise InvalidParameterValue(f"Tag '{tag.key}' must have a string value.")
    return RunTag(tag.key, _fit(tag.value, MAX_TAG_VALUE_LENGTH, "Tag", tag.key, truncate))


def validate_experiment_tag_value(key: str, value: object) -> str:
    validate_key(key, "tag")
    if not isinstance(value, str):
        raise InvalidParameterValue(f"Tag '{key}' must have a string value.")
    return _fit(value, MAX_EXPERIMENT_TAG_VALUE_LENGTH, "Experiment tag", key, truncate=False)


def validate_metric(metric: Metric) -> Metric:
    validate_key(metric.key, "metric")
    value = metric.value
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        raise InvalidParameterValue(
            f"Metric '{metric.key}' got value {_shorten(repr(value))}; it must be a number."
        )
    for name, number in (("timestamp", metric.timestamp), ("step", metric.step)):
        if isinstance(number, bool) or not isinstance(number, int):
            raise InvalidParameterValue(
                f"Metric '{metric.key}' has {name} {_shorten(repr(number))}; it must be an integer."
            )
    if metric.timestamp < 0:
        raise InvalidParameterValue(f"Metric '{metric.key}' has a negative timestamp.")
    return metric


def validate_series(series: MetricSeries) -> None:
    """The bulk path's check: the key once, the columns as whole arrays."""
    import numpy as np

    validate_key(series.key, "metric")
    try:
        steps = np.asarray(series.steps)
        timestamps = np.asarray(series.timestamps)
        np.asarray(series.values, dtype=np.float64)  # raises on anything not a number
    except (TypeError, ValueError) as exc:
        raise InvalidParameterValue(
            f"Metric '{series.key}' has a non-numeric value: {exc}"
        ) from None
    for name, column in (("steps", steps), ("timestamps", timestamps)):
        if len(column) and column.dtype.kind not in "iu":
            raise InvalidParameterValue(
                f"Metric '{series.key}' has {name} that are not integers ({column.dtype})."
            )
    if len(timestamps) and int(timestamps.min()) < 0:
        raise InvalidParameterValue(f"Metric '{series.key}' has a negative timestamp.")


def validate_batch_limits(metrics: Sized, params: Sequence[Param], tags: Sequence[RunTag]) -> None:
    """MLflow's per-request limits; ``metrics`` only needs a length (the bulk path counts
    points it holds in columns)."""
    for items, limit, what in (
        (metrics, MAX_METRICS_PER_BATCH, "metrics"),
        (params, MAX_PARAMS_PER_BATCH, "params"),
        (tags, MAX_TAGS_PER_BATCH, "tags"),
    ):
        if len(items) > limit:
            raise InvalidParameterValue(
                f"A batch may hold at most {limit} {what}; got {len(items)}. Split the batch."
            )
    total = len(metrics) + len(params) + len(tags)
    if total > MAX_ENTITIES_PER_BATCH:
        raise InvalidParameterValue(
            f"A batch may hold at most {MAX_ENTITIES_PER_BATCH} items in all; got {total}."
        )
    seen: set[str] = set()
    for param in params:
        if param.key in seen:
            raise InvalidParameterValue(
                f"Duplicate parameter key '{_shorten(param.key)}' in one batch."
            )
        seen.add(param.key)


def validate_run_id(run_id: object) -> str:
    if not isinstance(run_id, str) or not _RUN_ID.match(run_id):
        raise InvalidParameterValue(f"Invalid run id {_shorten(repr(run_id))}.")
    return run_id


def parse_experiment_id(experiment_id: object) -> int:
    """SQL stores number experiments; anything else is a user error, not a crash."""
    text = str(experiment_id).strip()
    if not text.lstrip("-").isdigit():
        raise InvalidParameterValue(
            f"Invalid experiment id {_shorten(repr(experiment_id))}: expected an integer string."
        )
    return int(text)


def validate_experiment_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidParameterValue("An experiment name must be a non-empty string.")
    if len(name) > MAX_EXPERIMENT_NAME_LENGTH:
        raise InvalidParameterValue(
            f"Experiment name is {len(name)} characters long; the limit is "
            f"{MAX_EXPERIMENT_NAME_LENGTH}."
        )
    return name


def validate_artifact_location(location: str) -> str:
    if len(location) > MAX_ARTIFACT_LOCATION_LENGTH:
        raise InvalidParameterValue(
            f"Artifact location is {len(location)} characters; the limit is "
            f"{MAX_ARTIFACT_LOCATION_LENGTH}."
        )
    if location.startswith("runs:"):
        raise InvalidParameterValue("An experiment's artifact location cannot be a runs: URI.")
    if any(ch in location for ch in "#;?"):
        raise InvalidParameterValue(
            "An artifact location may not contain '#', ';' or '?' (fragments, parameters or "
            "queries)."
        )
    return location


def validate_run_name(name: str) -> str:
    if len(name) > MAX_RUN_NAME_LENGTH:
        raise InvalidParameterValue(
            f"Run name is {len(name)} characters long; the limit is {MAX_RUN_NAME_LENGTH}."
        )
    return name


def validate_dataset_input(item: DatasetInput) -> None:
    dataset: Dataset = item.dataset
    for field, limit in DATASET_LIMITS.items():
        value = getattr(dataset, field)
        required = field in ("name", "digest", "source_type", "source")
        if value is None or value == "":
            if required:
                raise InvalidParameterValue(f"Dataset is missing required field '{field}'.")
            continue
        if not isinstance(value, str) or len(value) > limit:
            raise InvalidParameterValue(
                f"Dataset field '{field}' must be a string of at most {limit} characters."
            )
    for tag in item.tags:
        if not tag.key or len(tag.key) > MAX_INPUT_TAG_KEY_LENGTH:
            raise InvalidParameterValue(
                f"Input tag key must be 1 to {MAX_INPUT_TAG_KEY_LENGTH} characters."
            )
        if len(tag.value) > MAX_INPUT_TAG_VALUE_LENGTH:
            raise InvalidParameterValue(
                f"Input tag '{tag.key}' value is longer than {MAX_INPUT_TAG_VALUE_LENGTH}."
            )


def encode_metric_value(value: float) -> tuple[float, bool]:
    """SQL columns hold neither NaN nor infinity: NaN becomes (0, is_nan) and +-inf the
    largest finite double, as MLflow stores them."""
    if math.isnan(value):
        return 0.0, True
    if math.isinf(value):
        return (math.copysign(1.7976931348623157e308, value)), False
    return float(value), False
