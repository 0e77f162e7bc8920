"""Read an edition workbook (layout in :mod:`wddf.questionnaire.excel`) with located errors."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from exports.offline import container_problems
from wddf.questionnaire.checks import Known, path_str
from wddf.questionnaire.errors import Code, Problem
from wddf.questionnaire.excel import CONTINUITY, _columns
from wddf.questionnaire.loader import LoadResult, validate_data

SHEETS = ("edition", "goals", "indicators", "dimensions")
MAX_WORKBOOK_BYTES = 10_000_000  # an edition workbook is some 0.3 MB
Path = tuple[str | int, ...]


class _Sheet:
    """Rows of one sheet as dicts by header, remembering where each value came from."""

    def __init__(self, ws: Any) -> None:
        self.name = ws.title
        rows = list(ws.iter_rows(values_only=True))
        self.headers = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else [])]
        self.rows: list[tuple[int, dict[str, Any]]] = []
        for number, values in enumerate(rows[1:], start=2):
            if any(v not in (None, "") for v in values):
                self.rows.append((number, dict(zip(self.headers, values, strict=False))))

    def cell(self, row: int, header: str) -> str:
        """``sheet!B7 (header)``: where a value is, for messages."""
        column = self.headers.index(header) + 1 if header in self.headers else 1
        return f"{self.name}!{get_column_letter(column)}{row} ({header})"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _localized(row: dict, name: str, languages: list[str]) -> dict[str, str] | None:
    texts = {lang: _text(row.get(f"{name}.{lang}")) for lang in languages}
    present = {lang: t for lang, t in texts.items() if t is not None}
    return present or None


class _Builder:
    """Turns the four sheets into edition data plus a map from YAML path to cell."""

    def __init__(self, sheets: dict[str, _Sheet]) -> None:
        self.sheets = sheets
        self.where: dict[str, str] = {}
        self.problems: list[Problem] = []

    def note(self, path: Path, sheet: _Sheet, row: int, header: str) -> None:
        self.where[path_str(path)] = sheet.cell(row, header)

    def texts(self, node: dict, path: Path, sheet: _Sheet, row: int, values: dict,
              names: list[str], languages: list[str]) -> None:  # fmt: skip
        for name in names:
            value = _localized(values, name, languages)
            if value is not None:
                node[name] = value
            self.note((*path, name), sheet, row, f"{name}.{languages[0]}")
            for lang in languages:
                self.note((*path, name, lang), sheet, row, f"{name}.{lang}")

    def edition(self) -> tuple[dict, list[str]]:
        sheet = self.sheets["edition"]
        meta = {str(r.get("key") or "").strip(): (n, r.get("value")) for n, r in sheet.rows}
        languages = [s.strip() for s in str(meta.get("languages", (0, ""))[1] or "").split(",")]
        languages = [lang for lang in languages if lang]
        data: dict[str, Any] = {}
        for key in ("id", "version", "schema_version"):
            row, value = meta.get(key, (1, None))
            if _text(value) is not None:
                data[key] = _text(value)
            self.where[key] = f"{sheet.name}!B{row} ({key})"
        data["languages"] = languages
        for name in ("title", "source_note", "notes"):
            value = self._meta_text(meta, name, (name,), languages)
            if value or name != "notes":
                data[name] = value
        numbers = sorted(
            {int(k.split(".")[1]) for k in meta if re.fullmatch(r"quantifier\.\d+\..+", k)}
        )
        quantifiers = [self._quantifier(meta, n, i, languages) for i, n in enumerate(numbers)]
        if quantifiers:
            data["quantifiers"] = quantifiers
        return data, languages

    def _quantifier(self, meta: dict, number: int, index: int, languages: list[str]) -> dict:
        """The ``number``-th quantifier of the edition sheet: its term and meaning."""
        return {
            part: self._meta_text(
                meta, f"quantifier.{number}.{part}", ("quantifiers", index, part), languages
            )
            for part in ("term", "meaning")
        }

    def _meta_text(self, meta: dict, key: str, path: Path, languages: list[str]) -> dict:
        """The texts of ``key.<lang>`` on the edition sheet, noting where each is."""
        sheet = self.sheets["edition"]
        texts = {lang: _text(meta.get(f"{key}.{lang}", (0, None))[1]) for lang in languages}
        for lang in languages:
            row = meta.get(f"{key}.{lang}", (1,))[0]
            self.where[path_str((*path, lang))] = f"{sheet.name}!B{row} ({key}.{lang})"
        return {lang: t for lang, t in texts.items() if t}

    def missing_columns(self, languages: list[str]) -> list[Problem]:
        problems = []
        for name in ("goals", "indicators", "dimensions"):
            sheet = self.sheets[name]
            for column in _columns(name, languages):
                if column not in sheet.headers and column not in CONTINUITY:
                    problems.append(Problem(Code.COLUMN_MISSING, f"{name}!1", {"column": column}))
        return problems

    def tree(self, data: dict, languages: list[str]) -> None:
        goals, goal_index = [], {}
        sheet = self.sheets["goals"]
        for number, row in sheet.rows:
            path: Path = ("goals", len(goals))
            goal = {"id": _text(row.get("id")), "weight": row.get("weight"), "indicators": []}
            self._simple(goal, path, sheet, number, ["id", "weight"])
            self.texts(goal, path, sheet, number, row, ["title", "description"], languages)
            goal_index[goal["id"]] = (goal, path)
            goals.append(goal)
        ind_index = {}
        sheet = self.sheets["indicators"]
        for number, row in sheet.rows:
            parent = self._parent(goal_index, row.get("goal_id"), sheet, number, "goal_id", "goals")
            if parent is None:
                continue
            goal, gpath = parent
            path = (*gpath, "indicators", len(goal["indicators"]))
            ind = {"id": _text(row.get("id")), "weight": row.get("weight"),
                   "method": _text(row.get("method")), "dimensions": []}  # fmt: skip
            self._simple(ind, path, sheet, number, ["id", "weight", "method"])
            self.texts(ind, path, sheet, number, row, ["title"], languages)
            goal["indicators"].append(ind)
            ind_index[ind["id"]] = (ind, path)
        sheet = self.sheets["dimensions"]
        for number, row in sheet.rows:
            parent = self._parent(ind_index, row.get("indicator_id"), sheet, number,
                                  "indicator_id", "indicators")  # fmt: skip
            if parent is not None:
                ind, ipath = parent
                path = (*ipath, "dimensions", len(ind["dimensions"]))
                ind["dimensions"].append(self._dimension(path, sheet, number, row, languages))
        data["goals"] = goals
        self.where["goals"] = f"{self.sheets['goals'].name}!A2"

    def _simple(self, node: dict, path: Path, sheet: _Sheet, row: int, keys: list[str]) -> None:
        self.note(path, sheet, row, "id")
        for key in keys:
            if node.get(key) is None:
                node.pop(key, None)
            self.note((*path, key), sheet, row, key)

    def _parent(self, index: dict, key: Any, sheet: _Sheet, row: int, header: str, of: str):
        found = index.get(_text(key))
        if found is None:
            self.problems.append(
                Problem(Code.ROW_ORPHAN, sheet.cell(row, header), {"parent": key, "sheet": of})
            )
        return found

    def _dimension(self, path: Path, sheet: _Sheet, number: int, row: dict,
                   languages: list[str]) -> dict:  # fmt: skip
        dim: dict[str, Any] = {key: row.get(key) for key in ("id", "layer", "weight", "na_allowed")}
        dim["id"], dim["layer"] = _text(dim["id"]), _text(dim["layer"])
        self._simple(dim, path, sheet, number, ["id", "layer", "weight", "na_allowed"])
        self.texts(
            dim, path, sheet, number, row, ["title", "question", "guidance", "na_hint"], languages
        )
        statements: dict[str, Any] = {}
        for key in "ABCD":
            text = _localized(row, f"statement_{key}", languages)
            if text is not None:
                statements[key] = text
            for lang in ["", *languages]:
                spath = (*path, "statements", key, lang) if lang else (*path, "statements", key)
                self.note(spath, sheet, number, f"statement_{key}.{lang or languages[0]}")
        dim["statements"] = statements
        lines = {
            lang: (_text(row.get(f"evidence.{lang}")) or "").splitlines() for lang in languages
        }
        count = max((len(v) for v in lines.values()), default=0)
        dim["evidence"] = [
            {
                lang: items[i].strip()
                for lang, items in lines.items()
                if i < len(items) and items[i].strip()
            }
            for i in range(count)
        ]
        for i in range(max(count, 1)):
            for lang in languages:
                self.note((*path, "evidence", i, lang), sheet, number, f"evidence.{lang}")
        self.note((*path, "evidence"), sheet, number, f"evidence.{languages[0]}")
        if _text(row.get("continues_edition")) or _text(row.get("continues_dimension")):
            dim["continues"] = {k: _text(row.get(f"continues_{k}"))
                                for k in ("edition", "dimension", "comparability")}  # fmt: skip
            for k in ("edition", "dimension", "comparability"):
                self.note((*path, "continues", k), sheet, number, f"continues_{k}")
        return dim

    def locate(self, problem: Problem) -> Problem:
        """Replace a YAML path by the cell it came from (or its nearest known ancestor)."""
        where = problem.location
        while where:
            if where in self.where:
                return replace(problem, location=self.where[where])
            cut = max(where.rfind("."), where.rfind("["))
            where = where[:cut] if cut > 0 else ""
        return problem


def read_edition_workbook(content: bytes, known: Known | None = None) -> LoadResult:
    """Read an edition workbook; refused whole, with located problems, when anything is wrong.
    ``known`` is as for :func:`load_questionnaire`."""
    refused = container_problems(content, MAX_WORKBOOK_BYTES)
    if refused:  # a bomb, macros or no workbook: refused before any XML is parsed
        found = refused[0]
        detail = f"{found.where}: {found.code}"
        return LoadResult(None, [Problem(Code.WORKBOOK_UNREADABLE, "", {"detail": detail})])
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        return LoadResult(
            None,
            [Problem(Code.WORKBOOK_UNREADABLE, "", {"detail": str(exc) or type(exc).__name__})],
        )
    missing = [
        Problem(Code.SHEET_MISSING, s, {"sheet": s}) for s in SHEETS if s not in wb.sheetnames
    ]
    if missing:
        return LoadResult(None, missing)
    builder = _Builder({name: _Sheet(wb[name]) for name in SHEETS})
    wb.close()
    data, languages = builder.edition()
    if not languages:
        return LoadResult(
            None, [Problem(Code.MISSING, builder.sheets["edition"].name + "!languages")]
        )
    columns = builder.missing_columns(languages)
    if columns:
        return LoadResult(None, columns)
    builder.tree(data, languages)
    edition, problems = validate_data(data, known)
    problems = [builder.locate(p) for p in builder.problems + problems]
    errors = [p for p in problems if not p.is_warning]
    warnings = [p for p in problems if p.is_warning]
    return LoadResult(edition if not errors else None, errors, warnings)
