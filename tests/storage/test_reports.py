"""The donor workbook and the data package, read back with openpyxl and checked against scoring."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from tests.conftest import ROOT, score_by_edition, shipped, shipped_editions
from tests.storage.helpers import new_assessment
from wddf.config import get_settings
from wddf.services.actor import SYSTEM
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments, demo
from wddf.services.documents import reports
from wddf.services.scores import insights

PAYLOADS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C notepad'!'A1'",
]


@pytest.fixture
def demo_db(db):
    with db.session() as session:
        demo.load(session, SYSTEM, countries=3, years=3, seed=5)
    return db


def workbook(db, actor, lang="en", **scope):
    with db.session() as session:
        return load_workbook(io.BytesIO(reports.donor_workbook(session, actor, lang, **scope)))


def test_every_sheet_is_made_for_reading_and_printing(demo_db, monkeypatch):
    monkeypatch.setenv("WDDF_DATA_CONTACT", "WGAAP secretariat, wgaap@example.org")
    get_settings.cache_clear()
    wb = workbook(demo_db, SYSTEM)
    get_settings.cache_clear()
    cover = {r[0].value: r[1].value for r in wb["Cover"].iter_rows() if r[0].value}
    assert cover["Contact"] == "WGAAP secretariat, wgaap@example.org"
    assert cover["Licence"].startswith("CC-BY-4.0") and "made on" in cover["How to cite"]
    contents = cover["Contents"].splitlines()
    assert [line.split(":")[0] for line in contents] == wb.sheetnames[1:]
    assert wb.properties.title == "WDDF self-assessments: donor workbook"
    assert wb.sheetnames == [
        "Cover",
        "Summary",
        "Indicators",
        "Dimensions",
        "Sector data",
        "Comparison",
        "Priority matrix",
        "Methodology",
        "Data",
    ]
    for name in wb.sheetnames[1:]:
        ws = wb[name]
        if name != "Methodology":
            assert ws.freeze_panes == "A2" and ws.auto_filter.ref, name
            assert ws.print_title_rows == "$1:$1", name
        assert ws.page_setup.orientation == "landscape", name
    summary = wb["Summary"]
    assert len(summary._charts) == 3  # goals, overall over the years, the implementation gap
    assert summary.conditional_formatting
    assert "DEMO DATA" in [c.value for c in wb["Cover"]["A"]]


CHART = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def test_charts_name_each_assessment_and_draw_straight_lines_over_years(demo_db):
    from xml.etree import ElementTree

    with demo_db.session() as session:
        content = reports.donor_workbook(session, SYSTEM, "en")
    archive = zipfile.ZipFile(io.BytesIO(content))
    charts = [
        ElementTree.fromstring(archive.read(n))
        for n in sorted(archive.namelist())
        if n.startswith("xl/charts/chart")
    ]
    [scatter] = [c for c in charts if c.find(f".//{CHART}scatterChart") is not None]
    series = list(scatter.iter(f"{CHART}ser"))
    assert len(series) == 3  # one line per country
    assert scatter.find(f".//{CHART}scatterStyle").get("val") == "lineMarker"  # straight lines
    smooth = [s.find(f"{CHART}smooth") for s in series]  # absent: not smoothed
    assert all(flag is None or flag.get("val") in ("0", "false") for flag in smooth)
    for chart in charts:
        assert chart.find(f".//{CHART}legendPos").get("val") == "b"
    summary = load_workbook(io.BytesIO(content))["Summary"]
    labels = [str(row[1].value) for row in summary.iter_rows(min_row=20) if row[1].value]
    named = [v for v in labels if v[-4:].isdigit() and " " in v]
    assert len(named) >= 3  # "Country year" categories, one per country's latest assessment


def test_every_country_is_charted_on_as_many_chart_pages_as_it_takes(db):
    """With 14 countries (WGAAP has about 17), the goal and gap charts take two pages each of
    at most 12 countries: no country is dropped from a chart."""
    with db.session() as session:
        demo.load(session, SYSTEM, countries=14, years=1, seed=6)
        content = reports.donor_workbook(session, SYSTEM, "fr")
    summary = load_workbook(io.BytesIO(content))["Synthèse"]
    titles = [c.title.tx.rich.p[0].r[0].t for c in summary._charts]
    assert len(titles) == 5  # goals (2 pages), the overall score over the years, gap (2 pages)
    assert sum(t.endswith("(1/2)") for t in titles) == sum(t.endswith("(2/2)") for t in titles) == 2
    named = [str(r[1].value) for r in summary.iter_rows(min_row=16) if r[1].value]
    charted = {v.rsplit(" ", 1)[0] for v in named if v.endswith(" 2025")}
    scorecard = {r[1].value for r in summary.iter_rows(min_row=2, max_row=15)}
    assert len(charted) == 14 and charted <= scorecard


def test_every_goal_score_has_its_coverage_beside_it(demo_db):
    """Under the scorecard (and the comparison), each goal's coverage sits in the column of its
    score, one row per assessment, as the scoring library counts it."""
    wb = workbook(demo_db, SYSTEM)
    with demo_db.session() as session:
        goals = reports.collect(session, SYSTEM, "en").goals
    for name in ("Summary", "Comparison"):
        ws = wb[name]
        header = [c.value for c in ws[1]]
        rows = list(ws.iter_rows(values_only=True))
        start = next(i for i, r in enumerate(rows) if "Coverage of each goal" in str(r))
        first = rows[start + 1]
        label = next(v for v in first if isinstance(v, str))
        country, year = label.rsplit(" ", 1)
        code = next(r[0] for r in rows[1:start] if country in r)
        expected = goals[(goals["year"] == int(year)) & (goals["country"] == code)]
        for goal, coverage in zip(expected["goal_id"], expected["coverage"], strict=True):
            column = next(i for i, h in enumerate(header) if str(h).startswith(f"{goal} · "))
            assert first[column] == pytest.approx(coverage), (name, goal)


def test_bands_and_wrapping_follow_the_headers_and_every_sheet_prints_to_the_page_width(demo_db):
    wb = workbook(demo_db, SYSTEM)
    indicators = wb["Indicators"]
    score_column = [c.value for c in indicators[1]].index("Score") + 1
    letter = indicators.cell(row=1, column=score_column).column_letter
    ranges = {str(r.sqref) for r in indicators.conditional_formatting}
    assert any(r.startswith(f"{letter}2:{letter}") for r in ranges), ranges
    dimensions = wb["Dimensions"]
    justification = [c.value for c in dimensions[1]].index("Justification") + 1
    assert dimensions.cell(row=2, column=justification).alignment.wrap_text
    for name in wb.sheetnames[1:]:  # every table prints to the page's width, whole rows
        assert wb[name].sheet_properties.pageSetUpPr.fitToPage, name
        setup = wb[name].page_setup  # one page wide (1, Excel's default when absent), any tall
        assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0, name


def test_summary_scores_are_the_scoring_librarys(demo_db):
    wb = workbook(demo_db, SYSTEM)
    shown = {
        (r["Country code"], r["Year"]): r["Overall score"]
        for r in scorecard(wb["Summary"])
        if r["Overall score"] is not None
    }
    with demo_db.session() as session:
        answers = pd.DataFrame(
            [
                (a.country, a.year, a.edition_id, x.dimension_id, x.grade)
                for a in assessments.visible(session, SYSTEM)
                for x in assessments.answers(session, SYSTEM, a.id)
            ],
            columns=["country", "year", "edition_id", "dimension_id", "grade"],
        )
    expected = score_by_edition(answers)
    assert len(shown) == len(expected) == 9
    for row in expected.itertuples():
        assert shown[(row.country, row.year)] == pytest.approx(row.score)


def scorecard(ws, year: str = "Year") -> list[dict]:
    """A sheet's table rows (those with a country and a year) by their headings."""
    rows = ws.iter_rows(values_only=True)
    headings = next(rows)
    found = [dict(zip(headings, r, strict=False)) for r in rows]
    return [r for r in found if r[headings[0]] and isinstance(r[year], int)]


