"""Two app replicas on one PostgreSQL, behind Debian's nginx with the configuration in
``deploy/nginx/wddf.conf``, driven in Chromium.

The replicas share no files: their questionnaires folder is empty, and the assessment uses an
edition installed in the database only, so every page they draw proves editions are served from
PostgreSQL.

1. An answer saved through one replica is seen through the other.
2. The same dimension edited through both replicas at once: the second save is a conflict.
3. Through nginx, each replica is restarted in turn (so the user's is, whichever it is): the
   user stays signed in and every answer is still there.
"""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.storage.conftest import PG_URL, new_database_url
from wddf.domain import Role
from wddf.services import accounts, editions
from wddf.services.actor import SYSTEM
from wddf.services.answers import assessments
from wddf.services.editions import SHIPPED, prepare_database
from wddf.storage.db import Database
from wddf.testing.browser import sign_in, wait_until_idle
from wddf.testing.servers import AppServer, Nginx
from wddf.ui.routes import SIGN_IN_PATH

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL: set WDDF_TEST_DATABASE_URL"),
]

USER, PASSWORD = "mariama", "Replica-focal-pass-3"
DB_ONLY_EDITION = "wddf-replica-1.0"
SHARED_SECRET = "the-same-secret-on-every-replica-for-tests"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """One PostgreSQL database, two replicas sharing its URL and a cookie secret, nginx."""
    url, drop = new_database_url("postgresql", tmp_path_factory.mktemp("pg"))
    prepare_database(url)
    db = Database(url)
    text = SHIPPED.read_text("utf-8").replace("id: wddf-1.0", f"id: {DB_ONLY_EDITION}", 1)
    with db.session() as session:
        editions.install(session, SYSTEM, "replica.yaml", text.encode())
        focal = accounts.create_user(
            session, SYSTEM, USER, Role.FOCAL_POINT, PASSWORD, country="SLE"
        )
        assessment_id = assessments.create(session, focal, "SLE", 2025, DB_ONLY_EDITION).id
    no_files = tmp_path_factory.mktemp("no-editions")
    shared = {
        "WDDF_COOKIE_SECRET": SHARED_SECRET,
        "STREAMLIT_SERVER_COOKIE_SECRET": SHARED_SECRET,
        "WDDF_QUESTIONNAIRES_DIR": str(no_files),
    }
    replicas = [AppServer(url, **shared), AppServer(url, **shared)]
    for replica in replicas:
        replica.start()
    proxy = Nginx(tmp_path_factory.mktemp("nginx"), [r.port for r in replicas])
    proxy.start()
    yield {"db": db, "replicas": replicas, "proxy": proxy, "assessment": assessment_id}
    proxy.stop()
    for replica in replicas:
        replica.stop()
    db.dispose()
    drop()


def reload_until_served(page, attempts: int = 6) -> None:
    """Reload as a user would until nginx serves the app again: right after a restart, nginx
    may still hold the replica as failed for its ``fail_timeout`` and answer 502 once."""
    for _ in range(attempts):
        page.reload()
        try:
            page.locator("[data-testid=stApp]").wait_for(timeout=5_000)
            return
        except PlaywrightTimeoutError:
            continue  # a 502 page: reload again
    page.locator("[data-testid=stApp]").wait_for(timeout=5_000)


def entry(page, base: str, assessment_id: int) -> None:
    page.goto(f"{base}/entry?assessment={assessment_id}&goal=WD1&lang=en")
    wait_until_idle(page)
    page.get_by_role("heading", name="Sierra Leone · 2025").wait_for()
    page.get_by_text(DB_ONLY_EDITION).first.wait_for()  # the edition came from the database


def card(page, dimension_id: str):
    return page.locator(f".st-key-dim-{dimension_id.replace('.', '_')}")


def grade(page, dimension_id: str, value: str) -> None:
    card(page, dimension_id).get_by_role("radiogroup").get_by_text(value, exact=True).click()
    wait_until_idle(page)


def stored(cluster) -> dict[str, str | None]:
    with cluster["db"].session() as session:
        rows = assessments.answers(session, SYSTEM, cluster["assessment"])
    return {a.dimension_id: a.grade for a in rows}


