"""Artifacts behind a tracking server's artifact proxy (``mlflow-artifacts:`` and the proxy's
``http(s)://.../api/2.0/mlflow-artifacts/artifacts/...`` URIs; reference section 2).

URI resolution, as MLflow's client does it:

- ``mlflow-artifacts:/<p>`` + tracking URI ``http(s)://host[:port][/prefix]``
  -> ``http(s)://host[:port][/prefix]/api/2.0/mlflow-artifacts/artifacts/<p>``;
- ``mlflow-artifacts://otherhost:port/<p>`` keeps the tracking URI's scheme and prefix but
  talks to ``otherhost:port``;
- ``http(s)://host/.../api/2.0/mlflow-artifacts/artifacts/<p>`` is used as it is.

Every artifact path is checked by ``validate_relative_path`` before it goes on the wire, and so
is every name the server lists (the proxy lists *basenames*; they become root-relative paths
here), so a hostile server cannot steer a download outside its destination directory.
Uploads stream from disk and downloads stream to disk; nothing holds a whole file in memory
except ``log_bytes``/``read_bytes``, which are for small files by design.
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
import tempfile
from pathlib import Path
from typing import BinaryIO, cast
from urllib.parse import quote, unquote, urlsplit

from cairn.entities.file_info import FileInfo
from cairn.errors import InvalidParameterValue
from cairn.store.artifacts.base import ArtifactRepository, LocalPath
from cairn.store.artifacts.paths import validate_relative_path
from cairn.store.tracking.rest.http import HttpTransport, redact_url

#: Where the proxy lives under a tracking server's base URL.
PROXY_PATH = "/api/2.0/mlflow-artifacts/artifacts"
SCHEME = "mlflow-artifacts"
_SPOOL_LIMIT = 8 * 1024 * 1024


def resolve_proxy_uri(artifact_uri: str, tracking_uri: str | None = None) -> tuple[str, str]:
    """Split an artifact URI into (proxy base URL, validated root path under the proxy).

    >>> resolve_proxy_uri("mlflow-artifacts:/1/abc/artifacts", "http://srv:5000/ml")
    ('http://srv:5000/ml/api/2.0/mlflow-artifacts/artifacts', '1/abc/artifacts')
    >>> resolve_proxy_uri("http://srv/api/2.0/mlflow-artifacts/artifacts/1/a")
    ('http://srv/api/2.0/mlflow-artifacts/artifacts', '1/a')
    """
    parts = urlsplit(artifact_uri)
    if parts.query or parts.fragment:
        raise InvalidParameterValue("An artifact URI must not carry a query or fragment.")
    scheme = parts.scheme.lower()
    if scheme == SCHEME:
        base = _tracking_base(tracking_uri)
        if parts.netloc:
            tracking = urlsplit(base)
            base = f"{tracking.scheme}://{parts.netloc}{tracking.path}"
        return base.rstrip("/") + PROXY_PATH, _root(parts.path)
    if scheme in ("http", "https") and parts.hostname:
        head, marker, tail = artifact_uri.partition(PROXY_PATH)
        if marker and (not tail or tail.startswith("/")):
            return head + PROXY_PATH, _root(tail)
    raise InvalidParameterValue(
        f"{redact_url(artifact_uri) if parts.hostname else 'This URI'} is not an artifact proxy "
        f"URI; expected mlflow-artifacts:/<path> or http(s)://host{PROXY_PATH}/<path>."
    )


def _tracking_base(tracking_uri: str | None) -> str:
    parts = urlsplit(tracking_uri or "")
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidParameterValue(
            "An mlflow-artifacts: URI is resolved against the tracking server, so the tracking "
            "URI must be http(s)://host[:port]; set it with CAIRN_TRACKING_URI or "
            "cairn.set_tracking_uri()."
        )
    return f"{parts.scheme.lower()}://{parts.netloc}{parts.path}".rstrip("/")


def _root(path: str) -> str:
    """The root under the proxy: the URI path without its leading slash, validated."""
    return validate_relative_path(unquote(path).lstrip("/"))


def _join(*parts: str) -> str:
    return "/".join(p for p in parts if p)


class HttpArtifactRepository(ArtifactRepository):
    """The artifacts of one root on a tracking server's proxy; also ``SupportsDelete``.

    Pass the REST store's ``transport`` to share its connection pool, retries and credentials;
    without one the repository makes its own (no credentials, default timeouts).
    """

    def __init__(
        self,
        artifact_uri: str,
        tracking_uri: str | None = None,
        transport: HttpTransport | None = None,
    ) -> None:
        super().__init__(artifact_uri)
        self._base, self._root = resolve_proxy_uri(artifact_uri, tracking_uri)
        self._owns_transport = transport is None
        self._transport = transport or HttpTransport(auth_origin=tracking_uri)

    def close(self) -> None:
        """Close the connection pool, unless it is a shared one."""
        if self._owns_transport:
            self._transport.close()

    def _url(self, relative: str) -> str:
        full = _join(self._root, relative)
        return f"{self._base}/{quote(full, safe='/')}" if full else self._base

    # --- writing -------------------------------------------------------------------------------
    def log_artifact(self, local_file: LocalPath, artifact_path: str | None = None) -> None:
        source = Path(local_file)
        if not source.is_file():
            raise InvalidParameterValue(f"Local file {str(source)[:200]!r} does not exist.")
        target = validate_relative_path(_join(artifact_path or "", source.name))
        self._put(source, target)

    def log_artifacts(self, local_dir: LocalPath, artifact_path: str | None = None) -> None:
        """All target paths are checked before the first upload, so a bad name deep in the tree
        cannot leave a half-logged directory behind."""
        source = Path(local_dir)
        if not source.is_dir():
            raise InvalidParameterValue(f"Local directory {str(source)[:200]!r} does not exist.")
        base = validate_relative_path(artifact_path or "")
        uploads: list[tuple[Path, str]] = []
        for dirpath, _dirnames, filenames in os.walk(source):
            relative_dir = Path(dirpath).relative_to(source).as_posix()
            prefix = _join(base, "" if relative_dir == "." else relative_dir)
            for name in sorted(filenames):
                uploads.append((Path(dirpath, name), validate_relative_path(_join(prefix, name))))
        for local_file, target in uploads:
            self._put(local_file, target)

    def log_bytes(self, data: bytes, artifact_file: str) -> None:
        target = validate_relative_path(artifact_file)
        self._put(data, target)

    def _put(self, content: bytes | Path, target: str) -> None:
        if not target:
            raise InvalidParameterValue("An artifact file needs a name; got the root.")
        name = posixpath.basename(target)
        headers = {"Content-Type": mimetypes.guess_type(name)[0] or "application/octet-stream"}
        # PUT replaces the file, so repeating it after a lost answer is harmless.
        self._transport.send(
            "PUT", self._url(target), content=content, headers=headers, idempotent=True
        )

    # --- reading -------------------------------------------------------------------------------
    def list_artifacts(self, path: str | None = None) -> list[FileInfo]:
        base = validate_relative_path(path or "")
        data = self._transport.request_json(
            "GET", self._base, params=[("path", _join(self._root, base))], idempotent=True
        )
        infos = [self._listed(base, entry) for entry in data.get("files", ())]
        # Some stores list a path naming a file as that one file: report "a file" as [].
        if (
            len(infos) == 1
            and base
            and not infos[0].is_dir
            and infos[0].path == _join(base, posixpath.basename(base))
        ):
            return []
        return sorted(infos, key=lambda info: info.path)

    @staticmethod
    def _listed(base: str, entry: object) -> FileInfo:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise InvalidParameterValue("The artifact server sent a malformed listing entry.")
        name = entry["path"]
        if "/" in name or validate_relative_path(name) != name or not name:
            raise InvalidParameterValue(
                f"The artifact server listed an unsafe name {name[:100]!r}; refusing it."
            )
        size = entry.get("file_size")
        is_dir = bool(entry.get("is_dir", False))
        return FileInfo(_join(base, name), is_dir, None if is_dir or size is None else int(size))

    def download_artifacts(self, artifact_path: str, dst_path: LocalPath | None = None) -> Path:
        relative = validate_relative_path(artifact_path)
        if dst_path is None:
            dst_path = tempfile.mkdtemp(prefix="cairn-artifacts-")
        local = Path(dst_path).joinpath(relative)
        children = self.list_artifacts(relative)
        if children or not relative:
            self._download_dir(relative, local, children)
        else:
            self._transport.download(self._url(relative), local)
        return local

    def _download_dir(self, relative: str, local: Path, children: list[FileInfo]) -> None:
        local.mkdir(parents=True, exist_ok=True)
        for info in children:
            child_local = local / posixpath.basename(info.path)
            if info.is_dir:
                self._download_dir(info.path, child_local, self.list_artifacts(info.path))
            else:
                self._transport.download(self._url(info.path), child_local)

    def open_artifact(self, artifact_path: str) -> BinaryIO:
        """The file, fetched into a spooled temporary file (memory up to 8 MiB, then disk)."""
        relative = validate_relative_path(artifact_path)
        spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_LIMIT)  # noqa: SIM115 - returned
        try:
            with self._transport.stream("GET", self._url(relative), idempotent=True) as response:
                for chunk in response.iter_bytes(1024 * 1024):
                    spool.write(chunk)
        except BaseException:
            spool.close()
            raise
        spool.seek(0)
        return cast(BinaryIO, spool)

    def read_bytes(self, artifact_path: str) -> bytes:
        relative = validate_relative_path(artifact_path)
        return self._transport.send("GET", self._url(relative), idempotent=True)

    # --- deleting (SupportsDelete) -------------------------------------------------------------
    def delete_artifacts(self, artifact_path: str | None = None) -> None:
        """Remove a file or tree (the whole root when None); missing is a no-op on the server.
        Deleting the proxy's own top level is refused: that would wipe every experiment."""
        relative = validate_relative_path(artifact_path or "")
        if not _join(self._root, relative):
            raise InvalidParameterValue("Refusing to delete the artifact proxy's whole store.")
        self._transport.send("DELETE", self._url(relative), idempotent=True)
