"""The offline questionnaire: an .xlsx to fill in without a connection, and its reader.

Writer (XlsxWriter): instructions, one protected sheet per goal (only the answer cells are
unlocked), grade and confidence dropdowns, and a very hidden sheet with the edition, country,
year and a checksum of the structure. Each row carries, hidden, its dimension id, what its answer
was when the file was made (row version and a digest of the values) and a seal binding the id to
the question the row shows. Reader (openpyxl over defusedxml): refuses what is not a plain .xlsx
(macros, oversize, zip bombs), a file of an older format and a row whose hidden id disagrees with
what it shows; it returns every answer with the cell it came from, or every problem with its
sheet, row and column.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

import pandas as pd
import xlsxwriter
from openpyxl import load_workbook

from exports.sheet_layout import HEADER, LINE_HEIGHT, OPTIONS, WRAP, style, text_lines, write

FORMAT_VERSION = "2"  # 2: each row carries its row version, answer digest and seal
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
    "row_version",
    "base",
    "seal",
]
HIDDEN_COLUMNS = ("dimension_id", "row_version", "base", "seal")
ANSWER_COLUMNS = ("grade", "justification", "evidence", "confidence")
GRADES_WITH_NA, GRADES = "A,B,C,D,D*,NA", "A,B,C,D,D*"
CONFIDENCE_KEYS = ("entry.confidence.low", "entry.confidence.medium", "entry.confidence.high")
MAX_RATIO, MAX_UNCOMPRESSED, MAX_MEMBER = 100, 100_000_000, 30_000_000
FORBIDDEN_XML = {"EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden"}  # defusedxml
ID_HEADER = "id"  # the hidden first column of every goal sheet: the dimension ids
ANSWER_FILL = "#FFF7D6"
VERSION = re.compile(r"[0-9]{1,9}")


def structure_checksum(structure: pd.DataFrame) -> str:
    """A short hash of the ordered goal, indicator and dimension ids and NA permissions."""
    text = "|".join(
        f"{r.goal_id}/{r.indicator_id}/{r.dimension_id}/{int(bool(r.na_allowed))}"
        for r in structure.itertuples()
    )
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def answer_digest(
    grade: str | None, justification: str | None, evidence: str | None, confidence: str | None
) -> str:
    """A short hash of an answer's values (blank and missing alike), to tell whether a row of
    the file was edited since the file was made."""
    values = (grade or "", (justification or "").strip(), (evidence or "").strip(), confidence)
    return hashlib.sha256(repr(values).encode()).hexdigest()[:16]


def row_seal(dimension_id: str, question: str) -> str:
    """Binds a row's hidden id to the question the row shows: a row whose id was moved to
    another row no longer matches its seal."""
    return hashlib.sha256(f"{dimension_id}|{question}".encode()).hexdigest()[:16]


def shown_label(dimension_id: str, title: str) -> str:
    """What the dimension column shows: the id, then the title."""
    return f"{dimension_id} {title}"


def offline_workbook(rows: pd.DataFrame, meta: dict[str, str], labels: dict[str, str]) -> bytes:
    """``rows``: one per dimension with goal_id, na_allowed, the texts of COLUMNS, the current
    answers, their row version and digest (``base``). ``meta``: edition_id, country, year, lang,
    checksum. Written with XlsxWriter; the seal of each row is added here."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, OPTIONS)
    guide = wb.add_worksheet(labels["offline.instructions"])
    guide.set_column(0, 0, 110)
    for r, line in enumerate([labels[f"offline.line.{n}"] for n in range(1, 7)]):
        write(guide, r, 0, line, style(wb, **WRAP))
        guide.set_row(r, LINE_HEIGHT * text_lines(line, 110) + 3)
    for goal_id, goal_rows in rows.groupby("goal_id", sort=False):
        _goal_sheet(wb, str(goal_id), goal_rows, labels)
    hidden = wb.add_worksheet(META_SHEET)
    goals = ",".join(str(g) for g in rows["goal_id"].unique())
    entries = {"format_version": FORMAT_VERSION, **meta, "goals": goals}
    for r, (key, value) in enumerate(entries.items()):
        write(hidden, r, 0, key)
        write(hidden, r, 1, str(value))
    hidden.very_hidden()
    hidden.protect()
    wb.close()
    return out.getvalue()


