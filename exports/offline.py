"""The offline questionnaire: an .xlsx to fill in without a connection, and its reader.

Writer: instructions, one protected sheet per goal (only the answer cells are unlocked), a grade
dropdown, hidden stable ids, and a hidden sheet with the edition, country, year and a checksum of
the structure. Reader: refuses what is not a plain .xlsx (macros, oversize, zip bombs) and returns
every answer with the cell it came from, or every problem with its sheet, row and column.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass, field

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from exports.cells import WRAP, write_header, write_value

FORMAT_VERSION = "1"
META_SHEET = "_meta"
COLUMNS = [
    "dimension_id",
    "title",
    "question",
    "statement_A",
    "statement_B",
    "statement_C",
    "statement_D",
    "grade",
    "justification",
    "evidence",
    "confidence",
]
ANSWER_COLUMNS = ("grade", "justification", "evidence", "confidence")
GRADES_WITH_NA, GRADES = "A,B,C,D,D*,NA", "A,B,C,D,D*"
CONFIDENCE_KEYS = ("entry.confidence.low", "entry.confidence.medium", "entry.confidence.high")
MAX_RATIO, MAX_UNCOMPRESSED, MAX_MEMBER = 100, 100_000_000, 30_000_000
FORBIDDEN_XML = {"EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden"}  # defusedxml
ID_HEADER = "id"  # the hidden first column of every goal sheet: the dimension ids
ANSWER_FILL = PatternFill("solid", fgColor="FFF7D6")


def structure_checksum(structure: pd.DataFrame) -> str:
    """A short hash of the ordered goal, indicator and dimension ids and NA permissions."""
    text = "|".join(
        f"{r.goal_id}/{r.indicator_id}/{r.dimension_id}/{int(bool(r.na_allowed))}"
        for r in structure.itertuples()
    )
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def offline_workbook(rows: pd.DataFrame, meta: dict[str, str], labels: dict[str, str]) -> bytes:
    """``rows``: one per dimension with goal_id, na_allowed, the texts of COLUMNS and the current
    answers. ``meta``: edition_id, country, year, lang, checksum."""
    wb = Workbook()
    guide = wb.active
    guide.title = labels["offline.instructions"]
    for r, line in enumerate([labels[f"offline.line.{n}"] for n in range(1, 7)], start=1):
        write_value(guide, r, 1, line)
        guide.cell(row=r, column=1).alignment = WRAP
    guide.column_dimensions["A"].width = 110
    for goal_id, goal_rows in rows.groupby("goal_id", sort=False):
        _goal_sheet(wb, str(goal_id), goal_rows, labels)
    hidden = wb.create_sheet(META_SHEET)
    goals = ",".join(str(g) for g in rows["goal_id"].unique())
    entries = {"format_version": FORMAT_VERSION, **meta, "goals": goals}
    for r, (key, value) in enumerate(entries.items(), start=1):
        write_value(hidden, r, 1, key)
        write_value(hidden, r, 2, str(value))
    hidden.sheet_state = "veryHidden"
    hidden.protection.sheet = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _goal_sheet(wb: Workbook, goal_id: str, rows: pd.DataFrame, labels: dict[str, str]) -> None:
    ws = wb.create_sheet(goal_id)
    headers = [ID_HEADER, *(labels[f"offline.col.{c}"] for c in COLUMNS[1:])]
    widths = {
        h: w for h, w in zip(headers, [10, 28, 40, 34, 34, 34, 34, 9, 45, 35, 12], strict=True)
    }
    write_header(ws, headers, widths)
    ws.column_dimensions["A"].hidden = True
    with_na = DataValidation(
        type="list", formula1=f'"{GRADES_WITH_NA}"', allow_blank=True, showErrorMessage=True
    )
    without_na = DataValidation(
        type="list", formula1=f'"{GRADES}"', allow_blank=True, showErrorMessage=True
    )
    levels = ",".join(labels[key] for key in CONFIDENCE_KEYS)  # in the workbook's language
    confidence = DataValidation(
        type="list", formula1=f'"{levels}"', allow_blank=True, showErrorMessage=True
    )
    for validation in (with_na, without_na, confidence):
        ws.add_data_validation(validation)
    for r, row in enumerate(rows.itertuples(index=False), start=2):
        for c, column in enumerate(COLUMNS, start=1):
            value = getattr(row, column)
            write_value(ws, r, c, None if pd.isna(value) else value)
            cell = ws.cell(row=r, column=c)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column in ANSWER_COLUMNS:
                cell.protection = Protection(locked=False)
                cell.fill = ANSWER_FILL
        (with_na if row.na_allowed else without_na).add(f"H{r}")
        confidence.add(f"K{r}")
    ws.freeze_panes = "C2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # people may widen columns to read
    ws.protection.formatRows = False
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.cell(row=1, column=1).font = Font(bold=True, color="FFFFFF")


@dataclass(frozen=True)
class Problem:
    """One reason a workbook is refused: where (``file``, a zip member, ``sheet!A12``), a code of
    the import catalogue (``offline.problem.<code>`` in the UI catalogues) and its values."""

    where: str
    code: str
    params: dict = field(default_factory=dict)


@dataclass
class OfflineRead:
    """What a filled-in workbook holds: its meta data and answers, or the problems found."""

    meta: dict[str, str] = field(default_factory=dict)
    answers: list[dict] = field(default_factory=list)  # dimension_id, grade, ..., sheet, row
    problems: list[Problem] = field(default_factory=list)


def _inflate_problems(archive: zipfile.ZipFile) -> list[Problem]:
    """Inflate every member with a cap, whatever the central directory claims: corrupt data,
    lying sizes and members that expand too far are refused before any XML is parsed."""
    total = 0
    for info in archive.infolist():
        size = 0
        try:
            with archive.open(info) as member:
                while chunk := member.read(1 << 20):
                    size += len(chunk)
                    total += len(chunk)
                    if size > MAX_MEMBER:
                        return [
                            Problem(
                                info.filename,
                                "member_too_large",
                                {"limit_mb": MAX_MEMBER // 1_000_000},
                            )
                        ]
                    if total > MAX_UNCOMPRESSED:
                        return [Problem("file", "zip_bomb")]
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError):
            return [Problem(info.filename, "corrupt_member")]
    return []


def _container_problems(content: bytes, max_bytes: int) -> list[Problem]:
    """Refuse what is not a plain .xlsx before any XML is parsed."""
    if len(content) > max_bytes:
        return [Problem("file", "too_large", {"limit_mb": max_bytes // 1_000_000})]
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError):
        return [Problem("file", "not_xlsx")]
    with archive:
        names = archive.namelist()
        if "xl/workbook.xml" not in names:
            return [Problem("file", "not_xlsx")]
        infos = archive.infolist()
        unpacked = sum(i.file_size for i in infos)
        packed = max(sum(i.compress_size for i in infos), 1)
        if unpacked > MAX_UNCOMPRESSED or unpacked / packed > MAX_RATIO:
            return [Problem("file", "zip_bomb")]
        problems = _inflate_problems(archive)
        if problems:
            return problems
        content_types = (
            archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        )
    if any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroEnabled" in content_types:
        return [Problem("file", "macro")]
    return []


def _unreadable(exc: Exception) -> Problem:
    """A failure of the XML inside the workbook, by kind: entities and DTDs (refused by
    defusedxml, which openpyxl uses), or any other damage."""
    cause: BaseException | None = exc
    while cause is not None:  # openpyxl wraps what the XML parser raised in a ValueError
        if type(cause).__name__ in FORBIDDEN_XML:
            return Problem("file", "xml_forbidden")
        cause = cause.__cause__ or cause.__context__
    return Problem("file", "unreadable", {"detail": type(exc).__name__})


def read_offline_workbook(content: bytes, max_bytes: int = 20_000_000) -> OfflineRead:
    """Read a filled-in offline questionnaire; nothing is interpreted beyond cell values, and
    any damage is a located problem, never an exception."""
    problems = _container_problems(content, max_bytes)
    if problems:
        return OfflineRead(problems=problems)
    try:
        return _read(content)
    except Exception as exc:  # a damaged part of the workbook, whatever it breaks inside openpyxl
        return OfflineRead(problems=[_unreadable(exc)])


def _read(content: bytes) -> OfflineRead:
    # data_only=False: a cell typed as a formula comes back as the text typed, and stays text.
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        if META_SHEET not in wb.sheetnames:
            return OfflineRead(problems=[Problem(META_SHEET, "not_offline")])
        meta = {
            str(k): str(v)
            for k, v in wb[META_SHEET].iter_rows(max_col=2, values_only=True)
            if k is not None
        }
        read = OfflineRead(meta=meta)
        goals = [g for g in meta.get("goals", "").split(",") if g]
        for goal_id in goals:
            if goal_id not in wb.sheetnames:
                read.problems.append(Problem(goal_id, "sheet_missing"))
        for name in wb.sheetnames:
            if name != META_SHEET and (name in goals or (not goals and _is_goal_sheet(wb[name]))):
                _read_goal(wb[name], read)
        return read
    finally:
        wb.close()


def _is_goal_sheet(ws) -> bool:
    """A goal sheet carries the hidden id column: its first header is ``ID_HEADER``."""
    first = next(ws.iter_rows(max_row=1, max_col=1, values_only=True), (None,))
    return first[0] == ID_HEADER


def _read_goal(ws, read: OfflineRead) -> None:
    for number, values in enumerate(
        ws.iter_rows(min_row=2, max_col=len(COLUMNS), values_only=True), start=2
    ):
        row = dict(zip(COLUMNS, values, strict=False))
        if row.get("dimension_id") is None and not any(row.get(c) for c in ANSWER_COLUMNS):
            continue
        answer = {
            c: (None if row.get(c) is None else str(row[c]).strip())
            for c in ("dimension_id", *ANSWER_COLUMNS)
        }
        read.answers.append(answer | {"sheet": ws.title, "row": number})
