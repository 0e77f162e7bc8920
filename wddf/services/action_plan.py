"""The policy priority matrix: actions, owners, deadlines and target grades per dimension."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wddf.domain import ACTION_STATUSES, LETTER_GRADES, Role
from wddf.services import audit
from wddf.services.actor import Actor
from wddf.services.assessments import get
from wddf.services.editions import get_edition
from wddf.services.errors import ErrorCode, Invalid, NotAllowed, NotFound
from wddf.storage.tables import ActionItem, Assessment
from wddf.textpolicy import clean

STATUSES = ACTION_STATUSES


def _require_planner(actor: Actor, assessment: Assessment) -> None:
    """The country's focal point or an admin plans; everyone who may read the assessment reads."""
    if not (
        actor.is_admin or (actor.role is Role.FOCAL_POINT and actor.country == assessment.country)
    ):
        raise NotAllowed()


def add_item(
    session: Session,
    actor: Actor,
    assessment_id: int,
    dimension_id: str,
    action: str,
    owner: str = "",
    deadline: datetime | None = None,
    target_grade: str | None = None,
) -> ActionItem:
    """Add an action for one dimension; the country's focal point or an admin."""
    assessment = get(session, actor, assessment_id)
    _require_planner(actor, assessment)
    action, owner = clean("action", action), clean("owner", owner)
    dimension_id = clean("dimension_id", dimension_id)
    if dimension_id not in {
        d.id for _, _, d in get_edition(session, assessment.edition_id).dimensions()
    }:
        raise Invalid(ErrorCode.UNKNOWN_DIMENSION, dimension=dimension_id)
    if target_grade is not None and target_grade not in LETTER_GRADES:
        raise Invalid(ErrorCode.UNKNOWN_GRADE, grade=target_grade)
    if not action.strip():
        raise Invalid(ErrorCode.COMMENT_REQUIRED)
    item = ActionItem(
        assessment_id=assessment_id,
        dimension_id=dimension_id,
        action=action.strip(),
        owner=owner.strip(),
        deadline=deadline,
        status="open",
        target_grade=target_grade,
        created_at=audit.now(),
    )
    session.add(item)
    session.flush()
    audit.record(
        session,
        actor.id,
        "action_item",
        str(item.id),
        "create",
        None,
        {"dimension": dimension_id, "action": item.action, "target": target_grade},
    )
    return item


def items(session: Session, actor: Actor, assessment_id: int) -> list[ActionItem]:
    """The action plan of an assessment the actor may read."""
    get(session, actor, assessment_id)
    query = (
        select(ActionItem).where(ActionItem.assessment_id == assessment_id).order_by(ActionItem.id)
    )
    return list(session.scalars(query))


def set_status(session: Session, actor: Actor, item_id: int, status: str) -> ActionItem:
    """Move an action along: open, in progress, done or dropped; audited."""
    item = session.get(ActionItem, item_id)
    if item is None:
        raise NotFound()
    _require_planner(actor, get(session, actor, item.assessment_id))
    if status not in STATUSES:
        raise Invalid(ErrorCode.UNKNOWN_STATUS, status=status)
    before = item.status
    item.status = status
    audit.record(session, actor.id, "action_item", str(item.id), "status", before, status)
    return item
