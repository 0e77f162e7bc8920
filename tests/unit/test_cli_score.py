"""``wddf score``: the documented JSON and CSV shapes, and refusal of bad files with exit 2."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import run_wddf as wddf

HEADER = "country,year,dimension_id,grade\n"


def write(tmp_path, body: str, header: str = HEADER):
    path = tmp_path / "answers.csv"
    path.write_text(header + body, encoding="utf-8")
    return str(path)


def test_json_has_one_object_per_assessment(tmp_path):
    body = (
        "SLE,2024,WD1.1.1,B\nSLE,2024,WD1.1.2,B\nSLE,2024,WD1.1.3,C\n"
        "SLE,2024,WD2.3.2,NA\nGUY,2023,WD1.1.1,D*\n"
    )
    run = wddf(
        "score", "--edition", "wddf-1.0", "--answers", write(tmp_path, body), "--format", "json"
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert [(d["country"], d["year"]) for d in data] == [("GUY", 2023), ("SLE", 2024)]
    sle = data[1]
    assert set(sle) == {"country", "year", "overall", "coverage", "goals", "indicators"}
    wd11 = sle["indicators"]["WD1.1"]
    assert wd11["score"] == pytest.approx(500 / 9)
    assert (wd11["grade_m1"], wd11["grade_m2"], wd11["coverage"]) == ("C+", "B", 1.0)
    assert sle["indicators"]["WD2.3"] == {
        "score": None,
        "grade_m1": None,
        "grade_m2": None,
        "coverage": 0.0,
    }
    assert sle["goals"]["WD1"]["coverage"] == pytest.approx(3 / 9)
    assert sle["coverage"] == pytest.approx(3 / 59)
    assert data[0]["overall"] == 0.0


def test_csv_is_tidy(tmp_path):
    run = wddf(
        "score",
        "--edition",
        "wddf-1.0",
        "--answers",
        write(tmp_path, "SLE,2024,WD1.1.1,A\n"),
        "--format",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert list(rows[0]) == [
        "country",
        "year",
        "level",
        "id",
        "score",
        "grade_m1",
        "grade_m2",
        "coverage",
    ]
    assert rows[0]["level"] == "overall" and float(rows[0]["score"]) == 100.0
    assert {r["level"] for r in rows} == {"overall", "goal", "indicator"}
    assert len(rows) == 1 + 9 + 22


@pytest.mark.parametrize(
    ("body", "header", "message"),
    [
        ("SLE,2024,WD9.9.9,A\n", HEADER, "line 2, dimension_id: unknown dimension 'WD9.9.9'"),
        ("SLE,2024,WD1.1.1,A\nSLE,2024,WD1.1.2,E\n", HEADER, "line 3, grade: 'E' is not one of"),
        ("SLE,2024,WD1.1.1,NA\n", HEADER, "line 2, grade: NA is not allowed for this dimension"),
        (
            "SLE,2024,WD1.1.1,A\nSLE,2024,WD1.1.1,B\n",
            HEADER,
            "line 3, dimension_id: 'WD1.1.1' is given twice",
        ),
        (
            "SLE,2024,A\n",
            "country,year,grade\n",
            "line 1, dimension_id: the column is missing from the header row",
        ),
        ("SLE,last year,WD1.1.1,A\n", HEADER, "line 2, year: 'last year' is not a year"),
    ],
)
def test_bad_file_is_refused_with_exit_2_and_nothing_on_stdout(tmp_path, body, header, message):
    run = wddf("score", "--edition", "wddf-1.0", "--answers", write(tmp_path, body, header))
    assert run.returncode == 2
    assert run.stdout == ""
    assert message in run.stderr


def test_every_bad_row_is_listed(tmp_path):
    body = "SLE,2024,WD1.1.1,A\nSLE,20x4,WD1.1.2,B\nSLE,2024,WD9,B\nSLE,2024,WD1.1.3,Z\n"
    run = wddf("score", "--edition", "wddf-1.0", "--answers", write(tmp_path, body))
    lines = [ln for ln in run.stderr.splitlines() if ", " in ln and "line " in ln]
    assert [ln.split("line ")[1].split(",")[0] for ln in lines] == ["3", "4", "5"]


def test_na_stays_a_grade_and_allowed_na_is_accepted(tmp_path):
    run = wddf(
        "score",
        "--edition",
        "wddf-1.0",
        "--answers",
        write(tmp_path, "SLE,2024,WD7.3.1,NA\nSLE,2024,WD7.3.2,A\n"),
    )
    assert run.returncode == 0, run.stderr
    [result] = json.loads(run.stdout)
    assert result["indicators"]["WD7.3"]["score"] == 100.0
