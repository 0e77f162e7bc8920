"""Journeys in Chromium against a real server, in order, on one embedded database.

1. First start: setup, then the administrator creates a focal point.
2. The focal point signs in, creates an assessment in French, grades 5 dimensions with evidence;
   after a refresh they are still signed in, on the same goal, with all 5 answers saved.
3. The server is killed with SIGKILL and restarted: all 5 answers are still there.
4. Two browsers edit the same dimension: the second sees the conflict; nothing is lost.
5. A reviewer returns the assessment with a comment, and the focal point sees it.
6. A focal point of another country opens the first country's draft URL and is refused.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in, wait_until_idle
from tests.conftest import shipped
from wddf.domain import Action, Role
from wddf.services import accounts, assessments, workflow
from wddf.services.actor import SYSTEM
from wddf.services.assessments import AnswerInput
from wddf.storage.db import Database

pytestmark = pytest.mark.browser

ADMIN, ADMIN_PASSWORD = "amina", "Admin-strong-pass-1"
FOCAL, FOCAL_PASSWORD = "fatou", "Focal-strong-pass-1"
GRADED = {"WD1.1.1": "B", "WD1.1.2": "C", "WD1.1.3": "D*", "WD1.2.1": "A", "WD1.2.2": "B"}
STATE: dict = {}


def card(page, dimension_id: str):
    return page.locator(f".st-key-dim-{dimension_id.replace('.', '_')}")


def database(server) -> Database:
    return Database(server.env["WDDF_DATABASE_URL"])


def test_1_first_start_setup_then_admin_creates_a_focal_point(server, browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server.url)
    wait_until_idle(page)
    page.get_by_role("heading", name="First start: create the administrator").wait_for()
    page.get_by_label("User name").fill(ADMIN)
    page.get_by_label("Password", exact=True).fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Create administrator").click()
    wait_until_idle(page)
    expect(page.get_by_text(f"Administrator {ADMIN} created")).to_be_visible()

    sign_in(page, server.url, ADMIN, ADMIN_PASSWORD)
    page.get_by_role("link", name="Administration").click()
    wait_until_idle(page)
    form = page.locator(".stForm").filter(has_text="New user")
    form.get_by_label("User name").fill(FOCAL)
    form.get_by_label("Role").click()
    page.get_by_role("option", name="focal point").click()
    form.get_by_label("Country").click()
    page.get_by_role("option", name="Sierra Leone (SLE)").click()
    form.get_by_label("Password", exact=True).fill(FOCAL_PASSWORD)
    form.get_by_role("button", name="Create user").click()
    wait_until_idle(page)
    expect(page.get_by_text(f"User {FOCAL} created.")).to_be_visible()
    context.close()


def test_2_focal_point_grades_five_dimensions_in_french_and_a_refresh_keeps_them(server, browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, FOCAL, FOCAL_PASSWORD, lang="fr")
    page.get_by_role("heading", name="Mes évaluations").wait_for()
    page.get_by_label("Année").fill("2025")
    page.get_by_role("button", name="Créer").click()
    wait_until_idle(page)
    page.get_by_role("heading", name="Sierra Leone · 2025").wait_for()
    STATE["entry_url"] = page.url
    for dimension_id, grade in GRADED.items():
        box = card(page, dimension_id)
        box.get_by_role("radiogroup").get_by_text(grade, exact=True).click()
        wait_until_idle(page)
        box.get_by_label("Justification : qu'est-ce qui fonde cette note ?").fill(
            f"Preuve pour {dimension_id}"
        )
        box.get_by_label("Preuves : références et liens, un par ligne").fill(
            "https://example.org/rapport"
        )
        box.get_by_label("Preuves : références et liens, un par ligne").press("Tab")
        wait_until_idle(page)
        expect(box.get_by_text(re.compile(r"Enregistré à \d\d:\d\d"))).to_be_visible()
    assert "assessment=" in page.url and "goal=WD1" in page.url

    page.reload()
    wait_until_idle(page)
    page.get_by_role("heading", name="Sierra Leone · 2025").wait_for()
    assert "goal=WD1" in page.url
    for dimension_id, grade in GRADED.items():
        box = card(page, dimension_id)
        expect(box.get_by_role("radio", name=grade, exact=True)).to_be_checked()
        expect(box.get_by_label("Justification : qu'est-ce qui fonde cette note ?")).to_have_value(
            f"Preuve pour {dimension_id}"
        )
    context.close()


def test_3_answers_survive_a_server_kill(server, browser):
    server.kill()
    server.start()
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, FOCAL, FOCAL_PASSWORD, lang="fr")
    page.goto(STATE["entry_url"])
    wait_until_idle(page)
    for dimension_id, grade in GRADED.items():
        expect(
            card(page, dimension_id).get_by_role("radio", name=grade, exact=True)
        ).to_be_checked()
    context.close()


def test_4_two_browsers_editing_one_dimension_see_the_conflict(server, browser):
    first = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    second = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page_a, page_b = first.new_page(), second.new_page()
    sign_in(page_a, server.url, FOCAL, FOCAL_PASSWORD, lang="fr")
    sign_in(page_b, server.url, ADMIN, ADMIN_PASSWORD)
    page_a.goto(STATE["entry_url"])
    page_b.goto(STATE["entry_url"].replace("lang=fr", "lang=en"))
    for page in (page_a, page_b):
        wait_until_idle(page)
    card(page_a, "WD1.2.1").get_by_role("radiogroup").get_by_text("C", exact=True).click()
    wait_until_idle(page_a)
    expect(card(page_a, "WD1.2.1").get_by_text(re.compile(r"Enregistré à"))).to_be_visible()

    card(page_b, "WD1.2.1").get_by_role("radiogroup").get_by_text("D", exact=True).click()
    wait_until_idle(page_b)
    box_b = card(page_b, "WD1.2.1")
    expect(
        box_b.get_by_text(re.compile(rf"{FOCAL} saved this answer at \d\d:\d\d"))
    ).to_be_visible()
    expect(box_b.get_by_text(re.compile(r"Their answer: C"))).to_be_visible()
    with database(server).session() as session:
        stored = {
            a.dimension_id: a.grade for a in assessments.answers(session, SYSTEM, _assessment_id())
        }
    assert stored["WD1.2.1"] == "C"  # the first save stands; the second overwrote nothing
    first.close()
    second.close()


def _assessment_id() -> int:
    return int(re.search(r"assessment=(\d+)", STATE["entry_url"]).group(1))


def test_5_reviewer_returns_with_a_comment_and_the_focal_point_sees_it(server, browser):
    db = database(server)
    with db.session() as session:
        focal = accounts.to_actor(
            next(u for u in accounts.list_users(session, SYSTEM) if u.username == FOCAL)
        )
        given = {a.dimension_id: a for a in assessments.answers(session, focal, _assessment_id())}
        for _, _, dim in shipped().dimensions():
            if dim.id not in given:
                assessments.save_answer(
                    session, focal, _assessment_id(), AnswerInput(dim.id, "C", "Seen"), 0
                )
        workflow.transition(session, focal, _assessment_id(), Action.SUBMIT)
        accounts.create_user(session, SYSTEM, "rita", Role.REVIEWER, "Reviewer-pass-12")
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, "rita", "Reviewer-pass-12")
    page.get_by_role("heading", name="Review").wait_for()
    page.get_by_label("Why it goes back (required)").fill("WD1.1.3: find the production figures.")
    page.get_by_role("button", name="Return to the country").click()
    wait_until_idle(page)
    context.close()

    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, FOCAL, FOCAL_PASSWORD, lang="fr")
    page.goto(STATE["entry_url"])
    wait_until_idle(page)
    expect(page.get_by_text("WD1.1.3: find the production figures.")).to_be_visible()
    expect(page.get_by_text(re.compile("renvoyée"))).to_be_visible()
    context.close()


def test_6_a_focal_point_of_another_country_is_refused(server, browser):
    with database(server).session() as session:
        accounts.create_user(
            session, SYSTEM, "kofi", Role.FOCAL_POINT, "Ghana-focal-pass-1", country="GHA"
        )
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, "kofi", "Ghana-focal-pass-1")
    page.goto(STATE["entry_url"].replace("lang=fr", "lang=en"))
    wait_until_idle(page)
    expect(
        page.get_by_text("This assessment does not exist, or you may not open it.")
    ).to_be_visible()
    expect(page.get_by_text("Sierra Leone · 2025")).to_have_count(0)

    token = next(c["value"] for c in context.cookies() if c["name"] == "wddf_session")
    page.get_by_role("button", name="Sign out").click()
    wait_until_idle(page)
    page.get_by_role("link", name="Sign in").first.wait_for()
    with database(server).session() as session:
        assert (
            accounts.resolve_session(session, token) is None
        )  # revoked on the server, not only forgotten
    context.close()


def test_7_signed_out_visitor_reads_the_questionnaire_in_portuguese(server, browser):
    context = browser.new_context(locale="pt-BR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server.url}/questionnaire")
    wait_until_idle(page)
    page.get_by_role("heading", name="Consulta do questionário").wait_for()
    page.locator(".st-key-goal").click()
    page.get_by_role("option", name=re.compile("^WD3 · ")).click()
    wait_until_idle(page)
    page.reload()
    wait_until_idle(page)
    assert "goal=WD3" in page.url and "lang=pt" in page.url
    page.get_by_text(re.compile("^WD3.2.3 · ")).click()
    expect(page.locator(".st-key-stmt-WD3_2_3-C")).to_contain_text("15%")
    context.close()
