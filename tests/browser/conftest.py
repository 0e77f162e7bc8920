"""A real ``streamlit run app.py`` on a free port, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import AppServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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


# True once the app has been connected and not running for QUIET_MS on end: a rerun that a
# click or a callback asks for starts within that time, and resets the count. Each wait carries
# a token of its own, so a count left by an earlier wait is never reused; the check is one
# ``wait_for_function``, which Playwright re-runs in the new document when a click navigates.
QUIET_MS = 150
IDLE = """([quiet, token]) => {
    const app = document.querySelector("[data-testid=stApp]");
    const idle = app && app.dataset.testConnectionState === "CONNECTED"
        && app.dataset.testScriptState === "notRunning";
    if (!idle || window.__wddfIdleToken !== token) {
        window.__wddfIdleToken = token;
        window.__wddfIdleSince = idle ? performance.now() : undefined;
        return false;
    }
    window.__wddfIdleSince ??= performance.now();
    return performance.now() - window.__wddfIdleSince >= quiet;
}"""
_wait_tokens = itertools.count()


def wait_until_idle(page) -> None:
    """Wait until the app is connected and its script has stayed finished for ``QUIET_MS``
    (a condition polled every 50 ms, not a fixed sleep; animation frames stop in a tab
    that is not in front). A navigation during the wait, such as signing out, is waited
    through."""
    token = next(_wait_tokens)
    page.wait_for_function(IDLE, arg=[QUIET_MS, token], polling=50, timeout=30_000)


def sign_in(page, base_url: str, username: str, password: str, lang: str = "en") -> None:
    """Sign in through the sign-in form, as a person would."""
    labels = {
        "en": ("User name", "Password", "Sign in"),
        "fr": ("Nom d'utilisateur", "Mot de passe", "Se connecter"),
        "pt": ("Nome de utilizador", "Palavra-passe", "Entrar"),
    }
    user_label, password_label, button = labels[lang]
    page.goto(f"{base_url}/wddf/signin?lang={lang}")
    page.get_by_label(user_label).fill(username)
    page.get_by_label(password_label).fill(password)
    page.get_by_role("button", name=button).click()
    wait_until_idle(page)
