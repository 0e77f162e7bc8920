"""The country report to the WGAAP: the Word document read back with python-docx and checked
against the scoring library; its print to PDF by LibreOffice; the command line; who may have it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from docx.shared import Cm
from openpyxl import load_workbook
from sqlalchemy import update

from exports.country_report import heading_floor
from scoring import score
from tests.conftest import ROOT, run_wddf, shipped
from tests.storage.helpers import new_assessment, set_status
from tests.storage.test_report_changes import published
from wddf.domain import Status
from wddf.errors import ErrorCode, Invalid, NotAllowed, NotFound
from wddf.i18n import money, number, t
from wddf.questionnaire import structure_table
from wddf.services import editions
from wddf.services.actor import SYSTEM
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments
from wddf.services.documents import country_report, downloads, reports
from wddf.services.process import action_plan, background, panels, sector_data
from wddf.services.process import workshop as workshops
from wddf.services.process.action_plan import Reform
from wddf.services.process.panels import SessionRecord
from wddf.services.process.sector_data import Entry
from wddf.services.process.workshop import Participant
from wddf.storage.tables import Assessment

EDITION = "wddf-1.0"
SECTIONS = (
    "summary",
    "sector",
    "process",
    "background",
    "scores",
    "gap",
    "progress",
    "agreement",
    "matrix",
    "method",
    "annex",
    "evidence",
)


def _history(db, people) -> int:
    """Sierra Leone, published in 2023 and 2024; in 2024 two stakeholder groups disagree on one
    dimension, and the matrix holds one reform of two dimensions."""
    published(db, people["focal"], 2023, {"WD1.1.1": "D", "WD2.1.1": "D"})
    set_status(db, published(db, people["focal"], 2024, {"WD1.1.1": "B"}), Status.DRAFT)
    with db.session() as session:
        [item] = [a for a in assessments.visible(session, people["admin"]) if a.year == 2024]
        for group, grade in (("government", "A"), ("civil_society", "D")):
            given = AnswerInput("WD1.1.1", grade, "seen", group=group)
            assessments.save_answer(session, people["focal"], item.id, given, 0)
        action_plan.add(
            session,
            people["focal"],
            item.id,
            Reform(
                ["WD2.1.1", "WD2.1.2"],
                "Publier le cadastre minier en ligne",
                owner="Ministère des Mines",
                priority=1,
                partners="Banque mondiale",
                estimated_cost=400_000,
                currency="USD",
                timeframe="medium",
            ),
        )
        panel = panels.create(session, people["focal"], item.id, "Cadre juridique", ["WD1"])
        member = panels.add_member(
            session, people["focal"], panel.id, "A. Koroma", "civil_society", "Réseau ONG"
        )
        panels.record_session(
            session,
            people["focal"],
            panel.id,
            SessionRecord(date(2024, 3, 12), "Freetown", [member.id], dimensions=["WD1.1.1"]),
        )
        given = [Participant("F. Bangura", "Ministère des Mines", "government")]
        made = workshops.record(session, people["focal"], item.id, date(2024, 5, 2), given, "Bo")
        workshops.confirm(session, people["focal"], item.id, {}, made.recorded_at)
    set_status(db, item.id, Status.PUBLISHED)
    return item.id


def _library_scores(db, assessment_id: int):
    """The scoring library's result for the assessment's consensus answers."""
    with db.session() as session:
        rows = assessments.answers(session, SYSTEM, assessment_id)
        edition = editions.get_edition(session, EDITION)
    answers = pd.DataFrame(
        [("SLE", 2024, a.dimension_id, a.grade) for a in rows],
        columns=["country", "year", "dimension_id", "grade"],
    )
    return score(structure_table(edition), answers, EDITION)


def _table(document, heading: str) -> list[list[str]]:
    """The rows of the first table whose header row names ``heading``."""
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if heading in rows[0]:
            return rows
    raise AssertionError(f"no table with {heading}")


def test_the_word_report_in_french_says_what_the_scoring_library_says(db, people):
    aid = _history(db, people)
    with db.session() as session:
        content = country_report.docx(session, people["donor"], "SLE", 2024, "fr")
    document = Document(io.BytesIO(content))
    labels = reports.labels("fr")
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [labels[f"report.h.{s}"] for s in SECTIONS]
    assert document.paragraphs[0].text == t("report.title", "fr")
    result = _library_scores(db, aid)
    charts = document.inline_shapes  # each with a text alternative and a numbered caption
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert len(charts) == len(captions) >= 3
    assert captions[0] == f"Figure 1 : {labels['report.chart.goals']}"
    goals_described = charts[0]._inline.docPr.get("descr")
    first = result.goals.iloc[0]
    assert goals_described.startswith(labels["report.chart.goals"] + ". WD1")
    assert f": {number(first['score'], 'fr')}" in goals_described
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"{number(result.overall['score'].iloc[0], 'fr')} sur 100" in text
    assert "Depuis 2023" in text  # progress since the previous assessment
    goals = _table(document, labels["col.goal_id"])
    assert goals[0] == [labels[f"col.{c}"] for c in ("goal_id", "title", "score", "coverage")]
    expected = {g.goal_id: number(g.score, "fr") for g in result.goals.itertuples()}
    assert {row[0]: row[2] for row in goals[1:]} == expected
    matrix = _table(document, labels["col.priority"])
    assert len(matrix) == 2
    shown = dict(zip(matrix[0], matrix[1], strict=True))
    assert shown["Dimensions"] == "WD2.1.1 WD2.1.2"
    assert shown["Action"] == "Publier le cadastre minier en ligne"
    assert shown["Horizon"] == "moyen terme" and "Devise" not in shown
    assert shown["Coût estimé"] == money(400_000, "USD", "fr")  # 400 000 USD
    graders = _table(document, labels["col.answers"])
    assert {row[0] for row in graders[1:]} >= {"Gouvernement", "Société civile"}
    people = _table(document, labels["col.where"])
    assert [row[0] for row in people[1:]] == ["A. Koroma", "F. Bangura"]
    assert people[2][1:] == ["Ministère des Mines", "Gouvernement", "Atelier de validation"]
    sessions = _table(document, labels["col.attendees"])
    assert sessions[1][:5] == ["Cadre juridique", "12 mars 2024", "Freetown", "1", "WD1.1.1"]
    assert "L'atelier national de validation s'est tenu le 2 mai 2024 à Bo." in text
    disputed = _table(document, labels["col.n_groups"])
    assert disputed[1] == ["WD1.1.1", "2", "D", "A", "B"]
    changes = _table(document, labels["col.change_reason"])
    moved = {row[0]: row[2:5] for row in changes[1:]}
    assert moved["WD1.1.1"] == ["D", "B", labels["change.improved"]]
    assert moved["WD2.1.1"] == ["D", "C", labels["change.improved"]]


def test_the_report_gives_the_sector_data_the_background_the_d_star_list_and_the_evidence(
    db, people
):
    """What WGAAP reads beside the grades, entered by the focal point while the assessment was
    open: the sector figures with their source and year, the KP focal point and endorsement on
    the cover, the technical-assistance needs, the background report of a goal, the dimensions
    graded D* with what is missing, and every dimension's justification and evidence."""
    focal = people["focal"]
    aid = published(db, focal, 2024, {"WD1.1.3": "D*"})
    set_status(db, aid, Status.DRAFT)
    missing = "Aucun recensement des creuseurs depuis 2009"
    with db.session() as session:
        dstar = AnswerInput("WD1.1.3", "D*", missing, evidence="Lettre du ministère, 2024")
        assessments.save_answer(session, focal, aid, dstar, 1)
        for entry in (
            Entry("diggers_total", "120 000", "Recensement partiel", "2023"),
            Entry("exports_usd", "1 250 000,50", "Douanes, rapport annuel", "2024"),
            Entry("kp_focal_point", "M. Kamara, Direction des mines"),
            Entry("ta_needs", "Former les agents des mines\nÉquiper les bureaux régionaux"),
        ):
            sector_data.save(session, focal, aid, entry, 0, "fr")
        background.save(
            session,
            focal,
            aid,
            "WD1",
            "Le code minier de 2009 reste en vigueur.",
            "Code minier, art. 12",
            0,
        )
    set_status(db, aid, Status.PUBLISHED)
    with db.session() as session:
        content = country_report.docx(session, people["donor"], "SLE", 2024, "fr")
    document = Document(io.BytesIO(content))
    labels = reports.labels("fr")
    cover = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert cover[t("sector.item.kp_focal_point", "fr")] == "M. Kamara, Direction des mines"
    contents = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert labels["report.h.sector"] in contents and labels["report.h.evidence"] in contents
    sector = _table(document, labels["col.item"])
    assert sector[1:] == [
        ["Creuseurs (total)", "120\u202f000", "2023", "Recensement partiel"],
        ["Exportations (dollars des États-Unis)", "1\u202f250\u202f000,50", "2024",
         "Douanes, rapport annuel"],
    ]  # fmt: skip
    text = [p.text for p in document.paragraphs]
    needs = text.index(t("sector.item.ta_needs", "fr"))
    assert text[needs + 1 : needs + 3] == [
        "Former les agents des mines",
        "Équiper les bureaux régionaux",
    ]
    assert "Le code minier de 2009 reste en vigueur." in text and "Code minier, art. 12" in text
    graded_dstar = _table(document, labels["col.missing"])
    assert [row[0] for row in graded_dstar[1:]] == ["WD1.1.3"] and graded_dstar[1][2] == missing
    annex = _table(document, labels["col.justification"])
    assert len(annex) - 1 == len(shipped().dimensions())
    row = next(r for r in annex if r[0] == "WD1.1.3")
    assert row[1:] == ["D*", missing, "Lettre du ministère, 2024"]


