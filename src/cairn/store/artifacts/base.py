"""The artifact store interface: what the tracking layer needs from one artifact root URI.

One implementation per backend, chosen by URI scheme in ``registry``. Every artifact path a
method receives is a user string and goes through ``paths.validate_relative_path`` (or
``resolve_under`` for local files) before it touches storage. Paths in results are relative to the
repository root, as MLflow's tracking ``ListArtifacts`` returns them (``sub/a.txt``).

Optional capabilities are separate protocols (``SupportsDelete``) rather than methods that raise
``NotImplementedError``, so callers can test for them with ``isinstance``.
"""

from __future__ import annotations

import abc
import os
from pathlib import Path
from typing import BinaryIO, Protocol, TypeAlias, runtime_checkable

from cairn.entities.file_info import FileInfo

#: What callers may pass for a local file or directory.
LocalPath: TypeAlias = str | os.PathLike[str]


class ArtifactRepository(abc.ABC):
    """Artifacts under one root URI (a run's, a logged model's, or an experiment's)."""

    def __init__(self, artifact_uri: str) -> None:
        self.artifact_uri = artifact_uri

    @abc.abstractmethod
    def log_artifact(self, local_file: LocalPath, artifact_path: str | None = None) -> None:
        """Copy one local file to ``<artifact_path>/<its basename>``, replacing any old copy."""

    @abc.abstractmethod
    def log_artifacts(self, local_dir: LocalPath, artifact_path: str | None = None) -> None:
        """Copy the contents of a local directory, recursively, under ``artifact_path``."""

    @abc.abstractmethod
    def log_bytes(self, data: bytes, artifact_file: str) -> None:
        """Store ``data`` as the file ``artifact_file``; text, dict and image helpers build on it
        so that they never need a temporary local file."""

    @abc.abstractmethod
    def list_artifacts(self, path: str | None = None) -> list[FileInfo]:
        """The immediate children of directory ``path`` (root when None), sorted by path.

        Paths are relative to the repository root; files carry their size, directories none.
        A path naming a file, or nothing at all, lists as ``[]`` (MLflow's local behaviour,
        which clients read as "this is a file").
        """

    @abc.abstractmethod
    def download_artifacts(self, artifact_path: str, dst_path: LocalPath | None = None) -> Path:
        """Copy a file or a whole directory to ``<dst_path>/<artifact_path>`` and return that path.

        ``dst_path`` defaults to a new temporary directory, which the caller owns. A missing
        artifact raises ``ResourceDoesNotExist``.
        """

    @abc.abstractmethod
    def open_artifact(self, artifact_path: str) -> BinaryIO:
        """Open one stored file for streaming reads (the server streams downloads from this).

        Missing -> ``ResourceDoesNotExist``; a directory -> ``InvalidParameterValue``.
        """

    def read_bytes(self, artifact_path: str) -> bytes:
        """The whole content of one stored file; for small artifacts such as JSON or MLmodel."""
        with self.open_artifact(artifact_path) as stream:
            return stream.read()


@runtime_checkable
class SupportsDelete(Protocol):
    """A repository that can remove artifacts (used by garbage collection and the proxy)."""

    def delete_artifacts(self, artifact_path: str | None = None) -> None:
        """Remove a file or directory tree (the whole root when None); missing is a no-op."""
        ...
