"""An edition as an Excel workbook, so the official text or a national adaptation can be loaded.

Layout (one header row per sheet; ``<lang>`` stands for each language code):

* ``edition``: two columns ``key``/``value``; keys ``id``, ``version``, ``schema_version``,
  ``languages`` (comma-separated), ``title.<lang>``, ``source_note.<lang>``, ``notes.<lang>``,
  and for the N-th quantifier ``quantifier.N.term.<lang>`` and ``quantifier.N.meaning.<lang>``.
* ``goals``: ``id, weight, title.<lang>, description.<lang>``.
* ``indicators``: ``goal_id, id, weight, method, title.<lang>``.
* ``dimensions``: ``indicator_id, id, layer, weight, na_allowed, title.<lang>, question.<lang>,
  statement_A.<lang> … statement_D.<lang>, guidance.<lang>, evidence.<lang>, na_hint.<lang>,
  continues_edition, continues_dimension, continues_comparability``.
  ``evidence.<lang>`` holds one evidence source per line.

Reading applies exactly the validation of a YAML edition; every problem is located by
sheet, cell and column.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from exports.cells import WRAP, write_header, write_value
from wddf.questionnaire.schema import SCHEMA_VERSION, Edition

DEFAULT_LANGUAGES = ["en", "fr", "pt"]
DIMENSION_TEXTS = [
    "title", "question", "statement_A", "statement_B", "statement_C", "statement_D",
    "guidance", "evidence", "na_hint",
]  # fmt: skip
CONTINUITY = ["continues_edition", "continues_dimension", "continues_comparability"]


def _columns(sheet: str, languages: list[str]) -> list[str]:
    """The header row of each sheet for the given languages."""

    def texts(names: list[str]) -> list[str]:
        return [f"{n}.{lang}" for n in names for lang in languages]

    return {
        "goals": ["id", "weight", *texts(["title", "description"])],
        "indicators": ["goal_id", "id", "weight", "method", *texts(["title"])],
        "dimensions": ["indicator_id", "id", "layer", "weight", "na_allowed",
                       *texts(DIMENSION_TEXTS), *CONTINUITY],
    }[sheet]  # fmt: skip


def _dimension_row(indicator_id: str, dim: Any, languages: list[str]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "indicator_id": indicator_id, "id": dim.id, "layer": dim.layer.value,
        "weight": dim.weight, "na_allowed": dim.na_allowed,
    }  # fmt: skip
    for lang in languages:
        row[f"title.{lang}"] = dim.title[lang]
        row[f"question.{lang}"] = dim.question[lang]
        for key in "ABCD":
            row[f"statement_{key}.{lang}"] = getattr(dim.statements, key)[lang]
        row[f"guidance.{lang}"] = dim.guidance[lang]
        row[f"evidence.{lang}"] = "\n".join(item[lang] for item in dim.evidence)
        row[f"na_hint.{lang}"] = dim.na_hint[lang] if dim.na_hint else None
    if dim.continues:
        row["continues_edition"] = dim.continues.edition
        row["continues_dimension"] = dim.continues.dimension
        row["continues_comparability"] = dim.continues.comparability.value
    return row


def _write_sheet(wb: Workbook, name: str, headers: list[str], rows: list[dict]) -> None:
    ws = wb.create_sheet(name)
    wide = {h: 50 for h in headers if "." in h}
    write_header(ws, headers, wide)
    for r, row in enumerate(rows, start=2):
        for c, header in enumerate(headers, start=1):
            write_value(ws, r, c, row.get(header))
            ws.cell(row=r, column=c).alignment = WRAP
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(rows) + 1, 1)}"


def _by_language(name: str, text: dict[str, str], languages: list[str]) -> dict[str, str]:
    """``{"title.en": ..., "title.fr": ...}`` for one localised text."""
    return {f"{name}.{lang}": text[lang] for lang in languages}


def _tree_rows(edition: Edition) -> tuple[list[dict], list[dict], list[dict]]:
    """The rows of the goals, indicators and dimensions sheets."""
    languages = edition.languages
    goals, indicators, dimensions = [], [], []
    for goal in edition.goals:
        goals.append(
            {"id": goal.id, "weight": goal.weight}
            | _by_language("title", goal.title, languages)
            | _by_language("description", goal.description, languages)
        )
        for ind in goal.indicators:
            indicators.append(
                {"goal_id": goal.id, "id": ind.id, "weight": ind.weight, "method": ind.method.value}
                | _by_language("title", ind.title, languages)
            )
            dimensions += [_dimension_row(ind.id, dim, languages) for dim in ind.dimensions]
    return goals, indicators, dimensions


def edition_to_workbook(edition: Edition | None, languages: list[str] | None = None) -> bytes:
    """The edition as an .xlsx; with ``None``, an empty template with headers only."""
    languages = edition.languages if edition else (languages or DEFAULT_LANGUAGES)
    meta: dict[str, str] = {
        "id": edition.id if edition else "",
        "version": edition.version if edition else "",
        "schema_version": edition.schema_version if edition else SCHEMA_VERSION,
        "languages": ",".join(languages),
    }
    for name in ("title", "source_note", "notes"):
        empty = dict.fromkeys(languages, "")
        text = getattr(edition, name) if edition else empty
        meta |= _by_language(name, text or empty, languages)
    for number, quantifier in enumerate((edition.quantifiers if edition else None) or [], 1):
        meta |= _by_language(f"quantifier.{number}.term", quantifier.term, languages)
        meta |= _by_language(f"quantifier.{number}.meaning", quantifier.meaning, languages)
    wb = Workbook()
    wb.remove(wb.active)
    _write_sheet(wb, "edition", ["key", "value"], [{"key": k, "value": v} for k, v in meta.items()])
    sheets = _tree_rows(edition) if edition else ([], [], [])
    for name, rows in zip(("goals", "indicators", "dimensions"), sheets, strict=True):
        _write_sheet(wb, name, _columns(name, languages), rows)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
