"""An edition can come from Excel: the round trip is lossless and bad workbooks are located."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.factories import tiny_edition
from wddf.questionnaire import Code, load_questionnaire
from wddf.questionnaire.excel import edition_to_workbook
from wddf.questionnaire.excel_reader import read_edition_workbook
from wddf.questionnaire.loader import dump_edition


def _edit(content: bytes, sheet: str, cell: str, value) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    wb[sheet][cell] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _header_cell(content: bytes, sheet: str, header: str) -> str:
    ws = load_workbook(io.BytesIO(content))[sheet]
    [cell] = [c for c in ws[1] if c.value == header]
    return cell.column_letter


def test_yaml_to_excel_to_yaml_is_lossless(shipped_edition):
    workbook = edition_to_workbook(shipped_edition)
    back = read_edition_workbook(workbook)
    assert back.ok, back.report()
    assert back.edition == shipped_edition
    again = load_questionnaire(dump_edition(back.edition))
    assert again.ok and again.edition == shipped_edition


def test_workbook_is_readable_by_a_person(shipped_edition):
    wb = load_workbook(io.BytesIO(edition_to_workbook(shipped_edition)))
    assert wb.sheetnames == ["edition", "goals", "indicators", "dimensions"]
    dims = wb["dimensions"]
    assert dims.freeze_panes == "A2"
    headers = [c.value for c in dims[1]]
    assert headers[:5] == ["indicator_id", "id", "layer", "weight", "na_allowed"]
    assert "statement_C.fr" in headers and "evidence.pt" in headers
    assert dims.max_row == 1 + len(shipped_edition.dimensions())


def test_template_is_an_empty_workbook_with_every_column():
    wb = load_workbook(io.BytesIO(edition_to_workbook(None)))
    assert wb["dimensions"].max_row == 1
    assert "question.pt" in [c.value for c in wb["dimensions"][1]]
    assert [c.value for c in wb["edition"]["A"]][1:5] == [
        "id",
        "version",
        "schema_version",
        "languages",
    ]


def test_missing_statement_is_located_by_sheet_cell_and_column():
    content = edition_to_workbook(load_questionnaire(tiny_edition()).edition)
    column = _header_cell(content, "dimensions", "statement_C.fr")
    broken = _edit(content, "dimensions", f"{column}3", None)
    result = read_edition_workbook(broken)
    assert result.edition is None
    assert [(p.code, p.location) for p in result.errors] == [
        (Code.LANGUAGE_MISSING, f"dimensions!{column}3 (statement_C.fr)")
    ]


def test_bad_layer_and_orphan_row_are_both_reported():
    content = edition_to_workbook(load_questionnaire(tiny_edition()).edition)
    broken = _edit(content, "dimensions", "C2", "rules")
    broken = _edit(broken, "dimensions", "A4", "WD9.9")
    codes = {(p.code, p.location) for p in read_edition_workbook(broken).errors}
    assert (Code.BAD_CHOICE, "dimensions!C2 (layer)") in codes
    assert (Code.ROW_ORPHAN, "dimensions!A4 (indicator_id)") in codes


def test_formula_like_text_stays_text():
    data = tiny_edition()
    data["goals"][0]["title"]["en"] = '=HYPERLINK("http://example.invalid")'
    edition = load_questionnaire(data).edition
    content = edition_to_workbook(edition)
    cell = load_workbook(io.BytesIO(content))["goals"]["C2"]
    assert cell.data_type == "s"
    assert read_edition_workbook(content).edition == edition


def test_not_a_workbook_is_refused():
    result = read_edition_workbook(b"this is not a zip file")
    assert [p.code for p in result.errors] == [Code.WORKBOOK_UNREADABLE]


def test_missing_sheet_and_column_are_named():
    content = edition_to_workbook(None)
    wb = load_workbook(io.BytesIO(content))
    del wb["indicators"]
    out = io.BytesIO()
    wb.save(out)
    assert [(p.code, p.location) for p in read_edition_workbook(out.getvalue()).errors] == [
        (Code.SHEET_MISSING, "indicators")
    ]
    no_column = _edit(content, "goals", "C1", "titel.en")
    problems = read_edition_workbook(no_column).errors
    assert (Code.COLUMN_MISSING, "goals!1") in {(p.code, p.location) for p in problems}