def test_the_report_follows_the_language_and_warns_of_demo_data(db, people):
    _history(db, people)
    with db.session() as session:
        session.execute(update(Assessment).where(Assessment.year == 2024).values(is_demo=True))
    with db.session() as session:  # a real assessment's report has no warning
        real = country_report.docx(session, people["reviewer"], "SLE", 2023, "fr")
    assert t("report.demo", "fr") not in [p.text for p in Document(io.BytesIO(real)).paragraphs]
    for lang, heading in (("en", "Summary"), ("pt", "Resumo"), ("fr", "Synthèse")):
        with db.session() as session:
            content = country_report.docx(session, people["reviewer"], "SLE", 2024, lang)
        document = Document(io.BytesIO(content))
        paragraphs = [p.text for p in document.paragraphs]
        assert heading in paragraphs
        assert t("report.demo", lang) in paragraphs
        headers = {tuple(p.text for p in part.header.paragraphs) for part in document.sections}
        assert headers == {(content_subtitle(document), t("report.demo_header", lang))}
        footer = document.sections[0].footer.paragraphs[0]
        assert "PAGE" in footer._p.xml and "NUMPAGES" in footer._p.xml  # page X of Y
        assert document.core_properties.language == lang
        for table in document.tables:  # within the page, and no heading word cut in two
            section_width = 25.7 if len(table.columns) > 10 else 17.0
            assert sum(c.width for c in table.columns) <= Cm(section_width) + Cm(0.01)
            for cell, column in zip(table.rows[0].cells, table.columns, strict=True):
                assert column.width >= Cm(heading_floor(cell.text)) - Cm(0.01), cell.text


