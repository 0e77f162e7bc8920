"""Journeys in Chromium against a real server. Each test builds what it needs through the
services (accounts, an assessment with answers), so any one of them runs alone.

1. First start: setup, then the administrator creates a focal point.
2. The focal point signs in, creates an assessment in French, grades 5 dimensions with evidence;
   after a refresh they are still signed in, on the same goal, with all 5 answers saved.
3. The server is killed with SIGKILL and restarted: all 5 answers are still there.
4. Two browsers edit the same dimension: the second sees the conflict; nothing is lost.
5. A reviewer returns the assessment with a comment, and the focal point sees it.
6. A focal point of another country opens the first country's draft URL and is refused.
7. A signed-out visitor reads the questionnaire in Portuguese.
8. Downloads need the session and arrive as files.
9. In French, from "start from last year" to published: confirm a goal, grade, upload and
   download evidence, submit; the reviewer returns; fix and resubmit; the reviewer sees what
   changed and validates; the focal point publishes; the donor sees the result.
10. In Portuguese, a panel member grades for their group beside the consensus.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.conftest import shipped, shipped_editions
from wddf.domain import Action, Role
from wddf.services import accounts
from wddf.services.actor import SYSTEM, Actor
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments, carry_over
from wddf.services.review import workflow
from wddf.storage.db import Database
from wddf.storage.tables import Assessment
from wddf.testing.browser import sign_in, wait_until_idle
from wddf.testing.servers import AppServer

pytestmark = pytest.mark.browser

ADMIN, ADMIN_PASSWORD = "amina", "Admin-strong-pass-1"
FOCAL, FOCAL_PASSWORD = "fatou", "Focal-strong-pass-1"
REVIEWER, REVIEWER_PASSWORD = "rita", "Reviewer-pass-12"
OTHER_FOCAL, OTHER_PASSWORD = "kofi", "Ghana-focal-pass-1"
DONOR, DONOR_PASSWORD = "dora", "Donor-strong-pass-1"
PANELIST, PANELIST_PASSWORD = "paulo", "Painel-forte-pass-1"
GRADED = {"WD1.1.1": "B", "WD1.1.2": "C", "WD1.1.3": "D*", "WD1.2.1": "A", "WD1.2.2": "B"}


def card(page, dimension_id: str):
    return page.locator(f".st-key-dim-{dimension_id.replace('.', '_')}")


def database(server) -> Database:
    return Database(server.env["WDDF_DATABASE_URL"])


@pytest.fixture(scope="module")
def people(server) -> dict[str, Actor]:
    """The accounts of these journeys, made through the accounts service."""
    specs = {
        "admin": (ADMIN, Role.ADMIN, ADMIN_PASSWORD, None),
        "focal": (FOCAL, Role.FOCAL_POINT, FOCAL_PASSWORD, "SLE"),
        "reviewer": (REVIEWER, Role.REVIEWER, REVIEWER_PASSWORD, None),
        "other_focal": (OTHER_FOCAL, Role.FOCAL_POINT, OTHER_PASSWORD, "GHA"),
        "donor": (DONOR, Role.DONOR, DONOR_PASSWORD, None),
        "panelist": (PANELIST, Role.PANELIST, PANELIST_PASSWORD, "SLE"),
    }
    db = database(server)
    with db.session() as session:
        made = {
            key: accounts.create_user(
                session,
                SYSTEM,
                name,
                role,
                password,
                country=country,
                group="civil_society" if role is Role.PANELIST else None,
            )
            for key, (name, role, password, country) in specs.items()
        }
    db.dispose()
    return made


def next_year(server, country: str = "SLE") -> int:
    """A year with no assessment of ``country`` yet, so every test has its own."""
    db = database(server)
    with db.session() as session:
        latest = session.scalar(
            select(func.max(Assessment.year)).where(Assessment.country == country)
        )
    db.dispose()
    return (latest or 2010) + 1


@dataclass(frozen=True)
class Graded:
    """An assessment of Sierra Leone with the five answers of ``GRADED``."""

    id: int
    year: int

    def url(self, server, lang: str = "fr") -> str:
        return f"{server.url}/entry?assessment={self.id}&goal=WD1&lang={lang}"


@pytest.fixture
def graded(server, people) -> Iterator[Graded]:
    """A new draft with the five answers of ``GRADED``, saved through the service."""
    year = next_year(server)
    db = database(server)
    with db.session() as session:
        made = assessments.create(session, people["focal"], "SLE", year, "wddf-1.0")
        for dimension_id, grade in GRADED.items():
            given = AnswerInput(dimension_id, grade, f"Preuve pour {dimension_id}")
            assessments.save_answer(session, people["focal"], made.id, given, 0)
    db.dispose()
    yield Graded(made.id, year)


@pytest.fixture
def fresh_server(tmp_path) -> Iterator[AppServer]:
    """The app on an empty embedded database: its first start."""
    app = AppServer(f"sqlite:///{tmp_path}/first-start.sqlite3")
    app.start()
    yield app
    app.stop()


def test_1_first_start_setup_then_admin_creates_a_focal_point(fresh_server, browser):
    server = fresh_server
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


def test_2_focal_point_grades_five_dimensions_in_french_and_a_refresh_keeps_them(
    server, browser, people
):
    year = next_year(server)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, FOCAL, FOCAL_PASSWORD, lang="fr")
    page.get_by_role("heading", name="Mes évaluations").wait_for()
    page.get_by_role("spinbutton", name="Année").fill(str(year))
    page.get_by_role("button", name="Créer").click()
    wait_until_idle(page)
    page.get_by_role("heading", name=f"Sierra Leone · {year}").wait_for()
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
    # the cards are fragments; what they add up to follows without a reload
    newest = shipped_editions()["wddf-1.2"]  # new assessments use the newest edition
    in_wd1 = sum(len(i.dimensions) for i in newest.goals[0].indicators)
    expect(
        page.get_by_text(re.compile(rf"Notées, objectif par objectif : WD1 5/{in_wd1} · WD2 0/"))
    ).to_be_visible()
    total = len(newest.dimensions()) - len(GRADED)
    expect(page.get_by_text(f"Avant de soumettre ({total})")).to_be_visible()
    assert "assessment=" in page.url and "goal=WD1" in page.url

    page.reload()
    wait_until_idle(page)
    page.get_by_role("heading", name=f"Sierra Leone · {year}").wait_for()
    assert "goal=WD1" in page.url
    for dimension_id, grade in GRADED.items():
        box = card(page, dimension_id)
        expect(box.get_by_role("radio", name=grade, exact=True)).to_be_checked()
        expect(box.get_by_label("Justification : qu'est-ce qui fonde cette note ?")).to_have_value(
            f"Preuve pour {dimension_id}"
        )
    context.close()


def test_3_answers_survive_a_server_kill(server, browser, graded):
    server.kill()
    server.start()
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, FOCAL, FOCAL_PASSWORD, lang="fr")
    page.goto(graded.url(server))
    wait_until_idle(page)
    for dimension_id, grade in GRADED.items():
        expect(
            card(page, dimension_id).get_by_role("radio", name=grade, exact=True)
        ).to_be_checked()
    context.close()


def test_3b_a_cleared_grade_shows_no_choice_and_the_same_letter_saves_again(
    server, browser, people, graded
):
    """Clearing takes the grade back at once on screen; clicking the old letter is a change."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, FOCAL, FOCAL_PASSWORD, lang="fr")
    page.goto(graded.url(server))
    wait_until_idle(page)
    box = card(page, "WD1.1.1")
    expect(box.get_by_role("radio", name="B", exact=True)).to_be_checked()
    box.get_by_role("button", name="Effacer la note").click()
    wait_until_idle(page)
    expect(box.locator("input[type=radio]:checked")).to_have_count(0)
    db = database(server)

    def stored() -> str | None:
        with db.session() as session:
            found = assessments.answers(session, people["focal"], graded.id)
        return next(a.grade for a in found if a.dimension_id == "WD1.1.1")

    assert stored() is None
    box.get_by_role("radiogroup").get_by_text("B", exact=True).click()
    wait_until_idle(page)
    expect(box.get_by_role("radio", name="B", exact=True)).to_be_checked()
    assert stored() == "B"
    db.dispose()
    context.close()


