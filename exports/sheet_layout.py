"""Sheet layout for the workbooks written with XlsxWriter: cells that keep text as text, tables
with a header row, print setup and grade bands. Rows and columns are counted from 0, as
XlsxWriter counts them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pandas as pd
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

# Score bands by grade (A ≥ 83.3, B ≥ 50, C ≥ 16.7, D below), colour-blind-safe blue–orange.
BANDS = [
    (83.33, "#2166AC", "#FFFFFF"),
    (50.0, "#67A9CF", "#000000"),
    (16.67, "#FDDBC7", "#000000"),
    (0.0, "#EF8A62", "#000000"),
]
HEADER = {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79", "valign": "top"}
WRAP = {"text_wrap": True, "valign": "top"}
SCORE_FORMAT, SHARE_FORMAT = "0.0", "0%"  # scores 0–100 with one decimal; shares in percent
WIDE_TEXT = 60
WRAPPED_TEXT = 20  # columns at least this wide wrap their text (titles, justifications)
LINE_HEIGHT = 15  # points per line of wrapped text
MAX_ROW_HEIGHT = 409  # points: the tallest row Excel keeps
A4 = 9  # XlsxWriter's paper code
ROWS_AT_ONCE = 5_000  # rows of a table copied into cells at a time
# The workbook options every writer uses: no string is ever read as a formula, a link or a number.
OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def style(wb: Workbook, **properties: Any) -> Format:
    """One cell format of ``wb``, made once per set of properties."""
    made: dict = wb.__dict__.setdefault("_wddf_styles", {})
    key = tuple(sorted(properties.items()))
    if key not in made:
        made[key] = wb.add_format(properties)
    return made[key]


def write(
    ws: Worksheet, row: int, column: int, value: Any, cell_style: Format | None = None
) -> None:
    """Write one value by its type: a string is always stored as text, never as a formula."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        if cell_style is not None:
            ws.write_blank(row, column, None, cell_style)
    elif isinstance(value, str):
        ws.write_string(row, column, value, cell_style)
    elif isinstance(value, bool):
        ws.write_boolean(row, column, value, cell_style)
    elif isinstance(value, int | float):
        ws.write_number(row, column, value, cell_style)
    elif isinstance(value, datetime | date):
        ws.write_datetime(row, column, value, cell_style)
    else:
        ws.write_string(row, column, str(value), cell_style)


def text_lines(text: str, width: int) -> int:
    """How many lines ``text`` takes wrapped at spaces in a column ``width`` characters wide (a
    word longer than the column is cut across lines, as spreadsheet programs do)."""
    room = max(width - 2, 1)
    lines = 0
    for part in text.split("\n"):
        count, used = 1, 0
        for word in part.split():
            if used and used + 1 + len(word) <= room:
                used += 1 + len(word)
                continue
            count, used = count + (1 if used else 0), len(word)
            while used > room:
                count, used = count + 1, used - room
        lines += count
    return lines


def row_height(lines: int) -> float:
    """The height (points) of a row of ``lines`` wrapped lines, within Excel's limit; the text
    beyond it stays in the cell, whole."""
    return min(LINE_HEIGHT * lines + 3, MAX_ROW_HEIGHT)