def test_who_may_have_the_report(db, people):
    draft = new_assessment(db, people["focal"], year=2022)
    for who, error in (
        ("panelist", NotAllowed),
        ("donor", NotFound),  # not published
        ("reviewer", NotFound),  # never submitted
        ("other_focal", NotFound),
    ):
        with db.session() as session, pytest.raises(error):
            country_report.docx(session, people[who], "SLE", 2022, "en")
    with db.session() as session:
        assert country_report.docx(session, people["focal"], "SLE", 2022, "en")
        for country, year in (("S'L", 2022), ("SLE", 2023), ("", 2022)):
            with pytest.raises(NotFound):
                country_report.docx(session, people["admin"], country, year, "en")
        with pytest.raises(Invalid) as refused:
            country_report.docx(session, people["admin"], "SLE", 1800, "fr")
        assert "1800" in refused.value.message("fr")
        with pytest.raises(NotAllowed):
            item = assessments.get(session, people["admin"], draft)
            country_report.document(session, people["panelist"], item, "en")


@pytest.mark.sqlite_only
def test_libreoffice_prints_the_report_to_pdf(db, people, tmp_path):
    _history(db, people)
    with db.session() as session:
        content = country_report.pdf(session, people["donor"], "SLE", 2024, "fr")
    assert content.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(next(li.split()[-1] for li in info.stdout.splitlines() if li.startswith("Pages")))
    assert 5 <= pages <= 20
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Rapport du pays" in first and "Sierra Leone" in first
    last = _pdf_page(path, pages)
    assert f"Page {pages} sur {pages}" in last and "Sierra Leone, 2024" in last  # on every page
    # Word's fonts have their metric twins here, so the PDF paginates as Word does
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    assert "Carlito" in fonts.stdout, fonts.stdout
    # The matrix's headings break between words, never inside one ("Dimension" / "s").
    texts = [_pdf_page(path, n) for n in range(1, pages + 1)]
    heading = reports.labels("fr")["report.h.matrix"]
    contents = reports.labels("fr")["report.h.contents"]
    [matrix] = [text for text in texts if heading in text and contents not in text]
    words = {word for line in matrix.splitlines() for word in line.split()}
    for column in ("priority", "dimensions", "owner", "estimated_cost", "progress"):
        assert set(reports.labels("fr")[f"col.{column}"].split()) <= words, column


