"""End-to-end UI tests: the built bundle, served by a live cairn server, in a real Chromium.

Chromium is Debian's (``/usr/bin/chromium``, installed by ``.ci/run``) driven by Playwright;
nothing is downloaded. The server is one per session over a fresh SQLite database; each test
seeds what it needs through ``client`` (a ``CairnClient`` on the server's URL) in experiments
of its own, so tests never see each other's data. A missing bundle or browser is an error with
the command that fixes it, never a skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

from cairn.server.ui import UI_DIST
from cairn.tracking.client import CairnClient, close_stores
from live_server import LiveServer, start_live_server

CHROMIUM = os.environ.get("CAIRN_TEST_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not (UI_DIST / "index.html").is_file():
        raise RuntimeError(f"The UI bundle is missing at {UI_DIST}; run ./scripts/build-ui.")
    root = tmp_path_factory.mktemp("ui-server")
    server = start_live_server(f"sqlite:///{root / 'ui.db'}", root)
    server.store.ensure_default_experiment()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _playwright() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(
            f"No Chromium at {CHROMIUM}; install Debian's package: apt-get install chromium."
        )
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, ui_server: LiveServer) -> Iterator[Page]:
    """A fresh browser context on the UI; any uncaught page error fails the test."""
    context = browser.new_context(base_url=ui_server.url, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: _record_console_error(msg, errors))
    page.on("dialog", lambda dialog: errors.append(f"unexpected dialog: {dialog.message}"))
    yield page
    context.close()
    assert not errors, f"the page reported errors: {errors}"


def _record_console_error(message: ConsoleMessage, errors: list[str]) -> None:
    # Failed requests the test provokes on purpose (a 4xx answer) are logged by the browser as
    # console errors too; only script errors count here.
    if message.type == "error" and "Failed to load resource" not in message.text:
        errors.append(message.text)


@pytest.fixture
def client(ui_server: LiveServer) -> Iterator[CairnClient]:
    yield CairnClient(ui_server.url)
    close_stores()
