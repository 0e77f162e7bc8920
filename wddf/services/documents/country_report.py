"""The country report to the WGAAP: one country's assessment of one year, as Word (.docx) and
PDF, in en, fr or pt. Scores come from ``services.scored`` through ``reports.collect`` (the same
figures as the donor workbook), agreement from ``insights.agreement``, the process from the
workflow's timeline and the answers' stakeholder groups, the matrix from ``action_plan``.

Who may have it: the country's focal point, reviewers and admins for what they may read, and
donors for published assessments (``domain.REPORT_ROLES``). PDF is LibreOffice's print of the
Word file; without LibreOffice, the refusal says so and the Word file is still there.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exports.report_tables import ReportTables
from wddf.domain import LETTER_OF_VALUE, MAX_YEAR, MIN_YEAR, REPORT_ROLES
from wddf.errors import ErrorCode, Invalid, NotAllowed, NotFound
from wddf.i18n import day, money, number, percent, t
from wddf.services import authz
from wddf.services.actor import Actor
from wddf.services.documents import report_annexes, reports
from wddf.services.documents.report_readings import DISPUTED_SHOWN, readings
from wddf.services.process import grade_changes, panels
from wddf.services.process import workshop as workshops
from wddf.services.review import workflow
from wddf.services.scores import insights
from wddf.storage.tables import Answer, Assessment

if TYPE_CHECKING:
    from exports.country_report import CountryReport

PDF_SECONDS = 180  # LibreOffice's start and print of a 20-page document takes a few seconds
CHANGED = ("improved", "declined", "changed")
GOAL_COLUMNS = ["title", "score", "coverage"]
INDICATOR_COLUMNS = ["indicator_id", "title", "grade", "grade_m1", "grade_m2", "score", "coverage"]
DIMENSION_COLUMNS = ["dimension_id", "layer", "grade", "last_grade", "change", "change_reason"]
DIMENSION_COLUMNS += ["change_points"]
LAYER_COLUMNS = ["law", "policy", "practice", "gap"]
OVERALL_COLUMNS = ["assessment_id", "year", "score", "coverage"]
OVERALL_COLUMNS += ["n_applicable", "n_graded", "n_dstar"]


def find(session: Session, actor: Actor, country: str, year: int) -> Assessment:
    """The assessment of ``country`` and ``year`` the actor may have a report of (the newest
    edition's when there are several); ``NotFound`` when there is none the actor may read."""
    if actor.role not in REPORT_ROLES:
        raise NotAllowed()
    if not (isinstance(country, str) and country.isascii() and country.isalpha()):
        raise NotFound()
    if not (isinstance(year, int) and MIN_YEAR <= year <= MAX_YEAR):
        raise Invalid(ErrorCode.BAD_YEAR, year=year, low=MIN_YEAR, high=MAX_YEAR)
    query = (
        select(Assessment)
        .where(Assessment.country == country.upper(), Assessment.year == year)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
    )
    for found in session.scalars(query):
        if authz.can_read(actor, found):
            return found
    raise NotFound()


def _only(frame: pd.DataFrame, assessment_id: int) -> pd.DataFrame:
    """The rows of one assessment (none when nothing of it is scored)."""
    if "assessment_id" not in frame.columns:
        return frame.iloc[0:0]
    return frame[frame["assessment_id"].eq(assessment_id)].reset_index(drop=True)


def _provisional(indicators: pd.DataFrame, titles: dict[str, str], marked: str) -> pd.DataFrame:
    """The indicators table, each grade made while applicable dimensions wait marked as
    provisional (PEFA has no partial grade), beside its coverage."""
    table = _titled(indicators, "indicator_id", titles, INDICATOR_COLUMNS).astype(
        {c: object for c in ("grade", "grade_m1", "grade_m2")}
    )
    if "provisional" not in indicators.columns:
        return table
    waiting = indicators["provisional"].fillna(False).astype(bool).to_numpy()
    for column in ("grade", "grade_m1", "grade_m2"):
        table[column] = [
            marked.format(grade=g) if wait and isinstance(g, str) else g
            for g, wait in zip(table[column], waiting, strict=True)
        ]
    return table


def _titled(frame: pd.DataFrame, key: str, titles: dict[str, str], columns: list[str]):
    """``columns`` of ``frame``, with each node's ``title`` in the report's language."""
    frame = frame.reindex(columns=[c for c in columns if c != "title"])
    titled = frame.assign(title=frame[key].astype(object).map(lambda n: titles.get(n, "")))
    return titled.reindex(columns=columns)


def _steps(session: Session, actor: Actor, assessment: Assessment, lang: str) -> pd.DataFrame:
    rows = [
        (
            t(f"workflow.step.{s.action}", lang)
            + (f" {t('workflow.override', lang)}" if s.override else ""),
            t(f"status.{s.status}", lang),
            s.user,
            s.at.strftime("%Y-%m-%d"),
            s.comment or "",
        )
        for s in workflow.timeline(session, actor, assessment.id)
    ]
    return pd.DataFrame(rows, columns=["step", "status", "by", "at", "comment"])


def _process(session: Session, actor: Actor, assessment: Assessment, lang: str) -> dict:
    """The panels, their sessions, the participants of both and the workshop, as tables."""
    found = panels.of_assessment(session, actor, assessment.id)
    rows = [(p.name, p.goals, len(p.members), len(p.sessions)) for p in found]
    sessions = [
        (p.name, day(s.held_on, lang), s.place, len(s.attendees), s.dimensions, s.decisions)
        for p in found
        for s in p.sessions
    ]
    people = [
        (m.name, m.institution, t(f"group.{m.group}", lang), p.name)
        for p in found
        for m in p.members
    ]
    held = workshops.of_assessment(session, actor, assessment.id)
    changed = []
    if held is not None:
        where = t("report.workshop", lang)
        people += [
            (w.name, w.institution, t(f"group.{w.group}", lang), where) for w in held.participants
        ]
        changed = grade_changes.at_workshop(session, held.id)
    return {
        "panels": pd.DataFrame(rows, columns=["panel", "goals", "members", "sessions"]),
        "sessions": pd.DataFrame(
            sessions, columns=["panel", "at", "place", "attendees", "dimensions", "decisions"]
        ),
        "participants": pd.DataFrame(people, columns=["name", "institution", "group", "where"]),
        "workshop": held,
        "workshop_changes": pd.DataFrame(
            changed, columns=["dimension_id", "before", "after", "reason"]
        ),
    }


def _groups(session: Session, assessment: Assessment, lang: str) -> pd.DataFrame:
    counts = session.execute(
        select(Answer.group, func.count())
        .where(Answer.assessment_id == assessment.id, Answer.grade.is_not(None))
        .group_by(Answer.group)
        .order_by(Answer.group)
    ).all()
    return pd.DataFrame(
        [(t(f"group.{g}", lang), n) for g, n in counts], columns=["group", "answers"]
    )


def _agreement(session: Session, actor: Actor, assessment: Assessment) -> pd.DataFrame:
    found = insights.agreement(session, actor, assessment.id)
    columns = ["dimension_id", "n_groups", "lowest", "highest", "consensus"]
    if found.empty:
        return pd.DataFrame(columns=columns)
    shown = found.head(DISPUTED_SHOWN)
    return shown.assign(
        lowest=shown["lowest"].map(LETTER_OF_VALUE), highest=shown["highest"].map(LETTER_OF_VALUE)
    ).reindex(columns=columns)


def require_reader(actor: Actor, assessment: Assessment) -> Assessment:
    """The assessment when the actor may have its report: ``REPORT_ROLES``, and what they may
    read (a donor: published only)."""
    if actor.role not in REPORT_ROLES:
        raise NotAllowed()
    return authz.require_read(actor, assessment)


def _frames(tables: ReportTables, assessment: Assessment, labels: dict[str, str]) -> dict:
    """The report's tables for ``assessment``, cut from the country's ``tables``."""
    from exports.donor_workbook import matrix_rows  # XlsxWriter: only when a report is made

    titles = tables.edition_titles(assessment.edition_id)
    dimensions = _only(tables.dimensions, assessment.id).reindex(columns=DIMENSION_COLUMNS)
    layers = _only(tables.layers, assessment.id).reindex(columns=["level", "id", *LAYER_COLUMNS])
    whole = labels["overall_layer"]
    layers = layers.assign(goal_id=layers["id"].where(layers["level"].ne("overall"), whole))
    matrix = matrix_rows(tables, labels)
    changes = _titled(
        dimensions[dimensions["change"].isin(CHANGED)],
        "dimension_id",
        titles,
        ["dimension_id", "title", "last_grade", "grade", "change", "change_reason"],
    )
    annex_columns = ["dimension_id", "title", "layer", "grade", "last_grade"]
    annex = _titled(dimensions, "dimension_id", titles, annex_columns)
    overall = tables.overall.reindex(columns=OVERALL_COLUMNS)
    return {
        "overall": _only(overall, assessment.id),
        "goals": _titled(
            _only(tables.goals, assessment.id), "goal_id", titles, ["goal_id", *GOAL_COLUMNS]
        ),
        "indicators": _provisional(
            _only(tables.indicators, assessment.id), titles, labels["grade.provisional"]
        ),
        "dimensions": dimensions,
        "history": overall[overall["year"].le(assessment.year)]
        .merge(tables.assessments[["assessment_id", "edition_id", "status"]], on="assessment_id")
        .sort_values("year")[["year", "score", "coverage", "edition_id", "status"]],
        "layers": layers.reindex(columns=["goal_id", *LAYER_COLUMNS]),
        "matrix": matrix[matrix["year"].eq(assessment.year)].drop(columns=["country", "year"]),
        "changes": changes.assign(
            change=changes["change"].map(lambda c: labels.get(f"change.{c}", c)),
            change_reason=changes["change_reason"].map(
                lambda r: labels.get(f"reason.{r}", r) if isinstance(r, str) else ""
            ),
        ),
        "annex": annex.assign(layer=annex["layer"].map(lambda v: labels.get(f"layer.{v}", v))),
    }


def gather(
    session: Session, actor: Actor, assessment: Assessment, lang: str = "en"
) -> CountryReport:
    """Everything the report of ``assessment`` says, in ``lang``, for what the actor may read."""
    from exports.country_report import CountryReport  # python-docx and matplotlib: on demand

    require_reader(actor, assessment)
    tables = reports.collect(session, actor, lang, assessment.country)
    labels = reports.labels(lang)
    found = _frames(tables, assessment, labels)
    found["agreement"] = _agreement(session, actor, assessment)
    found["steps"] = _steps(session, actor, assessment, lang)
    found["carried"] = _titled(
        _only(tables.carried, assessment.id),
        "goal_id",
        tables.edition_titles(assessment.edition_id),
        ["goal_id", "title", "confirmed", "in_bulk", "to_confirm"],
    )
    found.update(_process(session, actor, assessment, lang))
    titles = tables.edition_titles(assessment.edition_id)
    found.update(report_annexes.annexes(session, actor, assessment, titles, lang))
    recipe = next((r for r in tables.recipes if r["edition_id"] == assessment.edition_id), None)
    method = [labels[f"method.{n}"] for n in range(1, 6)]
    if recipe is not None:
        method.append(t("report.recipe", lang, **_recipe_params(recipe)))
    return CountryReport(
        lang=lang,
        title=t("report.title", lang),
        subtitle=t(
            "report.subtitle", lang, country=_country_name(tables, assessment), year=assessment.year
        ),
        cover=_cover(lang, assessment, tables.generated_at, recipe, found["statements"]),
        readings=readings(lang, assessment, found),
        goals=found["goals"],
        indicators=found["indicators"],
        layers=found["layers"],
        history=found["history"].reset_index(drop=True),
        changes=found["changes"],
        agreement=found["agreement"],
        steps=found["steps"],
        groups=_groups(session, assessment, lang),
        panels=found["panels"],
        sessions=found["sessions"],
        participants=found["participants"],
        workshop_changes=found["workshop_changes"],
        carried=found["carried"],
        matrix=_costed(found["matrix"], lang).reset_index(drop=True),
        dimensions=found["annex"],
        sector=found["sector"],
        statements=[(h, text) for k, h, text in found["statements"] if k not in COVER_STATEMENTS],
        background=found["background"],
        dstar=found["dstar"],
        evidence=found["evidence"],
        method=method,
        number=lambda value, digits=1: number(value, lang, digits),
        percent=partial(percent, lang=lang),
        is_demo=bool(assessment.is_demo),
    )


def _costed(matrix: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The matrix as the report prints it: the estimated cost with its currency in one cell
    (250 000 USD), as the plan page shows it; the workbook keeps two columns."""
    costs = [
        money(None if pd.isna(a) else int(a), c if isinstance(c, str) else "", lang)
        for a, c in zip(matrix["estimated_cost"], matrix["currency"], strict=True)
    ]
    return matrix.assign(estimated_cost=costs).drop(columns=["currency"])


def _country_name(tables, assessment: Assessment) -> str:
    names = tables.assessments.set_index("assessment_id")["country_name"]
    return str(names.get(assessment.id, assessment.country))


def _recipe_params(recipe: dict) -> dict[str, str]:
    return {
        "fingerprint": recipe["fingerprint"],
        "method": recipe["method_version"],
        "rule": recipe["m2_rule"],
    }


# The statements the cover shows under their own names; the others have a section each.
COVER_STATEMENTS = ("kp_focal_point", "endorsement")


def _cover(
    lang: str,
    assessment: Assessment,
    generated: str,
    recipe: dict | None,
    statements: list[tuple[str, str, str]],
):
    rows = [
        (t("report.cover.edition", lang), assessment.edition_id),
        (t("report.cover.status", lang), t(f"status.{assessment.status}", lang)),
        (t("report.cover.generated", lang), generated),
    ]
    rows += [(heading, text) for key, heading, text in statements if key in COVER_STATEMENTS]
    if recipe is not None:
        rows.append((t("report.cover.recipe", lang), recipe["fingerprint"]))
    return rows


def document(session: Session, actor: Actor, assessment: Assessment, lang: str = "en") -> bytes:
    """The report of ``assessment`` as an editable Word document."""
    from exports.country_report import country_report_docx

    return country_report_docx(gather(session, actor, assessment, lang), reports.labels(lang))


def docx(session: Session, actor: Actor, country: str, year: int, lang: str = "en") -> bytes:
    """The report of ``country``'s assessment of ``year`` as an editable Word document."""
    return document(session, actor, find(session, actor, country, year), lang)


def soffice() -> str | None:
    """LibreOffice's command, when it is installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_of(document: bytes) -> bytes:
    """A Word document printed to PDF by LibreOffice headless, in a profile of its own (so that
    prints at once do not share one); ``Invalid(pdf_unavailable)`` without LibreOffice."""
    command = soffice()
    if command is None:
        raise Invalid(ErrorCode.PDF_UNAVAILABLE)
    with tempfile.TemporaryDirectory(prefix="wddf-report-") as folder:
        source = Path(folder) / "report.docx"
        source.write_bytes(document)
        run = subprocess.run(
            [
                command,
                "--headless",
                f"-env:UserInstallation={(Path(folder) / 'profile').as_uri()}",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(source),
            ],
            capture_output=True,
            timeout=PDF_SECONDS,
            check=False,
        )
        printed = source.with_suffix(".pdf")
        if run.returncode != 0 or not printed.exists():
            raise Invalid(ErrorCode.PDF_FAILED)
        return printed.read_bytes()


def pdf(session: Session, actor: Actor, country: str, year: int, lang: str = "en") -> bytes:
    """The report as PDF (LibreOffice's print of the Word document)."""
    return pdf_of(docx(session, actor, country, year, lang))
