"""Assignments: the focal point gives a goal or an indicator of an assessment to one or more
people of the country (an investigator who researches it, a panelist who grades it) with a due
date. Each person sees their own with progress; the board shows every assignment of an
assessment by state (not started, in progress, done, late) to its focal point and admins, who
change it, and to reviewers, who read it.

Progress is the share of the node's dimensions graded in the group the person grades in (a
panelist's own stakeholder group; the consensus for everyone else); an answer carried over from
last year and not yet confirmed does not count, as on the checklist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wddf.domain import ASSIGNMENT_TASKS, DUE_SOON_DAYS, EDITABLE, NoticeKind, Role, group_of
from wddf.errors import ErrorCode, Invalid, NotAllowed, NotFound
from wddf.services import audit, authz, notices
from wddf.services.actor import Actor
from wddf.services.answers import assessments
from wddf.services.process import process_rules
from wddf.services.records import Record, records
from wddf.storage.db import get_row
from wddf.storage.tables import Answer, Assessment, Assignment, User
from wddf.textpolicy import clean


@dataclass(frozen=True)
class AssignmentState:
    """One assignment as its people and the board see it."""

    id: int
    assessment_id: int
    country: str
    year: int
    node_id: str
    user_id: int
    person: str
    task: str
    due_on: date
    graded: int
    total: int
    state: str  # domain.ASSIGNMENT_STATES


def assign(
    session: Session,
    actor: Actor,
    assessment_id: int,
    node_id: str,
    user_ids: list[int],
    task: str,
    due_on: date,
) -> list[Assignment]:
    """Give ``node_id`` (a goal or an indicator) to each of ``user_ids``, due on ``due_on``; a
    person who has it already gets the new task and date. All or nothing; audited."""
    assessment = assessments.get(session, actor, assessment_id, lock=True)
    process_rules.require_writer(actor, assessment)
    node_id = clean("dimension_id", node_id)
    process_rules.node_dimensions(process_rules.edition_of(session, assessment), node_id)
    if task not in ASSIGNMENT_TASKS:
        raise Invalid(ErrorCode.UNKNOWN_TASK, task=str(task)[:20])
    process_rules.in_window(assessment, due_on)
    if not user_ids:
        raise Invalid(ErrorCode.UNKNOWN_PERSON, person="")
    people = [process_rules.country_person(session, assessment, u) for u in dict.fromkeys(user_ids)]
    made = []
    for person in people:
        found = session.scalar(
            select(Assignment).where(
                Assignment.assessment_id == assessment.id,
                Assignment.node_id == node_id,
                Assignment.user_id == person.id,
            )
        )
        before = None if found is None else {"task": found.task, "due": found.due_on.isoformat()}
        if found is None:
            found = Assignment(assessment_id=assessment.id, node_id=node_id, user_id=person.id)
            session.add(found)
        found.task, found.due_on = task, due_on
        found.assigned_by, found.assigned_at = actor.id, audit.now()
        session.flush()
        audit.record(
            session,
            actor.id,
            "assignment",
            str(found.id),
            "assign",
            before,
            {"node": node_id, "user": person.username, "task": task, "due": due_on.isoformat()},
        )
        params = {"country": assessment.country, "year": assessment.year, "node": node_id}
        params |= {"task": task, "due": due_on.isoformat(), "by": actor.username}
        key = f"assigned:{found.id}:{task}:{due_on.isoformat()}"
        notices.tell(session, NoticeKind.ASSIGNED, key, [person], assessment.id, params, actor)
        made.append(found)
    return made


def unassign(session: Session, actor: Actor, assignment_id: int) -> None:
    """Take an assignment back; audited."""
    found = get_row(session, Assignment, assignment_id)
    if found is None:
        raise NotFound()
    assessment = assessments.get(session, actor, found.assessment_id, lock=True)
    process_rules.require_writer(actor, assessment)
    audit.record(session, actor.id, "assignment", str(found.id), "unassign", found.node_id, None)
    session.delete(found)


def board(
    session: Session, actor: Actor, assessment_id: int, today: date | None = None
) -> list[AssignmentState]:
    """Every assignment of an assessment with its state: for its focal point, admins and
    reviewers (read-only); panelists see their own (``mine``)."""
    assessment = assessments.get(session, actor, assessment_id)
    if not (process_rules.may_write(actor, assessment) or actor.role is Role.REVIEWER):
        raise NotAllowed()
    query = select(Assignment).where(Assignment.assessment_id == assessment.id)
    return states(session, [(assessment, a) for a in session.scalars(query)], today)


def mine(session: Session, actor: Actor, today: date | None = None) -> list[AssignmentState]:
    """The actor's own assignments, in assessments they may read, soonest due first."""
    query = (
        select(Assessment, Assignment)
        .join(Assignment, Assignment.assessment_id == Assessment.id)
        .where(Assignment.user_id == actor.id)
    )
    rows = [(a, g) for a, g in session.execute(query) if authz.can_read(actor, a)]
    return sorted(states(session, rows, today), key=lambda s: (s.due_on, s.node_id))