WIDTHS = [10, 28, 40, 34, 34, 34, 34, 9, 45, 35, 12, 8, 8, 8]  # by COLUMNS
GRADE_COLUMN, CONFIDENCE_COLUMN = COLUMNS.index("grade"), COLUMNS.index("confidence")


def _goal_sheet(wb, goal_id: str, rows: pd.DataFrame, labels: dict[str, str]) -> None:
    """One protected sheet per goal: only the answer cells are unlocked, the grade and the
    confidence chosen from lists, the dimension ids in a hidden first column."""
    ws = wb.add_worksheet(goal_id)
    headers = [
        ID_HEADER
        if c == "dimension_id"
        else c
        if c in HIDDEN_COLUMNS
        else labels[f"offline.col.{c}"]
        for c in COLUMNS
    ]
    header = style(wb, text_wrap=True, **HEADER)
    for c, (name, width) in enumerate(zip(headers, WIDTHS, strict=True)):
        ws.write_string(0, c, name, header)
        ws.set_column(c, c, width, None, {"hidden": COLUMNS[c] in HIDDEN_COLUMNS})
    text = style(wb, **WRAP)
    answer = style(wb, locked=False, bg_color=ANSWER_FILL, **WRAP)
    levels = [labels[key] for key in CONFIDENCE_KEYS]  # in the workbook's language
    for r, row in enumerate(rows.itertuples(index=False), start=1):
        cells = {
            "title": shown_label(row.dimension_id, row.title),
            "row_version": str(int(row.row_version)),
            "seal": row_seal(row.dimension_id, row.question),
        }
        for c, column in enumerate(COLUMNS):
            value = cells.get(column, getattr(row, column, None))
            shown = None if pd.isna(value) else value
            write(ws, r, c, shown, answer if column in ANSWER_COLUMNS else text)
        grades = GRADES_WITH_NA if row.na_allowed else GRADES
        for column, choices in ((GRADE_COLUMN, grades.split(",")), (CONFIDENCE_COLUMN, levels)):
            ws.data_validation(
                r, column, r, column, {"validate": "list", "source": choices, "ignore_blank": True}
            )
    ws.freeze_panes(1, 2)
    ws.protect("", {"format_columns": True, "format_rows": True})  # people may widen columns
    ws.repeat_rows(0)
    ws.set_landscape()


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


def container_problems(content: bytes, max_bytes: int) -> list[Problem]:
    """Refuse what is not a plain .xlsx before any XML is parsed: too large, not a zip with a
    workbook, a zip bomb (by the sizes it claims, then by inflating every member with a cap),
    or macros. Any reader of an uploaded workbook calls it first."""
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
    problems = container_problems(content, max_bytes)
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
        if meta.get("format_version") != FORMAT_VERSION:
            return OfflineRead(meta=meta, problems=[Problem(META_SHEET, "old_format")])
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
            for c in ("dimension_id", *ANSWER_COLUMNS, "base")
        }
        version = str(row.get("row_version") or "")
        answer["row_version"] = int(version) if VERSION.fullmatch(version) else None
        if answer["dimension_id"] is not None and not _bound(row, answer):
            shown = str(row.get("title") or "").split(" ", 1)[0][:40]
            where = f"{ws.title}!A{number}"
            params = {"id": answer["dimension_id"][:40], "shown": shown}
            read.problems.append(Problem(where, "row_mismatch", params))
        read.answers.append(answer | {"sheet": ws.title, "row": number})


def _bound(row: dict, answer: dict) -> bool:
    """Whether a row's hidden id is the one it shows, sealed to the question it shows, and its
    row version is readable."""
    dimension_id = answer["dimension_id"]
    shown = str(row.get("title") or "").split(" ", 1)[0]
    seal = row_seal(dimension_id, str(row.get("question") or ""))
    return shown == dimension_id and row.get("seal") == seal and answer["row_version"] is not None
