"""Cell helpers shared by every workbook writer: text stays text, headers look alike."""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")


def write_value(ws: Worksheet, row: int, column: int, value: Any) -> None:
    """Write a value; a string is always stored as text, never as a formula."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def write_header(ws: Worksheet, headers: list[str], widths: dict[str, int] | None = None) -> None:
    """Write a styled, frozen, filterable header row and set column widths."""
    widths = widths or {}
    for col, name in enumerate(headers, start=1):
        write_value(ws, 1, col, name)
        cell = ws.cell(row=1, column=col)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        letter = cell.column_letter
        ws.column_dimensions[letter].width = widths.get(name, 14)
    ws.freeze_panes = "A2"
    if headers:
        ws.auto_filter.ref = f"A1:{ws.cell(row=1, column=len(headers)).column_letter}1"
