"""The national technical validation workshop of an assessment.

The focal point records it (date within the assessment's window, place, participants by
institution and stakeholder group, outcome), then confirms the grades changed at it: the
consensus grade changes of the workshop's day in the audit log, each with its reason. Recording
it again withdraws the confirmation. A country may require the confirmed workshop before
submission (``Country.requires_workshop``, set by an admin or its focal point); the workflow
asks ``require_before_submission``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wddf.domain import STAKEHOLDER_GROUPS
from wddf.errors import ErrorCode, Invalid, NotAllowed, NotFound
from wddf.services import audit, authz, records
from wddf.services.actor import Actor
from wddf.services.answers import assessments
from wddf.services.process import grade_changes, process_rules
from wddf.services.records import Record
from wddf.storage.tables import Assessment, Country, Workshop, WorkshopParticipant
from wddf.textpolicy import clean


@dataclass(frozen=True)
class Participant:
    """Someone at the workshop, by institution and stakeholder group."""

    name: str
    institution: str
    group: str


def of_assessment(session: Session, actor: Actor, assessment_id: int) -> Record | None:
    """The workshop of an assessment the actor may read, with its participants, when one is
    recorded."""
    assessment = assessments.get(session, actor, assessment_id)
    found = session.scalar(select(Workshop).where(Workshop.assessment_id == assessment.id))
    return None if found is None else records.record(found, participants={})


def record(
    session: Session,
    actor: Actor,
    assessment_id: int,
    held_on: date,
    participants: list[Participant],
    place: str = "",
    outcome: str = "",
    seen: datetime | None = None,
) -> Workshop:
    """Record (or record again) the workshop; its confirmation is withdrawn until the focal
    point confirms its grade changes. ``seen`` is the ``recorded_at`` of the record the writer
    read (None: none yet); when someone recorded it since, nothing is written
    (``workshop_changed``)."""
    assessment = assessments.get(session, actor, assessment_id, lock=True)
    process_rules.require_writer(actor, assessment)
    held_on = process_rules.in_window(assessment, held_on)
    people = [_participant(p) for p in participants]
    found = _as_seen(session, assessment, seen)
    if found is None:
        found = Workshop(assessment_id=assessment.id)
        session.add(found)
    found.recorded_at = audit.now()
    found.held_on, found.place = held_on, clean("place", place).strip()
    found.outcome = clean("outcome", outcome).strip()
    found.confirmed_by = found.confirmed_at = None
    found.participants = [
        WorkshopParticipant(name=p.name, institution=p.institution, group=p.group) for p in people
    ]
    session.flush()
    summary = {"day": held_on.isoformat(), "participants": len(people)}
    audit.record(session, actor.id, "workshop", str(found.id), "record", None, summary)
    return found


def _as_seen(session: Session, assessment: Assessment, seen: datetime | None) -> Workshop | None:
    """The assessment's workshop when it is still the one its writer read (the assessment's
    row is locked); ``Invalid(workshop_changed)`` when it was recorded since."""
    found = session.scalar(select(Workshop).where(Workshop.assessment_id == assessment.id))
    current = audit.aware(found.recorded_at) if found else None
    if current != (audit.aware(seen) if seen else None):
        raise Invalid(ErrorCode.WORKSHOP_CHANGED)
    return found


def _participant(given: Participant) -> Participant:
    name = clean("display_name", given.name).strip()
    if not name:
        raise Invalid(ErrorCode.NAME_REQUIRED)
    if given.group not in STAKEHOLDER_GROUPS:
        raise Invalid(ErrorCode.UNKNOWN_GROUP, group=str(given.group)[:40])
    return Participant(name, clean("institution", given.institution).strip(), given.group)


def changes(session: Session, actor: Actor, assessment_id: int) -> list[grade_changes.GradeChange]:
    """The consensus grade changes of the workshop's day: what the focal point confirms."""
    found = of_assessment(session, actor, assessment_id)
    if found is None:
        raise NotFound()
    assessment = session.get(Assessment, found.assessment_id)  # read by of_assessment
    return grade_changes.on_day(session, assessment, found.held_on)


def confirm(
    session: Session,
    actor: Actor,
    assessment_id: int,
    reasons: dict[int, str],
    seen: datetime | None,
) -> Workshop:
    """Confirm the workshop's outcome: every grade change of its day, each with its reason
    (``reasons`` by audit id). Refused whole when a change has no reason, or when the workshop
    was recorded again since its ``recorded_at`` ``seen`` by the writer."""
    assessment = assessments.get(session, actor, assessment_id, lock=True)
    process_rules.require_writer(actor, assessment)
    found = _as_seen(session, assessment, seen)
    if found is None:
        raise NotFound()
    changed = grade_changes.on_day(session, assessment, found.held_on)
    cleaned = {c.audit_id: clean("reason", reasons.get(c.audit_id, "")).strip() for c in changed}
    if any(not reason for reason in cleaned.values()):
        raise Invalid(ErrorCode.COMMENT_REQUIRED)
    grade_changes.link(session, changed, workshop_id=found.id, reasons=cleaned)
    found.confirmed_by, found.confirmed_at = actor.id, audit.now()
    summary = {"changes": len(changed)}
    audit.record(session, actor.id, "workshop", str(found.id), "confirm", None, summary)
    return found


def is_required(session: Session, actor: Actor, assessment: Assessment) -> bool:
    """Whether the country of ``assessment`` (one the actor may read) requires the confirmed
    workshop before submission."""
    authz.require_read(actor, assessment)
    found = session.get(Country, assessment.country)
    return bool(found is not None and found.requires_workshop)


def set_required(session: Session, actor: Actor, country: str, required: bool) -> None:
    """Whether the country requires the confirmed workshop before submission: its focal point
    or an admin decides."""
    found = session.get(Country, country) if isinstance(country, str) else None
    if found is None:
        raise NotFound()
    if not process_rules.may_write_country(actor, found.iso3):
        raise NotAllowed()
    before = found.requires_workshop
    found.requires_workshop = bool(required)
    audit.record(session, actor.id, "country", found.iso3, "requires_workshop", before, required)


def require_before_submission(session: Session, assessment: Assessment) -> None:
    """``Invalid(workshop_required)`` when the country requires the workshop and this
    assessment's is not recorded and confirmed."""
    country = session.get(Country, assessment.country)
    if country is None or not country.requires_workshop:
        return
    found = session.scalar(select(Workshop).where(Workshop.assessment_id == assessment.id))
    if found is None or found.confirmed_at is None:
        raise Invalid(ErrorCode.WORKSHOP_REQUIRED)
