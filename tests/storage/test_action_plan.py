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
