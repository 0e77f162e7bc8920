"""The offline questionnaire: round trip, and bad files refused whole, nothing half-applied."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.storage.helpers import new_assessment
from wddf.services import assessments, offline
from wddf.services.assessments import AnswerInput
from wddf.storage.tables import Answer, Assessment, AuditEntry


def template(db, actor, year=2024, lang="fr"):
    with db.session() as session:
        return offline.template(session, actor, "SLE", year, lang)


def fill(content: bytes, cells: dict[tuple[str, str], object]) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    for (sheet, ref), value in cells.items():
        wb[sheet][ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run_import(db, actor, content, dry_run=False):
    with db.session() as session:
        return offline.import_workbook(session, actor, content, dry_run)


def snapshot(db):
    with db.session() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(t))
            for t in (Assessment, Answer, AuditEntry)
        )


def test_template_is_protected_with_dropdowns_hidden_ids_and_current_answers(db, people):
    aid = new_assessment(db, people["focal"])
    with db.session() as session:
        assessments.save_answer(
            session, people["focal"], aid, AnswerInput("WD1.1.1", "B", "Code art. 12"), 0
        )
    wb = load_workbook(io.BytesIO(template(db, people["focal"])))
    assert wb.sheetnames[0] == "Instructions" and "WD9" in wb.sheetnames
    assert wb["_meta"].sheet_state == "veryHidden"
    ws = wb["WD1"]
    assert ws.protection.sheet and ws.column_dimensions["A"].hidden
    assert (ws["A2"].value, ws["H2"].value, ws["I2"].value) == ("WD1.1.1", "B", "Code art. 12")
    assert ws["B2"].value == "Exploitation artisanale définie dans le code minier"
    assert not ws["H2"].protection.locked and ws["C2"].protection.locked
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"A,B,C,D,D*"' in lists and '"low,medium,high"' in lists
    assert '"A,B,C,D,D*,NA"' in [dv.formula1 for dv in wb["WD2"].data_validations.dataValidation]


def test_round_trip_imports_exactly_the_intended_answers(db, people):
    content = fill(
        template(db, people["focal"], year=2025),
        {
            ("WD1", "H2"): "A",
            ("WD1", "I2"): "Code minier, titre IV",
            ("WD1", "J2"): "JO 2019-12",
            ("WD1", "K2"): "high",
            ("WD2", "H9"): "NA",
            ("WD2", "I9"): "Aucune grande exploitation",
            ("WD3", "H2"): "D*",
            ("WD3", "I2"): "=1+1",
        },
    )
    preview = run_import(db, people["focal"], content, dry_run=True)
    assert not preview.problems and len(preview.changes) == 3 and not preview.applied
    report = run_import(db, people["focal"], content)
    assert not report.problems and report.applied
    with db.session() as session:
        given = {
            a.dimension_id: a
            for a in assessments.answers(session, people["focal"], report.assessment_id)
        }
    assert (given["WD1.1.1"].grade, given["WD1.1.1"].evidence, given["WD1.1.1"].confidence) == (
        "A",
        "JO 2019-12",
        "high",
    )
    assert (given["WD2.3.2"].grade, given["WD2.3.2"].justification) == (
        "NA",
        "Aucune grande exploitation",
    )
    assert (given["WD3.1.1"].grade, given["WD3.1.1"].justification) == ("D*", "=1+1")
    again = load_workbook(io.BytesIO(template(db, people["focal"], year=2025)))
    assert again["WD1"]["H2"].value == "A" and again["WD3"]["I2"].data_type == "s"
    assert not run_import(db, people["focal"], template(db, people["focal"], year=2025)).changes


def _macro(content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\x00" * 64)
    return out.getvalue()


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("[Content_Types].xml", "<Types/>")
        target.writestr("xl/workbook.xml", b"<" + b" " * 50_000_000 + b"/>")
    return out.getvalue()


BAD = [
    ("not-xlsx", lambda t: b"%PDF-1.4 not a workbook", "not an .xlsx workbook"),
    ("macro", lambda t: _macro(t), "macro-enabled"),
    ("zip-bomb", lambda t: _bomb(), "zip bomb"),
    (
        "tampered-id",
        lambda t: fill(t, {("WD1", "A3"): "WD1.1.9", ("WD1", "H3"): "B"}),
        "WD1!A3 (id)",
    ),
    ("bad-grade", lambda t: fill(t, {("WD1", "H2"): "E"}), "WD1!H2 (grade): 'E' is not one of"),
    (
        "na-without-reason",
        lambda t: fill(t, {("WD2", "H9"): "NA"}),
        "WD2!I9 (justification): NA needs a reason",
    ),
    (
        "na-not-allowed",
        lambda t: fill(t, {("WD1", "H2"): "NA", ("WD1", "I2"): "x"}),
        "NA is not allowed for WD1.1.1",
    ),
    ("bad-confidence", lambda t: fill(t, {("WD1", "K2"): "sure"}), "WD1!K2 (confidence)"),
    ("checksum", lambda t: fill(t, {("_meta", "B6"): "0000"}), "checksum does not match"),
    (
        "wrong-edition",
        lambda t: fill(t, {("_meta", "B2"): "wddf-9.9"}),
        "unknown edition 'wddf-9.9'",
    ),
    ("wrong-year", lambda t: fill(t, {("_meta", "B4"): "last year"}), "'last year' is not a year"),
    (
        "other-country",
        lambda t: fill(t, {("_meta", "B3"): "GUY", ("WD1", "H2"): "A"}),
        "not allowed",
    ),
]


@pytest.mark.parametrize(("name", "make", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_files_are_refused_whole_with_a_located_message(db, people, name, make, message):
    aid = new_assessment(db, people["focal"])
    with db.session() as session:
        assessments.save_answer(
            session, people["focal"], aid, AnswerInput("WD1.1.2", "C", "kept"), 0
        )
    base = fill(
        template(db, people["focal"]), {("WD1", "H4"): "A", ("WD1", "I4"): "would be applied"}
    )
    before = snapshot(db)
    report = run_import(db, people["focal"], make(base))
    assert report.problems and not report.applied
    assert any(message.lower() in p.lower() for p in report.problems), report.problems
    assert snapshot(db) == before


def test_a_file_over_the_size_limit_is_refused_before_it_is_opened():
    from exports.offline import read_offline_workbook

    read = read_offline_workbook(b"PK" + b"\x00" * 2_000, max_bytes=1_000)
    assert read.problems == ["file: larger than 0 MB"] or read.problems[0].startswith(
        "file: larger than"
    )
