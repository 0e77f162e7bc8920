"""Thematic multi-stakeholder panels and their sessions.

A panel of an assessment has a name, the goals it covers and members (an account of the tool or
not) with their stakeholder group. A session has a date within the assessment's window, a
place, attendees (members and named guests), the dimensions discussed (of the panel's goals),
decisions and minutes. Recording a session links the consensus grades of those dimensions that
changed on its day to it (``grade_changes``), so the profile can say "agreed at the panel
session of 12 March". The country's focal point and admins write panels and sessions; each
member writes their own note on a session, and no one else's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from wddf.domain import STAKEHOLDER_GROUPS
from wddf.errors import ErrorCode, Invalid, NotFound
from wddf.services import audit
from wddf.services.actor import Actor
from wddf.services.answers import assessments
from wddf.services.process import grade_changes, process_rules
from wddf.services.process.grade_changes import AgreedAt
from wddf.services.records import Record, records
from wddf.storage.db import get_row
from wddf.storage.tables import (
    Panel,
    PanelMember,
    PanelSession,
    SessionAttendee,
    SessionNote,
)
from wddf.textpolicy import clean


@dataclass(frozen=True)
class Guest:
    """Someone at a session who is not a member of the panel."""

    name: str
    institution: str = ""


@dataclass(frozen=True)
class SessionRecord:
    """What the focal point records of one session."""

    held_on: date
    place: str = ""
    members: list[int] = field(default_factory=list)  # ids of the panel's members present
    guests: list[Guest] = field(default_factory=list)
    dimensions: list[str] = field(default_factory=list)
    decisions: str = ""
    minutes: str = ""


def _panel(session: Session, actor: Actor, panel_id: int, write: bool = False, lock: bool = False):
    """The panel and its assessment, for a reader (or, with ``write``, a writer) of it; the
    assessment's row is locked for a writer, or with ``lock``."""
    panel = get_row(session, Panel, panel_id)
    if panel is None:
        raise NotFound()
    assessment = assessments.get(session, actor, panel.assessment_id, lock=write or lock)
    if write:
        process_rules.require_writer(actor, assessment)
    return panel, assessment


def create(
    session: Session, actor: Actor, assessment_id: int, name: str, goals: list[str]
) -> Panel:
    """A new panel covering ``goals`` (goal ids of the assessment's edition)."""
    assessment = assessments.get(session, actor, assessment_id, lock=True)
    process_rules.require_writer(actor, assessment)
    name = clean("panel_name", name).strip()
    if not name:
        raise Invalid(ErrorCode.NAME_REQUIRED)
    known = {g.id for g in process_rules.edition_of(session, assessment).goals}
    goals = [clean("dimension_id", g) for g in dict.fromkeys(goals)]
    for goal in goals or [""]:
        if goal not in known:
            raise Invalid(ErrorCode.UNKNOWN_NODE, node=goal)
    taken = select(Panel.id).where(Panel.assessment_id == assessment.id, Panel.name == name)
    if session.scalar(taken) is not None:
        raise Invalid(ErrorCode.DUPLICATE_PANEL, name=name)
    panel = Panel(
        assessment_id=assessment.id, name=name, goals=" ".join(goals), created_at=audit.now()
    )
    session.add(panel)
    session.flush()
    audit.record(session, actor.id, "panel", str(panel.id), "create", None, {"name": name})
    return panel


def add_member(
    session: Session,
    actor: Actor,
    panel_id: int,
    name: str,
    group: str,
    institution: str = "",
    user_id: int | None = None,
) -> PanelMember:
    """A member of the panel, with their stakeholder group; ``user_id`` names an account of
    the country (its name is the member's name when none is given)."""
    panel, item = _panel(session, actor, panel_id, write=True)
    user = None if user_id is None else process_rules.country_person(session, item, user_id)
    name = clean("display_name", name).strip() or (
        user.display_name or user.username if user else ""
    )
    if not name:
        raise Invalid(ErrorCode.NAME_REQUIRED)
    if group not in STAKEHOLDER_GROUPS:
        raise Invalid(ErrorCode.UNKNOWN_GROUP, group=str(group)[:40])
    member = PanelMember(
        panel_id=panel.id,
        user_id=None if user is None else user.id,
        name=name,
        institution=clean("institution", institution).strip(),
        group=group,
    )
    session.add(member)
    session.flush()
    audit.record(session, actor.id, "panel", str(panel.id), "member", None, {"name": name})
    return member


