"""The workflow: who may take each step, from which status, and what it requires."""

from __future__ import annotations

import pytest

from tests.conftest import shipped
from tests.storage.helpers import answer_all, new_assessment
from wddf.config import get_settings
from wddf.domain import Action, Status
from wddf.errors import ErrorCode, Invalid, NotAllowed, NotFound, TransitionRefused
from wddf.i18n import t
from wddf.services import audit
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments
from wddf.services.documents import country_report
from wddf.services.review import workflow
from wddf.storage.tables import Assessment


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


def _step(db, actor, aid, action, comment=""):
    with db.session() as session:
        return workflow.transition(session, actor, aid, action, comment)


def test_separation_of_duties_one_person_cannot_submit_validate_and_publish_alone(db, people):
    admin = people["admin"]
    aid = new_assessment(db, admin)
    answer_all(db, admin, aid)
    _step(db, admin, aid, Action.SUBMIT)
    with pytest.raises(NotAllowed) as refused:
        _step(db, admin, aid, Action.VALIDATE)
    assert refused.value.code is ErrorCode.SAME_PERSON
    assert t("workflow.action.submit", "fr") in refused.value.message("fr")
    _step(db, people["reviewer"], aid, Action.VALIDATE)  # someone else validates
    _step(db, admin, aid, Action.PUBLISH)  # the admin did not validate: may publish
    with db.session() as session:
        assert session.get(Assessment, aid).status == Status.PUBLISHED.value


def test_an_administrator_overrides_with_a_written_reason_which_is_kept(db, people):
    admin = people["admin"]
    aid = new_assessment(db, admin)
    answer_all(db, admin, aid)
    _step(db, admin, aid, Action.SUBMIT)
    _step(db, admin, aid, Action.VALIDATE, "The reviewer is away; agreed by the secretariat")
    with pytest.raises(NotAllowed):
        _step(db, admin, aid, Action.PUBLISH)  # validated it: no publication without a reason
    _step(db, admin, aid, Action.PUBLISH, "Published for the plenary, as agreed")
    with db.session() as session:
        entries = audit.entries(session, "assessment", str(aid))
        steps = workflow.timeline(session, admin, aid)
    overridden = [e["action"] for e in entries if (e["new"] or {}).get("override")]
    assert overridden == ["validate", "publish"]
    assert [s.comment for s in steps if s.action == "publish"] == [
        "Published for the plenary, as agreed"
    ]
    assert [s.action for s in steps if s.override] == ["validate", "publish"]
    with db.session() as session:  # the report to WGAAP says so, beside the reason
        report = country_report.gather(session, admin, session.get(Assessment, aid), "fr")
    overridden = report.steps["step"].str.contains(t("workflow.override", "fr"), regex=False)
    said = report.steps[overridden]
    assert list(said["comment"]) == [
        "The reviewer is away; agreed by the secretariat",
        "Published for the plenary, as agreed",
    ]


def test_separation_of_duties_can_be_turned_off(db, people, monkeypatch):
    monkeypatch.setenv("WDDF_SEPARATION_OF_DUTIES", "false")
    get_settings.cache_clear()
    try:
        admin = people["admin"]
        aid = new_assessment(db, admin)
        answer_all(db, admin, aid)
        for action in (Action.SUBMIT, Action.VALIDATE, Action.PUBLISH):
            _step(db, admin, aid, action)
    finally:
        get_settings.cache_clear()
    with db.session() as session:
        assert session.get(Assessment, aid).status == Status.PUBLISHED.value
