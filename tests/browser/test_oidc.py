"""With WDDF_AUTH=oidc, sign-in goes through st.login against a mock OIDC provider the test
starts; identities map to accounts by issuer and subject, never by e-mail."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT
from tests.support.mock_oidc import CLIENT_ID, CLIENT_SECRET
from wddf.domain import Role
from wddf.services import accounts
from wddf.services.actor import SYSTEM
from wddf.services.editions import prepare_database
from wddf.storage.db import Database
from wddf.testing.browser import wait_until_idle
from wddf.testing.servers import AppServer, free_port

pytestmark = pytest.mark.browser
SUBJECT = "user-7f3a"


@pytest.fixture(scope="module")
def provider():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.mock_oidc", str(port), SUBJECT], cwd=ROOT
    )
    issuer = f"http://127.0.0.1:{port}"
    answered = False
    deadline = time.monotonic() + 30
    while not answered and time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2)
            answered = True
        except OSError:
            time.sleep(0.2)  # poll again until the provider answers or the deadline passes
    if not answered:
        process.kill()
        pytest.fail(f"the mock OpenID provider never answered at {issuer}")
    yield issuer
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def oidc_app(provider, tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('oidc-db')}/wddf.sqlite3"
    prepare_database(url)
    db = Database(url)
    with db.session() as session:
        accounts.create_user(session, SYSTEM, "root-admin", Role.ADMIN, "Strong-pass-for-root-1")
        user = accounts.create_user(session, SYSTEM, "nadia", Role.REVIEWER, None)
    port = free_port()
    app = AppServer(
        url,
        port,
        WDDF_AUTH="oidc",
        WDDF_OIDC_METADATA_URL=f"{provider}/.well-known/openid-configuration",
        WDDF_OIDC_CLIENT_ID=CLIENT_ID,
        WDDF_OIDC_CLIENT_SECRET=CLIENT_SECRET,
        WDDF_OIDC_REDIRECT_URI=f"http://127.0.0.1:{port}/oauth2callback",
        WDDF_COOKIE_SECRET="x" * 32,
    )
    app.start()
    yield app, db, user
    app.stop()
    db.dispose()


def sign_in_with_provider(page, app_url: str) -> None:
    page.goto(app_url)
    wait_until_idle(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{app_url}/**", timeout=30_000)
    wait_until_idle(page)


def test_unlinked_identity_is_refused_then_linked_identity_signs_in(oidc_app, provider, browser):
    app, db, user = oidc_app
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    sign_in_with_provider(page, app.url)
    expect(page.get_by_text("your identity is not linked to an account here")).to_be_visible()

    with db.session() as session:
        accounts.link_oidc(session, SYSTEM, user.id, "https://another-issuer.example", SUBJECT)
    page.reload()
    wait_until_idle(page)
    expect(page.get_by_text("your identity is not linked to an account here")).to_be_visible()

    with db.session() as session:
        accounts.link_oidc(session, SYSTEM, user.id, provider, SUBJECT)
    page.reload()
    wait_until_idle(page)
    expect(page.get_by_text("Signed in as nadia (reviewer)")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    wait_until_idle(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    context.close()
