"""The offline questionnaire: build it for an assessment, and import it back in one transaction.

Every check is made before anything is written; the import then goes through the same
``save_answer`` as the app, so authorisation, conflicts and the audit log all apply. Each row of
the file remembers what its answer was when the file was made: a row the file did not edit is
never written, and a row edited both in the file and in the app since is a conflict, which keeps
the app's answer unless the user chooses the file's for that dimension.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from exports.offline import META_SHEET as META
from exports.offline import Problem as FileProblem
from exports.offline import (
    answer_digest,
    offline_workbook,
    read_offline_workbook,
    structure_checksum,
)
from wddf.config import get_settings
from wddf.domain import Confidence, Grade
from wddf.errors import ServiceError
from wddf.i18n import catalogue, t
from wddf.problems import Problem
from wddf.questionnaire import flat_table, structure_table
from wddf.services import audit
from wddf.services.actor import Actor
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments
from wddf.services.authz import require_country_editor
from wddf.services.editions import get_edition, newest_edition_id
from wddf.services.records import Record
from wddf.storage.tables import Assessment

YEAR = re.compile(r"[0-9]{4}")
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
    """What an import found: located problems, or the changes it made (or would make) and the
    conflicts: answers changed in the app since the file was made, and changed in the file too."""

    problems: list[str] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)  # dimension, before, after
    conflicts: list[dict] = field(default_factory=list)  # dimension, file, app, taken
    applied: bool = False
    assessment_id: int | None = None

    @property
    def kept(self) -> list[str]:
        """The dimensions whose app answer was kept over the file's."""
        return [c["dimension"] for c in self.conflicts if not c["taken"]]


def _labels(lang: str) -> dict[str, str]:
    """The workbook's texts in ``lang``: its own, and the confidence levels by name."""
    return {k: v for k, v in catalogue(lang).items() if k.startswith(("offline.", "entry.conf"))}


def confidence_names(lang: str) -> dict[str, str]:
    """Each confidence level by its name in ``lang`` (what the workbook's dropdown offers)."""
    return {c.value: t(f"entry.confidence.{c.value}", lang) for c in Confidence}


def _confidence_codes(rows: list[dict], lang: str) -> list[dict]:
    """The answers with each confidence given by its name in the workbook's language (or as a
    code) turned into its code; anything else is left for the checks to refuse."""
    codes = {name.casefold(): code for code, name in confidence_names(lang).items()}
    codes |= {code: code for code in CONFIDENCES}
    out = []
    for row in rows:
        given = row["confidence"]
        if isinstance(given, str) and given.strip().casefold() in codes:
            row = row | {"confidence": codes[given.strip().casefold()]}
        out.append(row)
    return out


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
    """The offline questionnaire for a country and year, with the current answers filled in: of
    the edition the country and year are assessed with, or the newest when not assessed yet
    (``edition_id`` chooses another)."""
    assessed = session.scalar(
        select(Assessment.edition_id)
        .where(Assessment.country == country, Assessment.year == year)
        .order_by(Assessment.id)
        .limit(1)
    )
    edition = get_edition(session, edition_id or assessed or newest_edition_id(session))
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
    rows["base"] = [_digest(given.get(d)) for d in rows["dimension_id"]]
    rows["row_version"] = [given[d].row_version if d in given else 0 for d in rows["dimension_id"]]
    rows["confidence"] = rows["confidence"].map(confidence_names(language)).astype(object)
    meta = {
        "edition_id": edition.id,
        "country": country,
        "year": str(year),
        "lang": language,
        "checksum": structure_checksum(structure_table(edition)),
    }
    return offline_workbook(rows, meta, _labels(language))


def _digest(answer: Record | None) -> str:
    """The digest of a stored answer's values, as the file's rows carry it."""
    if answer is None:
        return answer_digest(None, None, None, None)
    return answer_digest(answer.grade, answer.justification, answer.evidence, answer.confidence)


def _problem(where: str, code: str, **params: object) -> FileProblem:
    return FileProblem(where, code, params)


def _check_meta(session: Session, meta: dict[str, str]) -> tuple[list[FileProblem], object]:
    problems = []
    edition = None
    try:
        edition = get_edition(session, meta.get("edition_id", ""))
    except ServiceError:
        problems.append(_problem(META, "unknown_edition", edition=meta.get("edition_id", "")))
    if edition is not None and meta.get("checksum") != structure_checksum(structure_table(edition)):
        problems.append(_problem(META, "altered_structure"))
    if not YEAR.fullmatch(str(meta.get("year", ""))):  # "²⁰¹⁰" is digits to isdigit()
        problems.append(_problem(META, "bad_year", year=str(meta.get("year", ""))[:20]))
    if not meta.get("country"):
        problems.append(_problem(META, "no_country"))
    return problems, edition


def _check_rows(rows: list[dict], edition) -> list[FileProblem]:
    dims = {d.id: d for _, _, d in edition.dimensions()}
    problems, seen = [], set()
    for row in rows:
        where = f"{row['sheet']}!{{col}}{row['row']}"
        dim = dims.get(row["dimension_id"] or "")
        if dim is None:
            given = str(row["dimension_id"])[:40]
            problems.append(_problem(where.format(col="A"), "unknown_dimension", id=given))
            continue
        if dim.id in seen:
            problems.append(_problem(where.format(col="A"), "duplicate_dimension", id=dim.id))
        seen.add(dim.id)
        grade, reason = row["grade"], (row["justification"] or "").strip()
        if grade is not None and grade not in GRADES:
            problems.append(_problem(where.format(col="H"), "bad_grade", grade=grade[:10]))
        if grade == "NA" and not dim.na_allowed:
            problems.append(_problem(where.format(col="H"), "na_not_allowed", dimension=dim.id))
        if grade == "NA" and not reason:
            problems.append(_problem(where.format(col="I"), "na_needs_reason"))
        if row["confidence"] is not None and row["confidence"] not in CONFIDENCES:
            given = row["confidence"][:20]
            problems.append(_problem(where.format(col="K"), "bad_confidence", confidence=given))
    return problems


