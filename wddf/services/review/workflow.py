"""The review workflow: draft → submitted → in review → returned or validated → published."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wddf.config import get_settings
from wddf.domain import (
    ANSWER_FIELDS,
    CONSENSUS,
    STEP_NOTICES,
    TRANSITIONS,
    Action,
    Grade,
    NoticeKind,
    Role,
    Status,
)
from wddf.errors import ErrorCode, Invalid, NotAllowed, NotFound, TransitionRefused
from wddf.services import audit, authz, notices
from wddf.services.actor import Actor
from wddf.services.answers.assessments import get
from wddf.services.editions import get_edition
from wddf.services.process import workshop
from wddf.services.records import Record, records
from wddf.storage.db import get_row
from wddf.storage.tables import Answer, Assessment, AuditEntry, ReviewComment, User
from wddf.textpolicy import clean

COUNTRY_ACTIONS = frozenset({Action.SUBMIT, Action.PUBLISH})


@dataclass(frozen=True)
class Missing:
    """One item of the submission checklist."""

    dimension_id: str
    problem: str  # "ungraded", "unconfirmed", "na_without_reason", "no_justification"


def missing_items(
    session: Session, assessment: Assessment, group: str = CONSENSUS
) -> list[Missing]:
    """What still stops submission, for one group's answers (the consensus by default): every
    dimension graded (or NA with a reason) and justified, and no answer carried over from last
    year left unconfirmed."""
    given = {
        a.dimension_id: a
        for a in session.scalars(
            select(Answer).where(Answer.assessment_id == assessment.id, Answer.group == group)
        )
    }
    out = []
    for _, _, dim in get_edition(session, assessment.edition_id).dimensions():
        answer = given.get(dim.id)
        problem = (
            problem_of(answer.grade, answer.justification, answer.carried_over)
            if answer is not None
            else "ungraded"
        )
        if problem is not None:
            out.append(Missing(dim.id, problem))
    return out


NOT_GRADED = frozenset({"ungraded", "unconfirmed"})  # problems of an answer that counts as ungraded


def problem_of(grade: str | None, justification: str | None, carried_over: bool) -> str | None:
    """What stops one answer from counting as complete (a ``Missing.problem``), or None."""
    if grade is None:
        return "ungraded"
    if carried_over:
        return "unconfirmed"
    if not (justification or "").strip():
        return "na_without_reason" if grade == Grade.NA else "no_justification"
    return None


def _refuse_incomplete(session: Session, assessment: Assessment) -> None:
    """A submission is refused while items are missing; unconfirmed carried-over answers are
    named, because they look complete."""
    missing = missing_items(session, assessment)
    unconfirmed = [m.dimension_id for m in missing if m.problem == "unconfirmed"]
    if unconfirmed:
        shown = ", ".join(unconfirmed[:20]) + (" …" if len(unconfirmed) > 20 else "")
        raise TransitionRefused(ErrorCode.UNCONFIRMED, count=len(unconfirmed), dimensions=shown)
    if missing:
        raise TransitionRefused(ErrorCode.INCOMPLETE, count=len(missing))


def _may(actor: Actor, assessment: Assessment, action: Action) -> bool:
    """Whether the actor's role (and, for a country's own steps, their country) may take
    ``action`` on this assessment, whatever its status."""
    if actor.role not in TRANSITIONS[action][2]:
        return False
    return action not in COUNTRY_ACTIONS or actor.is_admin or actor.country == assessment.country


def allowed_actions(actor: Actor, assessment: Assessment) -> list[Action]:
    """The workflow steps the actor may take on the assessment now, in the order of
    ``domain.TRANSITIONS``; ``transition`` refuses every other one. Pages offer these."""
    status = Status(assessment.status)
    return [
        action
        for action, (allowed_from, _, _) in TRANSITIONS.items()
        if status in allowed_from and _may(actor, assessment, action)
    ]


def transition(
    session: Session, actor: Actor, assessment_id: int, action: Action, comment: str = ""
) -> Assessment:
    """Take one workflow step; refused unless allowed from the current status for this role.
    The assessment's row is locked first, so a save racing this step either lands before it (and
    a submission checks it) or is refused after it."""
    comment = clean("reason", comment)
    assessment = get(session, actor, assessment_id, lock=True)
    allowed_from, target, _ = TRANSITIONS[action]
    if not _may(actor, assessment, action):
        raise NotAllowed()
    current = Status(assessment.status)
    if current not in allowed_from:
        raise TransitionRefused(action=action.value, status=current.value)
    if action in (Action.RETURN, Action.REOPEN) and not comment.strip():
        raise Invalid(ErrorCode.COMMENT_REQUIRED)
    if action is Action.SUBMIT:
        _refuse_incomplete(session, assessment)
        workshop.require_before_submission(session, assessment)
    override = _separation_of_duties(session, actor, assessment_id, action, comment)
    moment = audit.now()
    changed = session.execute(
        update(Assessment)
        .where(Assessment.id == assessment_id, Assessment.status == current.value)
        .values(
            status=target.value,
            updated_at=moment,
            version=Assessment.version + 1,
            **({"submitted_at": moment} if action is Action.SUBMIT else {}),
        )
    )
    if changed.rowcount != 1:
        raise TransitionRefused(action=action.value, status="changed")
    if comment.strip():
        session.add(
            ReviewComment(
                assessment_id=assessment_id,
                dimension_id=None,
                author_id=actor.id,
                body=comment.strip(),
                resolved=False,
                created_at=moment,
            )
        )
    audit.record(
        session,
        actor.id,
        "assessment",
        str(assessment_id),
        action.value,
        current.value,
        {"status": target.value, "comment": comment.strip() or None}
        | ({"override": "separation_of_duties"} if override else {}),
    )
    session.refresh(assessment)
    if action in STEP_NOTICES:
        notices.tell_step(session, actor, STEP_NOTICES[action], assessment, comment.strip())
    return assessment


# The step whose author may not take the next one, with separation of duties on.
EARLIER_STEP = {Action.VALIDATE: Action.SUBMIT, Action.PUBLISH: Action.VALIDATE}


def _separation_of_duties(
    session: Session, actor: Actor, assessment_id: int, action: Action, comment: str
) -> bool:
    """With ``WDDF_SEPARATION_OF_DUTIES`` (on by default), whoever submitted an assessment does
    not validate it and whoever validated it does not publish it. An administrator may override
    with a written reason: True when this step is such an override (it is audited as one)."""
    earlier = EARLIER_STEP.get(action)
    if earlier is None or not get_settings().separation_of_duties:
        return False
    steps = audit.entries(session, "assessment", str(assessment_id))
    last = next((e for e in reversed(steps) if e["action"] == earlier.value), None)
    if last is None or last["user_id"] != actor.id:
        return False
    if actor.is_admin and comment.strip():
        return True
    raise NotAllowed(ErrorCode.SAME_PERSON, action=action.value, earlier=earlier.value)


@dataclass(frozen=True)
class Step:
    """One workflow step taken: what, by whom, when, and the reason given."""

    action: str  # "create" or an ``Action``
    status: str  # the status it led to
    user: str
    at: datetime
    comment: str | None
    override: bool = False  # an administrator's override of the separation of duties


def timeline(session: Session, actor: Actor, assessment_id: int) -> list[Step]:
    """Who created the assessment and took each workflow step, and when; oldest first."""
    get(session, actor, assessment_id)
    names = dict(session.execute(select(User.id, User.username)).all())
    steps = []
    for entry in audit.entries(session, "assessment", str(assessment_id)):
        if entry["action"] == "create":
            status, comment = Status.DRAFT.value, None
        elif entry["action"] in set(Action):
            status, comment = entry["new"]["status"], entry["new"].get("comment")
        else:
            continue
        user = names.get(entry["user_id"], "?")
        override = entry["action"] != "create" and bool(entry["new"].get("override"))
        steps.append(Step(entry["action"], status, user, entry["at"], comment, override))
    return steps


def add_comment(
    session: Session, actor: Actor, assessment_id: int, body: str, dimension_id: str | None = None
) -> ReviewComment:
    """A reviewer's comment on a dimension or on the whole assessment; focal points may reply."""
    assessment = get(session, actor, assessment_id)
    if actor.role is not Role.FOCAL_POINT:
        authz.require_reviewer(actor)
    body = clean("comment", body).strip()
    dimension_id = clean("dimension_id", dimension_id) or None
    if not body:
        raise Invalid(ErrorCode.COMMENT_REQUIRED)
    if dimension_id and dimension_id not in {
        d.id for _, _, d in get_edition(session, assessment.edition_id).dimensions()
    }:
        raise Invalid(ErrorCode.UNKNOWN_DIMENSION, dimension=dimension_id)
    comment = ReviewComment(
        assessment_id=assessment_id,
        dimension_id=dimension_id,
        author_id=actor.id,
        body=body.strip(),
        resolved=False,
        created_at=audit.now(),
    )
    session.add(comment)
    session.flush()
    audit.record(
        session, actor.id, "comment", str(comment.id), "create", None, {"body": comment.body}
    )
    if actor.role is not Role.FOCAL_POINT:  # a reviewer's comment: the country is told
        people = notices.recipients(session, NoticeKind.COMMENT, assessment)
        params = {"country": assessment.country, "year": assessment.year, "by": actor.username}
        params |= {"dimension": dimension_id or "", "body": comment.body}
        key = f"comment:{comment.id}"
        notices.tell(session, NoticeKind.COMMENT, key, people, assessment_id, params, actor)
    return comment


