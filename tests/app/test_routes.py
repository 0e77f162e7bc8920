"""The sign-in routes over HTTP: cross-site posts refused, headers that forbid framing and
scripts, and the client address a throttle counts."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import update
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocket, WebSocketDisconnect

from tests.app.conftest import fresh_draft
from wddf.config import check_proxy_trust, get_settings, server_trust
from wddf.services import accounts
from wddf.services.answers import evidence
from wddf.storage.tables import Assessment
from wddf.ui.routes import COOKIE, DOWNLOAD_PATH, SIGN_IN_PATH, auth_routes
from wddf.ui.site import SiteGuard

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


def test_a_sign_in_post_from_this_host_but_another_scheme_is_refused(client):
    reply = client.post(
        SIGN_IN_PATH,
        data=FORM,
        headers={"Origin": BASE.replace("http://", "https://")},
        follow_redirects=False,
    )
    assert reply.status_code == 403 and COOKIE not in reply.cookies


SITE = "https://wddf.example.org"


@pytest.fixture
def guarded(app_db, app_people, monkeypatch):
    """The sign-in routes and a websocket behind ``SiteGuard``, with ``WDDF_BASE_URL`` set."""
    monkeypatch.setenv("WDDF_BASE_URL", SITE)
    get_settings.cache_clear()
    accounts.THROTTLE.clear()

    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("open")
        await websocket.close()

    async def health(request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    routes = [
        *auth_routes(),
        WebSocketRoute("/_stcore/stream", echo),
        Route("/_stcore/health", health),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(SiteGuard)])
    with TestClient(app, base_url=SITE) as http:
        yield http
    get_settings.cache_clear()


def test_with_a_base_url_only_its_exact_origin_posts_and_opens_websockets(guarded):
    """A forged Host with a matching evil Origin reaches nothing (421); a post from the site's
    host under another scheme is refused; a websocket from a page on localhost is refused while
    the site's own opens; a monitor probing a replica by its address is answered."""
    evil = {"Host": "evil.example", "Origin": "http://evil.example"}
    assert guarded.post(SIGN_IN_PATH, data=FORM, headers=evil).status_code == 421
    assert guarded.get(SIGN_IN_PATH, headers={"Host": "evil.example"}).status_code == 421
    plain = {"Origin": "http://wddf.example.org"}
    refused = guarded.post(SIGN_IN_PATH, data=FORM, headers=plain, follow_redirects=False)
    assert refused.status_code == 403
    good = guarded.post(SIGN_IN_PATH, data=FORM, headers={"Origin": SITE}, follow_redirects=False)
    assert good.status_code == 303
    with (
        pytest.raises(WebSocketDisconnect),
        guarded.websocket_connect(
            "/_stcore/stream",
            headers={"Origin": "http://localhost:8501", "Host": "wddf.example.org"},
        ),
    ):
        pass
    ours = {"Origin": SITE, "Host": "wddf.example.org"}  # the test client's own is testserver
    with guarded.websocket_connect("/_stcore/stream", headers=ours) as socket:
        assert socket.receive_text() == "open"
    assert guarded.get("/_stcore/health", headers={"Host": "127.0.0.1:8501"}).text == "ok"


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


def test_the_app_refuses_to_start_when_its_server_believes_other_proxies(monkeypatch):
    """The server learns whom to believe before app.py runs; app.py checks it agrees with
    WDDF_TRUSTED_PROXIES, so a server started without the launcher's environment never counts
    a forged X-Forwarded-For."""
    monkeypatch.setenv("WDDF_TRUSTED_PROXIES", "")
    get_settings.cache_clear()
    try:
        monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)  # the server's default: local
        with pytest.raises(SystemExit, match="WDDF_TRUSTED_PROXIES"):
            check_proxy_trust()
        monkeypatch.setenv("FORWARDED_ALLOW_IPS", "")
        check_proxy_trust()  # both say: nobody
        assert server_trust() == {"FORWARDED_ALLOW_IPS": ""}
    finally:
        get_settings.cache_clear()


@pytest.fixture(scope="module")
def evidence_file(app_db, app_people):
    """A PDF on a draft of Sierra Leone (a year of its own)."""
    assessment_id = fresh_draft(app_db, app_people["focal"])
    with app_db.session() as session:
        stored = evidence.add_file(
            session, app_people["focal"], assessment_id, "WD1.1.1", "décret n°12.pdf", b"%PDF-1.4 x"
        )
    return assessment_id, stored.id


def signed_in(client, name: str) -> None:
    data = FORM | {"username": name}
    reply = client.post(SIGN_IN_PATH, data=data, headers={"Origin": BASE}, follow_redirects=False)
    assert reply.status_code == 303


