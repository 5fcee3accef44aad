"""The artifact repository behind a server's proxy, against a live cairn server: uploads,
listings, downloads and deletes of files and trees, URI resolution, and every traversal attempt
refused before a request is sent."""

from __future__ import annotations

import dataclasses
import doctest
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from cairn.config import Settings
from cairn.entities import FileInfo
from cairn.errors import InvalidParameterValue, ResourceDoesNotExist, ServiceUnavailable
from cairn.store.artifacts import SupportsDelete, get_artifact_repository, uri_to_local_path
from cairn.store.artifacts import http as http_module
from cairn.store.artifacts.http import HttpArtifactRepository, resolve_proxy_uri
from cairn.store.tracking.rest import HttpConfig, HttpTransport
from cairn.tracking.client import CairnClient, close_stores
from live_server import LiveServer

#: The proxy does not touch the database: one backend is enough for the repository itself.
sqlite_only = pytest.mark.parametrize("backend_uri", ["sqlite"], indirect=True)


@pytest.fixture
def root() -> str:
    """A fresh root per test: the live server (and its proxy directory) lives all session."""
    return f"exp/{uuid.uuid4().hex}/artifacts"


@pytest.fixture
def proxy_dir(live_server: LiveServer) -> Path:
    return uri_to_local_path(live_server.settings.artifacts_destination)


@pytest.fixture
def repo(live_server: LiveServer, root: str) -> Iterator[HttpArtifactRepository]:
    repository = HttpArtifactRepository(f"mlflow-artifacts:/{root}", live_server.url)
    yield repository
    repository.close()


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    (src / "nested" / "deeper").mkdir(parents=True)
    (src / "a.txt").write_text("A")
    (src / "nested" / "b.json").write_text('{"b": 2}')
    (src / "nested" / "deeper" / "c.bin").write_bytes(b"\x00" * 3000)
    return src


def _listing(files: list[FileInfo]) -> dict[str, tuple[bool, int | None]]:
    return {f.path: (f.is_dir, f.file_size) for f in files}


@sqlite_only
def test_log_artifact_uploads_under_the_root(
    repo: HttpArtifactRepository, tree: Path, proxy_dir: Path, root: str
) -> None:
    repo.log_artifact(tree / "a.txt")
    repo.log_artifact(tree / "nested" / "b.json", "sub/dir")
    assert (proxy_dir / root / "a.txt").read_text() == "A"
    assert (proxy_dir / root / "sub/dir/b.json").read_text() == '{"b": 2}'


@sqlite_only
def test_listings_are_root_relative_paths_not_basenames(
    repo: HttpArtifactRepository, tree: Path
) -> None:
    repo.log_artifacts(tree, "tree")
    assert _listing(repo.list_artifacts()) == {"tree": (True, None)}
    assert _listing(repo.list_artifacts("tree")) == {
        "tree/a.txt": (False, 1),
        "tree/nested": (True, None),
    }
    assert _listing(repo.list_artifacts("tree/nested/deeper")) == {
        "tree/nested/deeper/c.bin": (False, 3000)
    }
    assert repo.list_artifacts("tree/a.txt") == []  # a file lists as empty
    assert repo.list_artifacts("missing") == []


@sqlite_only
def test_download_file_and_directory(
    repo: HttpArtifactRepository, tree: Path, tmp_path: Path
) -> None:
    repo.log_artifacts(tree, "tree")
    local = repo.download_artifacts("tree/nested/b.json", tmp_path / "dl")
    assert local == tmp_path / "dl/tree/nested/b.json" and local.read_text() == '{"b": 2}'
    local_dir = repo.download_artifacts("tree", tmp_path / "dl2")
    assert (local_dir / "a.txt").read_text() == "A"
    assert (local_dir / "nested/deeper/c.bin").read_bytes() == b"\x00" * 3000
    everything = repo.download_artifacts("")
    assert (everything / "tree/nested/b.json").exists()
    assert not list(everything.rglob("*.cairn-part"))


@sqlite_only
def test_download_of_a_missing_artifact_raises_not_found(
    repo: HttpArtifactRepository, tmp_path: Path
) -> None:
    with pytest.raises(ResourceDoesNotExist):
        repo.download_artifacts("nope.txt", tmp_path)
    assert not (tmp_path / "nope.txt").exists()


