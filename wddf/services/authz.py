"""Who may see and change what. Every service calls these; the UI only mirrors them."""

from __future__ import annotations

from wddf.domain import EDITABLE, REVIEW_ROLES, REVIEWABLE, Role, Status
from wddf.errors import ErrorCode, NotAllowed, NotFound
from wddf.services import answer_rules
from wddf.services.actor import Actor
from wddf.storage.tables import Assessment


def can_read(actor: Actor, assessment: Assessment) -> bool:
    """Admins everything; country roles their own country; reviewers what was submitted;
    donors what is published. (It reads ``status`` and ``country`` only, so a row of
    ``assessments.readable_keys`` will do.)"""
    status = Status(assessment.status)
    if actor.is_admin:
        return True
    if actor.role in (Role.FOCAL_POINT, Role.PANELIST):
        return actor.country == assessment.country
    if actor.role is Role.REVIEWER:
        return status in REVIEWABLE
    return actor.role is Role.DONOR and status is Status.PUBLISHED


def require_read(actor: Actor, assessment: Assessment | None) -> Assessment:
    """The assessment when the actor may read it; NotFound otherwise (no existence leak)."""
    if assessment is None or not can_read(actor, assessment):
        raise NotFound()
    return assessment


def require_answer_write(actor: Actor, assessment: Assessment, group: str) -> None:
    """``answer_rules.may_write``, or the refusal that says why: ``locked_status`` when the
    assessment is no longer editable, ``not_allowed`` otherwise."""
    require_read(actor, assessment)
    if Status(assessment.status) not in EDITABLE:
        raise NotAllowed(ErrorCode.LOCKED_STATUS, status=assessment.status)
    if not answer_rules.may_write(actor, assessment.status, assessment.country, group):
        raise NotAllowed()


def is_country_editor(actor: Actor, country: str) -> bool:
    """An admin, or the country's own focal point: who creates its assessments and writes its
    process records, priority matrix and settings."""
    return actor.is_admin or (actor.role is Role.FOCAL_POINT and actor.country == country)


def require_country_editor(actor: Actor, country: str) -> None:
    """``is_country_editor``, or ``NotAllowed``."""
    if not is_country_editor(actor, country):
        raise NotAllowed()


def require_admin(actor: Actor) -> None:
    """Administration: admins only."""
    if not actor.is_admin:
        raise NotAllowed()


def require_reviewer(actor: Actor) -> None:
    """Comments and review decisions: reviewers and admins."""
    if actor.role not in REVIEW_ROLES:
        raise NotAllowed()