def comments(session: Session, actor: Actor, assessment_id: int) -> list[Record]:
    """Every comment on an assessment the actor may read, oldest first. Review comments are an
    exchange between reviewers and the country: donors read results, not the comments."""
    if actor.role is Role.DONOR:
        raise NotAllowed()
    get(session, actor, assessment_id)
    return records(
        session.scalars(
            select(ReviewComment)
            .where(ReviewComment.assessment_id == assessment_id)
            .order_by(ReviewComment.id)
        )
    )


def set_resolved(session: Session, actor: Actor, comment_id: int, resolved: bool) -> None:
    """Mark a comment resolved, or open it again (its author, a reviewer or an admin); audited."""
    comment = get_row(session, ReviewComment, comment_id)
    if comment is None:
        raise NotFound()
    get(session, actor, comment.assessment_id)
    if comment.author_id != actor.id:
        authz.require_reviewer(actor)
    if comment.resolved == resolved:
        return
    comment.resolved = resolved
    action = "resolve" if resolved else "reopen"
    audit.record(session, actor.id, "comment", str(comment.id), action, not resolved, resolved)


@dataclass(frozen=True)
class FieldChange:
    """One field of one dimension that changed since the previous submission."""

    dimension_id: str
    group: str
    field: str  # one of ``ANSWER_FIELDS``, or "files"
    before: str | None
    after: str | None