@sqlite_only
def test_bytes_round_trip_and_streaming_open(repo: HttpArtifactRepository) -> None:
    payload = bytes(range(256)) * 100
    repo.log_bytes(payload, "blobs/data.bin")
    assert repo.read_bytes("blobs/data.bin") == payload
    with repo.open_artifact("blobs/data.bin") as stream:
        assert stream.read() == payload
    repo.log_bytes(b"v2", "blobs/data.bin")  # PUT overwrites
    assert repo.read_bytes("blobs/data.bin") == b"v2"
    with pytest.raises(ResourceDoesNotExist):
        repo.read_bytes("blobs/missing.bin")


@sqlite_only
def test_delete_file_tree_and_missing(
    repo: HttpArtifactRepository, tree: Path, proxy_dir: Path, root: str
) -> None:
    assert isinstance(repo, SupportsDelete)
    repo.log_artifacts(tree)
    repo.delete_artifacts("a.txt")
    assert not (proxy_dir / root / "a.txt").exists()
    repo.delete_artifacts("nested")
    assert not (proxy_dir / root / "nested").exists()
    repo.delete_artifacts("never-there")
    repo.log_bytes(b"x", "last.txt")
    repo.delete_artifacts()
    assert not (proxy_dir / root).exists()
    assert (proxy_dir / "exp").is_dir()  # only the root itself went


@sqlite_only
def test_deleting_the_whole_proxy_store_is_refused(live_server: LiveServer) -> None:
    repo = HttpArtifactRepository("mlflow-artifacts:/", live_server.url)
    with pytest.raises(InvalidParameterValue, match="whole store"):
        repo.delete_artifacts()
    repo.close()


TRAVERSALS = ["../x", "a/../../x", "%2e%2e/x", "%252e%252e/x", "/etc/passwd", "a\\b", "C:/x"]


@pytest.fixture
def unreachable() -> Iterator[HttpArtifactRepository]:
    """A repository whose server does not exist: a request would fail as unavailable, so an
    InvalidParameterValue proves the path was refused before anything was sent."""
    transport = HttpTransport(HttpConfig(max_retries=0, timeout=1))
    repository = HttpArtifactRepository(
        "mlflow-artifacts:/1/r/artifacts", "http://127.0.0.1:9", transport
    )
    yield repository
    transport.close()


def test_unreachable_fixture_really_is_unreachable(unreachable: HttpArtifactRepository) -> None:
    with pytest.raises(ServiceUnavailable):
        unreachable.list_artifacts()


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_is_refused_client_side(
    unreachable: HttpArtifactRepository, path: str, tmp_path: Path
) -> None:
    local = tmp_path / "f.txt"
    local.write_text("x")
    calls = [
        lambda: unreachable.log_artifact(local, path),
        lambda: unreachable.log_artifacts(tmp_path, path),
        lambda: unreachable.log_bytes(b"x", path),
        lambda: unreachable.list_artifacts(path),
        lambda: unreachable.download_artifacts(path, tmp_path / "dl"),
        lambda: unreachable.open_artifact(path),
        lambda: unreachable.read_bytes(path),
        lambda: unreachable.delete_artifacts(path),
    ]
    for call in calls:
        with pytest.raises(InvalidParameterValue):
            call()
    assert not (tmp_path / "dl").exists()


@pytest.mark.parametrize(
    "uri",
    [
        "mlflow-artifacts:/../x",
        "mlflow-artifacts:/a/%2e%2e/%2e%2e/x",
        "http://h/api/2.0/mlflow-artifacts/artifacts/../../x",
        "mlflow-artifacts:/a?b=1",
    ],
)
def test_unsafe_roots_are_refused(uri: str) -> None:
    with pytest.raises(InvalidParameterValue):
        HttpArtifactRepository(uri, "http://srv:5000")


@pytest.mark.parametrize(
    ("uri", "tracking", "expected"),
    [
        (
            "mlflow-artifacts:/1/r/artifacts",
            "http://srv:5000",
            ("http://srv:5000/api/2.0/mlflow-artifacts/artifacts", "1/r/artifacts"),
        ),
        (
            "mlflow-artifacts:/1/r",
            "https://srv/prefix/",
            ("https://srv/prefix/api/2.0/mlflow-artifacts/artifacts", "1/r"),
        ),
        (
            "mlflow-artifacts://other:8080/1/r",
            "https://srv/prefix",
            ("https://other:8080/prefix/api/2.0/mlflow-artifacts/artifacts", "1/r"),
        ),
        (
            "mlflow-artifacts:/",
            "http://srv",
            ("http://srv/api/2.0/mlflow-artifacts/artifacts", ""),
        ),
        (
            "https://srv/ml/api/2.0/mlflow-artifacts/artifacts/1/my%20run",
            None,
            ("https://srv/ml/api/2.0/mlflow-artifacts/artifacts", "1/my run"),
        ),
    ],
)
def test_uri_resolution_matches_mlflow(
    uri: str, tracking: str | None, expected: tuple[str, str]
) -> None:
    assert resolve_proxy_uri(uri, tracking) == expected


