"""Answers carried over from the previous assessment: which assessment that is, copying its
answers into a new draft, and confirming them.

The previous assessment (``previous_of``) is the same for every role; carried answers count as
neither graded nor complete until someone confirms them unchanged (``confirm``) or changes them.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session, aliased

from wddf.domain import CONSENSUS, REVIEWABLE, Grade
from wddf.errors import ErrorCode, Invalid
from wddf.services import audit, authz
from wddf.services.actor import Actor
from wddf.services.answer_rules import Saved, answer_key, values_of
from wddf.services.answers.assessments import create, get
from wddf.services.editions import continuity_of, get_edition
from wddf.services.records import Record, record
from wddf.storage.tables import Answer, Assessment, AuditEntry
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
    dimension that continues nothing of ``earlier``'s edition has none), directly or through
    the editions between them (``editions.continuity_of``)."""
    if earlier.edition_id == assessment.edition_id:
        dims = get_edition(session, assessment.edition_id).dimensions()
        return {d.id: d.id for _, _, d in dims}
    links = continuity_of(session, assessment.edition_id)
    links = links[links["previous_edition"].eq(earlier.edition_id)]
    return dict(zip(links["dimension_id"], links["previous_dimension_id"], strict=True))


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


CONFIRM, CONFIRM_IN_BULK = "confirm", "confirm_in_bulk"  # audit actions on an answer


def confirm(
    session: Session,
    actor: Actor,
    assessment_id: int,
    dimension_ids: list[str],
    in_bulk: bool = False,
) -> dict[str, Saved]:
    """Confirm, unchanged, the carried-over consensus answers among ``dimension_ids`` (one card,
    or, ``in_bulk``, every card of a goal). Each confirmation is audited on its answer (as
    ``confirm`` or ``confirm_in_bulk``) and bumps its row version; returns each answer confirmed
    with its new version. Answers already confirmed or changed are left alone."""
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
        action = CONFIRM_IN_BULK if in_bulk else CONFIRM
        audit.record(session, actor.id, "answer", key, action, None, values_of(row))
    if confirmed:
        session.execute(
            update(Assessment).where(Assessment.id == assessment_id).values(updated_at=moment)
        )
    return confirmed


CONFIRMED_STATES = {CONFIRM: "confirmed", CONFIRM_IN_BULK: "confirmed_in_bulk"}


def _states_of(session: Session, assessment_ids: Collection[int]) -> dict[tuple[int, str], str]:
    """(assessment, dimension) → ``to_confirm`` for a consensus answer still carried over, or
    ``confirmed`` / ``confirmed_in_bulk`` for one whose latest confirmation no save followed."""
    ids = set(assessment_ids)
    states = {
        key: "to_confirm"
        for key in session.execute(
            select(Answer.assessment_id, Answer.dimension_id).where(
                Answer.assessment_id.in_(ids),
                Answer.group == CONSENSUS,
                Answer.carried_over.is_(True),
            )
        )
    }
    later = aliased(AuditEntry)
    query = select(AuditEntry.entity_id, AuditEntry.action).where(
        AuditEntry.entity == "answer",
        AuditEntry.action.in_(tuple(CONFIRMED_STATES)),
        AuditEntry.entity_id.endswith(f":{CONSENSUS}", autoescape=True),
        ~exists().where(
            later.entity == "answer",
            later.entity_id == AuditEntry.entity_id,
            later.action == "save",
            later.id > AuditEntry.id,
        ),
    )
    if len(ids) == 1:
        query = query.where(AuditEntry.entity_id.startswith(f"{min(ids)}:", autoescape=True))
    for entity_id, action in session.execute(query.order_by(AuditEntry.id)):
        assessment_id, dimension_id, _ = entity_id.split(":", 2)
        if int(assessment_id) in ids:
            states[(int(assessment_id), dimension_id)] = CONFIRMED_STATES[action]
    return states


def states(session: Session, actor: Actor, assessment_id: int) -> dict[str, str]:
    """For each consensus answer carried over from last year: ``to_confirm``, or ``confirmed``
    (``confirmed_in_bulk``, with a whole goal) once someone confirmed it unchanged; an answer
    changed since is simply an answer."""
    get(session, actor, assessment_id)
    return {d: state for (_, d), state in _states_of(session, [assessment_id]).items()}


@dataclass(frozen=True)
class Confirmations:
    """Of one goal's answers carried over from last year: how many stand confirmed unchanged,
    how many of those with the whole goal at once, and how many still wait."""

    goal_id: str
    confirmed: int
    in_bulk: int
    to_confirm: int


def _per_goal(session: Session, edition_id: str, states: dict[str, str]) -> list[Confirmations]:
    """The counts of each goal with carried-over answers, in the edition's order."""
    by_goal: dict[str, list[str]] = {}
    for goal, _, dim in get_edition(session, edition_id).dimensions():
        if dim.id in states:
            by_goal.setdefault(goal.id, []).append(states[dim.id])
    return [
        Confirmations(
            goal_id,
            kinds.count("confirmed") + kinds.count("confirmed_in_bulk"),
            kinds.count("confirmed_in_bulk"),
            kinds.count("to_confirm"),
        )
        for goal_id, kinds in by_goal.items()
    ]


def confirmations(session: Session, actor: Actor, assessment_id: int) -> list[Confirmations]:
    """Per goal: the answers confirmed unchanged from last year, and those confirmed in bulk,
    as the review page shows them."""
    assessment = get(session, actor, assessment_id)
    return _per_goal(session, assessment.edition_id, states(session, actor, assessment_id))


CONFIRMATION_COLUMNS = ["assessment_id", "goal_id", "confirmed", "in_bulk", "to_confirm"]


def confirmation_table(session: Session, assessments: pd.DataFrame) -> pd.DataFrame:
    """The same counts for every assessment of ``assessments`` (assessment_id, edition_id: rows
    the caller was allowed to read), one row per assessment and goal, for the exports."""
    by_assessment: dict[int, dict[str, str]] = {}
    for (assessment_id, dimension_id), state in _states_of(
        session, assessments["assessment_id"].tolist()
    ).items():
        by_assessment.setdefault(assessment_id, {})[dimension_id] = state
    rows = []
    for assessment_id, edition_id in assessments[["assessment_id", "edition_id"]].itertuples(
        index=False
    ):
        states = by_assessment.get(assessment_id)
        if states:
            rows += [
                (assessment_id, c.goal_id, c.confirmed, c.in_bulk, c.to_confirm)
                for c in _per_goal(session, edition_id, states)
            ]
    return pd.DataFrame(rows, columns=CONFIRMATION_COLUMNS)