def test_no_download_without_a_live_session(client, evidence_file):
    _, file_id = evidence_file
    for path in (f"/wddf/download/evidence?file={file_id}", "/wddf/download/workbook"):
        assert client.get(path).status_code == 401
    client.cookies.set(COOKIE, "forged-or-revoked-token")
    assert client.get("/wddf/download/workbook").status_code == 401


def test_an_evidence_file_downloads_as_an_attachment_for_those_who_may_read_it(
    client, evidence_file
):
    assessment_id, file_id = evidence_file
    signed_in(client, "app-focal")
    reply = client.get(f"/wddf/download/evidence?file={file_id}")
    assert reply.status_code == 200 and reply.content == b"%PDF-1.4 x"
    assert reply.headers["content-disposition"] == (
        "attachment; filename*=UTF-8''d%C3%A9cret%20n%C2%B012.pdf"
    )
    assert reply.headers["content-type"] == "application/pdf"
    assert "sandbox" in reply.headers["content-security-policy"]
    offline_copy = client.get(f"/wddf/download/offline?assessment={assessment_id}&lang=fr")
    assert offline_copy.status_code == 200 and offline_copy.content[:2] == b"PK"


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("app-focal-gh", "evidence?file={file}"),  # another country's focal point
        ("app-donor", "evidence?file={file}"),  # a draft is not published
        ("app-focal-gh", "offline?assessment={assessment}"),
        ("app-focal", "evidence?file=999999"),
        ("app-focal", "evidence?file=1%27%20OR%201=1"),
        ("app-focal", "nothing-of-that-kind"),
        ("app-focal", "workbook?country=../../etc"),
        ("app-focal", "evidence?file=999999999999"),  # beyond an integer column
        ("app-focal", "report?assessment=999999999999"),
        ("app-donor", "report?assessment={assessment}"),  # a draft is not published
        ("app-focal-gh", "report?assessment={assessment}&format=pdf"),
        ("app-panel", "report?assessment={assessment}"),  # panel members have no report
    ],
)
def test_a_download_not_theirs_is_not_found(client, evidence_file, who, path):
    assessment_id, file_id = evidence_file
    signed_in(client, who)
    target = path.format(file=file_id, assessment=assessment_id)
    assert client.get(f"/wddf/download/{target}").status_code == 404


def test_a_donor_asking_where_nothing_is_published_is_told_so(client):
    signed_in(client, "app-donor")
    reply = client.get("/wddf/download/workbook?country=ZWE&lang=fr")  # nothing published there
    assert reply.status_code == 404
    assert "Rien à exporter" in reply.text and reply.headers["content-type"].startswith(
        "text/plain"
    )


def test_a_donor_downloads_published_results_only(client, app_db, app_people):
    published = fresh_draft(app_db, app_people["focal"])
    with app_db.session() as session:
        session.execute(
            update(Assessment).where(Assessment.id == published).values(status="published")
        )
    signed_in(client, "app-donor")
    reply = client.get("/wddf/download/workbook?lang=en")
    assert reply.status_code == 200
    rows = load_workbook(io.BytesIO(reply.content))["Summary"].iter_rows(
        min_row=2, values_only=True
    )
    statuses = {r[3] for r in rows if r[0] and isinstance(r[2], int)}
    assert {s.removesuffix(" · DEMO") for s in statuses} <= {"published"}  # demo rows say so


def test_the_country_report_downloads_as_word_for_those_who_may_have_it(client, app_db, app_people):
    """A donor gets the Word report of a published assessment; a panelist of the country gets
    a refusal in words, and nothing."""
    from docx import Document

    published = fresh_draft(app_db, app_people["focal"])
    with app_db.session() as session:
        session.execute(
            update(Assessment).where(Assessment.id == published).values(status="published")
        )
    signed_in(client, "app-donor")
    reply = client.get(f"/wddf/download/report?lang=fr&assessment={published}")
    assert reply.status_code == 200
    assert "wddf-report-SLE-" in reply.headers["Content-Disposition"]
    document = Document(io.BytesIO(reply.content))
    assert document.paragraphs[0].text.startswith("Rapport du pays")
    signed_in(client, "app-panel")
    refused = client.get(f"/wddf/download/report?lang=fr&assessment={published}")
    assert refused.status_code == 404 and "pas autorisé" in refused.text


def test_a_head_request_for_a_report_builds_nothing(client, app_db, app_people, monkeypatch):
    """A HEAD (a link checker, a probe) is answered without making the file."""
    from wddf.services.documents import country_report

    def refuse(*args, **kwargs):
        raise AssertionError("a HEAD made the report")

    monkeypatch.setattr(country_report, "document", refuse)
    signed_in(client, "app-focal")
    reply = client.head(f"{DOWNLOAD_PATH}/report?assessment=1&lang=fr")
    assert reply.status_code == 200 and reply.content == b""
