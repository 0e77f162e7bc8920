"""The policy priority matrix: the country writes it, reviewers and donors read what they may,
bad input is refused in words and changes nothing, and last year's matrix is checked against
this year's grades dimension by dimension."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from tests.storage.helpers import new_assessment
from wddf import problems
from wddf.domain import Status
from wddf.errors import ErrorCode, Invalid, NotAllowed, NotFound
from wddf.services.process import action_plan
from wddf.services.process.action_plan import Reform
from wddf.storage.tables import ActionItem, ActionItemDimension, AuditEntry

REFORM = Reform(
    ["WD3.2.3", "WD1.1.1"],
    "Reconcile the register of diggers with licences every quarter",
    owner="Ministry of Mines, KP office",
    deadline=datetime(2025, 6, 30, tzinfo=UTC),
    target_grade="B",
    priority=1,
    partners="EU, civil society coalition",
    estimated_cost=250_000,
    currency="USD",
    timeframe="short",
)


def test_a_reform_addresses_several_dimensions_with_its_particulars(db, people):
    aid = new_assessment(db, people["focal"])
    with db.session() as session:
        action_plan.add(session, people["focal"], aid, REFORM)
        action_plan.add(session, people["focal"], aid, Reform(["WD2.1.1"], "Publish", priority=3))
        action_plan.add(session, people["focal"], aid, Reform(["WD2.1.2"], "Unranked"))
    with db.session() as session:
        first, second, third = action_plan.items(session, people["admin"], aid)
        row = (first.dimension_ids, first.owner, first.partners, first.estimated_cost)
        assert row == (["WD3.2.3", "WD1.1.1"], REFORM.owner, REFORM.partners, 250_000)
        assert (first.currency, first.timeframe, first.priority, first.status) == (
            "USD",
            "short",
            1,
            "open",
        )
        assert [second.priority, third.priority] == [3, None]  # by priority, unset last
        [created] = session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "action_item", AuditEntry.entity_id == str(first.id)
            )
        ).all()
        assert "WD1.1.1" in created.new_value and created.action == "create"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"dimensions": []}, ErrorCode.DIMENSIONS_REQUIRED),
        ({"dimensions": ["WD3.2.3", "WD99.1.1"]}, ErrorCode.UNKNOWN_DIMENSION),
        ({"action": "   "}, ErrorCode.ACTION_REQUIRED),
        ({"priority": 0}, ErrorCode.BAD_PRIORITY),
        ({"priority": 4}, ErrorCode.BAD_PRIORITY),
        ({"timeframe": "soon"}, ErrorCode.UNKNOWN_TIMEFRAME),
        ({"estimated_cost": -1}, ErrorCode.BAD_COST),
        ({"estimated_cost": 10**16}, ErrorCode.BAD_COST),
        ({"estimated_cost": 2.5}, ErrorCode.BAD_COST),
        ({"currency": "XYZ"}, ErrorCode.UNKNOWN_CURRENCY),
        ({"currency": "=1+1"}, ErrorCode.UNKNOWN_CURRENCY),
        ({"currency": None}, ErrorCode.COST_WITHOUT_CURRENCY),
        ({"target_grade": "E"}, ErrorCode.UNKNOWN_GRADE),
        ({"partners": "EU\x00"}, ErrorCode.TEXT_CONTROL),
        ({"partners": "x" * 401}, ErrorCode.TEXT_TOO_LONG),
        ({"owner": "Ministry\x1b"}, ErrorCode.TEXT_CONTROL),
    ],
)
def test_bad_reforms_are_refused_in_words_and_store_nothing(db, people, change, code):
    aid = new_assessment(db, people["focal"])
    reform = Reform(**(REFORM.__dict__ | change))
    with db.session() as session, pytest.raises(Invalid) as refused:
        action_plan.add(session, people["focal"], aid, reform)
    assert refused.value.code is code
    for lang in ("en", "fr", "pt"):
        message = problems.message(code, lang, refused.value.params)
        assert message and "{" not in message
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(ActionItem)) == 0
        assert session.scalar(select(func.count()).select_from(ActionItemDimension)) == 0


def test_only_the_countrys_planners_write_the_matrix(db, people):
    aid = new_assessment(db, people["focal"], status=Status.SUBMITTED)
    with db.session() as session:
        action_plan.add(session, people["admin"], aid, REFORM)
    for who, error in (
        ("panelist", NotAllowed),
        ("reviewer", NotAllowed),  # reviewers read a submitted matrix, they do not write it
        ("donor", NotFound),  # not published
        ("other_focal", NotFound),
    ):
        with db.session() as session, pytest.raises(error):
            action_plan.add(session, people[who], aid, REFORM)
    with db.session() as session:
        assert len(action_plan.items(session, people["reviewer"], aid)) == 1
    with db.session() as session, pytest.raises(NotFound):
        action_plan.items(session, people["donor"], aid)


def test_an_actions_status_and_progress_move_only_by_its_countrys_planners(db, people):
    aid = new_assessment(db, people["focal"])
    with db.session() as session:
        item_id = action_plan.add_item(session, people["focal"], aid, "WD1.1.1", "Amend").id
    with db.session() as session:
        item = action_plan.set_status(
            session,
            people["focal"],
            item_id,
            "in_progress",
            "Draft bill tabled in May",
            seen=("open", ""),
        )
        assert (item.status, item.progress) == ("in_progress", "Draft bill tabled in May")
    seen = ("in_progress", "Draft bill tabled in May")
    for who, error in (
        ("panelist", NotAllowed),
        ("reviewer", NotFound),  # a draft is not visible to reviewers
        ("other_focal", NotFound),
    ):
        with db.session() as session, pytest.raises(error):
            action_plan.set_status(session, people[who], item_id, "done", seen=seen)
    with db.session() as session, pytest.raises(Invalid):
        action_plan.set_status(session, people["admin"], item_id, "finished", seen=seen)
    with db.session() as session, pytest.raises(Invalid):
        action_plan.set_status(session, people["admin"], item_id, "done", "bad\x07", seen=seen)
    with db.session() as session:
        [item] = action_plan.items(session, people["admin"], aid)
        trail = session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity == "action_item", AuditEntry.entity_id == str(item_id)
            )
        ).all()
    assert (item.status, item.progress) == ("in_progress", "Draft bill tabled in May")
    assert sorted(trail) == ["create", "progress", "status"]


def test_two_planners_moving_one_reform_never_overwrite_each_other(db, people):
    """Both read the reform open and empty; the second save is refused in words and the first
    one's evidence stays."""
    aid = new_assessment(db, people["focal"])
    with db.session() as session:
        item_id = action_plan.add_item(session, people["focal"], aid, "WD1.1.1", "Amend").id
    read = ("open", "")
    with db.session() as session:
        action_plan.set_status(session, people["admin"], item_id, "done", "Law passed", seen=read)
    with db.session() as session, pytest.raises(Invalid) as refused:
        action_plan.set_status(
            session, people["focal"], item_id, "in_progress", "Bill drafted", seen=read
        )
    assert refused.value.code is ErrorCode.REFORM_CHANGED
    assert "a modifié le statut ou les preuves d'avancement" in refused.value.message("fr")
    with db.session() as session:
        [item] = action_plan.items(session, people["admin"], aid)
    assert (item.status, item.progress) == ("done", "Law passed")
