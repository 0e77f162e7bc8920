"""The WDDF process in Chromium, in French: the focal point assigns a goal to a panel member, who
finds it among their own assignments; the focal point records a panel session; then downloads
the country report to the WGAAP, which names the session."""

from __future__ import annotations

import re

import pytest
from docx import Document
from playwright.sync_api import expect
from sqlalchemy import update

from tests.conftest import ROOT
from wddf.domain import Role
from wddf.services import accounts
from wddf.services.actor import SYSTEM
from wddf.services.answers import assessments
from wddf.services.process import panels
from wddf.storage.db import Database
from wddf.storage.tables import Assessment
from wddf.testing.browser import sign_in, wait_until_idle

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / ".ci" / "artifacts"  # screenshots for a person to look at

FOCAL, FOCAL_PASSWORD = "mariama", "Focal-process-pass-1"
PANELIST, PANELIST_PASSWORD = "ibrahim", "Panel-process-pass-1"


def choose(page, widget: str, text: str) -> None:
    """Pick the option starting with ``text`` in a select box or multiselect: type into its
    input, as a person would, and take the option offered."""
    field = page.locator(f"{widget} input")
    field.click()
    field.fill(text)
    page.get_by_role("option", name=re.compile("^" + re.escape(text))).first.click()
    page.keyboard.press("Escape")


def _setup(server) -> tuple[int, int, int]:
    """A Sierra Leone focal point and panel member, a draft in a year of its own, and a panel on
    WD2 with the panel member in it: (assessment, panel, panelist's account) ids."""
    db = Database(server.env["WDDF_DATABASE_URL"])
    with db.session() as session:
        focal = accounts.create_user(
            session, SYSTEM, FOCAL, Role.FOCAL_POINT, FOCAL_PASSWORD, country="SLE"
        )
        panelist = accounts.create_user(
            session,
            SYSTEM,
            PANELIST,
            Role.PANELIST,
            PANELIST_PASSWORD,
            country="SLE",
            group="miners_organisations",
        )
        taken = {a.year for a in assessments.visible(session, SYSTEM) if a.country == "SLE"}
        year = max(taken | {2030}) + 1
        item = assessments.create(session, focal, "SLE", year, "wddf-1.0")
        panel = panels.create(session, focal, item.id, "Zones et droits fonciers", ["WD2"])
        panels.add_member(session, focal, panel.id, "", "miners_organisations", "", panelist.id)
    db.dispose()
    return item.id, panel.id, panelist.id


def test_assign_see_record_a_session_and_download_the_report(server, browser, tmp_path):
    aid, panel_id, _ = _setup(server)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 1280, "height": 1000}, accept_downloads=True
    )
    page = context.new_page()
    sign_in(page, server.url, FOCAL, FOCAL_PASSWORD, lang="fr")
    page.goto(f"{server.url}/assignments?assessment={aid}")
    wait_until_idle(page)
    choose(page, ".st-key-assign-node", "WD2 · ")
    choose(page, ".st-key-assign-people", PANELIST)
    choose(page, ".st-key-assign-task", "noter comme membre de panel")
    page.get_by_role("button", name="Affecter", exact=True).click()
    wait_until_idle(page)
    expect(page.get_by_text("1 affectation enregistrée.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^(Pas commencée|En retard) \(1\)$"))).to_be_visible()

    member = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    theirs = member.new_page()
    sign_in(theirs, server.url, PANELIST, PANELIST_PASSWORD, lang="fr")
    theirs.goto(f"{server.url}/assignments")
    wait_until_idle(theirs)
    expect(theirs.get_by_text("Mes affectations")).to_be_visible()
    expect(theirs.get_by_text(re.compile(r"WD2 · .*noter comme membre de panel"))).to_be_visible()
    theirs.screenshot(path=str(ARTIFACTS / "process-my-assignments.png"), full_page=True)
    member.close()

    page.goto(f"{server.url}/panels?assessment={aid}")
    wait_until_idle(page)
    page.locator(f".st-key-session-place-{panel_id} input").fill("Koidu")
    choose(page, f".st-key-session-dims-{panel_id}", "WD2.1.1")
    page.locator(f".st-key-session-decisions-{panel_id} textarea").fill("WD2.1.1 reste à C.")
    page.get_by_role("button", name="Enregistrer la séance").click()
    wait_until_idle(page)
    expect(page.get_by_text(re.compile("^Séance enregistrée"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Séance du .*, Koidu$"))).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "process-panels.png"), full_page=True)

    page.goto(f"{server.url}/downloads")
    wait_until_idle(page)
    link = page.get_by_role("link", name="Rapport du pays (Word, modifiable)")
    with context.expect_event("download") as arrived:
        link.click()
    saved = tmp_path / arrived.value.suggested_filename
    arrived.value.save_as(saved)
    assert saved.name.startswith("wddf-report-SLE-") and saved.name.endswith("-fr.docx")
    document = Document(str(saved))
    assert document.paragraphs[0].text.startswith("Rapport du pays")
    cells = {c.text for table in document.tables for row in table.rows for c in row.cells}
    assert {"Zones et droits fonciers", "Koidu", "WD2.1.1"} <= cells

    db = Database(server.env["WDDF_DATABASE_URL"])  # as if the workflow had submitted it
    with db.session() as session:
        session.execute(update(Assessment).where(Assessment.id == aid).values(status="submitted"))
    db.dispose()
    page.goto(f"{server.url}/panels?assessment={aid}")
    wait_until_idle(page)
    expect(
        page.get_by_text(re.compile("^Cette évaluation est soumise : ses panels"))
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Séance du .*, Koidu$"))).to_be_visible()
    expect(page.get_by_role("button", name="Enregistrer la séance")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "process-panels-submitted.png"), full_page=True)
    context.close()
