"""AppTest: what each page does, checked in the database as a user would check it afterwards."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.app.conftest import app_for, fresh_draft
from tests.conftest import shipped
from wddf.domain import Action, Status
from wddf.errors import ErrorCode, Invalid
from wddf.i18n import t
from wddf.services.accounts import MIN_PASSWORD_LENGTH
from wddf.services.actor import SYSTEM
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments, demo
from wddf.services.documents import reports
from wddf.services.review import workflow


@pytest.fixture
def draft(app_db, app_people):
    """A fresh Sierra Leone draft for each test, in a year no other test uses."""
    return fresh_draft(app_db, app_people["focal"])


def stored(app_db, assessment_id, group="consensus"):
    with app_db.session() as session:
        return {
            a.dimension_id: a for a in assessments.answers(session, SYSTEM, assessment_id, group)
        }


def test_changing_a_grade_saves_it_at_once_and_shows_the_time(app_db, app_people, draft):
    at = app_for(app_people["focal"], "fr", page="entry", assessment=str(draft))
    at.radio(key=f"grade:{draft}:WD1.1.1:consensus").set_value("B").run()
    at.text_area(key=f"justification:{draft}:WD1.1.1:consensus").set_value(
        "Code minier, art. 12"
    ).run()
    answer = stored(app_db, draft)["WD1.1.1"]
    assert (answer.grade, answer.justification, answer.row_version) == (
        "B",
        "Code minier, art. 12",
        2,
    )
    assert any("Enregistré à" in c.value for c in at.caption)


def test_a_stale_save_shows_the_other_persons_answer_and_overwrites_nothing(
    app_db, app_people, draft
):
    at = app_for(app_people["focal"], "en", page="entry", assessment=str(draft))
    with app_db.session() as session:
        given = AnswerInput("WD1.2.1", "A", "Their evidence")
        assessments.save_answer(session, app_people["admin"], draft, given, 0)
    at.radio(key=f"grade:{draft}:WD1.2.1:consensus").set_value("D").run()
    assert any("app-admin saved this answer at" in e.value for e in at.error), (
        at.error,
        at.exception,
    )
    assert any("Their answer: A" in m.value.replace("\\", "") for m in at.markdown)
    assert stored(app_db, draft)["WD1.2.1"].grade == "A"
    at.button(key=f"take:{draft}:WD1.2.1:consensus").click().run()
    assert at.radio(key=f"grade:{draft}:WD1.2.1:consensus").value == "A"


def test_a_panelist_grades_under_their_group_beside_the_consensus(app_db, app_people, draft):
    at = app_for(app_people["panelist"], "en", page="entry", assessment=str(draft))
    at.radio(key=f"grade:{draft}:WD1.1.1:civil_society").set_value("D").run()
    assert stored(app_db, draft, "civil_society")["WD1.1.1"].grade == "D"
    assert "WD1.1.1" not in stored(app_db, draft)


def test_na_asks_for_a_reason(app_people, draft):
    at = app_for(app_people["focal"], "en", page="entry", assessment=str(draft), goal="WD2")
    at.radio(key=f"grade:{draft}:WD2.3.2:consensus").set_value("NA").run()
    assert (
        at.text_area(key=f"justification:{draft}:WD2.3.2:consensus").label
        == "Reason why this dimension does not apply"
    )


def test_checklist_blocks_submission_until_complete_then_submits(app_db, app_people, draft):
    at = app_for(app_people["focal"], "en", page="entry", assessment=str(draft))
    assert at.button(key=f"do-submit-{draft}").disabled
    with app_db.session() as session:
        for _, _, dim in shipped().dimensions():
            assessments.save_answer(
                session, app_people["focal"], draft, AnswerInput(dim.id, "C", "Seen"), 0
            )
    at = app_for(app_people["focal"], "en", page="entry", assessment=str(draft))
    at.button(key=f"do-submit-{draft}").click().run()
    with app_db.session() as session:
        assert assessments.get(session, SYSTEM, draft).status == Status.SUBMITTED.value


def test_reviewer_returns_with_a_required_comment(app_db, app_people, draft):
    with app_db.session() as session:
        for _, _, dim in shipped().dimensions():
            assessments.save_answer(
                session, app_people["focal"], draft, AnswerInput(dim.id, "C", "Seen"), 0
            )
        workflow.transition(session, app_people["focal"], draft, Action.SUBMIT)
    at = app_for(app_people["reviewer"], "en", page="review", assessment=str(draft))
    at.button(key=f"do-return-{draft}").click().run()
    assert any("A comment is required." in e.value for e in at.error)
    at.text_area(key=f"reason-{draft}").set_value("Cite the decree for WD1.1.1").run()
    at.button(key=f"do-return-{draft}").click().run()
    with app_db.session() as session:
        assert assessments.get(session, SYSTEM, draft).status == Status.RETURNED.value
        assert [c.body for c in workflow.comments(session, SYSTEM, draft)] == [
            "Cite the decree for WD1.1.1"
        ]


def test_a_comment_is_shown_as_typed_never_as_a_link_or_an_image(app_db, app_people, draft):
    hostile = "[click to re-login](https://evil.example/login) ![](https://evil.example/t.png)"
    with app_db.session() as session:
        for _, _, dim in shipped().dimensions():
            assessments.save_answer(
                session, app_people["focal"], draft, AnswerInput(dim.id, "C", "Seen"), 0
            )
        workflow.transition(session, app_people["focal"], draft, Action.SUBMIT)
        workflow.add_comment(session, app_people["reviewer"], draft, hostile, "WD1.1.1")
        workflow.transition(session, app_people["reviewer"], draft, Action.RETURN, "See WD1.1.1")
    review = app_for(app_people["reviewer"], "en", page="review", assessment=str(draft))
    entry = app_for(app_people["focal"], "en", page="entry", assessment=str(draft))
    for at in (review, entry):
        texts = [m.value for m in at.markdown] + [w.value for w in at.warning]
        shown = [text for text in texts if "click to re" in text]
        assert shown  # on the review page; on the entry page in the list and on its card
        for text in shown:
            assert "](" not in text.replace("\\]\\(", "")  # every bracket is escaped
            assert "\\[click to re\\-login\\]" in text


def test_admin_creates_a_user_and_a_weak_password_is_refused(app_db, app_people):
    at = app_for(app_people["admin"], "en", page="admin")
    at.text_input(key="nu-name").set_value("new-donor")
    at.selectbox(key="nu-role").set_value("donor")
    at.text_input(key="nu-password").set_value("short")
    at.button(key="FormSubmitter:new-user-Create user").click().run()
    assert any("at least 10 characters" in e.value for e in at.error)
    at.text_input(key="nu-name").set_value("new-donor")
    at.selectbox(key="nu-role").set_value("donor")
    at.text_input(key="nu-password").set_value("A-good-donor-pass-9")
    at.button(key="FormSubmitter:new-user-Create user").click().run()
    assert any("User new-donor created." in s.value for s in at.success)


def test_downloads_give_a_donor_published_results_only(app_db, app_people):
    with app_db.session() as session:
        demo.load(session, SYSTEM, countries=3, years=3, seed=1)  # the oldest year is published
    at = app_for(app_people["donor"], "en", page="downloads")
    assert not at.exception
    [workbook, package, word, pdf] = at.get("link_button")
    assert workbook.proto.label == "Donor workbook (Excel)"
    assert workbook.proto.url == "/wddf/download/workbook?lang=en"
    assert package.proto.label.startswith("Tidy data")
    assert package.proto.url == "/wddf/download/package?lang=en"
    # the country report: of a published assessment, as Word and as PDF
    with app_db.session() as session:
        published = {
            str(a.id)
            for a in assessments.visible(session, app_people["donor"])
            if a.status == "published"
        }
    offered = at.selectbox(key="downloads-report-assessment")
    assert len(offered.options) == len(published)
    assert all(" · published" in label for label in offered.options)
    assert word.proto.label == "Country report (Word, editable)"
    assert word.proto.url == f"/wddf/download/report?lang=en&assessment={offered.value}"
    assert pdf.proto.url == f"/wddf/download/report?lang=en&assessment={offered.value}&format=pdf"
    assert str(offered.value) in published
    with app_db.session() as session:
        content = reports.donor_workbook(session, app_people["donor"], "en")
    rows = load_workbook(io.BytesIO(content))["Summary"].iter_rows(min_row=2, values_only=True)
    statuses = {r[3] for r in rows if r[0] and isinstance(r[2], int)}
    assert {s.removesuffix(" · DEMO") for s in statuses} == {"published"}  # demo rows say so


def test_offline_panel_offers_the_questionnaire_of_this_assessment(app_people, draft):
    at = app_for(app_people["focal"], "en", page="entry", assessment=str(draft))
    assert not at.exception
    links = {b.proto.label: b.proto.url for b in at.get("link_button")}
    assert links["Download the offline questionnaire"] == (
        f"/wddf/download/offline?lang=en&assessment={draft}"
    )


REVOKED = """
import streamlit as st
from wddf.domain import Role
from wddf.services.actor import Actor
from wddf.ui.app_pages import entry
from wddf.ui.context import PageContext
from wddf.ui.database import database
from wddf.ui.main import pages_for
ctx = PageContext("en", Actor({id!r}, "app-focal", Role.FOCAL_POINT, "SLE"), database(),
                  resolve=lambda: None)  # the browser's session was revoked after drawing
