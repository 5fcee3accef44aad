"""Artifacts in a local directory (``file:///abs/path`` or a plain absolute path).

I/O goes through fsspec's ``LocalFileSystem`` so the shape carries over to other fsspec backends;
what is local-only is the path safety: every user path is mapped with ``resolve_under``, which
follows symlinks and refuses anything whose real path leaves the root.

Writes go to a temporary file beside the target and are renamed into place, so a reader (or a
concurrent listing) never sees half a file; the temporary names are hidden from listings.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, cast

from cairn.entities.file_info import FileInfo
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist
from cairn.store.artifacts._uri import uri_to_local_path
from cairn.store.artifacts.base import ArtifactRepository, LocalPath
from cairn.store.artifacts.paths import resolve_under, validate_relative_path

_TMP_PREFIX = ".cairn-tmp-"


class LocalArtifactRepository(ArtifactRepository):
    """Artifacts stored as plain files under one local root directory.

    The root need not exist yet; the first write creates it. Also implements ``SupportsDelete``.
    """

    def __init__(self, artifact_uri: str) -> None:
        super().__init__(artifact_uri)
        from fsspec.implementations.local import LocalFileSystem  # heavy: load on first use

        self._root = uri_to_local_path(artifact_uri)
        self._fs = LocalFileSystem()

    # --- writing ---------------------------------------------------------------------------
    def log_artifact(self, local_file: LocalPath, artifact_path: str | None = None) -> None:
        source = Path(local_file)
        if not source.is_file():
            raise InvalidParameterValue(f"Local file {str(source)[:200]!r} does not exist.")
        target = self._resolve(_join(artifact_path, source.name))
        with source.open("rb") as src, self._atomic_writer(target) as dst:
            shutil.copyfileobj(src, dst)

    def log_artifacts(self, local_dir: LocalPath, artifact_path: str | None = None) -> None:
        """Every target path is checked before anything is written, so a bad name deep in the
        tree cannot leave a half-logged directory behind."""
        source = Path(local_dir)
        if not source.is_dir():
            raise InvalidParameterValue(f"Local directory {str(source)[:200]!r} does not exist.")
        directories, files = self._plan_tree(source, validate_relative_path(artifact_path or ""))
        for directory in directories:
            self._makedirs(directory)
        for local_file, target in files:
            with local_file.open("rb") as src, self._atomic_writer(target) as dst:
                shutil.copyfileobj(src, dst)

    def log_bytes(self, data: bytes, artifact_file: str) -> None:
        with self._atomic_writer(self._resolve(artifact_file)) as dst:
            dst.write(data)

    @contextmanager
    def open_writer(self, artifact_file: str) -> Iterator[BinaryIO]:
        """A stream that becomes ``artifact_file`` when closed without error (the server writes
        uploads through it chunk by chunk, never holding a whole file in memory)."""
        with self._atomic_writer(self._resolve(artifact_file)) as stream:
            yield stream

    # --- reading ---------------------------------------------------------------------------
    def local_file(self, artifact_path: str) -> Path:
        """The real path of one stored file, for zero-copy serving; checked like every read."""
        target = self._existing(artifact_path)
        if self._fs.isdir(str(target)):
            raise InvalidParameterValue(f"Artifact {artifact_path[:200]!r} is a directory.")
        return target

    def list_artifacts(self, path: str | None = None) -> list[FileInfo]:
        base = validate_relative_path(path or "")
        directory = self._resolve(base)
        if not self._fs.isdir(str(directory)):
            return []
        infos = []
        for child in self._fs.ls(str(directory), detail=False):
            info = self._file_info(_join(base, posixpath.basename(child)))
            if info is not None:
                infos.append(info)
        return sorted(infos, key=lambda info: info.path)

    def open_artifact(self, artifact_path: str) -> BinaryIO:
        target = self._existing(artifact_path)
        if self._fs.isdir(str(target)):
            raise InvalidParameterValue(f"Artifact {artifact_path[:200]!r} is a directory.")
        return cast(BinaryIO, self._fs.open(str(target), "rb"))

    def download_artifacts(self, artifact_path: str, dst_path: LocalPath | None = None) -> Path:
        relative = validate_relative_path(artifact_path)
        source = self._existing(relative)
        if dst_path is None:
            dst_path = tempfile.mkdtemp(prefix="cairn-artifacts-")
        local = Path(dst_path).joinpath(relative)
        if self._fs.isdir(str(source)):
            self._download_dir(relative, local, frozenset({source}))
        else:
            self._download_file(source, local)
        return local

    # --- deleting (SupportsDelete) ---------------------------------------------------------
    def delete_artifacts(self, artifact_path: str | None = None) -> None:
        """Remove a file or tree. A symlink is removed itself, never the files it points at."""
        relative = validate_relative_path(artifact_path or "")
        if not relative:
            target = self._real_root()
        else:
            parent, name = posixpath.split(relative)
            target = self._resolve(parent) / name
            self._resolve(relative)  # refuses links that point outside, like every other call
        if target.is_symlink():
            target.unlink()
        elif self._fs.exists(str(target)):
            self._fs.rm(str(target), recursive=True)

    @property
    def local_root(self) -> Path:
        """The real directory behind this repository (servers stage multipart uploads in it)."""
        return self._real_root()

    # --- helpers ---------------------------------------------------------------------------
    def _real_root(self) -> Path:
        return self._root.resolve(strict=False)

    def _resolve(self, relative: str) -> Path:
        return resolve_under(self._root, relative)

    def _existing(self, artifact_path: str) -> Path:
        target = self._resolve(artifact_path)
        if not self._fs.exists(str(target)):
            raise ResourceDoesNotExist(f"No artifact at {artifact_path[:200]!r}.")
        return target

    def _file_info(self, relative: str) -> FileInfo | None:
        """The listing entry for ``relative``, or None when it must stay hidden: temporary
        files, names cairn could not address (they change under validation) and links that
        lead outside the root (their size or type would leak facts about other files)."""
        if posixpath.basename(relative).startswith(_TMP_PREFIX):
            return None
        try:
            if validate_relative_path(relative) != relative:
                return None
            real = self._resolve(relative)
            info = self._fs.info(str(real))
        except (InvalidParameterValue, FileNotFoundError):
            return None
        if info["type"] == "directory":
            return FileInfo(path=relative, is_dir=True, file_size=None)
        return FileInfo(path=relative, is_dir=False, file_size=int(info["size"]))

    def _download_dir(self, relative: str, local: Path, ancestors: frozenset[Path]) -> None:
        """Copy a tree; ``ancestors`` (real paths) stops symlink loops inside the root."""
        local.mkdir(parents=True, exist_ok=True)
        for info in self.list_artifacts(relative):
            child_local = local / posixpath.basename(info.path)
            real = self._resolve(info.path)
            if not info.is_dir:
                self._download_file(real, child_local)
            elif real not in ancestors:
                self._download_dir(info.path, child_local, ancestors | {real})

    def _download_file(self, real: Path, local: Path) -> None:
        local.parent.mkdir(parents=True, exist_ok=True)
        self._fs.get_file(str(real), str(local))

    def _plan_tree(self, source: Path, base: str) -> tuple[list[Path], list[tuple[Path, Path]]]:
        """Map a local tree to checked targets: (directories to create, (file, target) pairs).

        Symlinked files are copied by content; symlinked directories are not descended into,
        so a link cycle in the source cannot make the walk endless.
        """
        directories: list[Path] = []
        files: list[tuple[Path, Path]] = []
        for dirpath, _dirnames, filenames in os.walk(source):
            relative_dir = Path(dirpath).relative_to(source).as_posix()
            prefix = _join(base, "" if relative_dir == "." else relative_dir)
            directories.append(self._resolve(prefix))
            files.extend(
                (Path(dirpath, name), self._resolve(_join(prefix, name))) for name in filenames
            )
        return directories, files

    def _makedirs(self, directory: Path) -> None:
        try:
            self._fs.makedirs(str(directory), exist_ok=True)
        except (FileExistsError, NotADirectoryError) as exc:
            raise InvalidParameterValue(
                "Cannot create an artifact directory where a file already exists."
            ) from exc

    @contextmanager
    def _atomic_writer(self, target: Path) -> Iterator[BinaryIO]:
        """Write to a temporary sibling, then rename it over ``target`` in one step.

        The root itself is refused up front: its sibling would lie outside the root.
        """
        if target == self._real_root():
            raise InvalidParameterValue("An artifact file needs a name; got the root.")
        self._makedirs(target.parent)
        temporary = target.with_name(f"{_TMP_PREFIX}{uuid.uuid4().hex}")
        try:
            with self._fs.open(str(temporary), "wb") as stream:
                yield cast(BinaryIO, stream)
            os.replace(temporary, target)
        except IsADirectoryError as exc:
            raise InvalidParameterValue("An artifact directory cannot become a file.") from exc
        finally:
            if temporary.exists():
                temporary.unlink()


def _join(directory: str | None, name: str) -> str:
    """Join without ever producing a leading '/' (which validation would read as absolute)."""
    return f"{directory}/{name}" if directory and name else (directory or name)