def test_an_answer_saved_through_one_replica_is_seen_through_the_other(cluster, browser):
    first, second = cluster["replicas"]
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, first.url, USER, PASSWORD)
    entry(page, first.url, cluster["assessment"])
    grade(page, "WD1.1.1", "B")
    expect(card(page, "WD1.1.1").get_by_text(re.compile(r"Saved at \d\d:\d\d"))).to_be_visible()

    other = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page_b = other.new_page()
    sign_in(page_b, second.url, USER, PASSWORD)
    entry(page_b, second.url, cluster["assessment"])
    expect(card(page_b, "WD1.1.1").get_by_role("radio", name="B", exact=True)).to_be_checked()
    context.close()
    other.close()


def test_one_dimension_edited_through_both_replicas_is_a_conflict(cluster, browser):
    pages = []
    for replica in cluster["replicas"]:
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        sign_in(page, replica.url, USER, PASSWORD)
        entry(page, replica.url, cluster["assessment"])
        pages.append(page)
    grade(pages[0], "WD1.1.2", "C")
    expect(card(pages[0], "WD1.1.2").get_by_text(re.compile(r"Saved at"))).to_be_visible()
    grade(pages[1], "WD1.1.2", "A")
    box = card(pages[1], "WD1.1.2")
    expect(box.get_by_text(re.compile(rf"{USER} saved this answer at \d\d:\d\d"))).to_be_visible()
    expect(box.get_by_text(re.compile(r"Their answer: C"))).to_be_visible()
    assert stored(cluster)["WD1.1.2"] == "C"
    for page in pages:
        page.context.close()


def test_restarting_the_users_replica_keeps_sign_in_and_answers(cluster, browser):
    proxy = cluster["proxy"]
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, proxy.url, USER, PASSWORD)
    entry(page, proxy.url, cluster["assessment"])
    saved = {"WD1.2.1": "D", "WD1.2.2": "B"}
    for dimension_id, value in saved.items():
        grade(page, dimension_id, value)
        expect(card(page, dimension_id).get_by_text(re.compile(r"Saved at"))).to_be_visible()
    for replica in cluster["replicas"]:
        replica.kill()
        replica.start()
        reload_until_served(page)
        wait_until_idle(page)
        page.get_by_role("heading", name="Sierra Leone · 2025").wait_for()  # still signed in
        for dimension_id, value in saved.items():
            radio = card(page, dimension_id).get_by_role("radio", name=value, exact=True)
            expect(radio).to_be_checked()
        grade(page, "WD1.1.3", "CDCD"[cluster["replicas"].index(replica)])
        expect(card(page, "WD1.1.3").get_by_text(re.compile(r"Saved at"))).to_be_visible()
    assert {k: stored(cluster)[k] for k in saved} == saved
    assert stored(cluster)["WD1.1.3"] == "D"
    context.close()


def test_the_shipped_nginx_compresses_streamlits_scripts_and_keeps_them_cached(cluster):
    """A first visit over a field link downloads Streamlit's JavaScript: nginx sends it gzipped
    (a third of its size), and a return visit needs none of it (hashed names, kept a year)."""
    base = cluster["proxy"].url
    with urllib.request.urlopen(f"{base}/", timeout=10) as reply:
        page = reply.read().decode()
    script = re.search(r"/?static/js/index\.[\w-]+\.js", page).group(0).lstrip("/")
    plain = urllib.request.urlopen(f"{base}/{script}", timeout=10)
    asked = urllib.request.Request(f"{base}/{script}", headers={"Accept-Encoding": "gzip"})
    with plain, urllib.request.urlopen(asked, timeout=10) as zipped:
        full, packed = plain.read(), zipped.read()
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert "immutable" in zipped.headers["Cache-Control"]
    assert gzip.decompress(packed) == full and len(packed) < len(full) / 2


def test_a_forged_forwarded_address_never_refills_the_sign_in_budget(cluster):
    """Behind the shipped nginx, a client writing a new X-Forwarded-For at each attempt is still
    one address: its guesses at one name are throttled after a sixth of the minute's allowance,
    as from any one address, and the header changes nothing."""
    base = cluster["proxy"].url
    per_name = 120 // 6  # WDDF_SIGN_IN_PER_MINUTE's default, a sixth for one name
    answers = []
    for n in range(per_name + 2):
        form = {"username": "intruder", "password": f"guess-{n}", "next": "/"}
        forged = {"Origin": base, "X-Forwarded-For": f"198.51.100.{n}, 192.0.2.{n}"}
        request = urllib.request.Request(
            f"{base}{SIGN_IN_PATH}", data=urllib.parse.urlencode(form).encode(), headers=forged
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=20)
        answers.append(refused.value.read().decode())
    throttled = [n for n, page in enumerate(answers) if "Too many sign-in attempts" in page]
    assert throttled and throttled[0] <= per_name
