"""``models:/`` URIs: a logged model by id, or a registered model version by number, stage,
``latest`` or alias (MLflow's forms, reference 6.2).

- ``models:/<model_id>``: a logged model (``m-...``);
- ``models:/<name>/<version>``: that version;
- ``models:/<name>/<stage>``: the highest version in the stage (matched case-insensitively);
- ``models:/<name>/latest``: the highest live version;
- ``models:/<name>@<alias>``: the version the alias points at.

Parsing is separate from lookup so callers that only need the shape (is this a registry
reference?) do not touch a store.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from cairn.entities import ModelVersion
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.store.registry.base import RegistryStore

LATEST = "latest"
_FORMS = (
    "models:/<model_id>, models:/<name>/<version>, models:/<name>/<stage>, "
    "models:/<name>/latest or models:/<name>@<alias>"
)


@dataclass(frozen=True)
class ModelsUri:
    """What a ``models:/`` URI names: ``model_id`` alone, or ``name`` with at most one of
    ``version``, ``stage`` and ``alias`` (none of them = the latest version)."""

    model_id: str | None = None
    name: str | None = None
    version: int | None = None
    stage: str | None = None
    alias: str | None = None

    @property
    def is_registry(self) -> bool:
        return self.name is not None


def _malformed(uri: str, why: str) -> InvalidParameterValue:
    return InvalidParameterValue(f"Invalid model URI {uri[:200]!r}: {why}. Expected {_FORMS}.")


def is_models_uri(uri: str) -> bool:
    return urlsplit(str(uri)).scheme.lower() == "models"


def parse_models_uri(uri: str) -> ModelsUri:
    """Split a ``models:/`` URI into its parts; anything that is not one of the forms above
    (a host, a query, three path segments, an empty name) is INVALID_PARAMETER_VALUE."""
    parsed = urlsplit(uri)
    if parsed.scheme.lower() != "models":
        raise _malformed(uri, "not a models:/ URI")
    if parsed.netloc or parsed.query or parsed.fragment:
        raise _malformed(uri, "no host, query or fragment is allowed")
    parts = parsed.path.strip("/").split("/")
    if len(parts) > 2 or not parts[0].strip():
        raise _malformed(uri, "wrong number of path segments")
    if len(parts) == 2:
        name, suffix = parts
        if not suffix.strip():
            raise _malformed(uri, "empty version or stage")
        if suffix.isdigit():
            return ModelsUri(name=name, version=int(suffix))
        if suffix.lower() == LATEST:
            return ModelsUri(name=name)
        return ModelsUri(name=name, stage=suffix)
    if "@" in parts[0]:
        name, _, alias = parts[0].rpartition("@")
        if not name.strip() or not alias.strip():
            raise _malformed(uri, "empty model name or alias")
        return ModelsUri(name=name, alias=alias)
    return ModelsUri(model_id=parts[0])


def find_version(store: RegistryStore, ref: ModelsUri) -> ModelVersion:
    """The version a registry reference names, looked up as MLflow's client does: stage and
    ``latest`` through get-latest-versions, so any MLflow-compatible server answers."""
    if ref.name is None:
        raise InvalidParameterValue(f"models:/{ref.model_id} names a logged model, not a version.")
    if ref.version is not None:
        return store.get_model_version(ref.name, ref.version)
    if ref.alias is not None:
        return store.get_model_version_by_alias(ref.name, ref.alias)
    latest = store.get_latest_versions(ref.name, [ref.stage] if ref.stage else [])
    if not latest:
        where = f" in stage {ref.stage!r}" if ref.stage else ""
        raise ResourceDoesNotExist(f"Registered model {ref.name!r} has no version{where}.")
    return max(latest, key=lambda mv: mv.version)
