"""Answers carried over from the previous assessment: which assessment that is, copying its
answers into a new draft, and confirming them.

The previous assessment (``previous_of``) is the same for every role; carried answers count as
neither graded nor complete until someone confirms them unchanged (``confirm``) or changes them.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wddf.domain import CONSENSUS, REVIEWABLE, Grade
from wddf.errors import ErrorCode, Invalid
from wddf.services import audit, authz
from wddf.services.actor import Actor
from wddf.services.answer_rules import Saved, answer_key, values_of
from wddf.services.answers.assessments import create, get
from wddf.services.editions import get_edition
from wddf.services.records import Record, record
from wddf.storage.tables import Answer, Assessment
from wddf.textpolicy import clean


def previous_of(session: Session, assessment: Assessment) -> Assessment | None:
    """The country's previous assessment: the latest earlier one that was ever submitted. It is
    the same for everyone: what carries over, last year's grades and the consistency flags all
    compare against it."""
    return session.scalar(
        select(Assessment)
        .where(
            Assessment.country == assessment.country,
            Assessment.year < assessment.year,
            Assessment.status.in_([s.value for s in REVIEWABLE]),
        )
        .order_by(Assessment.year.desc())
        .limit(1)
    )


def sources(session: Session, assessment: Assessment, earlier: Assessment) -> dict[str, str]:
    """Each dimension of ``assessment``'s edition → the dimension of ``earlier`` it compares
    with: itself within one edition; across editions, the one it declares to continue (a
    dimension that continues nothing of ``earlier``'s edition has none)."""
    dims = [d for _, _, d in get_edition(session, assessment.edition_id).dimensions()]
    if earlier.edition_id == assessment.edition_id:
        return {d.id: d.id for d in dims}
    return {
        d.id: d.continues.dimension
        for d in dims
        if d.continues is not None and d.continues.edition == earlier.edition_id
    }


def _answers_by_source(
    session: Session, assessment: Assessment, earlier: Assessment
) -> dict[str, Answer]:
    """The consensus answers of ``earlier``, keyed by the dimension of ``assessment`` each one
    compares with (``sources``)."""
    rows = session.scalars(
        select(Answer).where(Answer.assessment_id == earlier.id, Answer.group == CONSENSUS)
    )
    by_dimension = {a.dimension_id: a for a in rows}
    found = {
        new: by_dimension.get(old) for new, old in sources(session, assessment, earlier).items()
    }
    return {new: answer for new, answer in found.items() if answer is not None}


def previous(
    session: Session, actor: Actor, assessment: Assessment | Record
) -> tuple[Record | None, dict[str, Record]]:
    """The previous assessment (``previous_of``), if the actor may read it, with its consensus
    answers keyed by the dimension of ``assessment`` each compares with (``sources``: across
    editions, the dimension it continues)."""
    found = previous_of(session, assessment)
    if found is None or not authz.can_read(actor, found):
        return None, {}
    by_source = _answers_by_source(session, assessment, found)
    return record(found), {dimension: record(answer) for dimension, answer in by_source.items()}


def create_from_last_year(
    session: Session, actor: Actor, country: str, year: int, edition_id: str
) -> Assessment:
    """A new draft (``assessments.create``) that starts from the previous assessment's answers
    (``copy_answers``). A real assessment never starts from a demo one (``demo_source``): its
    fictitious texts would pass for real; the caller's unit of work is then rolled back whole."""
    assessment = create(session, actor, country, year, edition_id)
    previous = previous_of(session, assessment)
    if previous is not None and previous.is_demo and not assessment.is_demo:
        raise Invalid(ErrorCode.DEMO_SOURCE, country=country, year=previous.year)
    copy_answers(session, actor, assessment)
    return assessment


def copy_answers(session: Session, actor: Actor, assessment: Assessment) -> int:
    """Copy the consensus answers of the country's previous assessment (``previous_of``), each
    marked carried over: it counts as neither graded nor complete until someone confirms or
    changes it (``confirm``, ``assessments.save_answer``). Across editions, each dimension takes
    the answer of the dimension it continues (``sources``), except an NA where the new dimension
    allows none; a dimension that continues nothing starts empty."""
    previous = previous_of(session, assessment)
    if previous is None:
        return 0
    dims = get_edition(session, assessment.edition_id).dimension_index
    copied = 0
    for dimension_id, old in _answers_by_source(session, assessment, previous).items():
        if old.grade != Grade.NA or dims[dimension_id].na_allowed:
            session.add(
                Answer(
                    assessment_id=assessment.id,
                    dimension_id=dimension_id,
                    group=CONSENSUS,
                    grade=old.grade,
                    justification=old.justification,
                    evidence=old.evidence,
                    confidence=old.confidence,
                    carried_over=True,
                    updated_by=actor.id,
                    updated_at=audit.now(),
                    row_version=1,
                )
            )
            copied += 1
    audit.record(
        session,
        actor.id,
        "assessment",
        str(assessment.id),
        "carry_over",
        None,
        {"from": previous.id, "answers": copied},
    )
    return copied


def confirm(
    session: Session, actor: Actor, assessment_id: int, dimension_ids: list[str]
) -> dict[str, Saved]:
    """Confirm, unchanged, the carried-over consensus answers among ``dimension_ids`` (one card,
    or every card of a goal). Each confirmation is audited on its answer and bumps its row
    version; returns each answer confirmed with its new version. Answers already confirmed or
    changed are left alone."""
    assessment = get(session, actor, assessment_id, lock=True)
    authz.require_answer_write(actor, assessment, CONSENSUS)
    known = {d.id for _, _, d in get_edition(session, assessment.edition_id).dimensions()}
    wanted = {clean("dimension_id", d) for d in dimension_ids} & known  # ids of no dimension: none
    rows = session.scalars(
        select(Answer).where(
            Answer.assessment_id == assessment_id,
            Answer.group == CONSENSUS,
            Answer.carried_over.is_(True),
            Answer.dimension_id.in_(wanted),
        )
    )
    moment = audit.now()
    confirmed = {}
    for row in rows:
        row.carried_over = False
        row.row_version += 1
        row.updated_by = actor.id
        row.updated_at = moment
        confirmed[row.dimension_id] = Saved(row.row_version, moment)
        key = answer_key(assessment_id, row.dimension_id)
        audit.record(session, actor.id, "answer", key, "confirm", None, values_of(row))
    if confirmed:
        session.execute(
            update(Assessment).where(Assessment.id == assessment_id).values(updated_at=moment)
        )
    return confirmed


def states(session: Session, actor: Actor, assessment_id: int) -> dict[str, str]:
    """For each consensus answer carried over from last year: ``to_confirm``, or ``confirmed``
    once someone confirmed it unchanged (an answer changed since is simply an answer)."""
    assessment = get(session, actor, assessment_id)
    states = {
        a.dimension_id: "to_confirm"
        for a in session.scalars(
            select(Answer).where(
                Answer.assessment_id == assessment_id,
                Answer.group == CONSENSUS,
                Answer.carried_over.is_(True),
            )
        )
    }
    since = assessment.created_at
    for entry in audit.entries_like(session, "answer", f"{assessment_id}:", since):
        dimension, group = entry["entity_id"].split(":", 2)[1:]
        if group == CONSENSUS and entry["action"] == "confirm":
            states[dimension] = "confirmed"
        elif group == CONSENSUS and entry["action"] == "save":
            states.pop(dimension, None)
    return states
