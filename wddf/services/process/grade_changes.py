"""Grade changes read from the audit log: the consensus grades of an assessment that changed on
one day, and the panel session or validation workshop each change is linked to, so that a
profile can say where a grade was agreed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from wddf.domain import CONSENSUS
from wddf.services import countries
from wddf.storage.tables import (
    Assessment,
    AuditEntry,
    GradeChangeLink,
    Panel,
    PanelSession,
    User,
    Workshop,
)


@dataclass(frozen=True)
class GradeChange:
    """One audited change of a consensus grade."""

    audit_id: int
    dimension_id: str
    before: str | None
    after: str | None
    by: str
    at: datetime


@dataclass(frozen=True)
class AgreedAt:
    """Where a dimension's current consensus grade was agreed: a panel session (with its
    panel's name) or the validation workshop, on a day."""

    kind: str  # "session" or "workshop"
    day: date
    name: str  # the panel's name; empty for the workshop


def on_day(
    session: Session, assessment: Assessment, day: date, dimensions: set[str] | None = None
) -> list[GradeChange]:
    """The consensus grade changes of an assessment on ``day`` by its country's clock
    (``countries.time_zone``), oldest first, of ``dimensions`` only when given. A save that
    kept the grade is no change."""
    zone = countries.time_zone(assessment.country)
    start = datetime.combine(day, time(), zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC)
    assessment_id = assessment.id
    query = (
        select(AuditEntry, User.username)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(
            AuditEntry.entity == "answer",
            AuditEntry.entity_id.startswith(f"{assessment_id}:", autoescape=True),
            AuditEntry.entity_id.endswith(f":{CONSENSUS}", autoescape=True),
            AuditEntry.at >= start,
            AuditEntry.at < end,
        )
        .order_by(AuditEntry.id)
    )
    found = []
    for entry, username in session.execute(query):
        dimension_id = entry.entity_id.split(":")[1]
        before, after = _grade(entry.old_value), _grade(entry.new_value)
        if before == after or (dimensions is not None and dimension_id not in dimensions):
            continue
        found.append(GradeChange(entry.id, dimension_id, before, after, username or "?", entry.at))
    return found


def _grade(value: str | None) -> str | None:
    decoded = json.loads(value) if value else None
    return decoded.get("grade") if isinstance(decoded, dict) else None


def link(
    session: Session,
    changes: list[GradeChange],
    session_id: int | None = None,
    workshop_id: int | None = None,
    reasons: dict[int, str] | None = None,
) -> None:
    """Link each change to a session or to the workshop (a change already linked moves)."""
    for change in changes:
        found = session.scalar(
            select(GradeChangeLink).where(GradeChangeLink.audit_id == change.audit_id)
        )
        if found is None:
            found = GradeChangeLink(audit_id=change.audit_id)
            session.add(found)
        found.session_id, found.workshop_id = session_id, workshop_id
        found.reason = (reasons or {}).get(change.audit_id, "")
    session.flush()


def agreed_at(session: Session, assessment_id: int) -> dict[str, AgreedAt]:
    """For each dimension whose consensus grade changed at a session or the workshop, where its
    latest such change was agreed."""
    query = (
        select(AuditEntry.entity_id, PanelSession.held_on, Panel.name, Workshop.held_on)
        .join(GradeChangeLink, GradeChangeLink.audit_id == AuditEntry.id)
        .outerjoin(PanelSession, PanelSession.id == GradeChangeLink.session_id)
        .outerjoin(Panel, Panel.id == PanelSession.panel_id)
        .outerjoin(Workshop, Workshop.id == GradeChangeLink.workshop_id)
        .where(AuditEntry.entity_id.startswith(f"{assessment_id}:", autoescape=True))
        .order_by(AuditEntry.id)
    )
    out = {}
    for entity_id, session_day, panel_name, workshop_day in session.execute(query):
        dimension_id = entity_id.split(":")[1]
        if workshop_day is not None:
            out[dimension_id] = AgreedAt("workshop", workshop_day, "")
        elif session_day is not None:
            out[dimension_id] = AgreedAt("session", session_day, panel_name or "")
    return out


def at_workshop(
    session: Session, workshop_id: int
) -> list[tuple[str, str | None, str | None, str]]:
    """The grade changes confirmed at a workshop: (dimension, before, after, reason)."""
    query = (
        select(AuditEntry, GradeChangeLink.reason)
        .join(GradeChangeLink, GradeChangeLink.audit_id == AuditEntry.id)
        .where(GradeChangeLink.workshop_id == workshop_id)
        .order_by(AuditEntry.entity_id, AuditEntry.id)
    )
    return [
        (e.entity_id.split(":")[1], _grade(e.old_value), _grade(e.new_value), reason)
        for e, reason in session.execute(query)
    ]
