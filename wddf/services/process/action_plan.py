"""The policy priority matrix (the LGAF's): reforms with their priority, responsible institution,
partners, estimated cost, timeframe, target grade and the dimensions they address; their status
and the evidence of progress. Last year's matrix is checked against this year's grades by
``insights.plan_carried_over``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from babel.numbers import list_currencies
from sqlalchemy import select
from sqlalchemy.orm import Session

from wddf.domain import ACTION_STATUSES, LETTER_GRADES, PRIORITIES, TIMEFRAMES
from wddf.errors import ErrorCode, Invalid, NotAllowed, NotFound
from wddf.services import audit
from wddf.services.actor import Actor
from wddf.services.answers.assessments import get
from wddf.services.authz import is_country_editor
from wddf.services.editions import get_edition
from wddf.services.records import Record, records
from wddf.storage.db import get_row
from wddf.storage.tables import ActionItem, ActionItemDimension, Assessment
from wddf.textpolicy import clean

STATUSES = ACTION_STATUSES
MAX_COST = 10**15  # whole units of a currency; more is a typing error
CURRENCIES = frozenset(list_currencies())


@dataclass(frozen=True)
class Reform:
    """What a planner gives for one row of the matrix; everything but ``action`` and
    ``dimensions`` may be left out."""

    dimensions: Sequence[str]
    action: str
    owner: str = ""  # the responsible institution
    deadline: datetime | None = None
    target_grade: str | None = None
    priority: int | None = None
    partners: str = ""
    estimated_cost: int | None = None
    currency: str | None = None
    timeframe: str | None = None


def may_plan(actor: Actor, assessment: Assessment) -> bool:
    """The country's focal point or an admin plans; everyone who may read the assessment reads."""
    return is_country_editor(actor, assessment.country)


def _require_planner(actor: Actor, assessment: Assessment) -> None:
    if not may_plan(actor, assessment):
        raise NotAllowed()


def _checked(reform: Reform, known: set[str]) -> Reform:
    """The reform with its texts cleaned, or ``Invalid`` naming the first value refused."""
    dimensions = [clean("dimension_id", d) for d in reform.dimensions]
    if not dimensions:
        raise Invalid(ErrorCode.DIMENSIONS_REQUIRED)
    for dimension_id in dimensions:
        if dimension_id not in known:
            raise Invalid(ErrorCode.UNKNOWN_DIMENSION, dimension=dimension_id)
    action = clean("action", reform.action).strip()
    if not action:
        raise Invalid(ErrorCode.ACTION_REQUIRED)
    if reform.target_grade is not None and reform.target_grade not in LETTER_GRADES:
        raise Invalid(ErrorCode.UNKNOWN_GRADE, grade=reform.target_grade)
    if reform.priority is not None and reform.priority not in PRIORITIES:
        raise Invalid(ErrorCode.BAD_PRIORITY, priority=reform.priority)
    if reform.timeframe is not None and reform.timeframe not in TIMEFRAMES:
        raise Invalid(ErrorCode.UNKNOWN_TIMEFRAME, timeframe=reform.timeframe)
    cost, currency = reform.estimated_cost, reform.currency
    if cost is not None and not (isinstance(cost, int) and 0 <= cost <= MAX_COST):
        raise Invalid(ErrorCode.BAD_COST, cost=cost)
    if currency is not None and currency not in CURRENCIES:
        raise Invalid(ErrorCode.UNKNOWN_CURRENCY, currency=str(currency)[:10])
    if cost is not None and currency is None:
        raise Invalid(ErrorCode.COST_WITHOUT_CURRENCY)
    return Reform(
        list(dict.fromkeys(dimensions)),
        action,
        clean("owner", reform.owner).strip(),
        reform.deadline,
        reform.target_grade,
        reform.priority,
        clean("partners", reform.partners).strip(),
        cost,
        currency,
        reform.timeframe,
    )


def add(session: Session, actor: Actor, assessment_id: int, reform: Reform) -> ActionItem:
    """Add a reform to the matrix of an assessment; the country's focal point or an admin, at
    any status (the matrix follows the reforms after publication too), audited. The assessment's
    row is locked, as for every save, so that the check of who may plan and the write agree."""
    assessment = get(session, actor, assessment_id, lock=True)
    _require_planner(actor, assessment)
    known = {d.id for _, _, d in get_edition(session, assessment.edition_id).dimensions()}
    reform = _checked(reform, known)
    item = ActionItem(
        assessment_id=assessment_id,
        action=reform.action,
        owner=reform.owner,
        deadline=reform.deadline,
        status="open",
        target_grade=reform.target_grade,
        priority=reform.priority,
        partners=reform.partners,
        estimated_cost=reform.estimated_cost,
        currency=reform.currency,
        timeframe=reform.timeframe,
        progress="",
        created_at=audit.now(),
        dimensions=[
            ActionItemDimension(dimension_id=d, position=n) for n, d in enumerate(reform.dimensions)
        ],
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
        {
            "dimensions": list(reform.dimensions),
            "action": item.action,
            "target": item.target_grade,
            "priority": item.priority,
        },
    )
    return item


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
    """Add an action for one dimension (``add`` with a one-dimension ``Reform``)."""
    reform = Reform([dimension_id], action, owner, deadline, target_grade)
    return add(session, actor, assessment_id, reform)


def items(session: Session, actor: Actor, assessment_id: int) -> list[Record]:
    """The matrix of an assessment the actor may read, by priority (unset last), then order."""
    get(session, actor, assessment_id)
    query = (
        select(ActionItem)
        .where(ActionItem.assessment_id == assessment_id)
        .order_by(ActionItem.priority.is_(None), ActionItem.priority, ActionItem.id)
    )
    return records(session.scalars(query), "dimension_ids")


def set_status(
    session: Session,
    actor: Actor,
    item_id: int,
    status: str,
    progress: str | None = None,
    *,
    seen: tuple[str, str],
) -> ActionItem:
    """Move an action along (open, in progress, done or dropped) and, when given, replace its
    evidence of progress; audited. ``seen`` is the (status, progress) the writer read; when
    someone changed either since, nothing is written (``reform_changed``)."""
    item = get_row(session, ActionItem, item_id)
    if item is None:
        raise NotFound()
    _require_planner(actor, get(session, actor, item.assessment_id, lock=True))
    session.refresh(item)  # as it is now that the assessment's row is locked
    if (item.status, item.progress) != tuple(seen):
        raise Invalid(ErrorCode.REFORM_CHANGED)
    if status not in STATUSES:
        raise Invalid(ErrorCode.UNKNOWN_STATUS, status=str(status)[:20])
    progress = None if progress is None else clean("progress", progress).strip()
    if item.status != status:
        audit.record(session, actor.id, "action_item", str(item.id), "status", item.status, status)
        item.status = status
    if progress is not None and progress != item.progress:
        audit.record(
            session, actor.id, "action_item", str(item.id), "progress", item.progress, progress
        )
        item.progress = progress
    return item
