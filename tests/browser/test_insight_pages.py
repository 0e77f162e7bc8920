"""Every insight page in Chromium, on demo data: it draws its charts and shows no error.

A screenshot of each page is written to the test's temporary folder, for people to look at.
"""

from __future__ import annotations

import pytest

from wddf.domain import Role
from wddf.services import accounts
from wddf.services.actor import SYSTEM
from wddf.services.answers import demo
from wddf.storage.db import Database
from wddf.testing.browser import sign_in, wait_until_idle
from wddf.testing.servers import AppServer

pytestmark = pytest.mark.browser

PASSWORD = "Insight-pass-42"
PAGES = {
    "reviewer": ["profile", "progress", "comparison", "agreement", "plan", "simulator", "flags"],
    "focal": ["profile", "progress", "agreement", "plan", "simulator", "flags"],
    "donor": ["profile", "progress", "comparison", "agreement", "plan", "simulator"],
}
CHARTED = {"profile", "progress", "comparison", "simulator"}
ERRORS = "[data-testid=stException], [data-testid=stAlertContentError]"


@pytest.fixture(scope="module")
def insight_server(tmp_path_factory):
    """The app on a database of its own, with demo data and one account per role."""
    app = AppServer(f"sqlite:///{tmp_path_factory.mktemp('insight-db')}/wddf.sqlite3")
    app.start()
    with Database(app.env["WDDF_DATABASE_URL"]).session() as session:
        demo.load(session, SYSTEM, countries=6, years=4, seed=7)
        accounts.create_user(session, SYSTEM, "rev", Role.REVIEWER, PASSWORD)
        accounts.create_user(session, SYSTEM, "sle", Role.FOCAL_POINT, PASSWORD, country="SLE")
        accounts.create_user(session, SYSTEM, "don", Role.DONOR, PASSWORD)
    yield app
    app.stop()


@pytest.mark.parametrize(
    ("role", "user"), [("reviewer", "rev"), ("focal", "sle"), ("donor", "don")]
)
def test_each_insight_page_draws_its_charts_without_error(
    insight_server, browser, tmp_path, role, user
):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, insight_server.url, user, PASSWORD)
    for name in PAGES[role]:
        page.goto(f"{insight_server.url}/{name}?lang=fr")
        wait_until_idle(page)
        page.locator("h1").first.wait_for()
        if name in CHARTED:
            page.locator("[data-testid=stPlotlyChart] .main-svg").first.wait_for(timeout=30_000)
        page.screenshot(path=tmp_path / f"{role}-{name}.png", full_page=True)
        assert page.locator(ERRORS).count() == 0, (
            role,
            name,
            page.locator(ERRORS).all_inner_texts(),
        )
    context.close()