def _other_edition(
    session: Session, country: str, year: int, edition_id: str
) -> FileProblem | None:
    """An import never makes a second assessment of a country and year beside one of another
    edition: that file is refused, naming the edition already in use."""
    existing = session.scalar(
        select(Assessment.edition_id).where(
            Assessment.country == country,
            Assessment.year == year,
            Assessment.edition_id != edition_id,
        )
    )
    if existing is None:
        return None
    return _problem(META, "other_edition", edition=edition_id, existing=existing)


def import_workbook(
    session: Session,
    actor: Actor,
    content: bytes,
    dry_run: bool = False,
    lang: str = "en",
    take_file: Collection[str] = (),
) -> ImportReport:
    """Check everything, then apply every change in this one transaction (or none, when refused).

    A dry run makes exactly the same checks and saves, in a savepoint it then rolls back; so it
    refuses what the import would refuse. Problems are located and in ``lang``. A conflict keeps
    the app's answer unless its dimension is in ``take_file``. An applied import is audited."""
    read = read_offline_workbook(content, get_settings().evidence_max_bytes)
    read.answers = _confidence_codes(read.answers, read.meta.get("lang", "en"))
    problems = list(read.problems)
    edition = None
    if not problems:
        found, edition = _check_meta(session, read.meta)
        problems += found
    if edition is not None and not problems:
        problems += _check_rows(read.answers, edition)
        other = _other_edition(session, read.meta["country"], int(read.meta["year"]), edition.id)
        problems += [other] if other else []
    if problems:
        return ImportReport(problems=[message(p, lang) for p in problems])
    country, year = read.meta["country"], int(read.meta["year"])
    savepoint = session.begin_nested()  # a refusal or a dry run undoes everything below
    try:
        target = _find(session, country, year, edition.id) or assessments.create(
            session, actor, country, year, edition.id
        )
        report = _apply(session, actor, target.id, read.answers, dry_run, lang, set(take_file))
    except ServiceError as exc:
        savepoint.rollback()
        return ImportReport(problems=[f"{META}: {exc.message(lang)}"])
    if dry_run or report.problems:
        savepoint.rollback()
        report.applied = False
    else:
        _audit(session, actor, report)
        savepoint.commit()
    return report


def _audit(session: Session, actor: Actor, report: ImportReport) -> None:
    """One entry for the import as a whole: what it changed, and each conflict's outcome."""
    summary = {
        "changed": [c["dimension"] for c in report.changes],
        "conflicts_taken_from_file": [c["dimension"] for c in report.conflicts if c["taken"]],
        "conflicts_kept_from_app": report.kept,
    }
    entity = str(report.assessment_id)
    audit.record(session, actor.id, "assessment", entity, "offline_import", None, summary)


def message(problem: FileProblem, lang: str) -> str:
    """``where: message`` in ``lang``, from the ``offline.*`` codes of the problem catalogue."""
    return Problem.of(problem, "offline").located(lang)


def _apply(
    session: Session,
    actor: Actor,
    assessment_id: int,
    rows: list[dict],
    dry_run: bool,
    lang: str,
    take_file: set[str],
) -> ImportReport:
    """Save every row the file edited through ``save_answer`` (in a dry run too, inside the
    caller's savepoint), collecting each refusal with its row instead of stopping at the first.

    A row is edited when its values differ from those it was made with. A row blank in the file
    is never a change. An edited row whose answer the app changed since the file was made is a
    conflict: written only when its dimension is in ``take_file``."""
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
        values = (wanted.grade, wanted.justification, wanted.evidence, wanted.confidence)
        if not any(values) or answer_digest(*values) in (row["base"], _digest(before)):
            continue  # blank, not edited in the file, or already what the app holds
        version = before.row_version if before else 0
        if version != row["row_version"]:
            taken = wanted.dimension_id in take_file
            report.conflicts.append(_conflict(wanted, before, taken))
            if not taken:
                continue
        try:
            with session.begin_nested():
                assessments.save_answer(session, actor, assessment_id, wanted, version)
        except ServiceError as exc:
            report.problems.append(f"{row['sheet']}!A{row['row']}: {exc.message(lang)}")
            continue
        after = {"after": wanted.grade, "justification": wanted.justification}
        report.changes.append({"dimension": wanted.dimension_id, "before": _grade(before)} | after)
    if report.problems:
        report.changes = []
    return report


def _grade(answer: Record | None) -> str | None:
    return answer.grade if answer else None


def _conflict(wanted: AnswerInput, app: Record | None, taken: bool) -> dict:
    """Both sides of a conflict, as the preview shows them."""
    return {
        "dimension": wanted.dimension_id,
        "file": wanted.grade,
        "file_justification": wanted.justification,
        "app": _grade(app),
        "app_justification": app.justification if app else "",
        "taken": taken,
    }


def as_frame(report: ImportReport) -> pd.DataFrame:
    """The changes as a table, for a preview."""
    return pd.DataFrame(report.changes, columns=["dimension", "before", "after", "justification"])


def conflicts_frame(report: ImportReport) -> pd.DataFrame:
    """The conflicts as a table, both sides side by side, for a preview."""
    columns = ["dimension", "file", "file_justification", "app", "app_justification"]
    return pd.DataFrame(report.conflicts, columns=columns)