def changes_since_previous_submission(
    session: Session, actor: Actor, assessment_id: int
) -> list[FieldChange]:
    """Every field changed between the previous submission and now, with its value then and now:
    grade, justification, evidence and confidence of each answer, and the evidence files added or
    removed (``before``/``after`` name the file). Empty before a second submission."""
    get(session, actor, assessment_id)
    submits = [
        e["at"]
        for e in audit.entries(session, "assessment", str(assessment_id))
        if e["action"] == "submit"
    ]
    if len(submits) < 2:
        return []
    since = submits[-2]
    first_and_last: dict[tuple[str, str], list] = {}
    for entry in audit.entries_like(session, "answer", f"{assessment_id}:", since):
        _, dimension, group = entry["entity_id"].split(":", 2)
        pair = first_and_last.setdefault((dimension, group), [entry["old"], None])
        pair[1] = entry["new"]
    out = []
    for (dimension, group), (then, now) in first_and_last.items():
        then, now = then or {}, now or {}
        out += [
            FieldChange(dimension, group, name, then.get(name), now.get(name))
            for name in ANSWER_FIELDS
            if (then.get(name) or None) != (now.get(name) or None)
        ]
    return out + evidence_changes(session, assessment_id, since)


def evidence_changes(session: Session, assessment_id: int, since: datetime) -> list[FieldChange]:
    """Evidence files uploaded or removed since ``since``, as changes of their dimension."""
    out = []
    for row in session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.entity == "evidence_file",
            AuditEntry.at > since,
            AuditEntry.action.in_(("upload", "delete")),
        )
        .order_by(AuditEntry.id)
    ):
        value = json.loads((row.new_value if row.action == "upload" else row.old_value) or "{}")
        if value.get("assessment") != assessment_id:
            continue
        before, after = (None, value["name"]) if row.action == "upload" else (value["name"], None)
        out.append(FieldChange(value.get("dimension") or "", CONSENSUS, "files", before, after))
    return out