def record_session(
    session: Session, actor: Actor, panel_id: int, given: SessionRecord
) -> PanelSession:
    """Record a session; the consensus grades of its dimensions changed on its day are linked
    to it. Refused whole: a date outside the window, an attendee who is not a member, a guest
    without a name, a dimension outside the panel's goals."""
    panel, item = _panel(session, actor, panel_id, write=True)
    held_on = process_rules.in_window(item, given.held_on)
    members = {
        m.id for m in session.scalars(select(PanelMember).where(PanelMember.panel_id == panel.id))
    }
    for member_id in given.members:
        if member_id not in members:
            raise Invalid(ErrorCode.UNKNOWN_PERSON, person=str(member_id)[:20])
    guests = [
        Guest(clean("display_name", g.name).strip(), clean("institution", g.institution).strip())
        for g in given.guests
    ]
    if any(not g.name for g in guests):
        raise Invalid(ErrorCode.NAME_REQUIRED)
    dimensions = _panel_dimensions(session, item, panel, given.dimensions)
    made = PanelSession(
        panel_id=panel.id,
        held_on=held_on,
        place=clean("place", given.place).strip(),
        dimensions=" ".join(dimensions),
        decisions=clean("decisions", given.decisions).strip(),
        minutes=clean("minutes", given.minutes).strip(),
        recorded_by=actor.id,
        recorded_at=audit.now(),
    )
    session.add(made)
    session.flush()
    session.add_all(
        SessionAttendee(session_id=made.id, member_id=m) for m in dict.fromkeys(given.members)
    )
    session.add_all(
        SessionAttendee(session_id=made.id, guest=g.name, guest_institution=g.institution)
        for g in guests
    )
    changed = grade_changes.on_day(session, item, held_on, set(dimensions))
    grade_changes.link(session, changed, session_id=made.id)
    summary = {"panel": panel.name, "day": held_on.isoformat(), "linked": len(changed)}
    audit.record(session, actor.id, "panel_session", str(made.id), "record", None, summary)
    return made


def _panel_dimensions(session: Session, item, panel: Panel, wanted: list[str]) -> list[str]:
    """``wanted`` when each is a dimension of one of the panel's goals."""
    goals = set(panel.goals.split())
    of_goal = {d.id: g.id for g, _, d in process_rules.edition_of(session, item).dimensions()}
    out = []
    for dimension_id in dict.fromkeys(clean("dimension_id", d) for d in wanted):
        if dimension_id not in of_goal:
            raise Invalid(ErrorCode.UNKNOWN_DIMENSION, dimension=dimension_id)
        if of_goal[dimension_id] not in goals:
            raise Invalid(ErrorCode.NOT_IN_PANEL, node=dimension_id, panel=panel.name)
        out.append(dimension_id)
    return out


def write_note(session: Session, actor: Actor, session_id: int, body: str) -> SessionNote:
    """A member's own note on a session of their panel (replacing their earlier note), while
    the assessment is open."""
    held = get_row(session, PanelSession, session_id)
    if held is None:
        raise NotFound()
    panel, item = _panel(session, actor, held.panel_id, lock=True)
    process_rules.require_open(item)
    member = select(PanelMember.id).where(
        PanelMember.panel_id == panel.id, PanelMember.user_id == actor.id
    )
    if session.scalar(member) is None:
        raise Invalid(ErrorCode.NOT_A_MEMBER)
    body = clean("comment", body).strip()
    note = session.scalar(
        select(SessionNote).where(
            SessionNote.session_id == held.id, SessionNote.author_id == actor.id
        )
    )
    if note is None:
        note = SessionNote(
            session_id=held.id, author_id=actor.id, body=body, updated_at=audit.now()
        )
        session.add(note)
    audit.record(session, actor.id, "session_note", str(held.id), "write", note.body or None, body)
    note.body, note.updated_at = body, audit.now()
    session.flush()
    return note


def of_assessment(session: Session, actor: Actor, assessment_id: int) -> list[Record]:
    """The panels of an assessment the actor may read, by name, with their members and their
    sessions (attendees and members' notes)."""
    assessment = assessments.get(session, actor, assessment_id)
    query = select(Panel).where(Panel.assessment_id == assessment.id).order_by(Panel.name)
    held = {"attendees": {}, "notes": {}}
    return records(session.scalars(query), members={}, sessions=held)


def agreed(session: Session, actor: Actor, assessment_id: int) -> dict[str, AgreedAt]:
    """Where each dimension's consensus grade was agreed (a session or the workshop), for an
    assessment the actor may read."""
    assessment = assessments.get(session, actor, assessment_id)
    return grade_changes.agreed_at(session, assessment.id)


def dimensions_of(
    session: Session, actor: Actor, panel_id: int, session_id: int | None = None
) -> set[str]:
    """The dimensions a panel covers (of its goals), or that one of its sessions discussed."""
    panel, item = _panel(session, actor, panel_id)
    if session_id is not None:
        held = next((s for s in panel.sessions if s.id == session_id), None)
        if held is None:
            raise NotFound()
        return set(held.dimensions.split())
    goals = set(panel.goals.split())
    return {
        d.id for g, _, d in process_rules.edition_of(session, item).dimensions() if g.id in goals
    }
