"""What every record of the WDDF process shares (assignments, panels and their sessions, the
validation workshop): who writes it and while the assessment is open, the dates it may hold, the
people it may name and the goals, indicators and dimensions of its assessment's edition."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from wddf.domain import COUNTRY_BOUND_ROLES, EDITABLE, Role, Status, assessment_window
from wddf.errors import ErrorCode, Invalid, NotAllowed
from wddf.questionnaire.schema import Edition
from wddf.services.actor import Actor
from wddf.services.authz import is_country_editor
from wddf.services.editions import get_edition
from wddf.storage.db import get_row
from wddf.storage.tables import Assessment, User


def may_write_country(actor: Actor, country: str) -> bool:
    """A country's focal point and admins write its process records and settings."""
    return is_country_editor(actor, country)


def may_write(actor: Actor, assessment: Assessment) -> bool:
    """The country's focal point and admins write its process records."""
    return may_write_country(actor, assessment.country)


def is_open(assessment: Assessment) -> bool:
    """Whether the assessment's process records may change: while it is a draft or returned,
    like its answers. Once submitted, they stay as the reviewers read them."""
    return Status(assessment.status) in EDITABLE


def may_change(actor: Actor, assessment: Assessment) -> bool:
    """``may_write`` and ``is_open``: what a page asks before it offers a form."""
    return may_write(actor, assessment) and is_open(assessment)


def require_open(assessment: Assessment) -> None:
    """``NotAllowed(locked_status)`` unless ``is_open``."""
    if not is_open(assessment):
        raise NotAllowed(ErrorCode.LOCKED_STATUS, status=assessment.status)


def require_writer(actor: Actor, assessment: Assessment) -> None:
    """``NotAllowed`` unless ``may_write``; ``NotAllowed(locked_status)`` unless ``is_open``."""
    if not may_write(actor, assessment):
        raise NotAllowed()
    require_open(assessment)


def in_window(assessment: Assessment, day: object) -> date:
    """``day`` when it is a date within the assessment's window (``domain.assessment_window``);
    ``Invalid(outside_window)`` otherwise."""
    first, last = assessment_window(assessment.year)
    if not isinstance(day, date) or not first <= day <= last:
        shown = day.isoformat() if isinstance(day, date) else str(day)[:20]
        raise Invalid(
            ErrorCode.OUTSIDE_WINDOW, day=shown, first=first.isoformat(), last=last.isoformat()
        )
    return day


def country_person(session: Session, assessment: Assessment, user_id: object) -> User:
    """An active account of the assessment's country (a focal point or a panelist);
    ``Invalid(unknown_person)`` for anyone else, or no one."""
    user = get_row(session, User, user_id)
    if (
        user is None
        or not user.active
        or user.country != assessment.country
        or Role(user.role) not in COUNTRY_BOUND_ROLES
    ):
        raise Invalid(ErrorCode.UNKNOWN_PERSON, person=str(user_id)[:20])
    return user


def edition_of(session: Session, assessment: Assessment) -> Edition:
    """The questionnaire edition of the assessment."""
    return get_edition(session, assessment.edition_id)


def node_dimensions(edition: Edition, node_id: str) -> list[str]:
    """The dimensions under a goal or an indicator of ``edition``; ``Invalid(unknown_node)``
    when it has no such goal or indicator."""
    found = [d.id for g, i, d in edition.dimensions() if node_id in (g.id, i.id)]
    if not found:
        raise Invalid(ErrorCode.UNKNOWN_NODE, node=str(node_id)[:40])
    return found