def test_3c_going_from_goal_to_goal_and_back_shows_every_card_with_its_answer(
    server, browser, graded
):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, FOCAL, FOCAL_PASSWORD)
    page.goto(f"{server.url}/entry?assessment={graded.id}&goal=WD3&lang=en")
    wait_until_idle(page)
    for goal in ("WD1", "WD3", "WD1", "WD3"):
        page.get_by_role("combobox", name="Goal").click()
        page.get_by_role("option", name=re.compile(rf"^{goal} · ")).click()
        wait_until_idle(page)
        first = card(page, f"{goal}.1.1")
        expect(first.get_by_role("radiogroup")).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
    page.get_by_role("combobox", name="Goal").click()
    page.get_by_role("option", name=re.compile(r"^WD1 · ")).click()
    wait_until_idle(page)
    chosen = card(page, "WD1.1.1").get_by_role("radio", name="B")  # its saved answer, kept
    expect(chosen).to_be_checked()
    context.close()


def test_3d_a_cards_folded_parts_show_their_text_once_opened(server, browser, graded):
    """The guidance, a graded dimension's statements and the files are drawn when opened."""
    dimension = next(
        d for _, _, d in shipped_editions()["wddf-1.0"].dimensions() if d.id == "WD1.1.1"
    )
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, FOCAL, FOCAL_PASSWORD)
    page.goto(graded.url(server, "en"))
    wait_until_idle(page)
    box = card(page, "WD1.1.1")
    statement = dimension.statements.A["en"].split("\n")[0][:40]
    expect(box.get_by_text(statement, exact=False)).to_have_count(0)  # not sent while closed
    box.get_by_text("The four statements (chosen: B)").click()
    expect(box.get_by_text(statement, exact=False)).to_be_visible()
    box.get_by_text("Guidance and suggested evidence").click()
    expect(box.get_by_text("Suggested evidence", exact=True)).to_be_visible()
    box.get_by_text("Evidence files (0)").click()
    expect(box.locator("input[type=file]")).to_have_count(1)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    context.close()