@pytest.mark.parametrize("tracking", [None, "sqlite:///x.db", "/local/dir"])
def test_mlflow_artifacts_uris_need_an_http_tracking_uri(tracking: str | None) -> None:
    with pytest.raises(InvalidParameterValue, match="tracking URI must be http"):
        get_artifact_repository("mlflow-artifacts:/1/r", tracking)


def test_http_uris_must_point_at_a_proxy() -> None:
    with pytest.raises(InvalidParameterValue, match="not an artifact proxy URI"):
        get_artifact_repository("https://user:pw@example.com/files/x")


def test_registry_hands_out_http_repositories() -> None:
    repo = get_artifact_repository("mlflow-artifacts:/1/r", "http://srv:5000")
    assert isinstance(repo, HttpArtifactRepository) and isinstance(repo, SupportsDelete)


def test_docstring_examples_run() -> None:
    result = doctest.testmod(http_module)
    assert result.failed == 0 and result.attempted > 0


# --- through CairnClient, with the run's artifact_uri on the proxy ----------------------------
@pytest.fixture
def client(live_server: LiveServer) -> Iterator[CairnClient]:
    yield CairnClient(live_server.url, Settings())
    close_stores()


def test_client_logs_and_reads_artifacts_through_the_proxy(
    client: CairnClient, tree: Path, tmp_path: Path, proxy_dir: Path
) -> None:
    exp_id = client.create_experiment("proxied", artifact_location="mlflow-artifacts:/proxied")
    run = client.create_run(exp_id)
    run_id = run.info.run_id
    assert run.info.artifact_uri == f"mlflow-artifacts:/proxied/{run_id}/artifacts"

    client.log_artifact(run_id, tree / "a.txt")
    client.log_artifacts(run_id, tree, "tree")
    client.log_text(run_id, "héllo", "notes/hello.txt")
    client.log_dict(run_id, {"k": [1, 2]}, "notes/config.json")

    on_disk = proxy_dir / "proxied" / run_id / "artifacts"
    assert (on_disk / "tree/nested/deeper/c.bin").stat().st_size == 3000
    assert _listing(client.list_artifacts(run_id)) == {
        "a.txt": (False, 1),
        "notes": (True, None),
        "tree": (True, None),
    }
    assert [f.path for f in client.list_artifacts(run_id, "notes")] == [
        "notes/config.json",
        "notes/hello.txt",
    ]
    assert client.load_text(run_id, "notes/hello.txt") == "héllo"
    assert client.load_dict(run_id, "notes/config.json") == {"k": [1, 2]}
    assert json.loads((on_disk / "notes/config.json").read_text()) == {"k": [1, 2]}

    local = client.download_artifacts(run_id, "tree", tmp_path / "dl")
    assert (local / "nested" / "b.json").read_text() == '{"b": 2}'


def test_client_shares_the_rest_store_transport(client: CairnClient) -> None:
    exp_id = client.create_experiment("shared", artifact_location="mlflow-artifacts:/shared")
    run_id = client.create_run(exp_id).info.run_id
    repo = client._repo(run_id)
    assert isinstance(repo, HttpArtifactRepository)
    assert repo._transport is client.store.transport  # type: ignore[attr-defined]


def test_client_refuses_traversal_in_artifact_files(client: CairnClient) -> None:
    exp_id = client.create_experiment("safe", artifact_location="mlflow-artifacts:/safe")
    run_id = client.create_run(exp_id).info.run_id
    with pytest.raises(InvalidParameterValue):
        client.log_text(run_id, "x", "../../escape.txt")
    with pytest.raises(InvalidParameterValue):
        client.load_text(run_id, "../other-run/artifacts/secret.txt")


def test_retry_config_is_a_plain_value() -> None:
    """HttpConfig is frozen: a changed copy never alters a transport already in use."""
    config = HttpConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.max_retries = 1  # type: ignore[misc]