def test_a_donor_gets_published_assessments_only(demo_db, people):
    statuses = {r["Status"] for r in scorecard(workbook(demo_db, people["donor"])["Summary"])}
    assert statuses == {"published · DEMO"}  # demo rows say so, row by row
    everything = {
        r["Status"].removesuffix(" · DEMO") for r in scorecard(workbook(demo_db, SYSTEM)["Summary"])
    }
    assert {"draft", "submitted", "published"} <= everything


def test_headings_follow_the_language(demo_db):
    wb = workbook(demo_db, SYSTEM, "fr")
    assert wb.sheetnames[:2] == ["Couverture", "Synthèse"]
    assert [c.value for c in wb["Synthèse"][1]][:5] == [
        "Code pays",
        "Pays",
        "Année",
        "Statut",
        "Score global",
    ]
    dimensions = scorecard(wb["Dimensions"], "Année")
    assert dimensions[0]["Niveau"] in {"Loi", "Politique", "Pratique"}
    assert {r["Données de démonstration"] for r in dimensions} == {"DÉMO"}  # row by row
    for sheet in wb.worksheets:  # and at the top of every printed page
        assert sheet.oddHeader.center.text == "DONNÉES DE DÉMONSTRATION", sheet.title
    confidence = {r["Confiance"] for r in dimensions}
    assert confidence - {None} and confidence - {None} <= {"faible", "moyenne", "élevée"}