def states(
    session: Session, rows: list[tuple[Assessment, Assignment]], today: date | None
) -> list[AssignmentState]:
    """Each (assessment, assignment) of ``rows`` with its progress and state on ``today``."""
    today = today or date.today()
    wanted = {g.user_id for _, g in rows}
    people = {u.id: u for u in session.scalars(select(User).where(User.id.in_(wanted)))}
    graded = _graded(session, {a.id for a, _ in rows})
    out = []
    for assessment, given in rows:
        dims = process_rules.node_dimensions(
            process_rules.edition_of(session, assessment), given.node_id
        )
        person = people[given.user_id]
        group = group_of(Role(person.role), person.group)
        done = sum(1 for d in dims if (assessment.id, d, group) in graded)
        if done == len(dims):
            state = "done"
        elif given.due_on < today:
            state = "late"
        else:
            state = "in_progress" if done else "not_started"
        out.append(
            AssignmentState(
                id=given.id,
                assessment_id=assessment.id,
                country=assessment.country,
                year=assessment.year,
                node_id=given.node_id,
                user_id=person.id,
                person=person.display_name or person.username,
                task=given.task,
                due_on=given.due_on,
                graded=done,
                total=len(dims),
                state=state,
            )
        )
    return out


def _graded(session: Session, assessment_ids: set[int]) -> set[tuple[int, str, str]]:
    """(assessment, dimension, group) of every answer that counts as graded."""
    if not assessment_ids:
        return set()
    query = select(Answer.assessment_id, Answer.dimension_id, Answer.group).where(
        Answer.assessment_id.in_(assessment_ids),
        Answer.grade.is_not(None),
        Answer.carried_over.is_(False),
    )
    return {tuple(row) for row in session.execute(query)}


def assignable(session: Session, actor: Actor, assessment_id: int) -> list[Record]:
    """The people an assessment's goals may be given to: its country's active focal points and
    panelists (for its writers only)."""
    assessment = assessments.get(session, actor, assessment_id)
    process_rules.require_writer(actor, assessment)
    query = (
        select(User)
        .where(User.country == assessment.country, User.active.is_(True))
        .order_by(func.lower(User.username))
    )
    return records(session.scalars(query))


def tell_digest(session: Session, today: date) -> int:
    """Once a day, each person with assignments not done that are late or due within
    ``DUE_SOON_DAYS`` days, in assessments still open for answers, gets one notice listing them
    (keyed by the person and the day, so running it again the same day tells nobody twice).
    Returns how many were told."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    query = (
        select(Assessment, Assignment)
        .join(Assignment, Assignment.assessment_id == Assessment.id)
        .where(
            Assignment.due_on <= soon,
            Assessment.status.in_([status.value for status in EDITABLE]),
        )
    )
    rows = list(session.execute(query))
    by_person: dict[int, list[dict]] = {}
    for state in states(session, rows, today):
        if state.state == "done":
            continue
        by_person.setdefault(state.user_id, []).append(
            {
                "assessment_id": state.assessment_id,
                "country": state.country,
                "year": state.year,
                "node": state.node_id,
                "due": state.due_on.isoformat(),
                "late": state.due_on < today,
            }
        )
    told = 0
    for user_id, items in sorted(by_person.items()):
        person = session.get(User, user_id)
        if person is None or not person.active:
            continue
        items.sort(key=lambda item: (item["due"], item["node"]))
        params = {"items": items, "late": sum(1 for i in items if i["late"])}
        params["soon"] = len(items) - params["late"]
        first = items[0]["assessment_id"]
        key = f"digest:{today.isoformat()}"
        told += notices.tell(session, NoticeKind.DIGEST, key, [person], first, params)
    return told
