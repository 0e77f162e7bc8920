"""Assignments: the focal point gives goals and indicators with due dates; each person sees
their own with progress and lateness; the board is the country's to change and the reviewers'
to read; bad input is refused in words and stores nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import shipped_editions
from tests.storage.helpers import EDITION, new_assessment
from wddf import problems
from wddf.domain import Status
from wddf.errors import ErrorCode, Invalid, NotAllowed, NotFound
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments
from wddf.services.process import assignments
from wddf.storage.tables import Assignment, AuditEntry

DUE = date(2024, 6, 30)


def _dimensions(node: str) -> list[str]:
    edition = shipped_editions()[EDITION]
    return [d.id for g, i, d in edition.dimensions() if node in (g.id, i.id)]


def test_a_panelists_assignment_moves_from_not_started_to_done(db, people):
    aid = new_assessment(db, people["focal"])
    panelist = people["panelist"]
    with db.session() as session:
        assignments.assign(session, people["focal"], aid, "WD3.2", [panelist.id], "panelist", DUE)
    with db.session() as session:
        [mine] = assignments.mine(session, panelist, today=date(2024, 6, 1))
    dims = _dimensions("WD3.2")
    assert (mine.node_id, mine.task, mine.graded, mine.total, mine.state) == (
        "WD3.2",
        "panelist",
        0,
        len(dims),
        "not_started",
    )
    with db.session() as session:  # the consensus does not count for a panelist's own work
        given = AnswerInput(dims[0], "B", "seen")
        assessments.save_answer(session, people["focal"], aid, given, 0)
        [mine] = assignments.mine(session, panelist, today=date(2024, 6, 1))
        assert mine.state == "not_started"
        given = AnswerInput(dims[0], "C", "seen", group=panelist.group)
        assessments.save_answer(session, panelist, aid, given, 0)
    with db.session() as session:
        assert assignments.mine(session, panelist, today=date(2024, 6, 1))[0].state == (
            "in_progress"
        )
        assert assignments.mine(session, panelist, today=date(2024, 7, 1))[0].state == "late"
        for dim in dims[1:]:
            given = AnswerInput(dim, "D", "seen", group=panelist.group)
            assessments.save_answer(session, panelist, aid, given, 0)
    with db.session() as session:
        [mine] = assignments.mine(session, panelist, today=date(2024, 7, 1))
    assert (mine.state, mine.graded) == ("done", len(dims))  # done is never late


def test_the_board_is_the_countrys_to_change_and_reviewers_read_it(db, people):
    aid = new_assessment(db, people["focal"], status=Status.RETURNED)
    with db.session() as session:
        made = assignments.assign(
            session, people["admin"], aid, "WD1", [people["focal"].id], "investigator", DUE
        )
    for who in ("focal", "admin", "reviewer"):
        with db.session() as session:
            [shown] = assignments.board(session, people[who], aid, today=date(2024, 7, 1))
            assert (shown.node_id, shown.state, shown.task) == ("WD1", "late", "investigator")
    for who, error in (("panelist", NotAllowed), ("donor", NotFound), ("other_focal", NotFound)):
        with db.session() as session, pytest.raises(error):
            assignments.board(session, people[who], aid)
    for who, error in (
        ("panelist", NotAllowed),
        ("reviewer", NotAllowed),
        ("other_focal", NotFound),
    ):
        with db.session() as session, pytest.raises(error):
            assignments.assign(
                session, people[who], aid, "WD2", [people["focal"].id], "panelist", DUE
            )
        with db.session() as session, pytest.raises(error):
            assignments.unassign(session, people[who], made[0].id)
    with db.session() as session:  # a new date for the same person replaces the old one
        assignments.assign(
            session,
            people["focal"],
            aid,
            "WD1",
            [people["focal"].id],
            "panelist",
            date(2025, 1, 31),
        )
    with db.session() as session:
        [shown] = assignments.board(session, people["focal"], aid, today=date(2024, 7, 1))
        assert (shown.due_on, shown.task, shown.state) == (
            date(2025, 1, 31),
            "panelist",
            "not_started",
        )
        assignments.unassign(session, people["focal"], shown.id)
    with db.session() as session:
        assert assignments.board(session, people["focal"], aid) == []
        trail = session.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "assignment")
        ).all()
    assert sorted(trail) == ["assign", "assign", "unassign"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"node": "WD99"}, ErrorCode.UNKNOWN_NODE),
        ({"node": "WD1.1.1"}, ErrorCode.UNKNOWN_NODE),  # a dimension is not a goal or indicator
        ({"node": "WD1\x00"}, ErrorCode.TEXT_CONTROL),
        ({"node": "W" * 41}, ErrorCode.TEXT_TOO_LONG),
        ({"task": "boss"}, ErrorCode.UNKNOWN_TASK),
        ({"due": date(1999, 12, 31)}, ErrorCode.OUTSIDE_WINDOW),
        ({"due": date(2026, 1, 1)}, ErrorCode.OUTSIDE_WINDOW),
        ({"due": "2024-06-30"}, ErrorCode.OUTSIDE_WINDOW),
        ({"people": ["1 OR 1=1"]}, ErrorCode.UNKNOWN_PERSON),
        ({"people": [987654]}, ErrorCode.UNKNOWN_PERSON),
        ({"people": []}, ErrorCode.UNKNOWN_PERSON),
        ({"people": "other_focal"}, ErrorCode.UNKNOWN_PERSON),  # another country's
        ({"people": "reviewer"}, ErrorCode.UNKNOWN_PERSON),  # not of the country
    ],
)
def test_bad_assignments_are_refused_in_words_and_store_nothing(db, people, change, code):
    aid = new_assessment(db, people["focal"])
    chosen = change.get("people", [people["panelist"].id])
    if isinstance(chosen, str):
        chosen = [people[chosen].id]
    with db.session() as session, pytest.raises(Invalid) as refused:
        assignments.assign(
            session,
            people["focal"],
            aid,
            change.get("node", "WD2"),
            chosen,
            change.get("task", "panelist"),
            change.get("due", DUE),
        )
    assert refused.value.code is code
    for lang in ("en", "fr", "pt"):
        assert "{" not in refused.value.message(lang)
    assert problems.message(code, "fr") != problems.message(code, "en")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Assignment)) == 0


def test_the_assignable_people_are_the_countrys_own(db, people):
    aid = new_assessment(db, people["focal"])
    with db.session() as session:
        names = {u.username for u in assignments.assignable(session, people["focal"], aid)}
        assert names == {people["focal"].username, people["panelist"].username}
        with pytest.raises(NotAllowed):
            assignments.assignable(session, people["panelist"], aid)
