"""Investigators' background reports: one per goal of an assessment, the text and its citations,
which the graders of that goal read beside its dimensions.

It follows the answers' rules: written while the assessment is a draft or returned, by the
country's focal point, an admin, or a person the goal is assigned to as investigator; every save
is audited with the text before and after; a save made on a stale version is refused with the
other person's text (``Conflict``), so two people never silently overwrite each other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wddf.domain import EDITABLE, Status
from wddf.errors import ErrorCode, Invalid, NotAllowed
from wddf.services import audit, versioned
from wddf.services.actor import Actor
from wddf.services.answers import assessments
from wddf.services.process import process_rules
from wddf.services.records import Record, record
from wddf.storage.tables import Assessment, Assignment, AuditEntry, BackgroundReport, User
from wddf.textpolicy import clean


@dataclass(frozen=True)
class Version:
    """One saved version of a report, from the audit log."""

    by: str
    at: datetime
    body: str
    citations: str


def _key(assessment_id: int, goal_id: str) -> str:
    return f"{assessment_id}:{goal_id}"


def _goal(session: Session, assessment: Assessment, goal_id: str) -> str:
    goal_id = clean("dimension_id", goal_id)
    if goal_id not in {g.id for g in process_rules.edition_of(session, assessment).goals}:
        raise Invalid(ErrorCode.UNKNOWN_NODE, node=goal_id)
    return goal_id


def may_write(session: Session, actor: Actor, assessment: Assessment, goal_id: str) -> bool:
    """The country's focal point, admins, and the goal's investigators write its report."""
    if process_rules.may_write(actor, assessment):
        return True
    assigned = select(Assignment.id).where(
        Assignment.assessment_id == assessment.id,
        Assignment.node_id == goal_id,
        Assignment.user_id == actor.id,
        Assignment.task == "investigator",
    )
    return actor.country == assessment.country and session.scalar(assigned) is not None


def get(session: Session, actor: Actor, assessment_id: int, goal_id: str) -> Record | None:
    """The report on a goal of an assessment the actor may read, when one was written."""
    assessment = assessments.get(session, actor, assessment_id)
    goal_id = _goal(session, assessment, goal_id)
    query = select(BackgroundReport).where(
        BackgroundReport.assessment_id == assessment.id, BackgroundReport.goal_id == goal_id
    )
    found = session.scalar(query)
    return None if found is None else record(found)


def of_assessment(session: Session, actor: Actor, assessment_id: int) -> dict[str, Record]:
    """Every report written on an assessment the actor may read, by goal (one query)."""
    assessment = assessments.get(session, actor, assessment_id)
    query = select(BackgroundReport).where(BackgroundReport.assessment_id == assessment.id)
    return {found.goal_id: record(found) for found in session.scalars(query)}


def save(
    session: Session,
    actor: Actor,
    assessment_id: int,
    goal_id: str,
    body: str,
    citations: str,
    seen_version: int,
) -> int:
    """Save the report seen at ``seen_version`` (0: none yet); its new version. ``Conflict``
    when someone saved in between, and nothing is written."""
    assessment = assessments.get(session, actor, assessment_id, lock=True)
    goal_id = _goal(session, assessment, goal_id)
    if Status(assessment.status) not in EDITABLE:
        raise NotAllowed(ErrorCode.LOCKED_STATUS, status=assessment.status)
    if not may_write(session, actor, assessment, goal_id):
        raise NotAllowed()
    given = {
        "body": clean("background", body).strip(),
        "citations": clean("evidence", citations).strip(),
    }
    keys = {"assessment_id": assessment.id, "goal_id": goal_id}
    old, version = versioned.write(
        session, BackgroundReport, keys, given, seen_version, actor.id, _values
    )
    key = _key(assessment.id, goal_id)
    audit.record(session, actor.id, "background_report", key, "save", old, given)
    return version


def _values(report: BackgroundReport) -> dict[str, str]:
    return {"body": report.body, "citations": report.citations}


def versions(session: Session, actor: Actor, assessment_id: int, goal_id: str) -> list[Version]:
    """Every saved version of the report, oldest first, with who saved it and when."""
    assessment = assessments.get(session, actor, assessment_id)
    goal_id = _goal(session, assessment, goal_id)
    query = (
        select(AuditEntry.at, AuditEntry.new_value, User.username)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(
            AuditEntry.entity == "background_report",
            AuditEntry.entity_id == _key(assessment.id, goal_id),
        )
        .order_by(AuditEntry.id)
    )
    out = []
    for at, value, username in session.execute(query):
        saved = json.loads(value)
        out.append(Version(username or "?", at, saved["body"], saved["citations"]))
    return out
