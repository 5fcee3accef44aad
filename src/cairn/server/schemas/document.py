"""Putting the wire schemas into the OpenAPI document, without FastAPI ever touching a body.

Handlers parse requests themselves (``params.py``) and return finished JSON, so the models are
attached as documentation only: the answer through ``responses`` (FastAPI then lists the model
under ``components/schemas`` but validates nothing, as no ``response_model`` is set), the JSON
body through ``openapi_extra`` as a ``$ref``, and a GET's fields as query parameters. Request
models are not known to FastAPI's schema generator, so :func:`install_request_components` adds
them to the document's components.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI
from pydantic.json_schema import models_json_schema
from starlette.responses import Response

from cairn.server.schemas._base import ErrorResponse, WireModel

REF = "#/components/schemas/{model}"
_PATH_PARAM = re.compile(r"{(\w+)}")

JsonDict = dict[str, Any]


def operation_docs(
    method: str,
    path: str,
    request: type[WireModel] | None,
    response: type[WireModel] | None,
    produces: str | None = None,
) -> JsonDict:
    """Keyword arguments for ``add_api_route`` that document one JSON route; ``produces``
    names the media type of an answer that is not JSON (a text download)."""
    error = {
        "description": "MLflow's error envelope",
        "content": {"application/json": {"schema": {"$ref": REF.format(model="ErrorResponse")}}},
    }
    responses: dict[int | str, JsonDict] = {"4XX": error, "5XX": error}
    if response is not None:
        responses[200] = {"model": response, "description": "Successful Response"}
    if produces is not None:
        text = {"schema": {"type": "string"}}
        responses[200] = {"description": "A download", "content": {produces: text}}
    path_names = _PATH_PARAM.findall(path)
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in path_names
    ]
    extra: JsonDict = {}
    if request is not None and method == "GET":
        parameters.extend(query_parameters(request, exclude=set(path_names)))
    elif request is not None:
        extra["requestBody"] = {
            "required": bool(request.model_json_schema().get("required")),
            "content": {
                "application/json": {"schema": {"$ref": REF.format(model=request.__name__)}}
            },
        }
    if parameters:
        extra["parameters"] = parameters
    docs: JsonDict = {"responses": responses, "openapi_extra": extra or None}
    if produces is not None:
        docs["response_class"] = _media_response(produces)
    return docs


def _media_response(media_type: str) -> type[Response]:
    """A response class whose only use is to name the media type in the document."""
    return type("DownloadResponse", (Response,), {"media_type": media_type})


def query_parameters(model: type[WireModel], exclude: set[str]) -> list[JsonDict]:
    """One OpenAPI query parameter per field; lists repeat the key (``run_ids=a&run_ids=b``),
    which is how MLflow reads a GET's repeated fields."""
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", ()))
    found = []
    for name, prop in schema.get("properties", {}).items():
        if name in exclude:
            continue
        prop = {k: v for k, v in prop.items() if k not in ("title", "description")}
        parameter: JsonDict = {"name": name, "in": "query", "required": name in required}
        parameter["schema"] = prop
        description = schema["properties"][name].get("description")
        if description:
            parameter["description"] = description
        if prop.get("type") == "array":
            parameter["style"], parameter["explode"] = "form", True
        found.append(parameter)
    return found


def install_request_components(app: FastAPI, models: Iterable[type[WireModel]]) -> None:
    """Wrap ``app.openapi`` so the request models (and what they nest) join the components."""
    unique: set[type[WireModel]] = {ErrorResponse, *models}
    wanted = sorted(unique, key=lambda m: m.__name__)
    build: Callable[[], JsonDict] = app.openapi

    def openapi() -> JsonDict:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = build()
        _, defs = models_json_schema([(m, "validation") for m in wanted], ref_template=REF)
        components = document.setdefault("components", {}).setdefault("schemas", {})
        for name, schema in defs.get("$defs", {}).items():
            components.setdefault(name, schema)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
