"""Everything a user can download, made on request for what the actor may read: the donor
workbook, the tidy data package, the offline questionnaire of an assessment, an evidence file,
the country report to the WGAAP (Word, or PDF with ``format=pdf``).

The app serves them from its own route (``/wddf/download/<kind>``), which checks the session
cookie first; each service below enforces who may read what.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from wddf.errors import NotFound
from wddf.i18n import LANGUAGES
from wddf.services.actor import Actor
from wddf.services.answers import assessments, evidence, offline
from wddf.services.documents import country_report, reports
from wddf.storage.db import row_id

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KINDS = ("workbook", "package", "offline", "evidence", "report")


@dataclass(frozen=True)
class Download:
    """A file to hand to the browser."""

    name: str
    media_type: str
    content: bytes


def _number(value: str | None) -> int:
    """A row id from the URL; ``NotFound`` for anything else (the services find no row for an
    id beyond what the column holds)."""
    found = row_id(value)
    if found is None:
        raise NotFound()
    return found


def make(session: Session, actor: Actor, kind: str, params: dict[str, str]) -> Download:
    """The file ``kind`` for ``params`` (``country``, ``lang``, ``assessment``, ``file``);
    ``NotFound`` for anything unknown or not readable by the actor."""
    lang = params.get("lang") if params.get("lang") in LANGUAGES else "en"
    country = params.get("country") or None
    if country is not None and not (country.isascii() and country.isalpha() and len(country) == 3):
        raise NotFound()
    scope = f"wddf-{country or 'all'}-{lang}"
    if kind == "workbook":
        content = reports.donor_workbook(session, actor, lang, country)
        return Download(f"{scope}.xlsx", XLSX, content)
    if kind == "package":
        content = reports.data_package(session, actor, lang, country)
        return Download(f"{scope}.zip", "application/zip", content)
    if kind == "offline":
        assessment = assessments.get(session, actor, _number(params.get("assessment")))
        content = offline.template(
            session, actor, assessment.country, assessment.year, lang, assessment.edition_id
        )
        return Download(f"wddf-{assessment.country}-{assessment.year}-{lang}.xlsx", XLSX, content)
    if kind == "report":
        assessment = country_report.require_reader(
            actor, assessments.get(session, actor, _number(params.get("assessment")))
        )
        word = country_report.document(session, actor, assessment, lang)
        name = f"wddf-report-{assessment.country}-{assessment.year}-{lang}"
        if params.get("format") == "pdf":
            return Download(f"{name}.pdf", "application/pdf", country_report.pdf_of(word))
        return Download(f"{name}.docx", DOCX, word)
    if kind == "evidence":
        name, media_type, content = evidence.content(session, actor, _number(params.get("file")))
        return Download(name, media_type, content)
    raise NotFound()
