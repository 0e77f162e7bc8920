"""The offline questionnaire: round trip, and bad files refused whole, nothing half-applied."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.conftest import run_wddf
from tests.storage.helpers import EDITION, new_assessment
from wddf.domain import Status
from wddf.services import editions
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments, offline
from wddf.services.editions import SHIPPED
from wddf.storage.tables import Answer, Assessment, AuditEntry


def template(db, actor, year=2024, lang="fr"):
    with db.session() as session:
        return offline.template(session, actor, "SLE", year, lang, EDITION)


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
    assert ws["B2"].value == "WD1.1.1 Exploitation artisanale définie dans le code minier"
    hidden = ws.column_dimensions["L"]  # L to N: the row version, the answer's digest, the seal
    assert hidden.hidden and (hidden.min, hidden.max) == (12, 14)
    assert not ws["H2"].protection.locked and ws["C2"].protection.locked
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"A,B,C,D,D*"' in lists and '"faible,moyenne,élevée"' in lists  # in French
    assert '"A,B,C,D,D*,NA"' in [dv.formula1 for dv in wb["WD2"].data_validations.dataValidation]


def test_round_trip_imports_exactly_the_intended_answers(db, people):
    content = fill(
        template(db, people["focal"], year=2025),
        {
            ("WD1", "H2"): "A",
            ("WD1", "I2"): "Code minier, titre IV",
            ("WD1", "J2"): "JO 2019-12",
            ("WD1", "K2"): "élevée",  # chosen from the French dropdown
            ("WD1", "H3"): "C",
            ("WD1", "I3"): "Stratégie 2020 sans budget",
            ("WD1", "K3"): "low",  # a code is understood too
            ("WD2", "H9"): "NA",
            ("WD2", "I9"): "Aucune grande exploitation",
            ("WD3", "H2"): "D*",
            ("WD3", "I2"): "=1+1",
        },
    )
    preview = run_import(db, people["focal"], content, dry_run=True)
    assert not preview.problems and len(preview.changes) == 4 and not preview.applied
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
    assert (again["WD1"]["K2"].value, given["WD1.1.2"].confidence) == ("élevée", "low")
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


def _members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        return {i.filename: source.read(i.filename) for i in source.infolist()}


def _zip(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as target:
        for name, data in members.items():
            target.writestr(name, data)
    return out.getvalue()


def _replaced(content: bytes, name: str, data: bytes) -> bytes:
    return _zip(_members(content) | {name: data})


def _without_sheet(content: bytes, sheet: str) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    del wb[sheet]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _renamed(content: bytes, sheet: str, name: str) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    wb[sheet].title = name
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _corrupt_member(content: bytes) -> bytes:
    """Damage the deflated bytes of the sheet WD1 inside the archive (its header stays whole)."""
    raw = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo("xl/worksheets/sheet2.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 20
    raw[start : start + 40] = bytes(40)
    return bytes(raw)


def _lying_sizes(content: bytes) -> bytes:
    """The central directory claims a smaller size for one member than it holds."""
    raw = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo("xl/worksheets/sheet2.xml")
    central = raw.find(b"xl/worksheets/sheet2.xml", raw.find(b"PK\x01\x02")) - 46
    raw[central + 24 : central + 28] = (info.file_size // 3).to_bytes(4, "little")
    return bytes(raw)


LAUGHS = [
    f'<!ENTITY {c} "{("&" + p + ";") * 10}">'.encode()
    for p, c in zip("abcdefg", "bcdefgh", strict=True)
]
SHEET_NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _sheet(doctype: bytes, text: bytes) -> bytes:
    """A goal sheet whose one answer cell holds ``text``, after a DOCTYPE."""
    return (
        b'<?xml version="1.0"?>' + doctype + SHEET_NS + b'<sheetData><row r="2">'
        b'<c r="H2" t="inlineStr"><is><t>' + text + b"</t></is></c></row></sheetData></worksheet>"
    )


ENTITY_XML = {
    "xxe": _sheet(b'<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>', b"&x;"),
    "billion-laughs": _sheet(
        b'<!DOCTYPE s [<!ENTITY a "aaaaaaaaaa">' + b"".join(LAUGHS) + b"]>", b"&h;"
    ),
    "quadratic": _sheet(b'<!DOCTYPE s [<!ENTITY a "' + b"a" * 50_000 + b'">]>', b"&a;" * 5_000),
}
WD1_SHEET = "xl/worksheets/sheet2.xml"

BAD = [
    ("not-xlsx", lambda t: b"%PDF-1.4 not a workbook", "file: this is not an .xlsx workbook"),
    ("empty", lambda t: b"", "file: this is not an .xlsx workbook"),
    ("truncated", lambda t: t[: len(t) // 2], "file: this is not an .xlsx workbook"),
    ("zip-without-workbook", lambda t: _zip({"a.txt": b"x"}), "this is not an .xlsx"),
    ("macro", lambda t: _macro(t), "file: a workbook with macros is refused"),
    ("zip-bomb", lambda t: _bomb(), "file: refused: it expands far beyond"),
    ("corrupt-member", _corrupt_member, "xl/worksheets/sheet2.xml: this part of the workbook"),
    ("lying-sizes", _lying_sizes, "xl/worksheets/sheet2.xml: this part of the workbook"),
    *[
        (name, lambda t, x=xml: _replaced(t, WD1_SHEET, x), "file: the workbook declares XML")
        for name, xml in ENTITY_XML.items()
    ],
    (
        "invalid-character-reference",
        lambda t: _replaced(t, WD1_SHEET, _sheet(b"", b"&#0;")),
        "file: the workbook is damaged and cannot be read",
    ),
    (
        "garbage-styles",
        lambda t: _replaced(t, "xl/styles.xml", b"\x00\xffnot xml at all"),
        "file: the workbook is damaged",
    ),
    (
        "garbage-workbook",
        lambda t: _replaced(t, "xl/workbook.xml", b"<workbook><sheets><sheet/></workbook>"),
        "file: the workbook is damaged",
    ),
    ("no-meta", lambda t: _without_sheet(t, "_meta"), "_meta: missing: this is not an offline"),
    ("goal-sheet-removed", lambda t: _without_sheet(t, "WD3"), "WD3: this goal sheet is missing"),
    (
        "tampered-id",
        lambda t: fill(t, {("WD1", "A3"): "WD1.1.9", ("WD1", "H3"): "B"}),
        "WD1!A3: the hidden id WD1.1.9 does not match what the row shows (WD1.1.2)",
    ),
    (
        "duplicate-id",
        lambda t: fill(t, {("WD1", "A3"): "WD1.1.1"}),
        "WD1!A3: the hidden id WD1.1.1 does not match what the row shows (WD1.1.2)",
    ),
    (
        "swapped-ids",
        lambda t: fill(t, {("WD1", "A2"): "WD1.1.2", ("WD1", "A3"): "WD1.1.1"}),
        "WD1!A2: the hidden id WD1.1.2 does not match what the row shows (WD1.1.1)",
    ),
    (
        "swapped-ids-and-titles",  # the seal binds the id to the question the row shows
        lambda t: fill(t, {("WD1", "A2"): "WD1.1.2", ("WD1", "B2"): "WD1.1.2 x"}),
        "WD1!A2: the hidden id WD1.1.2 does not match",
    ),
    (
        "unknown-row-with-answers",
        lambda t: fill(
            t, {("WD1", "A40"): "WD1.1.9", ("WD1", "B40"): "WD1.1.9", ("WD1", "H40"): "B"}
        ),
        "WD1!A40: the hidden id WD1.1.9 does not match",
    ),
    (
        "made-before-row-versions",
        lambda t: fill(t, {("_meta", "B1"): "1"}),
        "_meta: this file was made by an earlier version of the tool",
    ),
    ("bad-grade", lambda t: fill(t, {("WD1", "H2"): "E"}), "WD1!H2: E is not one of"),
    (
        "na-without-reason",
        lambda t: fill(t, {("WD2", "H9"): "NA"}),
        "WD2!I9: NA needs a reason",
    ),
    (
        "na-not-allowed",
        lambda t: fill(t, {("WD1", "H2"): "NA", ("WD1", "I2"): "x"}),
        "WD1!H2: NA is not allowed for WD1.1.1",
    ),
    ("bad-confidence", lambda t: fill(t, {("WD1", "K2"): "sure"}), "WD1!K2: sure is not low"),
    ("checksum", lambda t: fill(t, {("_meta", "B6"): "0000"}), "checksum does not match"),
    (
        "wrong-edition",
        lambda t: fill(t, {("_meta", "B2"): "wddf-9.9"}),
        "_meta: unknown questionnaire edition wddf-9.9",
    ),
    ("wrong-year", lambda t: fill(t, {("_meta", "B4"): "last year"}), "_meta: last year is not"),
    ("superscript-year", lambda t: fill(t, {("_meta", "B4"): "²⁰¹⁰"}), "_meta: ²⁰¹⁰ is not a year"),
    (
        "other-country",
        lambda t: fill(t, {("_meta", "B3"): "GUY", ("WD1", "H2"): "A"}),
        "not allowed",
    ),
    ("sheet-renamed", lambda t: _renamed(t, "WD4", "Feuil1"), "WD4: this goal sheet is missing"),
    ("formula-as-grade", lambda t: fill(t, {("WD1", "H2"): "=A1"}), "WD1!H2: =A1 is not one of"),
    (
        "year-out-of-range",
        lambda t: fill(t, {("_meta", "B4"): "1850", ("WD1", "H2"): "A"}),
        "_meta: The year must be between 2000 and 2100, not 1850.",
    ),
    (
        "over-long-justification",
        lambda t: fill(t, {("WD1", "H5"): "B", ("WD1", "I5"): "x" * 20_001}),
        "WD1!A5: Justification: the text is longer than 20000 characters",
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
    bad = make(base)
    for dry_run in (True, False):  # the dry run refuses exactly what the import refuses
        report = run_import(db, people["focal"], bad, dry_run)
        assert report.problems and not report.applied and not report.changes
        assert any(message.lower() in p.lower() for p in report.problems), report.problems
    assert snapshot(db) == before


def test_a_file_over_the_size_limit_is_refused_before_it_is_opened():
    from exports.offline import read_offline_workbook

    read = read_offline_workbook(b"PK" + b"\x00" * 2_000, max_bytes=1_000)
    assert [(p.where, p.code) for p in read.problems] == [("file", "too_large")]


def test_goal_sheets_are_found_by_their_ids_even_without_the_instructions(db, people):
    content = _without_sheet(
        fill(template(db, people["focal"]), {("WD1", "H2"): "B", ("WD1", "I2"): "Code, art. 4"}),
        "Instructions",
    )
    report = run_import(db, people["focal"], content)
    assert not report.problems and report.changes == [
        {"dimension": "WD1.1.1", "before": None, "after": "B", "justification": "Code, art. 4"}
    ]


def test_a_questionnaire_of_another_edition_never_makes_a_second_assessment(db, people):
    content = fill(template(db, people["focal"], year=2026), {("WD1", "H2"): "B"})
    national = SHIPPED.read_text("utf-8").replace("id: wddf-1.0", "id: wddf-national-1.0", 1)
    with db.session() as session:
        editions.install(session, people["admin"], "national.yaml", national.encode())
        assessments.create(session, people["focal"], "SLE", 2026, "wddf-national-1.0")
    before = snapshot(db)
    report = run_import(db, people["focal"], content)
    assert report.problems == [
        "_meta: this file is of edition wddf-1.0, but this country and year are assessed with "
        "edition wddf-national-1.0: download the questionnaire again from that assessment."
    ]
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("who", "status", "expected"),
    [
        ("focal", Status.SUBMITTED, "cannot be changed"),
        ("panelist", Status.DRAFT, "You are not allowed"),
        ("donor", Status.PUBLISHED, "published and cannot be changed"),
    ],
)
def test_a_dry_run_refuses_what_the_import_refuses(db, people, who, status, expected):
    new_assessment(db, people["focal"], year=2024, status=status)
    content = fill(template(db, people["focal"]), {("WD1", "H2"): "A", ("WD1", "I2"): "Seen"})
    before = snapshot(db)
    preview = run_import(db, people[who], content, dry_run=True)
    report = run_import(db, people[who], content)
    assert preview.problems == report.problems and any(expected in p for p in report.problems)
    assert not preview.changes and not report.applied
    assert snapshot(db) == before


def test_problems_are_in_the_language_asked_for(db, people):
    content = fill(template(db, people["focal"]), {("WD1", "H2"): "E"})
    with db.session() as session:
        report = offline.import_workbook(session, people["focal"], content, lang="pt")
    assert report.problems == ["WD1!H2: E não é uma de A B C D D* NA."]


def test_a_member_inflating_beyond_its_limit_is_refused_before_parsing(db, people, monkeypatch):
    from exports import offline as reader

    monkeypatch.setattr(reader, "MAX_MEMBER", 2_000)
    read = reader.read_offline_workbook(template(db, people["focal"]))
    assert read.problems[0].code == "member_too_large"


def test_the_command_refuses_a_hostile_file_with_exit_2_not_a_traceback(tmp_path, db, people):
    path = tmp_path / "xxe.xlsx"
    path.write_bytes(_replaced(template(db, people["focal"]), WD1_SHEET, ENTITY_XML["xxe"]))
    run = run_wddf("import", str(path), "--user", "focal-sle", "--lang", "fr", url=db.url)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "file: le classeur déclare des entités XML ou une DTD" in run.stderr


def _grades(db, actor, aid) -> dict[str, tuple[str | None, str]]:
    with db.session() as session:
        return {
            a.dimension_id: (a.grade, a.justification)
            for a in assessments.answers(session, actor, aid)
        }


def _save(db, actor, aid, dimension, grade, reason):
    with db.session() as session:
        done = assessments.answers(session, actor, aid)
        seen = next((a.row_version for a in done if a.dimension_id == dimension), 0)
        assessments.save_answer(session, actor, aid, AnswerInput(dimension, grade, reason), seen)


def test_a_file_made_before_a_change_in_the_app_never_undoes_it(db, people):
    focal = people["focal"]
    aid = new_assessment(db, focal)
    _save(db, focal, aid, "WD1.1.1", "B", "Code 2019")
    made = template(db, focal)  # WD1.1.1 is B in the file
    _save(db, focal, aid, "WD1.1.1", "A", "Code 2024, art. 3")  # then A in the app
    _save(db, focal, aid, "WD1.1.3", "C", "set in the app, blank in the file")
    report = run_import(db, focal, fill(made, {("WD1", "H3"): "C", ("WD1", "I3"): "Plan"}))
    assert not report.problems and not report.conflicts
    assert [c["dimension"] for c in report.changes] == ["WD1.1.2"]
    assert _grades(db, focal, aid) == {
        "WD1.1.1": ("A", "Code 2024, art. 3"),
        "WD1.1.2": ("C", "Plan"),
        "WD1.1.3": ("C", "set in the app, blank in the file"),
    }


def test_an_answer_changed_in_both_is_a_conflict_kept_from_the_app_unless_chosen(db, people):
    focal = people["focal"]
    aid = new_assessment(db, focal)
    _save(db, focal, aid, "WD1.1.1", "B", "Code 2019")
    made = template(db, focal)
    _save(db, focal, aid, "WD1.1.1", "A", "Code 2024")
    content = fill(made, {("WD1", "H2"): "C", ("WD1", "I2"): "Décret 12"})
    for dry_run in (True, False):
        report = run_import(db, focal, content, dry_run)
        assert not report.problems and not report.changes
        assert report.conflicts == [
            {
                "dimension": "WD1.1.1",
                "file": "C",
                "file_justification": "Décret 12",
                "app": "A",
                "app_justification": "Code 2024",
                "taken": False,
            }
        ]
    assert _grades(db, focal, aid)["WD1.1.1"] == ("A", "Code 2024")
    with db.session() as session:
        taken = offline.import_workbook(session, focal, content, take_file={"WD1.1.1"})
    assert [(c["before"], c["after"]) for c in taken.changes] == [("A", "C")]  # not B → C
    assert _grades(db, focal, aid)["WD1.1.1"] == ("C", "Décret 12")
    with db.session() as session:
        imports = session.scalars(
            select(AuditEntry.new_value)
            .where(AuditEntry.action == "offline_import")
            .order_by(AuditEntry.id)
        ).all()
    assert ['"conflicts_kept_from_app": ["WD1.1.1"]' in i for i in imports] == [True, False]
    assert '"conflicts_taken_from_file": ["WD1.1.1"]' in imports[1]


def test_two_imports_of_one_template_do_not_undo_each_other(db, people):
    focal = people["focal"]
    aid = new_assessment(db, focal)
    made = template(db, focal)
    first = fill(made, {("WD1", "H2"): "C", ("WD1", "I2"): "first"})
    second = fill(made, {("WD1", "H2"): "D", ("WD1", "I2"): "second", ("WD1", "H3"): "B"})
    second = fill(second, {("WD1", "I3"): "only in the second"})
    assert run_import(db, focal, first).changes
    report = run_import(db, focal, second)
    assert [c["dimension"] for c in report.conflicts] == ["WD1.1.1"]
    assert [c["dimension"] for c in report.changes] == ["WD1.1.2"]
    assert _grades(db, focal, aid)["WD1.1.1"] == ("C", "first")


def test_a_row_emptied_in_the_file_is_not_a_change(db, people):
    focal = people["focal"]
    aid = new_assessment(db, focal)
    _save(db, focal, aid, "WD1.1.1", "B", "Code 2019")
    emptied = fill(template(db, focal), {("WD1", "H2"): None, ("WD1", "I2"): None})
    assert not run_import(db, focal, emptied).changes
    assert _grades(db, focal, aid)["WD1.1.1"] == ("B", "Code 2019")
