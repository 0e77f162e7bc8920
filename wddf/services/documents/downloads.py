"""Everything a user can download, made on request for what the actor may read: the donor
workbook, the tidy data package, the offline questionnaire of an assessment, an evidence file,
the country report to the WGAAP (Word, or PDF with ``format=pdf``).

The app serves them from its own route (``/wddf/download/<kind>``), which checks the session
cookie first; each service below enforces who may read what.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from threading import Lock

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wddf.errors import ErrorCode, Invalid, NotFound
from wddf.i18n import LANGUAGES
from wddf.services.actor import Actor
from wddf.services.answers import assessments, evidence, offline
from wddf.services.cache import Lru
from wddf.services.documents import country_report, reports
from wddf.storage.db import row_id
from wddf.storage.tables import AuditEntry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KINDS = ("workbook", "package", "offline", "evidence", "report")
# The country reports made last, by (reader, assessment, language, format, last audit entry):
# every change a report could show is audited, so a report is made again once anything changed.
REPORTS = Lru(16)
BUILDS_PER_USER = 1  # country reports one user may have in the making at once, per process
_BUILDING: Counter[int] = Counter()
_BUILDING_LOCK = Lock()


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
        name = f"wddf-report-{assessment.country}-{assessment.year}-{lang}"
        pdf = params.get("format") == "pdf"

        def build() -> bytes:
            word = country_report.document(session, actor, assessment, lang)
            return country_report.pdf_of(word) if pdf else word

        stamp = session.scalar(select(func.max(AuditEntry.id)))
        key = (actor.id, assessment.id, lang, pdf, stamp)
        content = _report(key, actor, build)
        return Download(
            f"{name}.{'pdf' if pdf else 'docx'}", "application/pdf" if pdf else DOCX, content
        )
    if kind == "evidence":
        name, media_type, content = evidence.content(session, actor, _number(params.get("file")))
        return Download(name, media_type, content)
    raise NotFound()


def _report(key: tuple, actor: Actor, build: Callable[[], bytes]) -> bytes:
    """The report for ``key``: the one made last while nothing changed, or a new one, of which a
    user has at most ``BUILDS_PER_USER`` in the making (``report_busy`` beyond)."""
    kept = REPORTS.get(key)
    if isinstance(kept, bytes):
        return kept
    with _making(actor.id):
        made = build()
    REPORTS.put(key, made)
    return made


@contextmanager
def _making(user_id: int) -> Iterator[None]:
    """A slot for one report build of this user, or ``Invalid(report_busy)``."""
    with _BUILDING_LOCK:
        if _BUILDING[user_id] >= BUILDS_PER_USER:
            raise Invalid(ErrorCode.REPORT_BUSY)
        _BUILDING[user_id] += 1
    try:
        yield
    finally:
        with _BUILDING_LOCK:
            _BUILDING[user_id] -= 1
            if _BUILDING[user_id] <= 0:
                del _BUILDING[user_id]
