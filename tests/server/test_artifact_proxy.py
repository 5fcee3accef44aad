"""The artifact proxy: streaming up and down, listings, deletes, and every traversal trick
from the security notes refused before any file outside the destination is touched."""

from __future__ import annotations

import http.client
import os
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from live_server import LiveServer

#: The proxy and the browser boundary do not touch the database: one backend is enough.
pytestmark = pytest.mark.parametrize("backend_uri", ["sqlite"], indirect=True)

ART = "/api/2.0/mlflow-artifacts/artifacts"


def raw_request(
    server: LiveServer, method: str, raw_path: str, body: bytes = b""
) -> tuple[int, bytes]:
    """Send the path byte for byte (HTTP libraries would normalize ``..`` away)."""
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.request(method, raw_path, body=body or None)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_upload_download_list_and_delete(api: httpx.Client, proxy_dir: str) -> None:
    payload = os.urandom(300_000)
    assert api.put(f"{ART}/1/run/artifacts/sub/data.bin", content=payload).status_code == 200
    assert Path(proxy_dir, "1/run/artifacts/sub/data.bin").read_bytes() == payload

    response = api.get(f"{ART}/1/run/artifacts/sub/data.bin")
    assert response.content == payload
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.headers["x-content-type-options"] == "nosniff"

    listing = api.get(ART, params={"path": "1/run/artifacts"}).json()
    assert listing == {"files": [{"path": "sub", "is_dir": True}]}
    listing = api.get(ART, params={"path": "1/run/artifacts/sub"}).json()
    assert listing == {"files": [{"path": "data.bin", "is_dir": False, "file_size": 300_000}]}

    assert api.delete(f"{ART}/1/run/artifacts/sub").json() == {}
    assert not Path(proxy_dir, "1/run/artifacts/sub").exists()
    assert api.get(f"{ART}/1/run/artifacts/sub/data.bin").status_code == 404


def test_listing_a_missing_directory_or_a_file_is_empty(api: httpx.Client) -> None:
    assert api.get(ART, params={"path": "nothing/here"}).json() == {}
    api.put(f"{ART}/f.txt", content=b"x")
    assert api.get(ART, params={"path": "f.txt"}).json() == {}


def test_html_is_served_as_an_attachment(api: httpx.Client) -> None:
    api.put(f"{ART}/page.html", content=b"<script>alert(1)</script>")
    response = api.get(f"{ART}/page.html")
    assert response.headers["content-disposition"] == 'attachment; filename="page.html"'
    assert response.headers["x-content-type-options"] == "nosniff"


def test_downloading_a_directory_is_400(api: httpx.Client) -> None:
    api.put(f"{ART}/d/f.txt", content=b"x")
    assert api.get(f"{ART}/d").status_code == 400


TRAVERSALS = [
    "../outside.txt",
    "..%2foutside.txt",
    "%2e%2e/outside.txt",
    "%252e%252e%252foutside.txt",
    "a/../../outside.txt",
    "%2fetc%2fpasswd",
    "..%5coutside.txt",
    "a%00b.txt",
    "C:%5cwindows.txt",
]


@pytest.mark.parametrize("attack", TRAVERSALS)
def test_traversal_uploads_are_refused_and_write_nothing(
    live_server: LiveServer, attack: str
) -> None:
    root = Path(live_server.settings.artifacts_destination.removeprefix("file://"))
    before = set(root.parent.rglob("*"))
    status, body = raw_request(live_server, "PUT", f"{ART}/{attack}", b"pwned")
    assert 400 <= status < 500, body
    assert set(root.parent.rglob("*")) == before


@pytest.mark.parametrize("attack", TRAVERSALS)
def test_traversal_downloads_are_refused(live_server: LiveServer, attack: str) -> None:
    secret = Path(live_server.settings.artifacts_destination.removeprefix("file://")).parent
    (secret / "outside.txt").write_text("secret")
    status, body = raw_request(live_server, "GET", f"{ART}/{attack}")
    assert 400 <= status < 500
    assert b"secret" not in body


@pytest.mark.parametrize("attack", ["..", "../..", "%2e%2e", "/etc", "a%5c..%5c.."])
def test_traversal_listings_are_refused(api: httpx.Client, attack: str) -> None:
    response = api.get(f"{ART}?path={attack}")
    assert response.status_code == 400
    assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"


def test_symlinks_leading_out_of_the_destination_are_not_followed(
    api: httpx.Client, proxy_dir: str, tmp_path: Path
) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    Path(proxy_dir).mkdir(parents=True, exist_ok=True)
    os.symlink(outside, Path(proxy_dir, "link.txt"))
    response = api.get(f"{ART}/link.txt")
    assert response.status_code == 400
    assert b"secret" not in response.content
    assert api.put(f"{ART}/link.txt", content=b"overwrite").status_code == 400
    assert outside.read_text() == "secret"