def test_typed_text_stays_text_in_the_workbook_and_the_csv(db, people):
    aid = new_assessment(db, people["focal"])
    dims = [d.id for _, _, d in shipped().dimensions()][: len(PAYLOADS)]
    with db.session() as session:
        for dim, payload in zip(dims, PAYLOADS, strict=True):
            assessments.save_answer(
                session, people["focal"], aid, AnswerInput(dim, "B", payload, payload), 0
            )
    wb = workbook(db, SYSTEM)
    ws = wb["Dimensions"]
    header = [c.value for c in ws[1]]
    column = header.index("Justification") + 1
    cells = {
        ws.cell(row=r, column=3).value: ws.cell(row=r, column=column)
        for r in range(2, ws.max_row + 1)
    }
    # Line ends are stored as "\n" (the text policy); the text stays text, never a formula.
    stored = {dim: payload.replace("\r", "\n") for dim, payload in zip(dims, PAYLOADS, strict=True)}
    for dim, text in stored.items():
        assert cells[dim].data_type == "s" and cells[dim].value == text
    with db.session() as session:
        package = zipfile.ZipFile(io.BytesIO(reports.data_package(session, SYSTEM, "en")))
    rows = list(
        csv.DictReader(io.StringIO(package.read("answers.csv").decode("utf-8-sig"), newline=""))
    )
    by_dim = {r["dimension_id"]: r for r in rows}
    for dim, text in stored.items():  # a line feed first is no formula in any spreadsheet
        expected = text if text.startswith("\n") else "'" + text
        assert by_dim[dim]["justification"] == expected


def test_data_package_is_utf8_with_bom_and_describes_every_column(demo_db):
    with demo_db.session() as session:
        package = zipfile.ZipFile(io.BytesIO(reports.data_package(session, SYSTEM, "fr")))
    descriptor = json.loads(package.read("datapackage.json"))
    for resource in descriptor["resources"]:
        raw = package.read(resource["path"])
        assert raw.startswith(b"\xef\xbb\xbf")
        header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert header == [f["name"] for f in resource["schema"]["fields"]]
        assert all(f["description"] for f in resource["schema"]["fields"])
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert {r["is_demo"] for r in rows} == {"True"}, resource["path"]  # every file says so
    names = {
        r[1] for r in csv.reader(io.StringIO(package.read("assessments.csv").decode("utf-8-sig")))
    }
    assert "République démocratique du Congo" in names


