"""Artifact storage: one repository per artifact root URI, and the one path validator.

Light to import (fsspec loads when a repository is first made); image and figure helpers
live in the tracking layer.

>>> import tempfile
>>> from cairn.store.artifacts import get_artifact_repository, local_path_to_uri
>>> repo = get_artifact_repository(local_path_to_uri(tempfile.mkdtemp()))
>>> repo.log_bytes(b"hello", "notes/a.txt")
>>> repo.list_artifacts("notes")
[FileInfo(path='notes/a.txt', is_dir=False, file_size=5)]
>>> repo.read_bytes("notes/a.txt")
b'hello'
"""

from __future__ import annotations

from cairn.store.artifacts.base import ArtifactRepository, LocalPath, SupportsDelete
from cairn.store.artifacts.local import LocalArtifactRepository
from cairn.store.artifacts.paths import resolve_under, validate_local_root, validate_relative_path
from cairn.store.artifacts.registry import (
    get_artifact_repository,
    local_path_to_uri,
    supported_schemes,
    uri_to_local_path,
)

__all__ = [
    "ArtifactRepository",
    "LocalArtifactRepository",
    "LocalPath",
    "SupportsDelete",
    "get_artifact_repository",
    "local_path_to_uri",
    "resolve_under",
    "supported_schemes",
    "uri_to_local_path",
    "validate_local_root",
    "validate_relative_path",
]