st.navigation(pages_for(ctx, False), position="hidden")
try:
    entry.render(ctx)
finally:
    ctx.end_reads()
"""


def test_an_open_tab_of_a_revoked_session_saves_nothing(app_db, app_people, draft):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(REVOKED.format(id=app_people["focal"].id), default_timeout=30)
    at.query_params["assessment"] = str(draft)
    at.run()
    at.radio(key=f"grade:{draft}:WD1.1.1:consensus").set_value("A").run()
    assert any("Your session has ended" in e.value for e in at.error)
    with app_db.session() as session:
        assert assessments.answers(session, SYSTEM, draft) == []


def test_a_refusal_is_said_in_the_page_language_and_keeps_what_was_typed(app_db, app_people):
    """Every page shows refusals through ``ctx.attempt``: translated, where the user clicked;
    the new-user form keeps what was typed after a refusal (it is not cleared on submit), starts
    with no role, and is emptied once the account is made."""
    at = app_for(app_people["admin"], "fr", page="admin")
    create = f"FormSubmitter:new-user-{t('admin.create_user', 'fr')}"
    assert at.selectbox(key="nu-role").value is None  # no privileged default
    at.text_input(key="nu-name").set_value("nouveau-donateur")
    at.text_input(key="nu-password").set_value("Un-mot-de-passe-sur-9")
    at.button(key=create).click().run()
    assert [e.value for e in at.error] == [Invalid(ErrorCode.ROLE_REQUIRED).message("fr")]
    at.selectbox(key="nu-role").set_value("donor")
    at.text_input(key="nu-password").set_value("court")
    at.button(key=create).click().run()
    expected = Invalid(ErrorCode.WEAK_PASSWORD_SHORT, minimum=MIN_PASSWORD_LENGTH).message("fr")
    assert [e.value for e in at.error] == [expected]
    assert at.text_input(key="nu-name").value == "nouveau-donateur"
    assert at.selectbox(key="nu-role").value == "donor"
    at.text_input(key="nu-password").set_value("Un-mot-de-passe-sur-9")
    at.button(key=create).click().run()
    assert not at.error  # the form is drawn anew, empty, under its next round's keys
    assert at.text_input(key="nu-name~1").value == ""
    assert at.selectbox(key="nu-role~1").value is None