def _to_pdf(path, tmp_path):
    """``path`` printed to PDF by LibreOffice, as a donor would; the PDF's path."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed: run the tests with bash bin/test")
    run = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = path.with_suffix(".pdf")
    assert run.returncode == 0 and pdf.exists(), run.stderr
    return pdf


def _pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(
        next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages"))
    )


@pytest.mark.sqlite_only
def test_the_cover_and_scorecard_print_on_few_pages_in_libreoffice(demo_db, tmp_path):
    """The workbook in Portuguese, printed by LibreOffice: the cover on one page, the scorecard
    with its charts on at most three; the first pages are kept as images under .ci/artifacts/
    for a person to look at."""
    with demo_db.session() as session:
        content = reports.donor_workbook(session, SYSTEM, "pt")
    whole = tmp_path / "donor.xlsx"
    whole.write_bytes(content)
    pdf = _to_pdf(whole, tmp_path)
    assert pdf.stat().st_size > 10_000
    artifacts = ROOT / ".ci" / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "4", str(pdf), str(artifacts / "donor")],
        check=True,
    )
    for keep, bound in (("Capa", 1), ("Resumo", 3)):
        wb = load_workbook(io.BytesIO(content))
        for name in wb.sheetnames:
            if name != keep:
                del wb[name]
        one = tmp_path / f"{keep}.xlsx"
        wb.save(one)
        assert _pages(_to_pdf(one, tmp_path)) <= bound, keep


@pytest.mark.sqlite_only
def test_one_country_year_prints_on_few_pages_each_saying_what_and_which_page(demo_db, tmp_path):
    """A donor prints Sierra Leone's last year in French: at most 15 pages, every page headed by
    the workbook's title and its sheet's name and numbered "Page n sur N"; the Data sheet, for
    analysts, prints only its header and says so."""
    with demo_db.session() as session:
        content = reports.donor_workbook(session, SYSTEM, "fr", country="SLE", year=2025)
    path = tmp_path / "sle.xlsx"
    path.write_bytes(content)
    pdf = _to_pdf(path, tmp_path)
    pages = _pages(pdf)
    assert pages <= 15
    sheets = load_workbook(io.BytesIO(content)).sheetnames
    for page in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "Auto-évaluations WDDF : classeur pour les bailleurs" in text, page
        assert f"Page {page} sur {pages}" in text, page
        assert any(name in text for name in sheets), page
    assert "cette feuille ne s'imprime pas" in text  # the last page: the Data sheet's header


def test_a_long_list_of_assessments_moves_from_the_cover_to_a_sheet_of_its_own(db, monkeypatch):
    """At 4,000 assessments the cover's list would pass a cell's 32,767 characters: past
    MOST_LISTED it is a sheet of its own, which the cover names."""
    from exports import donor_workbook

    monkeypatch.setattr(donor_workbook, "MOST_LISTED", 5)
    with db.session() as session:
        demo.load(session, SYSTEM, countries=3, years=2, seed=8)
    wb = workbook(db, SYSTEM, "pt")
    cover = {r[0].value: r[1].value for r in wb["Capa"].iter_rows() if r[0].value}
    assert cover["Avaliações"] == "6 avaliações: ver a folha Avaliações."
    listed = wb["Avaliações"]
    assert listed.max_row == 7 and listed.cell(row=1, column=1).value == "Código do país"


def test_nothing_graded_yet_gives_empty_results_not_a_crash(db, people):
    """A country whose first draft has no grade: progress is empty, and the donor workbook of
    everything in scope opens with its sheets (and no score rows)."""
    new_assessment(db, people["focal"], year=2024)
    with db.session() as session:
        found = insights.progress(session, people["focal"], "SLE")
        content = reports.donor_workbook(session, SYSTEM, "en")
        one_country = reports.donor_workbook(session, SYSTEM, "fr", "SLE")
    assert found.steps.empty and found.trends.empty
    for workbook, summary in ((content, "Summary"), (one_country, "Synthèse")):
        sheet = load_workbook(io.BytesIO(workbook))[summary]
        rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "SLE"]
        assert rows == [("SLE", "Sierra Leone", 2024, rows[0][3], None, None)]  # no score yet


def test_the_data_package_is_valid_by_the_frictionless_standard(demo_db, tmp_path):
    """frictionless validates the descriptor, every value against its field's type and the
    header of every file."""
    from frictionless import Package

    with demo_db.session() as session:
        content = reports.data_package(session, SYSTEM, "pt")
    zipfile.ZipFile(io.BytesIO(content)).extractall(tmp_path)
    report = Package(str(tmp_path / "datapackage.json")).validate()
    problems = [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors]
    assert report.valid, problems[:10]
    assert {task.name for task in report.tasks} >= {"assessments", "scores", "answers"}
    descriptor = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    assert descriptor["title"] and descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["created"].endswith("Z") and descriptor["sources"]
    schemas = {r["name"]: r["schema"] for r in descriptor["resources"]}
    assert schemas["answers"]["primaryKey"] == ["country", "year", "dimension_id"]
    assert schemas["scores"]["foreignKeys"][0]["reference"]["resource"] == "assessments"
    # the README's pandas lines, run as written, keep the grade NA (not a missing value)
    readme = (tmp_path / "README.md").read_text("utf-8")
    snippet = readme.split("```python\n", 1)[1].split("```", 1)[0]
    scope: dict = {}
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        exec(snippet, scope)  # the user's own instructions, tested as they read them
    finally:
        os.chdir(cwd)
    answers = scope["answers"]
    assert "NA" in set(answers["grade"]) and answers["grade"].isna().sum() == 0
    assert pd.read_csv(tmp_path / "answers.csv")["grade"].isna().sum() > 0  # pandas' default
    # and the constraints hold: a grade outside the scale is caught
    broken = (tmp_path / "answers.csv").read_text("utf-8-sig").replace(",NA,", ",E,", 1)
    (tmp_path / "answers.csv").write_text(broken, encoding="utf-8-sig")
    assert not Package(str(tmp_path / "datapackage.json")).validate().valid


TITLES_SCRIPT = """
import io, sys
from openpyxl import load_workbook
from wddf.services.actor import SYSTEM
from wddf.services.documents import reports
from wddf.storage.db import Database
with Database(sys.argv[1]).session() as session:
    content = reports.donor_workbook(session, SYSTEM, "en", "SLE")
