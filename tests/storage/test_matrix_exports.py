"""The policy priority matrix in the donor workbook and the data package: every column, in the
workbook's language, text kept as text, and a package that frictionless finds valid."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime

from openpyxl import load_workbook

from tests.storage.test_report_changes import LAST_YEAR, published
from wddf.services.documents import reports
from wddf.services.process import action_plan
from wddf.services.process.action_plan import Reform

FORMULA = '=HYPERLINK("http://evil.example","click")'


def _matrix(db, people) -> int:
    aid = published(db, people["focal"], 2023, LAST_YEAR)
    with db.session() as session:
        action_plan.add(
            session,
            people["admin"],
            aid,
            Reform(
                ["WD1.1.1", "WD2.3.2"],
                "Amend the Mines and Minerals Act",
                owner="Ministry of Mines",
                deadline=datetime(2025, 3, 31, tzinfo=UTC),
                target_grade="B",
                priority=1,
                partners="World Bank; NMA",
                estimated_cost=1_250_000,
                currency="USD",
                timeframe="medium",
            ),
        )
        second = action_plan.add(session, people["admin"], aid, Reform(["WD1.1.2"], FORMULA))
        action_plan.set_status(
            session, people["admin"], second.id, "in_progress", FORMULA, seen=("open", "")
        )
    return aid


def test_the_workbook_holds_the_matrix_in_its_language(db, people):
    _matrix(db, people)
    with db.session() as session:
        content = reports.donor_workbook(session, people["donor"], "fr", "SLE")
    sheet = load_workbook(io.BytesIO(content))["Matrice des priorités"]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["Code pays", "Année", "Priorité", "Dimensions", "Action", header[5]]
    assert header[5] == "Institution responsable" and "Preuves d'avancement" in header
    first, second = (
        dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    )
    assert (first["Priorité"], first["Dimensions"], first["Partenaires"]) == (
        1,
        "WD1.1.1 WD2.3.2",
        "World Bank; NMA",
    )
    assert (first["Coût estimé"], first["Devise"], first["Horizon"]) == (
        1_250_000,
        "USD",
        "moyen terme",
    )
    assert first["Échéance"].date().isoformat() == "2025-03-31"
    assert second["Priorité"] is None and second["Statut"] == "en cours"
    cells = [c for c in sheet[3] if c.value == FORMULA]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)  # text, never a formula


def test_the_data_package_carries_the_matrix_and_is_valid(db, people, tmp_path):
    from frictionless import Package

    _matrix(db, people)
    with db.session() as session:
        content = reports.data_package(session, people["donor"], "en")
    package = zipfile.ZipFile(io.BytesIO(content))
    text = package.read("priority_matrix.csv").decode("utf-8-sig")
    first, second = csv.DictReader(io.StringIO(text, newline=""))
    assert (first["dimensions"], first["estimated_cost"], first["deadline"]) == (
        "WD1.1.1 WD2.3.2",
        "1250000",
        "2025-03-31",
    )
    assert (first["timeframe"], first["priority"], first["status"]) == ("medium", "1", "open")
    assert second["action"] == "'" + FORMULA and second["progress"] == "'" + FORMULA
    package.extractall(tmp_path)
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, [e.message for task in report.tasks for e in task.errors][:5]
