"""What each role sees of the journey: carried-over answers to confirm, the panelist's own group
beside the consensus, and the reviewer's view of everything that backs a grade."""

from __future__ import annotations

import pytest

from tests.app.conftest import app_for, fresh_draft
from tests.conftest import shipped
from wddf.domain import Action, Status
from wddf.services.actor import SYSTEM
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments, carry_over, evidence
from wddf.services.review import workflow
from wddf.storage.tables import Assessment


def _grade_all(app_db, actor, aid, grade="C", justification="Seen"):
    with app_db.session() as session:
        for _, _, dim in shipped().dimensions():
            assessments.save_answer(
                session, actor, aid, AnswerInput(dim.id, grade, justification), 0
            )


@pytest.fixture
def carried(app_db, app_people):
    """A validated year, then the next year started from it: every answer still to confirm."""
    focal = app_people["focal"]
    last = fresh_draft(app_db, focal)
    _grade_all(app_db, focal, last, "B", "Mining Act 2009, art. 12")
    with app_db.session() as session:
        workflow.transition(session, focal, last, Action.SUBMIT)
        workflow.transition(session, app_people["reviewer"], last, Action.VALIDATE)
        year = session.get(Assessment, last).year
        return carry_over.create_from_last_year(session, focal, "SLE", year + 1, "wddf-1.0").id


def test_carried_over_cards_ask_to_be_confirmed_and_a_goal_is_confirmed_at_once(
    app_db, app_people, carried
):
    at = app_for(app_people["focal"], "en", page="entry", assessment=str(carried))
    assert not at.exception
    goal = shipped().goals[0]
    count = sum(len(i.dimensions) for i in goal.indicators)
    assert any(f"{goal.id} 0/{count}" in c.value for c in at.caption)
    warnings = [w.value for w in at.warning]
    assert any("Carried over from last year, to confirm" in w for w in warnings)
    assert not any(c.value.startswith("✓ Saved") for c in at.caption)
    assert any(c.value == "carried over, to confirm" for c in at.caption)
    assert at.button(key=f"do-submit-{carried}").disabled
    at.button(key=f"confirm-goal-{goal.id}").click().run()
    assert any(f"{count} carried-over answers confirmed." in s.value for s in at.success)
    assert any(f"{goal.id} {count}/{count}" in c.value for c in at.caption)
    with app_db.session() as session:
        states = carry_over.states(session, SYSTEM, carried)
    assert sum(s == "confirmed_in_bulk" for s in states.values()) == count  # the goal's button
    # a confirmed card saves again without a conflict
    first = goal.indicators[0].dimensions[0].id
    at.radio(key=f"grade:{carried}:{first}:consensus").set_value("A").run()
    assert not at.error
    with app_db.session() as session:
        graded = {a.dimension_id: a.grade for a in assessments.answers(session, SYSTEM, carried)}
    assert graded[first] == "A"
    # the reviewer reads how much was confirmed as is, and how much with one click per goal
    with app_db.session() as session:
        session.get(Assessment, carried).status = Status.SUBMITTED.value
    review = app_for(app_people["reviewer"], "fr", page="review", assessment=str(carried))
    said = f"{count - 1} réponses ont été confirmées telles quelles depuis l'an dernier, dont "
    said += f"{count - 1} avec tout un objectif à la fois"
    assert any(said in m.value for m in review.markdown)


def test_a_panelist_sees_their_group_their_checklist_and_the_consensus(app_db, app_people):
    draft = fresh_draft(app_db, app_people["focal"])
    with app_db.session() as session:
        given = AnswerInput("WD1.1.1", "B", "Agreed at the panel")
        assessments.save_answer(session, app_people["focal"], draft, given, 0)
        own = AnswerInput("WD1.1.1", "D", "Not applied in Kono", group="civil_society")
        assessments.save_answer(session, app_people["panelist"], draft, own, 0)
    at = app_for(app_people["panelist"], "pt", page="entry", assessment=str(draft))
    assert not at.exception
    assert any("Sociedade civil" in i.value for i in at.info)
    assert at.radio(key=f"grade:{draft}:WD1.1.1:civil_society").value == "D"
    captions = [c.value for c in at.caption]
    assert "Classificação de consenso (só leitura): B" in captions
    total = len(shipped().dimensions())
    assert any(e.label == f"Antes de submeter ({total - 1})" for e in at.expander)
    assert not [b for b in at.button if b.key and b.key.startswith("do-")]


