"""The offline questionnaire: build it for an assessment, and import it back in one transaction.

Every check is made before anything is written; the import then goes through the same
``save_answer`` as the app, so authorisation, conflicts and the audit log all apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from exports.offline import offline_workbook, read_offline_workbook, structure_checksum
from wddf.config import get_settings
from wddf.domain import Confidence, Grade
from wddf.i18n import catalogue
from wddf.questionnaire import flat_table, structure_table
from wddf.services import assessments
from wddf.services.actor import Actor
from wddf.services.assessments import AnswerInput
from wddf.services.authz import require_country_editor
from wddf.services.editions import get_edition, newest_edition_id
from wddf.services.errors import ServiceError
from wddf.storage.tables import Assessment

GRADES = {g.value for g in Grade}
CONFIDENCES = {c.value for c in Confidence}
COLUMN_LETTERS = {
    "dimension_id": "A",
    "grade": "H",
    "justification": "I",
    "evidence": "J",
    "confidence": "K",
}


@dataclass
class ImportReport:
    """What an import found: located problems, or the changes it made (or would make)."""

    problems: list[str] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)  # dimension, before, after
    applied: bool = False
    assessment_id: int | None = None


def _labels(lang: str) -> dict[str, str]:
    return {k: v for k, v in catalogue(lang).items() if k.startswith("offline.")}


def _find(session: Session, country: str, year: int, edition_id: str) -> Assessment | None:
    return session.scalar(
        select(Assessment).where(
            Assessment.country == country,
            Assessment.year == year,
            Assessment.edition_id == edition_id,
        )
    )


def template(
    session: Session,
    actor: Actor,
    country: str,
    year: int,
    lang: str,
    edition_id: str | None = None,
) -> bytes:
    """The offline questionnaire for a country and year, with the current answers filled in."""

    edition = get_edition(session, edition_id or newest_edition_id(session))
    existing = _find(session, country, year, edition.id)
    given = {}
    if existing is not None:
        given = {a.dimension_id: a for a in assessments.answers(session, actor, existing.id)}
    else:
        require_country_editor(actor, country)
    language = lang if lang in edition.languages else edition.languages[0]
    rows = flat_table(edition, language).rename(columns={"dimension_title": "title"})
    rows["grade"] = rows["dimension_id"].map(lambda d: given[d].grade if d in given else None)
    for column in ("justification", "evidence", "confidence"):
        rows[column] = rows["dimension_id"].map(
            lambda d, c=column: getattr(given[d], c) if d in given else None
        )
    meta = {
        "edition_id": edition.id,
        "country": country,
        "year": str(year),
        "lang": language,
        "checksum": structure_checksum(structure_table(edition)),
    }
    return offline_workbook(rows, meta, _labels(language))


def _check_meta(session: Session, meta: dict[str, str]) -> tuple[list[str], object]:
    problems = []
    edition = None
    try:
        edition = get_edition(session, meta.get("edition_id", ""))
    except ServiceError:
        problems.append(f"_meta: unknown edition {meta.get('edition_id')!r}")
    if edition is not None and meta.get("checksum") != structure_checksum(structure_table(edition)):
        problems.append(
            "_meta: the structure checksum does not match the edition: the file was altered"
        )
    if not str(meta.get("year", "")).isdigit():
        problems.append(f"_meta: year {meta.get('year')!r} is not a year")
    if not meta.get("country"):
        problems.append("_meta: no country")
    return problems, edition


def _check_rows(rows: list[dict], edition) -> list[str]:
    dims = {d.id: d for _, _, d in edition.dimensions()}
    problems, seen = [], set()
    for row in rows:
        where = f"{row['sheet']}!{{col}}{row['row']}"
        dim = dims.get(row["dimension_id"] or "")
        if dim is None:
            given = row["dimension_id"]
            problems.append(
                f"{where.format(col='A')} (id): unknown or altered dimension id {given!r}"
            )
            continue
        if dim.id in seen:
            problems.append(f"{where.format(col='A')} (id): {dim.id} appears twice")
        seen.add(dim.id)
        grade, reason = row["grade"], (row["justification"] or "").strip()
        if grade is not None and grade not in GRADES:
            problems.append(
                f"{where.format(col='H')} (grade): {grade!r} is not one of A B C D D* NA"
            )
        if grade == "NA" and not dim.na_allowed:
            problems.append(f"{where.format(col='H')} (grade): NA is not allowed for {dim.id}")
        if grade == "NA" and not reason:
            problems.append(f"{where.format(col='I')} (justification): NA needs a reason")
        if row["confidence"] is not None and row["confidence"] not in CONFIDENCES:
            given = row["confidence"]
            problems.append(
                f"{where.format(col='K')} (confidence): {given!r} is not low, medium or high"
            )
    return problems


def import_workbook(
    session: Session, actor: Actor, content: bytes, dry_run: bool = False
) -> ImportReport:
    """Check everything, then apply every change in this one transaction (or none, when refused)."""
    read = read_offline_workbook(content, get_settings().evidence_max_bytes)
    if read.problems:
        return ImportReport(problems=read.problems)
    problems, edition = _check_meta(session, read.meta)
    if edition is not None:
        problems += _check_rows(read.answers, edition)
    if problems:
        return ImportReport(problems=problems)
    country, year = read.meta["country"], int(read.meta["year"])
    savepoint = session.begin_nested()  # a refusal or a dry run undoes everything below
    try:
        target = _find(session, country, year, edition.id) or assessments.create(
            session, actor, country, year, edition.id
        )
        report = _apply(session, actor, target.id, read.answers, dry_run)
    except ServiceError as exc:
        savepoint.rollback()
        return ImportReport(problems=[exc.message("en")])
    if dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
    return report


def _apply(
    session: Session, actor: Actor, assessment_id: int, rows: list[dict], dry_run: bool
) -> ImportReport:
    stored = {a.dimension_id: a for a in assessments.answers(session, actor, assessment_id)}
    report = ImportReport(assessment_id=assessment_id, applied=not dry_run)
    for row in rows:
        before = stored.get(row["dimension_id"])
        wanted = AnswerInput(
            row["dimension_id"],
            row["grade"],
            row["justification"] or "",
            row["evidence"] or "",
            row["confidence"],
        )
        now = (
            (before.grade, before.justification, before.evidence, before.confidence)
            if before
            else None
        )
        if now == (wanted.grade, wanted.justification, wanted.evidence, wanted.confidence) or (
            before is None and wanted.grade is None and not wanted.justification
        ):
            continue
        report.changes.append(
            {
                "dimension": wanted.dimension_id,
                "before": before.grade if before else None,
                "after": wanted.grade,
            }
        )
        if not dry_run:
            assessments.save_answer(
                session, actor, assessment_id, wanted, before.row_version if before else 0
            )
    return report


def as_frame(report: ImportReport) -> pd.DataFrame:
    """The changes as a table, for a preview."""
    return pd.DataFrame(report.changes, columns=["dimension", "before", "after"])
