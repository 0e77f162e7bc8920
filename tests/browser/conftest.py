"""A real ``streamlit run app.py`` on a free port, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """``streamlit run app.py`` as a user starts it, which the tests may kill and restart."""

    def __init__(self, database_url: str, port: int | None = None, **env: str) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = os.environ | {"WDDF_DATABASE_URL": database_url} | env
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"{self.url} did not become healthy")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, as in a crash or power cut of the process."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


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
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def wait_until_idle(page) -> None:
    """Wait until the app is connected and its script has finished running."""
    page.wait_for_selector(
        "[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=30_000
    )
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=30_000)
    page.wait_for_timeout(200)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=30_000)


def sign_in(page, base_url: str, username: str, password: str, lang: str = "en") -> None:
    """Sign in through the sign-in form, as a person would."""
    labels = {
        "en": ("User name", "Password", "Sign in"),
        "fr": ("Nom d'utilisateur", "Mot de passe", "Se connecter"),
    }
    user_label, password_label, button = labels[lang]
    page.goto(f"{base_url}/wddf/signin?lang={lang}")
    page.get_by_label(user_label).fill(username)
    page.get_by_label(password_label).fill(password)
    page.get_by_role("button", name=button).click()
    wait_until_idle(page)