def test_4_two_browsers_editing_one_dimension_see_the_conflict(server, browser, graded):
    first = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    second = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page_a, page_b = first.new_page(), second.new_page()
    sign_in(page_a, server.url, FOCAL, FOCAL_PASSWORD, lang="fr")
    sign_in(page_b, server.url, ADMIN, ADMIN_PASSWORD)
    page_a.goto(graded.url(server, "fr"))
    page_b.goto(graded.url(server, "en"))
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
        stored = {a.dimension_id: a.grade for a in assessments.answers(session, SYSTEM, graded.id)}
    assert stored["WD1.2.1"] == "C"  # the first save stands; the second overwrote nothing
    first.close()
    second.close()


def test_5_reviewer_returns_with_a_comment_and_the_focal_point_sees_it(
    server, browser, people, graded
):
    db = database(server)
    focal = people["focal"]
    with db.session() as session:
        for _, _, dim in shipped().dimensions():
            if dim.id not in GRADED:
                given = AnswerInput(dim.id, "C", "Seen")
                assessments.save_answer(session, focal, graded.id, given, 0)
        workflow.transition(session, focal, graded.id, Action.SUBMIT)
    db.dispose()
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, REVIEWER, REVIEWER_PASSWORD)
    page.get_by_role("heading", name="Review").wait_for()
    chosen = page.get_by_role("combobox", name="Assessment", exact=True)
    expect(chosen).to_have_value(re.compile(rf"^Sierra Leone · {graded.year} · "))  # the newest
    whole = page.locator(".st-key-review-whole")  # comments on the whole assessment
    whole.get_by_label("Comment", exact=True).fill("See the 2025 mining cadastre.")
    whole.get_by_role("button", name="Add comment").dblclick()  # the same intent, twice
    wait_until_idle(page)
    expect(page.get_by_text("Comment added.")).to_be_visible()
    expect(whole.get_by_label("Comment", exact=True)).to_have_value("")  # a new, empty form
    # a comment on one dimension is written in its card, and stays there
    box = page.locator(".st-key-review-WD1_1_1")
    box.get_by_text("Comment on this dimension").click()
    box.get_by_label("Comment", exact=True).fill("Which district office keeps the register?")
    box.get_by_role("button", name="Add comment").click()
    wait_until_idle(page)
    expect(box.get_by_text("Which district office keeps the register?")).to_be_visible()
    with db.session() as session:
        said = workflow.comments(session, SYSTEM, graded.id)
    assert [c.body for c in said].count("See the 2025 mining cadastre.") == 1
    page.get_by_label("Reason (required to return or reopen)").fill(
        "WD1.1.3: find the production figures."
    )
    page.get_by_role("button", name="Return to the country").click()
    wait_until_idle(page)
    context.close()

    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, FOCAL, FOCAL_PASSWORD, lang="fr")
    page.goto(graded.url(server))
    wait_until_idle(page)
    expect(page.get_by_text("WD1.1.3: find the production figures.", exact=True)).to_be_visible()
    expect(page.get_by_text("● renvoyée")).to_be_visible()
    context.close()


