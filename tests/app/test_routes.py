"""The sign-in routes over HTTP: cross-site posts refused, headers that forbid framing and
scripts, and the client address a throttle counts."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from wddf.services import accounts
from wddf.ui.routes import COOKIE, SIGN_IN_PATH, auth_routes

BASE = "http://wddf.example.org"
FORM = {"username": "app-focal", "password": "App-test-pass-1", "next": "/entry", "lang": "fr"}


@pytest.fixture
def client(app_db, app_people):
    accounts.THROTTLE.clear()
    with TestClient(Starlette(routes=auth_routes()), base_url=BASE) as http:
        yield http


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Origin": "null"},
        {"Origin": "https://evil.example"},
        {"Referer": "https://evil.example/login-helper"},
    ],
    ids=["no-origin-no-referer", "opaque-origin", "foreign-origin", "foreign-referer"],
)
def test_a_sign_in_post_not_from_this_site_is_refused(client, headers):
    reply = client.post(SIGN_IN_PATH, data=FORM, headers=headers, follow_redirects=False)
    assert reply.status_code == 403 and COOKIE not in reply.cookies
    assert "Ce formulaire ne peut être envoyé que depuis ce site." in reply.text


@pytest.mark.parametrize("headers", [{"Origin": BASE}, {"Referer": f"{BASE}{SIGN_IN_PATH}"}])
def test_a_sign_in_post_from_this_site_signs_in(client, headers):
    reply = client.post(SIGN_IN_PATH, data=FORM, headers=headers, follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"] == "/entry"
    assert "httponly" in reply.headers["set-cookie"].lower()


def test_the_sign_in_page_cannot_be_framed_and_runs_no_script(client):
    reply = client.get(f"{SIGN_IN_PATH}?lang=pt")
    policy = reply.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy
    assert "script-src" not in policy  # so no script may run at all
    assert reply.headers["x-frame-options"] == "DENY"


def test_a_forwarded_address_counts_only_behind_the_local_proxy(client, monkeypatch):
    seen = []
    real = accounts.sign_in

    def spy(database, username, password, address=""):
        seen.append(address)
        return real(database, username, password, address)

    monkeypatch.setattr(accounts, "sign_in", spy)
    headers = {"Origin": BASE, "X-Forwarded-For": "203.0.113.9, 198.51.100.4"}
    client.post(SIGN_IN_PATH, data=FORM, headers=headers, follow_redirects=False)
    assert seen == ["testclient"]  # the test client is not the local proxy: the header is ignored
