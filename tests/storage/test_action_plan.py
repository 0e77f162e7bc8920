"""Action plan items: the country writes them, reviewers read them, bad input is refused."""

from __future__ import annotations

import pytest

from tests.storage.helpers import new_assessment
from wddf.services import action_plan
from wddf.services.errors import Invalid, NotAllowed, NotFound


def test_focal_point_plans_actions_and_others_cannot(db, people):
    aid = new_assessment(db, people["focal"])
    with db.session() as session:
        action_plan.add_item(
            session,
            people["focal"],
            aid,
            "WD3.2.3",
            "Quarterly reconciliation",
            "KP office",
            target_grade="B",
        )
    with db.session() as session:
        [item] = action_plan.items(session, people["admin"], aid)
    assert (item.dimension_id, item.owner, item.status, item.target_grade) == (
        "WD3.2.3",
        "KP office",
        "open",
        "B",
    )
    with db.session() as session, pytest.raises(NotAllowed):
        action_plan.add_item(session, people["panelist"], aid, "WD3.2.3", "x")
    with db.session() as session, pytest.raises(NotFound):
        action_plan.items(session, people["other_focal"], aid)
    with db.session() as session, pytest.raises(Invalid):
        action_plan.add_item(session, people["focal"], aid, "WD3.2.3", "x", target_grade="E")


def test_an_actions_status_moves_only_by_its_countrys_planners(db, people):
    aid = new_assessment(db, people["focal"])
    with db.session() as session:
        item_id = action_plan.add_item(session, people["focal"], aid, "WD1.1.1", "Amend").id
    with db.session() as session:
        assert action_plan.set_status(session, people["focal"], item_id, "in_progress").status == (
            "in_progress"
        )
    for who, error in (
        ("panelist", NotAllowed),
        ("reviewer", NotFound),  # a draft is not visible to reviewers
        ("other_focal", NotFound),
    ):
        with db.session() as session, pytest.raises(error):
            action_plan.set_status(session, people[who], item_id, "done")
    with db.session() as session, pytest.raises(Invalid):
        action_plan.set_status(session, people["admin"], item_id, "finished")
    with db.session() as session:
        [item] = action_plan.items(session, people["admin"], aid)
    assert item.status == "in_progress"
