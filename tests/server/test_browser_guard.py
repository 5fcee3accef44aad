"""Browser attacks on a local server (security notes, family 3) fail at the boundary."""

from __future__ import annotations

import httpx
import pytest

#: The proxy and the browser boundary do not touch the database: one backend is enough.
pytestmark = pytest.mark.parametrize("backend_uri", ["sqlite"], indirect=True)

API = "/api/2.0/mlflow"


def test_foreign_host_header_is_refused(api: httpx.Client) -> None:
    response = api.get("/health", headers={"Host": "rebind.attacker.example"})
    assert response.status_code == 403
    assert "attacker" not in response.text  # headers are never echoed back


def test_cross_origin_post_is_refused_and_changes_nothing(api: httpx.Client) -> None:
    response = api.post(
        f"{API}/experiments/create",
        json={"name": "csrf"},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert response.json()["error_code"] == "PERMISSION_DENIED"
    found = api.get(f"{API}/experiments/get-by-name", params={"experiment_name": "csrf"})
    assert found.status_code == 404


def test_text_plain_simple_request_is_refused(api: httpx.Client) -> None:
    """The no-preflight form of a cross-site POST: text/plain body with JSON inside."""
    response = api.post(
        f"{API}/experiments/create",
        content=b'{"name": "csrf2"}',
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 400


def test_cross_site_fetch_metadata_without_origin_is_refused(api: httpx.Client) -> None:
    response = api.post(
        f"{API}/experiments/create", json={"name": "x"}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert response.status_code == 403


def test_same_origin_post_is_allowed(api: httpx.Client) -> None:
    origin = str(api.base_url).rstrip("/")
    response = api.post(
        f"{API}/experiments/create", json={"name": "ok"}, headers={"Origin": origin}
    )
    assert response.status_code == 200


def test_cross_origin_reads_are_not_blocked(api: httpx.Client) -> None:
    response = api.get("/health", headers={"Origin": "https://elsewhere.example"})
    assert response.status_code == 200
