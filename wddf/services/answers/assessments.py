"""Assessments and their answers: creation, autosave with optimistic concurrency, history."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

import pandas as pd
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wddf.domain import CONSENSUS, MAX_YEAR, MIN_YEAR, Confidence, Grade, Status
from wddf.errors import Conflict, ErrorCode, Invalid
from wddf.services import audit, authz
from wddf.services.actor import Actor
from wddf.services.answer_rules import (
    PANEL_GROUPS,
    AnswerInput,
    Saved,
    answer_key,
    values_of,
)
from wddf.services.answers import autosave
from wddf.services.countries import country_name
from wddf.services.editions import get_edition
from wddf.services.records import Record, record, records
from wddf.storage.db import get_row
from wddf.storage.tables import Answer, Assessment, Country, User
from wddf.textpolicy import clean


def get(session: Session, actor: Actor, assessment_id: int, lock: bool = False) -> Assessment:
    """One assessment the actor may read. With ``lock``, its row is locked until the end of the
    transaction (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's writers already take turns), so
    that a check of its status and the write that depends on it agree. Without ``lock``, a row
    the session already holds is not read again (a page's services share one reading session)."""
    if lock:
        found = get_row(
            session, Assessment, assessment_id, with_for_update=True, populate_existing=True
        )
    else:
        found = get_row(session, Assessment, assessment_id)
    return authz.require_read(actor, found)


STAMP_COLUMNS = ("id", "country", "year", "status", "edition_id", "version", "updated_at")


def readable_keys(session: Session, actor: Actor, country: str | None = None) -> list:
    """What identifies each assessment the actor may read (``STAMP_COLUMNS``, as light rows
    rather than loaded objects), by country then year: for choosers and cache stamps."""
    query = select(*(getattr(Assessment, c) for c in STAMP_COLUMNS))
    if country is not None:
        query = query.where(Assessment.country == country)
    rows = session.execute(query.order_by(Assessment.country, Assessment.year)).all()
    return [row for row in rows if authz.can_read(actor, row)]


def view(session: Session, actor: Actor, assessment_id: int) -> Record:
    """One assessment the actor may read, as a record for a page (``get``)."""
    return record(get(session, actor, assessment_id))


def visible(
    session: Session,
    actor: Actor,
    countries: Collection[str] | None = None,
    ids: Collection[int] | None = None,
) -> list[Record]:
    """Every assessment the actor may read (optionally of some ``countries``, or only those of
    ``ids``), by country then year."""
    query = select(Assessment).order_by(Assessment.country, Assessment.year)
    if countries is not None:
        query = query.where(Assessment.country.in_(sorted(countries)))
    if ids is not None:
        query = query.where(Assessment.id.in_(sorted(ids)))
    return records(a for a in session.scalars(query) if authz.can_read(actor, a))


TABLE_COLUMNS = [
    "assessment_id",
    "country",
    "country_name",
    "year",
    "edition_id",
    "status",
    "is_demo",
    "region",
    "language",
]


def table(
    session: Session,
    actor: Actor,
    lang: str = "en",
    country: str | None = None,
    year: int | None = None,
    countries: Collection[str] | None = None,
    ids: Collection[int] | None = None,
) -> tuple[list[Assessment], pd.DataFrame]:
    """The assessments the actor may read (optionally of one country, of some ``countries``, of
    one year, or only those of ``ids``), and the same as a table with the country's name in
    ``lang``, region and language."""
    if country is not None:
        countries = {country} & set(countries) if countries is not None else {country}
    chosen = [a for a in visible(session, actor, countries, ids) if year is None or a.year == year]
    meta = {c.iso3: c for c in session.scalars(select(Country))}
    rows = [
        (
            a.id,
            a.country,
            country_name(a.country, lang),
            a.year,
            a.edition_id,
            a.status,
            a.is_demo,
            getattr(meta.get(a.country), "region", ""),
            getattr(meta.get(a.country), "language", ""),
        )
        for a in chosen
    ]
    return chosen, pd.DataFrame(rows, columns=TABLE_COLUMNS)


def new_row(country: str, year: int, edition_id: str, status: str, is_demo: bool) -> Assessment:
    """A new assessment row, made now at version 1 (``create`` checks and audits it)."""
    moment = audit.now()
    return Assessment(
        country=country,
        year=year,
        edition_id=edition_id,
        status=status,
        is_demo=is_demo,
        created_at=moment,
        updated_at=moment,
        version=1,
    )


def create(
    session: Session,
    actor: Actor,
    country: str,
    year: int,
    edition_id: str,
    *,
    is_demo: bool = False,
) -> Assessment:
    """A new draft for a country, year and edition (``carry_over.create_from_last_year`` starts
    one from the previous assessment's answers)."""
    authz.require_country_editor(actor, country)
    if session.get(Country, country) is None:
        raise Invalid(ErrorCode.UNKNOWN_COUNTRY, country=country)
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise Invalid(ErrorCode.BAD_YEAR, year=year, low=MIN_YEAR, high=MAX_YEAR)
    get_edition(session, edition_id)
    taken = select(Assessment).where(
        Assessment.country == country, Assessment.year == year, Assessment.edition_id == edition_id
    )
    if session.scalar(taken):
        raise Invalid(
            ErrorCode.DUPLICATE_ASSESSMENT, country=country, year=year, edition=edition_id
        )
    assessment = new_row(country, year, edition_id, Status.DRAFT.value, is_demo)
    session.add(assessment)
    session.flush()
    audit.record(
        session,
        actor.id,
        "assessment",
        str(assessment.id),
        "create",
        None,
        {"country": country, "year": year, "edition": edition_id},
    )
    return assessment


def _validate(session: Session, assessment: Assessment, given: AnswerInput) -> None:
    dims = {d.id: d for _, _, d in get_edition(session, assessment.edition_id).dimensions()}
    dim = dims.get(given.dimension_id)
    if dim is None:
        raise Invalid(ErrorCode.UNKNOWN_DIMENSION, dimension=given.dimension_id)
    if given.grade is not None and given.grade not in set(Grade):
        raise Invalid(ErrorCode.UNKNOWN_GRADE, grade=given.grade)
    if given.grade == Grade.NA and not dim.na_allowed:
        raise Invalid(ErrorCode.NA_NOT_ALLOWED, dimension=dim.id)
    if given.confidence is not None and given.confidence not in set(Confidence):
        raise Invalid(ErrorCode.UNKNOWN_CONFIDENCE, confidence=given.confidence)
    if given.group not in PANEL_GROUPS:
        raise Invalid(ErrorCode.UNKNOWN_GROUP, group=given.group)


def _cleaned(given: AnswerInput) -> AnswerInput:
    """The answer's texts as the text policy stores them (``wddf.textpolicy``)."""
    return replace(
        given,
        dimension_id=clean("dimension_id", given.dimension_id),
        justification=clean("justification", given.justification),
        evidence=clean("evidence", given.evidence),
    )


def _conflict(session: Session, current: Answer | None) -> Conflict | Invalid:
    """The refusal of a save made on a stale version: their answer, or that it was removed."""
    if current is None:
        return Invalid(ErrorCode.STALE_MISSING)
    user = session.get(User, current.updated_by)
    return Conflict(
        values_of(current), user.username if user else "?", current.updated_at, current.row_version
    )


def save_answer(
    session: Session, actor: Actor, assessment_id: int, given: AnswerInput, seen_version: int
) -> Saved:
    """Autosave one answer. ``seen_version`` is the row version the caller saw (0: no answer yet).

    When someone saved in between, raises ``Conflict`` with their value and time, and writes
    nothing. Every save is audited.
    """
    given = _cleaned(given)
    moment = audit.now()
    key = answer_key(assessment_id, given.dimension_id, given.group)
    write = autosave.guarded(actor, assessment_id, given, seen_version, moment, key)
    version = autosave.save(session, write)
    if version is not None:
        autosave.show_written(session, write, version)
        return Saved(version, moment)
    return _checked_save(session, actor, assessment_id, given, seen_version)


def _checked_save(
    session: Session, actor: Actor, assessment_id: int, given: AnswerInput, seen_version: int
) -> Saved:
    """The save that reads first: it explains every refusal and conflict (and saves when the hot
    path's guards could not tell, as for an edition this process has not read yet)."""
    assessment = get(session, actor, assessment_id, lock=True)  # a submission waits for this save
    authz.require_answer_write(actor, assessment, given.group)
    _validate(session, assessment, given)
    key = (
        Answer.assessment_id == assessment_id,
        Answer.dimension_id == given.dimension_id,
        Answer.group == given.group,
    )
    current = session.scalar(select(Answer).where(*key))
    moment = audit.now()
    if current is None and seen_version == 0:
        try:
            with session.begin_nested():
                session.add(
                    Answer(
                        assessment_id=assessment_id,
                        dimension_id=given.dimension_id,
                        group=given.group,
                        **values_of(given),
                        carried_over=False,
                        updated_by=actor.id,
                        updated_at=moment,
                        row_version=1,
                    )
                )
        except IntegrityError:
            raise _conflict(session, session.scalar(select(Answer).where(*key))) from None
        old, version = None, 1
    elif current is None or current.row_version != seen_version:
        raise _conflict(session, current)
    else:
        old, version = values_of(current), seen_version + 1
        done = session.execute(
            update(Answer)
            .where(*key, Answer.row_version == seen_version)
            .values(
                **values_of(given),
                carried_over=False,
                updated_by=actor.id,
                updated_at=moment,
                row_version=version,
            )
            .execution_options(synchronize_session=False)
        )
        session.expire_all()  # loaded rows must show what was just written
        if done.rowcount != 1:  # changed, or removed, since it was read
            raise _conflict(session, session.scalar(select(Answer).where(*key)))
    session.execute(
        update(Assessment).where(Assessment.id == assessment_id).values(updated_at=moment)
    )
    audit.record(
        session,
        actor.id,
        "answer",
        answer_key(assessment_id, given.dimension_id, given.group),
        "save",
        old,
        values_of(given),
    )
    return Saved(version, moment)


def answers(
    session: Session, actor: Actor, assessment_id: int, group: str | None = CONSENSUS
) -> list[Record]:
    """The answers of an assessment (one group, or all groups with ``group=None``)."""
    get(session, actor, assessment_id)
    query = select(Answer).where(Answer.assessment_id == assessment_id)
    if group is not None:
        query = query.where(Answer.group == group)
    return records(session.scalars(query.order_by(Answer.dimension_id, Answer.group)))


def history(
    session: Session, actor: Actor, assessment_id: int, dimension_id: str, group: str = CONSENSUS
) -> list[dict]:
    """Who changed one dimension's answer, when, old → new; oldest first."""
    get(session, actor, assessment_id)
    entries = audit.entries(session, "answer", answer_key(assessment_id, dimension_id, group))
    names = {u.id: u.username for u in session.scalars(select(User))}
    return [e | {"user": names.get(e["user_id"], "?")} for e in entries]


def progress(
    session: Session, actor: Actor, assessment_list: list[Assessment], group: str = CONSENSUS
) -> dict[int, tuple[int, int]]:
    """For each assessment: (answers of ``group`` graded, dimensions in its edition). A
    carried-over answer not yet confirmed is not graded."""
    ids = [a.id for a in assessment_list if authz.can_read(actor, a)]
    graded = dict(
        session.execute(
            select(Answer.assessment_id, func.count())
            .where(
                Answer.assessment_id.in_(ids),
                Answer.group == group,
                Answer.grade.is_not(None),
                Answer.carried_over.is_(False),
            )
            .group_by(Answer.assessment_id)
        ).all()
    )
    return {
        a.id: (graded.get(a.id, 0), len(get_edition(session, a.edition_id).dimensions()))
        for a in assessment_list
        if a.id in ids
    }
