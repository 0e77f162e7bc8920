"""The review workflow: draft → submitted → in review → returned or validated → published."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wddf.domain import CONSENSUS, TRANSITIONS, Action, Grade, Role, Status
from wddf.services import audit, authz
from wddf.services.actor import Actor
from wddf.services.assessments import get
from wddf.services.editions import get_edition
from wddf.services.errors import ErrorCode, Invalid, NotAllowed, TransitionRefused
from wddf.storage.tables import Answer, Assessment, ReviewComment
from wddf.textpolicy import clean

COUNTRY_ACTIONS = frozenset({Action.SUBMIT, Action.PUBLISH})


@dataclass(frozen=True)
class Missing:
    """One item of the submission checklist."""

    dimension_id: str
    problem: str  # "ungraded", "na_without_reason", "no_justification"


def missing_items(session: Session, assessment: Assessment) -> list[Missing]:
    """What still stops submission: every dimension graded (or NA with a reason), each justified."""
    given = {
        a.dimension_id: a
        for a in session.scalars(
            select(Answer).where(Answer.assessment_id == assessment.id, Answer.group == CONSENSUS)
        )
    }
    out = []
    for _, _, dim in get_edition(session, assessment.edition_id).dimensions():
        answer = given.get(dim.id)
        if answer is None or answer.grade is None:
            out.append(Missing(dim.id, "ungraded"))
        elif not answer.justification.strip():
            out.append(
                Missing(
                    dim.id, "na_without_reason" if answer.grade == Grade.NA else "no_justification"
                )
            )
    return out


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
    if action is Action.SUBMIT and missing_items(session, assessment):
        raise TransitionRefused(ErrorCode.INCOMPLETE, count=len(missing_items(session, assessment)))
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
        {"status": target.value, "comment": comment.strip() or None},
    )
    session.refresh(assessment)
    return assessment


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
    return comment


def comments(session: Session, actor: Actor, assessment_id: int) -> list[ReviewComment]:
    """Every comment on an assessment the actor may read, oldest first. Review comments are an
    exchange between reviewers and the country: donors read results, not the comments."""
    if actor.role is Role.DONOR:
        raise NotAllowed()
    get(session, actor, assessment_id)
    return list(
        session.scalars(
            select(ReviewComment)
            .where(ReviewComment.assessment_id == assessment_id)
            .order_by(ReviewComment.id)
        )
    )


def resolve_comment(session: Session, actor: Actor, comment_id: int) -> None:
    """Mark a comment resolved (its author, a reviewer or an admin)."""
    comment = session.get(ReviewComment, comment_id)
    if comment is None:
        raise Invalid(ErrorCode.NOT_FOUND)
    get(session, actor, comment.assessment_id)
    if comment.author_id != actor.id:
        authz.require_reviewer(actor)
    comment.resolved = True
    audit.record(session, actor.id, "comment", str(comment.id), "resolve", False, True)


def changes_since_previous_submission(
    session: Session, actor: Actor, assessment_id: int
) -> list[dict]:
    """Answers changed between the previous submission and now: dimension, value then → now."""
    get(session, actor, assessment_id)
    submits = [
        e["at"]
        for e in audit.entries(session, "assessment", str(assessment_id))
        if e["action"] == "submit"
    ]
    if len(submits) < 2:
        return []
    since = submits[-2]
    changed: dict[str, dict] = {}
    for entry in audit.entries_like(session, "answer", f"{assessment_id}:", since):
        _, dimension, group = entry["entity_id"].split(":", 2)
        first = changed.setdefault(
            f"{dimension}:{group}",
            {"dimension": dimension, "group": group, "then": entry["old"], "now": None},
        )
        first["now"] = entry["new"]
    return [c for c in changed.values() if c["then"] != c["now"]]
