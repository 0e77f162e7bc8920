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
CONFIDENCE = "low,medium,high"
MAX_RATIO, MAX_UNCOMPRESSED = 100, 100_000_000
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
    for r, (key, value) in enumerate({"format_version": FORMAT_VERSION, **meta}.items(), start=1):
        write_value(hidden, r, 1, key)
        write_value(hidden, r, 2, str(value))
    hidden.sheet_state = "veryHidden"
    hidden.protection.sheet = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _goal_sheet(wb: Workbook, goal_id: str, rows: pd.DataFrame, labels: dict[str, str]) -> None:
    ws = wb.create_sheet(goal_id)
    headers = [labels[f"offline.col.{c}"] for c in COLUMNS]
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
    confidence = DataValidation(
        type="list", formula1=f'"{CONFIDENCE}"', allow_blank=True, showErrorMessage=True
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


@dataclass
class OfflineRead:
    """What a filled-in workbook holds: its meta data and answers, or the problems found."""

    meta: dict[str, str] = field(default_factory=dict)
    answers: list[dict] = field(default_factory=list)  # dimension_id, grade, ..., sheet, row
    problems: list[str] = field(default_factory=list)


def _container_problems(content: bytes, max_bytes: int) -> list[str]:
    """Refuse what is not a plain .xlsx before any XML is parsed."""
    if len(content) > max_bytes:
        return [f"file: larger than {max_bytes // 1_000_000} MB"]
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        return ["file: not an .xlsx workbook"]
    with archive:
        names = archive.namelist()
        infos = archive.infolist()
        content_types = (
            archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        )
    if "xl/workbook.xml" not in names:
        return ["file: not an .xlsx workbook"]
    if any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroEnabled" in content_types:
        return ["file: a macro-enabled workbook is refused"]
    unpacked = sum(i.file_size for i in infos)
    packed = max(sum(i.compress_size for i in infos), 1)
    if unpacked > MAX_UNCOMPRESSED or unpacked / packed > MAX_RATIO:
        return ["file: refused, it expands like a zip bomb"]
    return []


def read_offline_workbook(content: bytes, max_bytes: int = 20_000_000) -> OfflineRead:
    """Read a filled-in offline questionnaire; nothing is interpreted beyond cell values."""
    problems = _container_problems(content, max_bytes)
    if problems:
        return OfflineRead(problems=problems)
    # data_only=False: a cell typed as a formula comes back as the text typed, and stays text.
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    if META_SHEET not in wb.sheetnames:
        return OfflineRead(
            problems=[f"{META_SHEET}: missing; this is not an offline questionnaire of this tool"]
        )
    meta = {
        str(k): str(v)
        for k, v in wb[META_SHEET].iter_rows(max_col=2, values_only=True)
        if k is not None
    }
    read = OfflineRead(meta=meta)
    for name in wb.sheetnames[1:]:
        if name != META_SHEET:
            _read_goal(wb[name], read)
    wb.close()
    return read


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