def test_the_reviewer_sees_files_panels_last_year_and_what_changed(app_db, app_people, carried):
    focal, reviewer = app_people["focal"], app_people["reviewer"]
    dims = [d.id for _, _, d in shipped().dimensions()]
    with app_db.session() as session:
        carry_over.confirm(session, focal, carried, dims)
        own = AnswerInput("WD1.1.1", "C", "Seen in Kono", group="civil_society")
        assessments.save_answer(session, app_people["panelist"], carried, own, 0)
        evidence.add_file(session, focal, carried, "WD1.1.1", "minutes.txt", b"Panel minutes")
        workflow.transition(session, focal, carried, Action.SUBMIT)
        workflow.transition(session, reviewer, carried, Action.RETURN, "Cite the 2024 decree")
        current = {a.dimension_id: a for a in assessments.answers(session, focal, carried)}
        changed = AnswerInput("WD1.1.2", "B", "Decree 2024/7", "Gazette no. 12")
        assessments.save_answer(session, focal, carried, changed, current["WD1.1.2"].row_version)
        workflow.transition(session, focal, carried, Action.SUBMIT)
        note = workflow.add_comment(session, reviewer, carried, "Which district?", "WD1.1.1")
    at = app_for(reviewer, "en", page="review", assessment=str(carried))
    assert not at.exception
    markdown = " ".join(m.value for m in at.markdown)
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # as a reader sees it
    assert "carried over, confirmed unchanged" in markdown
    assert "Last year (" in captions and "): B" in captions
    assert "Civil society: C" in captions
    assert "minutes.txt" in captions
    assert any(b.label == "Download" for b in at.get("link_button"))
    changes = next(d.value for d in at.dataframe if "Field" in d.value.columns)
    rows = {(r["Dimension"], r["Field"]): (r["Before"], r["After"]) for _, r in changes.iterrows()}
    assert rows == {
        ("WD1.1.2", "justification"): ("Mining Act 2009, art. 12", "Decree 2024/7"),
        ("WD1.1.2", "evidence"): ("–", "Gazette no. 12"),
    }
    at.button(key=f"resolve-{note.id}").click().run()
    with app_db.session() as session:
        assert [
            c.resolved for c in workflow.comments(session, SYSTEM, carried) if c.id == note.id
        ] == [True]
    assert at.button(key=f"resolve-{note.id}").label == "Reopen"
    at.button(key=f"do-validate-{carried}").click().run()
    assert any("Review completed. Status: review completed." in s.value for s in at.success)
    with app_db.session() as session:
        assert session.get(Assessment, carried).status == Status.VALIDATED.value


def test_the_checklist_leads_to_a_missing_item(app_db, app_people):
    draft = fresh_draft(app_db, app_people["focal"])
    at = app_for(app_people["focal"], "fr", page="entry", assessment=str(draft))
    assert at.selectbox(key="entry-goal").value == "WD1"
    at.selectbox(key=f"go-to-{draft}").set_value("WD3.2.1").run()
    assert not at.exception
    assert at.selectbox(key="entry-goal").value == "WD3"
    assert at.radio(key=f"grade:{draft}:WD3.2.1:consensus").value is None
    assert at.selectbox(key=f"go-to-{draft}").value is None  # ready for the next item
    at.radio(key=f"grade:{draft}:WD3.2.1:consensus").set_value("C").run()
    for goal in ("WD1", "WD3"):  # away and back: the cards draw again from what is stored
        at.selectbox(key="entry-goal").set_value(goal).run()
        assert not at.exception, goal
    assert at.radio(key=f"grade:{draft}:WD3.2.1:consensus").value == "C"


def test_a_save_the_database_did_not_take_is_never_shown_as_saved(app_db, app_people, monkeypatch):
    from sqlalchemy.exc import OperationalError

    draft = fresh_draft(app_db, app_people["focal"])
    at = app_for(app_people["focal"], "en", page="entry", assessment=str(draft))

    def database_gone(*args, **kwargs):
        raise OperationalError("UPDATE answers", {}, Exception("server closed the connection"))

    monkeypatch.setattr(assessments, "save_answer", database_gone)
    at.text_area(key=f"justification:{draft}:WD1.1.1:consensus").set_value("Decree 2024/7").run()
    assert not at.exception
    assert any("this change is not saved" in e.value for e in at.error)
    card_captions = [c.value for c in at.caption if "Saved" in c.value]
    assert card_captions == []
    with app_db.session() as session:
        assert assessments.answers(session, SYSTEM, draft) == []


def test_after_reopening_the_review_page_stays_on_the_assessment_and_says_so(
    app_db, app_people, carried
):
    """An administrator reopens a validated year on the review page: the page keeps showing that
    assessment, now a draft, with the confirmation where they clicked."""
    with app_db.session() as session:
        last = carry_over.previous_of(session, session.get(Assessment, carried)).id
    at = app_for(app_people["admin"], "en", page="review", assessment=str(last))
    assert at.selectbox(key="review-assessment").value == last
    at.text_area(key=f"reason-{last}").set_value("A figure was misread")
    at.button(key=f"do-reopen-{last}").click().run()
    assert not at.exception and not at.error
    assert at.selectbox(key="review-assessment").value == last
    assert any("draft" in s.value for s in at.success)