rows = load_workbook(io.BytesIO(content))["Dimensions"].iter_rows(min_row=2, values_only=True)
for row in rows:
    if row[3] == "WD7.3.1":
        print(row[1], row[4])
"""


def _seven_three_one(db) -> dict[int, str]:
    """The title the donor workbook gives WD7.3.1 in each Sierra Leone year."""
    rows = scorecard(workbook(db, SYSTEM, "en", country="SLE")["Dimensions"])
    return {r["Year"]: r["Title"] for r in rows if r["Dimension"] == "WD7.3.1"}


@pytest.mark.parametrize("seed", ["1", "2"])
def test_each_assessment_shows_its_own_editions_words_whatever_the_hash_seed(demo_db, seed):
    """Sierra Leone's demo walks from 1.0 through 1.1 to 1.2; WD7.3.1 names another question in
    1.0 than in 1.1 and 1.2. Titles used to be merged by id, the winner chosen by set order."""
    editions = {e: shipped_editions()[e] for e in ("wddf-1.0", "wddf-1.1", "wddf-1.2")}
    words = {e: editions[e].dimension_index["WD7.3.1"].title["en"] for e in editions}
    assert words["wddf-1.0"] != words["wddf-1.1"]
    expected = {2023: words["wddf-1.0"], 2024: words["wddf-1.1"], 2025: words["wddf-1.2"]}
    assert _seven_three_one(demo_db) == expected
    env = os.environ | {"PYTHONHASHSEED": seed}
    run = subprocess.run(
        [sys.executable, "-c", TITLES_SCRIPT, demo_db.url],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    shown = dict(line.split(" ", 1) for line in run.stdout.splitlines())
    assert {int(year): title for year, title in shown.items()} == expected


def _sheet_rows(content: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return {ws.title: sorted(map(repr, ws.iter_rows(values_only=True))) for ws in book}


def test_exports_written_a_few_countries_at_a_time_hold_what_one_written_whole_does(
    demo_db, monkeypatch
):
    """Exports of many assessments score and write a few countries at a time, so that their
    memory does not grow with the number of assessments: one country per part gives the same
    sheets and files as everything in one part."""
    made = {}
    for size in (1, 10_000):
        monkeypatch.setattr(reports, "WORKBOOK_PARTS", reports.Part(changes=True, size=size))
        monkeypatch.setattr(reports, "PACKAGE_PARTS", reports.Part(changes=False, size=size))
        monkeypatch.setattr(reports.audit, "now", lambda: pd.Timestamp("2026-01-02T03:04Z"))
        with demo_db.session() as session:
            made[size] = (
                reports.donor_workbook(session, SYSTEM, "pt"),
                zipfile.ZipFile(io.BytesIO(reports.data_package(session, SYSTEM, "pt"))),
            )
    (parts_book, parts_zip), (whole_book, whole_zip) = made[1], made[10_000]
    assert _sheet_rows(parts_book) == _sheet_rows(whole_book)
    for name in parts_zip.namelist():
        parts_text, whole_text = parts_zip.read(name), whole_zip.read(name)
        assert parts_text.count(b"\xef\xbb\xbf") == (1 if name.endswith(".csv") else 0)
        parts_lines, whole_lines = parts_text.splitlines(), whole_text.splitlines()
        assert parts_lines[0] == whole_lines[0]  # one header, first
        assert sorted(parts_lines) == sorted(whole_lines), name
    answers = parts_zip.read("answers.csv").decode("utf-8-sig").splitlines()
    assert answers[1:] == sorted(answers[1:], key=lambda line: line.split(",")[:4])
    assert len(_sheet_rows(parts_book)["Dimensões"]) == len(answers)  # a row per answer
