"""The sector data sheet of an assessment: the figures a report to WGAAP gives beside the
grades (diggers, producing areas and sites, artisanal production and exports in carats and US
dollars, KP certificates, licensed buyers and exporters), each with its source and year, and the
statements the report needs (the KP focal point, the government's endorsement, the
technical-assistance needs, the follow-up of earlier recommendations).

It follows the answers' rules: written while the assessment is a draft or returned, by the
country's focal point or an admin (``process_rules``); numbers read in the writer's language or
refused (``reading``); every change audited with the values before and after; a save made on a
stale version refused with the other person's values (``Conflict``), so two people never
silently overwrite each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from wddf import reading
from wddf.domain import SECTOR_ITEMS, SectorItem
from wddf.errors import ErrorCode, Invalid
from wddf.i18n import number, t
from wddf.services import audit, versioned
from wddf.services.actor import Actor
from wddf.services.answers import assessments
from wddf.services.process import process_rules
from wddf.storage.tables import Assessment, SectorFigure, User
from wddf.textpolicy import clean

ITEMS = {item.key: item for item in SECTOR_ITEMS}
YEARS_BACK = 10  # a figure may be up to ten years older than its assessment
CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Figure:
    """One line of the sheet: a figure (``amount``) or a statement (``text``), with its source
    and year; ``version`` 0 when nothing was entered yet."""

    item: SectorItem
    amount: Decimal | None
    text: str
    source: str
    year: int | None
    version: int
    by: str | None
    at: datetime | None

    @property
    def is_empty(self) -> bool:
        return self.amount is None and not self.text


def sheet(session: Session, actor: Actor, assessment_id: int) -> list[Figure]:
    """Every item of the sheet of an assessment the actor may read, in the sheet's order."""
    assessment = assessments.get(session, actor, assessment_id)
    query = (
        select(SectorFigure, User.username)
        .outerjoin(User, User.id == SectorFigure.updated_by)
        .where(SectorFigure.assessment_id == assessment.id)
    )
    found = {row.item: (row, name) for row, name in session.execute(query)}
    out = []
    for item in SECTOR_ITEMS:
        row, name = found.get(item.key, (None, None))
        if row is None:
            out.append(Figure(item, None, "", "", None, 0, None, None))
        else:
            amount = None if row.amount is None else Decimal(row.amount)
            out.append(
                Figure(
                    item, amount, row.text, row.source, row.year, row.row_version, name,
                    row.updated_at,
                )
            )  # fmt: skip
    return out


TABLE_COLUMNS = ["assessment_id", "item", "value", "text", "source", "figure_year"]


def table(session: Session, readable: pd.DataFrame) -> pd.DataFrame:
    """The sheets of the assessments in ``readable`` (an ``assessment_id`` column of assessments
    the caller has checked the actor may read, as ``reports.collect`` does), one row per item
    entered, in the sheet's order: for the exports."""
    ids = readable["assessment_id"].tolist()
    query = select(SectorFigure).where(SectorFigure.assessment_id.in_(ids))
    order = {item.key: n for n, item in enumerate(SECTOR_ITEMS)}
    rows = sorted(
        (
            (r.assessment_id, r.item, None if r.amount is None else float(r.amount), r.text,
             r.source, r.year)
            for r in session.scalars(query)
            if r.amount is not None or r.text
        ),
        key=lambda row: (row[0], order.get(row[1], len(order))),
    )  # fmt: skip
    found = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    return found.astype({"figure_year": "Int64"})


def written(figure: Figure, lang: str) -> str:
    """A figure's value written the language's way (120 000; 85 432,75), or its statement."""
    if figure.item.kind == "text":
        return figure.text
    if figure.amount is None:
        return ""
    digits = 0 if figure.amount == figure.amount.to_integral_value() else 2
    return number(figure.amount, lang, digits)


@dataclass(frozen=True)
class Entry:
    """What a writer typed for one item: the value as text (a number in their language, or a
    statement), its source and its year (blank: none)."""

    item: str
    value: str
    source: str = ""
    year: str = ""


def save(
    session: Session, actor: Actor, assessment_id: int, entry: Entry, seen_version: int, lang: str
) -> int:
    """Save one item of the sheet seen at ``seen_version`` (0: not entered yet); its new version.
    A figure needs its source and year; a count is whole; an amount has at most two decimals.
    ``Invalid`` (located by the item's name) or ``Conflict``, and nothing is written."""
    assessment = assessments.get(session, actor, assessment_id, lock=True)
    process_rules.require_writer(actor, assessment)
    given = _read(entry, assessment, lang)
    keys = {"assessment_id": assessment.id, "item": entry.item}
    old, version = versioned.write(
        session, SectorFigure, keys, given, seen_version, actor.id, _values
    )
    new = {**given, "amount": _plain(given["amount"])}
    audit.record(
        session, actor.id, "sector_data", f"{assessment.id}:{entry.item}", "save", old, new
    )
    return version


def _read(entry: Entry, assessment: Assessment, lang: str) -> dict:
    """The stored values of ``entry``, or ``Invalid`` naming the item as the user sees it."""
    item = ITEMS.get(entry.item)
    if item is None:
        raise Invalid(ErrorCode.UNKNOWN_NODE, node=reading.shown(entry.item))
    field = t(f"sector.item.{item.key}", lang)
    source = clean("evidence", entry.source).strip()
    year = _year(entry.year, assessment, lang)
    if item.kind == "text":
        return {"amount": None, "text": clean("background", entry.value).strip(), "source": source,
                "year": year}  # fmt: skip
    amount: Decimal | None = None
    if entry.value.strip():
        amount = reading.number(entry.value, lang, field)
        if item.kind == "count" and amount != amount.to_integral_value():
            raise Invalid(ErrorCode.NOT_WHOLE, field=field, text=reading.shown(entry.value))
        if amount != amount.quantize(CENTS):
            raise Invalid(
                ErrorCode.UNREADABLE_NUMBER,
                field=field,
                text=reading.shown(entry.value),
                example=number(Decimal("1250.5"), lang, 1),
            )
        if not source or year is None:
            raise Invalid(ErrorCode.FIGURE_UNSOURCED, field=field)
    return {"amount": amount, "text": "", "source": source, "year": year}


def _year(text: str, assessment: Assessment, lang: str) -> int | None:
    """The year a figure is for: blank, or a year up to ``YEARS_BACK`` before the assessment's."""
    if not text.strip():
        return None
    low, high = assessment.year - YEARS_BACK, assessment.year
    given = text.strip()
    if not given.isdigit() or not low <= int(given) <= high:
        raise Invalid(ErrorCode.BAD_YEAR, low=low, high=high, year=reading.shown(given))
    return int(given)


def _plain(amount: Decimal | None) -> str | None:
    """An amount as the audit log keeps it: digits, a point, no exponent (120000, 85432.75)."""
    return None if amount is None else format(Decimal(amount).normalize(), "f")


def _values(row: SectorFigure) -> dict:
    return {"amount": _plain(row.amount), "text": row.text, "source": row.source, "year": row.year}
