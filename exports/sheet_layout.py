"""Sheet layout shared by the workbook writers: tables with headers, print setup, grade bands."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.cells import WRAP, write_header, write_value

# Score bands by grade (A ≥ 83.3, B ≥ 50, C ≥ 16.7, D below), colour-blind-safe blue–orange.
BANDS = [
    (83.33, "2166AC", "FFFFFF"),
    (50.0, "67A9CF", "000000"),
    (16.67, "FDDBC7", "000000"),
    (0.0, "EF8A62", "000000"),
]
WIDE_TEXT = 60
WRAPPED_TEXT = 30  # columns at least this wide wrap their text
LINE_HEIGHT = 15  # points per line of wrapped text
PAGE_WIDTH = 150  # about what fits across an A4 landscape page at a readable size, in characters


def table(
    ws: Worksheet,
    frame: pd.DataFrame,
    headers: list[str],
    formats: Mapping[str, str] | None = None,
    widths: Mapping[str, int] | None = None,
    start_row: int = 1,
) -> None:
    """Write a header row and the frame's rows, as text where text, with formats and widths."""
    formats, widths = formats or {}, widths or {}
    if start_row == 1:
        write_header(
            ws, headers, {h: widths.get(c, 14) for c, h in zip(frame.columns, headers, strict=True)}
        )
    values = frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None)
    wrapped = {c: widths[c] for c in frame.columns if widths.get(c, 0) >= WRAPPED_TEXT}
    for r, row in enumerate(values, start=start_row + 1):
        lines = 1
        for c, (column, value) in enumerate(zip(frame.columns, row, strict=True), start=1):
            write_value(ws, r, c, value)
            cell = ws.cell(row=r, column=c)
            if column in formats:
                cell.number_format = formats[column]
            if column in wrapped:
                cell.alignment = WRAP
                lines = max(lines, text_lines(str(value or ""), wrapped[column]))
        if lines > 1:  # spreadsheet programs do not grow the rows a program wrote
            ws.row_dimensions[r].height = LINE_HEIGHT * lines + 3
    last = max(ws.max_row, 2)
    ws.auto_filter.ref = f"A{start_row}:{get_column_letter(len(headers))}{last}"
    total = sum(widths.get(c, 14) for c in frame.columns)
    print_setup(ws, start_row, fit_width=total <= PAGE_WIDTH)


def text_lines(text: str, width: int) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide."""
    return sum(max(1, -(-len(part) // max(width - 2, 1))) for part in text.split("\n"))


def print_setup(ws: Worksheet, header_row: int = 1, fit_width: bool = True) -> None:
    """A4 landscape with the header row repeated on every page. The sheet is shrunk to one page
    width only when its columns fit at a readable size; wider sheets print across pages."""
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = fit_width
    if fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0


def score_columns(columns: list[str], wanted: list[str], rows: int) -> list[str]:
    """The cell ranges of the ``wanted`` columns (by name, among ``columns`` in sheet order) over
    ``rows`` data rows under the header: what ``bands`` colours."""
    out = []
    for name in wanted:
        letter = get_column_letter(columns.index(name) + 1)
        out.append(f"{letter}2:{letter}{rows + 1}")
    return out


def bands(ws: Worksheet, cell_ranges: list[str]) -> None:
    """Colour score cells by grade band; the number stays, so colour is never the only signal."""
    if not cell_ranges:
        return
    upper = 100.01
    for low, fill, font in BANDS:
        ws.conditional_formatting.add(
            " ".join(cell_ranges),
            CellIsRule(
                operator="between",
                formula=[str(low), str(upper)],
                fill=PatternFill("solid", fgColor=fill),
                font=Font(color=font),
            ),
        )
        upper = low - 0.0001
