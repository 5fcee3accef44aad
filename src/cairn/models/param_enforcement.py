"""Predict-time enforcement of inference params (MLflow's ``_enforce_params_schema``).

Params are not data: they are filled from their defaults, unknown ones are dropped, and each
value is checked by its :class:`~cairn.models.params_schema.ParamSpec`, so this step shares no
code with input enforcement and lives apart from :mod:`cairn.models.enforcement`.
"""

from __future__ import annotations

import logging
from typing import Any

from cairn.errors import CairnError, SchemaEnforcementError
from cairn.models.params_schema import ParamSchema

#: The logger these warnings always went to, from before params left ``enforcement``.
logger = logging.getLogger("cairn.models.enforcement")


def enforce_params(
    params: dict[str, Any] | None, schema: ParamSchema | None
) -> dict[str, Any] | None:
    """Params cast to the schema, defaults filled in; unknown names are dropped with a logged
    warning (as MLflow does), mistyped values fail naming every bad param."""
    if schema is None:
        if params in (None, {}):
            return params
        logger.warning(
            "`params` can only be specified at inference time if the model signature defines "
            "a params schema. This model does not define a params schema. Ignoring provided "
            "params: %s",
            list(params) if isinstance(params, dict) else params,
        )
        return {}
    params = {} if params is None else params
    if not isinstance(params, dict):
        raise SchemaEnforcementError(
            f"Parameters must be a dictionary. Got type '{type(params).__name__}'."
        )
    params = {str(k): v for k, v in params.items()}
    allowed = {p.name for p in schema.params}
    if ignored := [k for k in params if k not in allowed]:
        logger.warning(
            "Unrecognized params %s are ignored for inference. Supported params are: %s. "
            "To enable them, please add corresponding schema in ModelSignature.",
            ignored,
            allowed,
        )
    result = {k: v for k, v in params.items() if k in allowed}
    invalid = set()
    for spec in schema.params:
        if spec.name not in result:
            result[spec.name] = spec.default
            continue
        try:
            result[spec.name] = spec.validate(result[spec.name])
        except CairnError as exc:
            invalid.add((spec.name, exc.message))
    if invalid:
        raise SchemaEnforcementError(f"Invalid parameters found: {invalid!r}")
    return result
