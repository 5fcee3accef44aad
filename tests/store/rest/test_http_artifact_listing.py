"""A hostile or unusual artifact server: listed names are checked before they become paths."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rest_stub import FAST, Answer, StubServer

from cairn.errors import InvalidParameterValue
from cairn.store.artifacts.http import HttpArtifactRepository
from cairn.store.tracking.rest import HttpTransport


@pytest.fixture
def repo(stub: StubServer) -> Iterator[HttpArtifactRepository]:
    transport = HttpTransport(FAST, auth_origin=stub.url)
    yield HttpArtifactRepository("mlflow-artifacts:/1/r/artifacts", stub.url, transport)
    transport.close()


@pytest.mark.parametrize("name", ["../evil", "a/b", "..", "/etc", "", "x%2F..%2F..", "c\\d"])
def test_unsafe_listed_names_are_refused(
    stub: StubServer, repo: HttpArtifactRepository, name: str
) -> None:
    stub.answer(Answer(200, {"files": [{"path": name, "is_dir": False, "file_size": 1}]}))
    with pytest.raises(InvalidParameterValue):
        repo.list_artifacts("sub")


def test_download_stops_at_an_unsafe_name_without_writing_outside(
    stub: StubServer, repo: HttpArtifactRepository, tmp_path: Path
) -> None:
    stub.answer(Answer(200, {"files": [{"path": "../../escaped.txt", "is_dir": False}]}))
    with pytest.raises(InvalidParameterValue):
        repo.download_artifacts("dir", tmp_path / "dst")
    assert not any(p.name == "escaped.txt" for p in tmp_path.parent.rglob("escaped.txt"))


def test_a_file_listed_as_itself_reads_as_a_file(
    stub: StubServer, repo: HttpArtifactRepository
) -> None:
    """Cloud destinations list a file path as that single file; the client says "a file"."""
    stub.answer(Answer(200, {"files": [{"path": "model.pkl", "is_dir": False, "file_size": 9}]}))
    assert repo.list_artifacts("sub/model.pkl") == []
    assert stub.seen[0].query == [("path", "1/r/artifacts/sub/model.pkl")]


def test_upload_sends_the_file_with_its_length_and_type(
    stub: StubServer, repo: HttpArtifactRepository, tmp_path: Path
) -> None:
    local = tmp_path / "report.json"
    local.write_bytes(b'{"a": 1}')
    stub.answer(Answer(200, b""))
    repo.log_artifact(local, "sub dir")
    seen = stub.seen[0]
    assert (seen.method, seen.path) == (
        "PUT",
        "/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/sub%20dir/report.json",
    )
    assert seen.headers["content-length"] == "8" and seen.body == b'{"a": 1}'
    assert seen.headers["content-type"] == "application/json"


def test_an_upload_is_retried_with_the_whole_file(
    stub: StubServer, repo: HttpArtifactRepository, tmp_path: Path
) -> None:
    local = tmp_path / "big.bin"
    local.write_bytes(b"z" * 200_000)
    stub.answer(Answer(503, "busy"), Answer(200, b""))
    repo.log_artifact(local)
    assert [len(s.body) for s in stub.seen] == [200_000, 200_000]