def _pdf_page(path: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.sqlite_only
def test_the_command_writes_word_and_says_plainly_when_pdf_cannot_be_made(
    db, people, database_url, tmp_path
):
    _history(db, people)
    word = tmp_path / "rapport.docx"
    where = ["--country", "SLE", "--year", "2024"]
    made = run_wddf("report", *where, "--lang", "pt", "-o", str(word), url=database_url)
    assert made.returncode == 0, made.stderr
    assert Document(str(word)).paragraphs[0].text == t("report.title", "pt")
    unpublished = ["--country", "SLE", "--year", "2021", "--user", "donor"]
    refused = run_wddf("report", *unpublished, "-o", str(word), url=database_url)
    assert refused.returncode == 2 and "Not found" in refused.stderr
    # Without LibreOffice on the PATH: the Word file is written beside, and the refusal says why.
    env = os.environ | {"WDDF_DATABASE_URL": database_url, "PATH": str(Path(sys.executable).parent)}
    pdf = tmp_path / "report.pdf"
    command = [sys.executable, "-m", "wddf", "report", *where, "-o", str(pdf)]
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    assert run.returncode == 2 and not pdf.exists()
    assert "LibreOffice" in run.stderr and pdf.with_suffix(".docx").exists()


def test_a_provisional_indicator_grade_says_so_in_the_report_and_the_workbook(db, people):
    focal = people["focal"]
    aid = new_assessment(db, focal)
    with db.session() as session:
        for dimension in ("WD1.1.1", "WD1.1.2"):  # WD1.1 has a third dimension, not graded
            assessments.save_answer(session, focal, aid, AnswerInput(dimension, "A", "Seen"), 0)
        found = session.get(Assessment, aid)
        report = country_report.gather(session, focal, found, "fr")
        content = reports.donor_workbook(session, focal, "fr", "SLE", found.year)
    row = report.indicators.set_index("indicator_id").loc["WD1.1"]
    assert row["grade"] == "A (provisoire)" and row["coverage"] == pytest.approx(2 / 3)
    sheet = load_workbook(io.BytesIO(content))["Indicateurs"]
    rows = sheet.iter_rows(values_only=True)
    headings = next(rows)
    shown = {r[headings.index("Indicateur")]: r for r in rows}
    assert shown["WD1.1"][headings.index("Statut de la note")] == "provisoire"


def content_subtitle(document) -> str:
    """The report's subtitle as its cover prints it (the running header repeats it)."""
    return document.paragraphs[1].text


def test_a_report_is_made_once_while_nothing_changes_and_one_at_a_time_per_user(
    db, people, monkeypatch
):
    """The same report asked twice is made once; a change anywhere (here a reform added to the
    matrix) makes it anew. While one of a user's reports is being made, their next is refused
    in their language, not queued; another user is not held up."""
    aid = _history(db, people)
    made, hold, started = [], threading.Event(), threading.Event()
    real = country_report.document

    def counting(session, actor, assessment, lang="en"):
        made.append(actor.username)
        if actor.username == "reviewer" and not hold.is_set():
            started.set()
            hold.wait(30)
        return real(session, actor, assessment, lang)

    monkeypatch.setattr(country_report, "document", counting)
    downloads.REPORTS.clear()
    params = {"assessment": str(aid), "lang": "fr"}

    def ask(actor):
        with db.reader() as session:
            return downloads.make(session, actor, "report", params).content

    first, again = ask(people["donor"]), ask(people["donor"])
    assert first == again and made == ["donor"]
    with db.session() as session:  # a change, audited
        reform = Reform(["WD1.1.1"], "Former les agents", owner="Ministère des Mines", priority=2)
        action_plan.add(session, people["focal"], aid, reform)
    ask(people["donor"])
    assert made == ["donor", "donor"]
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(ask, people["reviewer"])
        assert started.wait(30)
        with pytest.raises(Invalid) as busy:
            ask(people["reviewer"])
        assert busy.value.code is ErrorCode.REPORT_BUSY
        assert "Un rapport est en cours de préparation" in busy.value.message("fr")
        assert ask(people["admin"])  # another user is not held up
        hold.set()
        assert slow.result(30)
