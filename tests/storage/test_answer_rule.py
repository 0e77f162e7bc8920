"""One rule says who writes an answer (``answer_rules.may_write``), and every path that saves an
answer keeps it: the hot path's guarded statements (a new answer and a changed one), the checked
path that reads first, and ``authz.require_answer_write``. The whole matrix of roles, statuses,
countries and groups runs through each path, on both databases; nothing is kept."""

from __future__ import annotations

from itertools import product

import pytest
from sqlalchemy.orm import Session

from tests.storage.helpers import new_assessment, set_status
from wddf.domain import CONSENSUS, Group, Status
from wddf.errors import ServiceError
from wddf.services import audit, authz
from wddf.services.answer_rules import AnswerInput, answer_key, may_write
from wddf.services.answers import assessments, autosave
from wddf.storage.tables import Assessment

ANSWERED = "WD1.1.1"  # every group has an answer here (row version 1): the update path
NEW = "WD1.1.2"  # nobody has: the insert path
GROUPS = [CONSENSUS, Group.CIVIL_SOCIETY.value, Group.INDUSTRY.value]
PEOPLE = ["admin", "focal", "other_focal", "panelist", "reviewer", "donor"]


@pytest.fixture
def by_status(db, people) -> dict[Status, int]:
    """A Sierra Leone assessment in every status, each with an answer of every group at
    ``ANSWERED``."""
    made = {}
    for year, status in enumerate(Status, start=2010):
        made[status] = new_assessment(db, people["admin"], year=year)
        with db.session() as session:
            for group in GROUPS:
                given = AnswerInput(ANSWERED, "C", "Seen", group=group)
                assessments.save_answer(session, people["admin"], made[status], given, 0)
        set_status(db, made[status], status)
    return made


def _hot_path_writes(session: Session, actor, assessment_id: int, dimension: str, group: str):
    seen = 1 if dimension == ANSWERED else 0
    given = AnswerInput(dimension, "B", "Rule", group=group)
    key = answer_key(assessment_id, dimension, group)
    write = autosave.guarded(actor, assessment_id, given, seen, audit.now(), key)
    return autosave.save(session, write) is not None


def _checked_path_writes(session: Session, actor, assessment_id: int, dimension: str, group: str):
    seen = 1 if dimension == ANSWERED else 0
    given = AnswerInput(dimension, "B", "Rule", group=group)
    try:
        assessments._checked_save(session, actor, assessment_id, given, seen)
    except ServiceError:
        return False
    return True


def _authz_allows(session: Session, actor, assessment_id: int, dimension: str, group: str):
    try:
        authz.require_answer_write(actor, session.get(Assessment, assessment_id), group)
    except ServiceError:
        return False
    return True


PATHS = {
    "hot path": _hot_path_writes,
    "checked path": _checked_path_writes,
    "authz": _authz_allows,
}


def test_every_path_that_writes_an_answer_keeps_the_one_rule(db, people, by_status):
    disagreements = []
    cases = product(PEOPLE, Status, GROUPS, (ANSWERED, NEW), PATHS.items())
    for person, status, group, dimension, (path, writes) in cases:
        actor = people[person]
        expected = may_write(actor, status.value, "SLE", group)
        with Session(db.engine) as session:
            done = writes(session, actor, by_status[status], dimension, group)
            session.rollback()
        if done != expected:
            disagreements.append((path, person, status.value, group, dimension, done))
    assert disagreements == []


def test_the_rule_lets_in_exactly_the_country_s_writers_of_an_open_assessment(people):
    open_statuses = {s for s in Status if may_write(people["admin"], s.value, "SLE", CONSENSUS)}
    assert open_statuses == {Status.DRAFT, Status.RETURNED}
    writers = {
        (person, group)
        for person, group in product(PEOPLE, GROUPS)
        if may_write(people[person], Status.DRAFT.value, "SLE", group)
    }
    own_group = people["panelist"].group
    assert writers == {("admin", g) for g in GROUPS} | {("focal", g) for g in GROUPS} | {
        ("panelist", own_group)
    }
