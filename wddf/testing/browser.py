"""Debian's Chromium under Playwright, as the browser tests and the interaction benchmarks drive
it: where it is, how it starts, waiting until the app is idle, and signing in."""

from __future__ import annotations

import itertools
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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