class TableSheet:
    """A table on a sheet of its own, written a few rows at a time: a styled, frozen, filterable
    header row, then the rows of each frame given to ``add``, text as text, with number
    formats, widths, wrapped wide columns and row heights that show them (unless ``wrap`` is
    off: a sheet for analysts, one line per row); ``close`` sets the filter and the print."""

    def __init__(
        self,
        wb: Workbook,
        ws: Worksheet,
        columns: list[str],
        headers: list[str],
        formats: Mapping[str, str] | None = None,
        widths: Mapping[str, int] | None = None,
        wrap: bool = True,
    ) -> None:
        formats = formats or {}
        self.ws, self.columns, self.rows = ws, columns, 0
        wrapping = WRAPPED_TEXT if wrap else math.inf
        # a column is at least as wide as the longest word of its heading: no heading word is cut
        width = {
            c: max((widths or {}).get(c, 14), *(len(word) + 2 for word in name.split()))
            for c, name in zip(columns, headers, strict=True)
        }
        header_style = style(wb, text_wrap=True, **HEADER)
        heading_lines = 1
        for c, (column, name) in enumerate(zip(columns, headers, strict=True)):
            ws.write_string(0, c, name, header_style)
            heading_lines = max(heading_lines, text_lines(name, width[column]))
        ws.set_row(0, row_height(heading_lines))  # headings wrap at spaces, whole
        self.styles = [  # every cell at the top of its row, beside the wrapped text of the others
            style(
                wb,
                valign="top",
                **({"num_format": formats[c]} if c in formats else {}),
                **({"text_wrap": True} if width[c] >= wrapping else {}),
            )
            for c in columns
        ]
        for c, column in enumerate(columns):  # a cell written with no style takes its column's
            ws.set_column(c, c, width[column], self.styles[c])
        self.wrapped = {i: width[c] for i, c in enumerate(columns) if width[c] >= wrapping}

    def add(self, frame: pd.DataFrame) -> None:
        """The rows of ``frame`` (the table's columns, in order) under those written before."""
        ws, wrapped = self.ws, self.wrapped
        dated = [i for i, c in enumerate(frame.columns) if _holds_dates(frame[c])]
        for start in range(0, len(frame), ROWS_AT_ONCE):  # a copy of a few rows at a time
            part = frame.iloc[start : start + ROWS_AT_ONCE]
            values = part.astype(object).where(part.notna(), None)
            for r, row in enumerate(values.itertuples(index=False, name=None), self.rows + 1):
                ws.write_row(r, 0, row)  # text as text: the workbook reads strings as nothing else
                for c in dated:  # a date shows as a date only with its format
                    if row[c] is not None:
                        ws.write_datetime(r, c, row[c], self.styles[c])
                lines = 1
                for c, width in wrapped.items():
                    value = row[c]
                    if isinstance(value, str) and (len(value) > width - 2 or "\n" in value):
                        lines = max(lines, text_lines(value, width))
                if lines > 1:  # spreadsheet programs do not grow the rows a program wrote
                    ws.set_row(r, row_height(lines))
            self.rows += len(part)

    def close(self) -> None:
        """Freeze the header row, filter the table, and set up the print."""
        self.ws.freeze_panes(1, 0)
        self.ws.autofilter(0, 0, max(self.rows, 1), max(len(self.columns) - 1, 0))
        print_setup(self.ws)


def table(
    wb: Workbook,
    ws: Worksheet,
    frame: pd.DataFrame,
    headers: list[str],
    formats: Mapping[str, str] | None = None,
    widths: Mapping[str, int] | None = None,
) -> None:
    """The whole of ``frame`` as a ``TableSheet``."""
    sheet = TableSheet(wb, ws, list(frame.columns), headers, formats, widths)
    sheet.add(frame)
    sheet.close()


def _holds_dates(column: pd.Series) -> bool:
    """Whether a column holds dates or times (as dates, or as objects that are)."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return True
    first = column.dropna().head(1)
    return bool(len(first)) and isinstance(first.iloc[0], date)


def print_setup(ws: Worksheet, header: bool = True) -> None:
    """A4 landscape, shrunk to the page's width, so that every printed page holds whole rows
    with the columns that say which row is which; the header row repeated on every page."""
    ws.set_landscape()
    ws.set_paper(A4)
    if header:
        ws.repeat_rows(0)
    ws.fit_to_pages(1, 0)


def page_frame(
    wb: Workbook,
    title: str,
    page: str,
    banner: str | None = None,
    notes: Mapping[str, str] | None = None,
) -> None:
    """On every printed page of every sheet: the workbook's title and the sheet's name in the
    header (and ``banner`` in its middle, in red), "page X of Y" (``page``, with Excel's &P and
    &N) in the footer, after a sheet's note (``notes``, by sheet name) where it has one."""

    def plain(text: str) -> str:
        return text.replace("&", "&&")

    middle = f'&C&"-,Bold"&KB2182B{plain(banner)}' if banner else ""
    notes = notes or {}
    for ws in wb.worksheets():
        ws.set_header(f"&L{plain(title)}{middle}&R&A")
        note = f"&L{plain(notes[ws.name])}" if ws.name in notes else ""
        ws.set_footer(f"{note}&R{page}")


def score_columns(columns: list[str], wanted: list[str], rows: int) -> list[tuple[int, int]]:
    """The (first, last) column indexes of the ``wanted`` columns, by name among ``columns`` in
    sheet order, for ``bands`` over ``rows`` data rows under the header."""
    return [(columns.index(name), columns.index(name)) for name in wanted] if rows else []


def bands(wb: Workbook, ws: Worksheet, spans: list[tuple[int, int]], rows: int) -> None:
    """Colour score cells by grade band; the number stays, so colour is never the only signal."""
    for first, last in spans:
        upper = 100.01
        for low, fill, font in BANDS:
            ws.conditional_format(
                1,
                first,
                rows,
                last,
                {
                    "type": "cell",
                    "criteria": "between",
                    "minimum": low,
                    "maximum": upper,
                    "format": style(wb, bg_color=fill, font_color=font),
                },
            )
            upper = low - 0.0001