def test_6_a_focal_point_of_another_country_is_refused(server, browser, people, graded):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, OTHER_FOCAL, OTHER_PASSWORD)
    page.goto(graded.url(server, "en"))
    wait_until_idle(page)
    expect(
        page.get_by_text("This assessment does not exist, or you may not open it.")
    ).to_be_visible()
    expect(page.get_by_text(f"Sierra Leone · {graded.year}")).to_have_count(0)

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
    page.get_by_text(re.compile("^WD3.2.4 · ")).click()
    expect(page.locator(".st-key-stmt-WD3_2_4-C")).to_contain_text("15 % e 30 %")
    context.close()


def test_8_downloads_need_the_session_and_arrive_as_files(
    server, browser, people, graded, tmp_path
):
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    sign_in(page, server.url, FOCAL, FOCAL_PASSWORD, lang="fr")
    page.goto(graded.url(server))
    wait_until_idle(page)
    page.get_by_text("Travailler hors ligne dans Excel").click()
    link = page.get_by_role("link", name="Télécharger le questionnaire hors ligne")
    with context.expect_event("download") as arrived:
        link.click()
    saved = tmp_path / arrived.value.suggested_filename
    arrived.value.save_as(saved)
    assert saved.name == f"wddf-SLE-{graded.year}-fr.xlsx" and saved.read_bytes()[:2] == b"PK"
    href = link.get_attribute("href")
    context.close()
    anonymous = browser.new_context()
    reply = anonymous.request.get(f"{server.url}{href}")
    assert reply.status == 401  # the same URL without the session cookie
    anonymous.close()


def _validated_year(server, people, year: int) -> None:
    """Sierra Leone's ``year``, every dimension graded B, submitted and validated."""
    db = database(server)
    with db.session() as session:
        made = assessments.create(session, people["focal"], "SLE", year, "wddf-1.0")
        for _, _, dim in shipped().dimensions():
            given = AnswerInput(dim.id, "B", f"Code minier 2009, {dim.id}")
            assessments.save_answer(session, people["focal"], made.id, given, 0)
        workflow.transition(session, people["focal"], made.id, Action.SUBMIT)
        workflow.transition(session, people["reviewer"], made.id, Action.VALIDATE)
    db.dispose()


def _click_and_wait(page, button) -> None:
    button.click()
    wait_until_idle(page)


