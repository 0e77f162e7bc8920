"""The workflow: who may take each step, from which status, and what it requires."""

from __future__ import annotations

import pytest

from tests.conftest import shipped
from tests.storage.helpers import answer_all, new_assessment
from wddf.domain import Action, Status
from wddf.errors import Invalid, NotAllowed, NotFound, TransitionRefused
from wddf.services import audit
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments
from wddf.services.review import workflow


def step(db, actor, aid, action, comment=""):
    with db.session() as session:
        return Status(workflow.transition(session, actor, aid, action, comment).status)


def test_the_whole_path_from_draft_to_published(db, people):
    aid = new_assessment(db, people["focal"])
    answer_all(db, people["focal"], aid)
    assert step(db, people["focal"], aid, Action.SUBMIT) is Status.SUBMITTED
    assert step(db, people["reviewer"], aid, Action.START_REVIEW) is Status.IN_REVIEW
    assert (
        step(db, people["reviewer"], aid, Action.RETURN, "WD1.1.1: cite the decree")
        is Status.RETURNED
    )
    with db.session() as session:
        notes = [c.body for c in workflow.comments(session, people["focal"], aid)]
    assert notes == ["WD1.1.1: cite the decree"]
    assert step(db, people["focal"], aid, Action.SUBMIT) is Status.SUBMITTED
    assert step(db, people["reviewer"], aid, Action.VALIDATE) is Status.VALIDATED
    with db.session() as session, pytest.raises(NotFound):
        assessments.get(session, people["donor"], aid)
    assert step(db, people["focal"], aid, Action.PUBLISH) is Status.PUBLISHED
    with db.session() as session:
        assert assessments.get(session, people["donor"], aid).id == aid
        entries = audit.entries(session, "assessment", str(aid))
    assert [e["action"] for e in entries][1:] == [
        "submit",
        "start_review",
        "return",
        "submit",
        "validate",
        "publish",
    ]


def test_submission_needs_every_dimension_graded_and_justified(db, people):
    aid = new_assessment(db, people["focal"])
    with db.session() as session:
        assessments.save_answer(session, people["focal"], aid, AnswerInput("WD1.1.1", "A", ""), 0)
        missing = workflow.missing_items(session, assessments.get(session, people["focal"], aid))
    assert len(missing) == len(shipped().dimensions())  # every dimension
    assert workflow.Missing("WD1.1.1", "no_justification") in missing
    with pytest.raises(TransitionRefused) as refused:
        step(db, people["focal"], aid, Action.SUBMIT)
    assert refused.value.code == "incomplete"


def test_na_needs_a_reason_before_submission(db, people):
    aid = new_assessment(db, people["focal"])
    answer_all(db, people["focal"], aid)
    with db.session() as session:
        [row] = [
            a
            for a in assessments.answers(session, people["focal"], aid)
            if a.dimension_id == "WD2.3.2"
        ]
        assessments.save_answer(
            session, people["focal"], aid, AnswerInput("WD2.3.2", "NA", "  "), row.row_version
        )
        missing = workflow.missing_items(session, assessments.get(session, people["focal"], aid))
    assert missing == [workflow.Missing("WD2.3.2", "na_without_reason")]


def test_returning_needs_a_comment_and_validation_locks(db, people):
    aid = new_assessment(db, people["focal"], status=Status.SUBMITTED)
    with pytest.raises(Invalid):
        step(db, people["reviewer"], aid, Action.RETURN, "   ")
    step(db, people["reviewer"], aid, Action.VALIDATE)
    with db.session() as session, pytest.raises(NotAllowed) as locked:
        assessments.save_answer(session, people["focal"], aid, AnswerInput("WD1.1.1", "A", "x"), 0)
    assert locked.value.code == "locked_status"


def test_reopening_needs_an_admin_and_a_reason(db, people):
    aid = new_assessment(db, people["focal"], status=Status.VALIDATED)
    with pytest.raises(NotAllowed):
        step(db, people["reviewer"], aid, Action.REOPEN, "typo")
    with pytest.raises(Invalid):
        step(db, people["admin"], aid, Action.REOPEN, "")
    assert step(db, people["admin"], aid, Action.REOPEN, "Wrong year entered") is Status.DRAFT


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.DRAFT, Action.VALIDATE),
        (Status.DRAFT, Action.PUBLISH),
        (Status.PUBLISHED, Action.SUBMIT),
        (Status.RETURNED, Action.VALIDATE),
        (Status.SUBMITTED, Action.PUBLISH),
    ],
)
def test_transitions_not_allowed_from_the_current_status(db, people, status, action):
    aid = new_assessment(db, people["focal"], status=status)
    with pytest.raises(TransitionRefused):
        step(db, people["admin"], aid, action, "reason")
    with db.session() as session:
        assert assessments.get(session, people["admin"], aid).status == status.value


def test_publishing_is_the_countrys_choice(db, people):
    aid = new_assessment(db, people["focal"], status=Status.VALIDATED)
    with pytest.raises(NotAllowed):
        step(db, people["reviewer"], aid, Action.PUBLISH)
    with pytest.raises((NotAllowed, NotFound)):
        step(db, people["other_focal"], aid, Action.PUBLISH)