def test_multipart_upload_joins_parts_atomically(api: httpx.Client, proxy_dir: str) -> None:
    chunks = [os.urandom(1000), os.urandom(1000), os.urandom(10)]
    created = api.post(
        "/api/2.0/mlflow-artifacts/mpu/create/big/dir",
        json={"path": "/home/me/data.bin", "num_parts": 3},
    ).json()
    urls = [c["url"] for c in created["credentials"]]
    assert [c["part_number"] for c in created["credentials"]] == [1, 2, 3]
    etags = [
        httpx.put(url, content=chunk).headers["etag"]
        for url, chunk in zip(urls, chunks, strict=True)
    ]
    assert api.get(ART, params={"path": "big/dir"}).json() == {}  # nothing visible yet
    parts = [
        {"part_number": n, "etag": e, "url": u}
        for n, (e, u) in enumerate(zip(etags, urls, strict=True), 1)
    ]
    done = api.post(
        "/api/2.0/mlflow-artifacts/mpu/complete/big/dir",
        json={"path": "/home/me/data.bin", "upload_id": created["upload_id"], "parts": parts},
    )
    assert done.json() == {}
    assert Path(proxy_dir, "big/dir/data.bin").read_bytes() == b"".join(chunks)
    assert [f["path"] for f in api.get(ART).json()["files"]] == ["big"]  # staging is gone


def test_multipart_abort_drops_the_parts(api: httpx.Client, proxy_dir: str) -> None:
    created = api.post(
        "/api/2.0/mlflow-artifacts/mpu/create/x", json={"path": "f.bin", "num_parts": 1}
    ).json()
    httpx.put(created["credentials"][0]["url"], content=b"abc")
    body = {"path": "f.bin", "upload_id": created["upload_id"]}
    assert api.post("/api/2.0/mlflow-artifacts/mpu/abort/x", json=body).json() == {}
    late = api.post("/api/2.0/mlflow-artifacts/mpu/complete/x", json=body | {"parts": []})
    assert late.status_code == 404
    assert not Path(proxy_dir, "x/f.bin").exists()


def test_multipart_refuses_traversal_and_bogus_ids(api: httpx.Client) -> None:
    bad = api.post(
        "/api/2.0/mlflow-artifacts/mpu/create/..%2f..", json={"path": "f.bin", "num_parts": 1}
    )
    assert bad.status_code == 400
    assert api.put("/api/2.0/mlflow-artifacts/mpu/part/nothex/1", content=b"x").status_code == 400
    unknown = api.put(f"/api/2.0/mlflow-artifacts/mpu/part/{'0' * 32}/1", content=b"x")
    assert unknown.status_code == 404


def test_mlflow_client_uploads_large_files_in_parts(
    live_server: LiveServer, proxy_dir: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlflow.store.artifact.http_artifact_repo import HttpArtifactRepository

    monkeypatch.setenv("MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD", "true")
    monkeypatch.setenv("MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE", "1000")
    monkeypatch.setenv("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE", "4000")
    local = tmp_path / "weights.bin"
    local.write_bytes(os.urandom(10_000))
    repo = HttpArtifactRepository(f"{live_server.url}{ART}/exp/run/artifacts")
    repo.log_artifact(str(local), "model")
    assert Path(proxy_dir, "exp/run/artifacts/model/weights.bin").read_bytes() == local.read_bytes()


def test_run_artifacts_list_through_the_tracking_api(api: httpx.Client) -> None:
    run = api.post("/api/2.0/mlflow/runs/create", json={"experiment_id": "0"}).json()["run"]
    root = Path(run["info"]["artifact_uri"].removeprefix("file://"))
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text("hello")
    listing = api.get(
        "/api/2.0/mlflow/artifacts/list", params={"run_id": run["info"]["run_id"], "path": "sub"}
    ).json()
    assert listing["root_uri"] == run["info"]["artifact_uri"]
    assert listing["files"] == [{"path": "sub/a.txt", "is_dir": False, "file_size": 5}]
    bad = api.get(
        "/api/2.0/mlflow/artifacts/list", params={"run_id": run["info"]["run_id"], "path": "../"}
    )
    assert bad.status_code == 400
    download = api.get(
        "/get-artifact", params={"run_id": run["info"]["run_id"], "path": "sub/a.txt"}
    )
    assert download.content == b"hello"
    assert download.headers["content-disposition"].startswith("attachment")
