"""The shell of the UI: the bundle loads, navigation works, and the API types match."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from live_server import LiveServer


def test_root_serves_the_bundle_with_a_strict_policy(page: Page, ui_server: LiveServer) -> None:
    response = page.goto("/")

    assert response is not None and response.ok
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    expect(page.get_by_role("link", name="Experiments")).to_be_visible()
    expect(page).to_have_url(f"{ui_server.url}/#/experiments")


def test_navigation_between_sections(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Models").click()

    page.wait_for_url("**/#/models")
    expect(page.get_by_role("link", name="Models")).to_have_attribute("aria-current", "page")


def test_color_scheme_toggle_switches_to_dark(page: Page) -> None:
    page.goto("/")
    page.get_by_role("button", name="Switch to dark mode").click()

    expect(page.locator("html")).to_have_attribute("data-mantine-color-scheme", "dark")
