"""A matrix of role × action × own or other country × status: nothing leaks."""

from __future__ import annotations

import pytest

from tests.storage.helpers import new_assessment
from wddf.domain import Status
from wddf.errors import NotAllowed, NotFound, ServiceError
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments
from wddf.services.review import workflow

ROLES = ["admin", "focal", "panelist", "reviewer", "donor"]
STATUSES = list(Status)


def expected_read(role: str, own: bool, status: Status) -> bool:
    return {
        "admin": True,
        "focal": own,
        "panelist": own,
        "reviewer": status is not Status.DRAFT,
        "donor": status is Status.PUBLISHED,
    }[role]


def expected_write(role: str, own: bool, status: Status, group: str) -> bool:
    editable = status in (Status.DRAFT, Status.RETURNED)
    return (
        editable
        and {
            "admin": True,
            "focal": own,
            "panelist": own and group == "civil_society",
            "reviewer": False,
            "donor": False,
        }[role]
    )


@pytest.fixture
def assessments_by_status(db, people):
    """For every status, one Sierra Leone (own) and one Guyana (other) assessment."""
    out = {}
    for year, status in enumerate(STATUSES, start=2010):
        out[(status, True)] = new_assessment(db, people["admin"], "SLE", year, status)
        out[(status, False)] = new_assessment(db, people["admin"], "GUY", year, status)
    return out


def can(service, *args) -> bool:
    """True when the service call is allowed, False when refused as forbidden or unseen."""
    try:
        service(*args)
    except (NotAllowed, NotFound):
        return False
    return True


@pytest.mark.parametrize("role", ROLES)
def test_read_and_write_matrix(db, people, assessments_by_status, role):
    actor = people[role]
    for (status, own), assessment_id in assessments_by_status.items():
        with db.session() as session:
            readable = can(assessments.get, session, actor, assessment_id)
            listed = assessment_id in {a.id for a in assessments.visible(session, actor)}
        assert readable == listed == expected_read(role, own, status), (role, status, own)
        for group in ("consensus", "civil_society", "government"):
            with db.session() as session:
                given = AnswerInput("WD1.1.1", "B", justification="x", group=group)
                wrote = can(assessments.save_answer, session, actor, assessment_id, given, 0)
            assert wrote == expected_write(role, own, status, group), (role, status, own, group)


@pytest.mark.parametrize("role", ROLES)
def test_creating_assessments(db, people, role):
    for country, own in (("SLE", True), ("GUY", False)):
        with db.session() as session:
            made = can(assessments.create, session, people[role], country, 2030, "wddf-1.0")
        assert made == (role == "admin" or (role == "focal" and own)), (role, country)


@pytest.mark.parametrize("role", ROLES)
def test_review_actions(db, people, role, assessments_by_status):
    submitted_own = assessments_by_status[(Status.SUBMITTED, True)]
    with db.session() as session:
        try:
            workflow.transition(session, people[role], submitted_own, workflow.Action.VALIDATE)
            validated = True
        except ServiceError:
            validated = False
    assert validated == (role in ("admin", "reviewer"))


def test_hidden_assessment_looks_missing_not_forbidden(db, people, assessments_by_status):
    """A donor asking for a draft learns nothing about it, not even that it exists."""
    with db.session() as session, pytest.raises(NotFound):
        assessments.get(session, people["donor"], assessments_by_status[(Status.DRAFT, True)])
    with db.session() as session, pytest.raises(NotFound):
        assessments.history(
            session, people["other_focal"], assessments_by_status[(Status.DRAFT, True)], "WD1.1.1"
        )


@pytest.mark.parametrize("role", ROLES)
def test_review_comments_are_read_by_reviewers_and_the_country_not_by_donors(
    db, people, assessments_by_status, role
):
    published = assessments_by_status[(Status.PUBLISHED, True)]
    with db.session() as session:
        workflow.add_comment(session, people["reviewer"], published, "Cite the 2019 decree")
    with db.session() as session:
        if role == "donor":
            with pytest.raises(NotAllowed):
                workflow.comments(session, people[role], published)
        else:
            bodies = [c.body for c in workflow.comments(session, people[role], published)]
            assert bodies == ["Cite the 2019 decree"]
