"""A real ``streamlit run app.py`` on a free port, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from wddf.testing.browser import CHROMIUM, CHROMIUM_ARGS
from wddf.testing.servers import AppServer


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app on an empty embedded database of its own."""
    app = AppServer(f"sqlite:///{tmp_path_factory.mktemp('browser-db')}/wddf.sqlite3")
    app.start()
    yield app
    app.stop()


@pytest.fixture(scope="session")
def app_url(server: AppServer) -> str:
    """The base URL of the app under test."""
    return server.url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright; never a downloaded browser."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed: run the tests with bash bin/test")
    from playwright.sync_api import expect, sync_playwright

    # The suite runs on one worker per processor: a page may wait for a processor, so an
    # expectation waits up to 15 s (a condition polled, not a sleep) rather than Playwright's 5.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