def test_9_french_journey_from_last_year_to_published(server, browser, people, tmp_path):
    year = next_year(server) + 1
    _validated_year(server, people, year - 1)
    focal = browser.new_context(
        locale="fr-FR",
        timezone_id="Africa/Lubumbashi",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    page = focal.new_page()
    sign_in(page, server.url, FOCAL, FOCAL_PASSWORD, lang="fr")
    page.get_by_role("heading", name="Mes évaluations").wait_for()
    page.get_by_role("spinbutton", name="Année").fill(str(year))
    page.get_by_text("Partir des réponses de l'an dernier").click()
    _click_and_wait(page, page.get_by_role("button", name="Créer"))
    page.get_by_role("heading", name=f"Sierra Leone · {year}").wait_for()
    aid = int(re.search(r"assessment=(\d+)", page.url).group(1))
    expect(card(page, "WD1.1.1").get_by_text("reprise, à confirmer").first).to_be_visible()
    expect(page.get_by_role("button", name="Soumettre pour examen")).to_be_disabled()

    _click_and_wait(page, page.get_by_role("button", name=re.compile("^Confirmer telles quelles")))
    expect(page.get_by_text(re.compile(r"^9 réponses reprises confirmées"))).to_be_visible()
    expect(card(page, "WD1.1.1").get_by_text("reprise, à confirmer")).to_have_count(0)

    box = card(page, "WD1.1.1")
    _click_and_wait(page, box.get_by_role("radiogroup").get_by_text("A", exact=True))
    now = datetime.now(ZoneInfo("Africa/Lubumbashi"))  # the browser's clock, not the server's
    clock = {(now - timedelta(minutes=m)).strftime("%H:%M") for m in (0, 1)}
    expect(box.get_by_text(re.compile(r"Enregistré à (\d\d:\d\d)"))).to_be_visible()
    shown = box.get_by_text(re.compile(r"Enregistré à")).inner_text()
    assert shown.split("à ")[-1].strip() in clock, shown
    box.get_by_text(re.compile(r"Fichiers de preuve \(0\)")).click()
    minutes = tmp_path / "proces-verbal.txt"
    minutes.write_text("Procès-verbal du panel, 12 mars", encoding="utf-8")
    box.locator("input[type=file]").set_input_files(str(minutes))
    wait_until_idle(page)
    expect(box.get_by_text("proces-verbal.txt enregistré.")).to_be_visible()
    expect(box.get_by_text(re.compile(r"Fichiers de preuve \(1\)"))).to_be_visible()
    with focal.expect_event("download") as arrived:
        box.get_by_role("link", name="Télécharger").click()
    saved = tmp_path / "downloaded.txt"
    arrived.value.save_as(saved)
    assert saved.read_text(encoding="utf-8") == "Procès-verbal du panel, 12 mars"

    db = database(server)
    with db.session() as session:  # the rest, as a user would, goal by goal: the answers carried
        # from 1.0 confirmed, the dimensions new in 1.1 and 1.2 graded
        carried = carry_over.states(session, people["focal"], aid)
        answered = {a.dimension_id for a in assessments.answers(session, people["focal"], aid)}
        for _, _, dim in shipped_editions()["wddf-1.2"].dimensions():
            if dim.id not in answered:
                given = AnswerInput(dim.id, "C", f"Rapport de terrain 2025, {dim.id}")
                assessments.save_answer(session, people["focal"], aid, given, 0)
        rest = [d for d in carried if not d.startswith("WD1.")]
        carry_over.confirm(session, people["focal"], aid, rest)
    page.reload()
    wait_until_idle(page)
    _click_and_wait(page, page.get_by_role("button", name="Soumettre pour examen"))
    expect(page.get_by_text("Soumise pour examen. Statut : soumise.")).to_be_visible()
    expect(page.get_by_text("● soumise")).to_be_visible()

    reviewer = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    review = reviewer.new_page()
    sign_in(review, server.url, REVIEWER, REVIEWER_PASSWORD)
    review.goto(f"{server.url}/review?assessment={aid}&lang=en")
    wait_until_idle(review)
    # Every page of the role is listed: no folded menu with Streamlit's untranslated "View more".
    sidebar = review.get_by_test_id("stSidebarNav")
    expect(sidebar.get_by_text(re.compile(r"^View \d+ more$"))).to_have_count(0)
    expect(sidebar.get_by_role("link", name="Questionnaire")).to_be_visible()
    expect(review.get_by_text("carried over, confirmed unchanged").first).to_be_visible()
    expect(review.get_by_text(re.compile(r"proces\-?verbal\.txt"))).to_be_visible()
    review.get_by_label("Reason (required to return or reopen)").fill("WD1.1.2: cite the decree.")
    _click_and_wait(review, review.get_by_role("button", name="Return to the country"))
    expect(
        review.get_by_text("Returned to the country with your reason.", exact=False)
    ).to_be_visible()

    page.reload()
    wait_until_idle(page)
    expect(page.get_by_text("WD1.1.2: cite the decree.", exact=True)).to_be_visible()
    justification = card(page, "WD1.1.2").get_by_label(
        "Justification : qu'est-ce qui fonde cette note ?"
    )
    justification.fill("Décret 2024/7, article 3")
    justification.press("Tab")
    wait_until_idle(page)
    expect(card(page, "WD1.1.2").get_by_text(re.compile(r"Enregistré à"))).to_be_visible()
    _click_and_wait(page, page.get_by_role("button", name="Soumettre pour examen"))
    expect(page.get_by_text("Soumise pour examen. Statut : soumise.")).to_be_visible()

    review.reload()
    wait_until_idle(review)
    changes = review.get_by_text("Changes since the previous submission")
    expect(changes).to_be_visible()
    expect(review.get_by_role("button", name="Complete the review")).to_be_visible()
    _click_and_wait(review, review.get_by_role("button", name="Complete the review"))
    expect(review.get_by_text("Review completed. Status: review completed.")).to_be_visible()
    reviewer.close()

    page.reload()
    wait_until_idle(page)
    _click_and_wait(page, page.get_by_role("button", name="Publier"))
    expect(page.get_by_text(re.compile(r"^Publiée : "))).to_be_visible()
    expect(page.get_by_text("● publiée")).to_be_visible()
    page.screenshot(path=str(tmp_path / "published.png"), full_page=False)
    focal.close()
    with db.session() as session:
        changed = workflow.changes_since_previous_submission(session, SYSTEM, aid)
    db.dispose()
    assert ("WD1.1.2", "justification") in {(c.dimension_id, c.field) for c in changed}

    donor = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    seen = donor.new_page()
    sign_in(seen, server.url, DONOR, DONOR_PASSWORD)
    seen.goto(f"{server.url}/profile?assessment={aid}&lang=en")
    wait_until_idle(seen)
    expect(seen.get_by_text(re.compile(rf"Sierra Leone, {year}: overall score"))).to_be_visible()
    donor.close()


def test_10_a_panel_member_grades_for_their_group_in_portuguese(server, browser, people, graded):
    context = browser.new_context(locale="pt-PT", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, PANELIST, PANELIST_PASSWORD, lang="pt")
    page.goto(graded.url(server, "pt"))
    wait_until_idle(page)
    expect(page.get_by_text(re.compile("Sociedade civil"))).to_be_visible()
    box = card(page, "WD1.1.1")
    expect(box.get_by_text("Classificação de consenso (só leitura): B")).to_be_visible()
    _click_and_wait(page, box.get_by_role("radiogroup").get_by_text("D", exact=True))
    expect(box.get_by_text(re.compile(r"Gravado às \d\d:\d\d"))).to_be_visible()
    page.reload()
    wait_until_idle(page)
    expect(card(page, "WD1.1.1").get_by_role("radio", name="D", exact=True)).to_be_checked()
    context.close()
    db = database(server)
    with db.session() as session:
        mine = assessments.answers(session, SYSTEM, graded.id, "civil_society")
        agreed = {a.dimension_id: a.grade for a in assessments.answers(session, SYSTEM, graded.id)}
    db.dispose()
    assert [(a.dimension_id, a.grade) for a in mine] == [("WD1.1.1", "D")]
    assert agreed["WD1.1.1"] == "B"  # the consensus is untouched
