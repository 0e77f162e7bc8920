"""The command line keeps its contract: outputs, exit codes, nothing written on refusal."""

from __future__ import annotations

import csv
import io
import json

import yaml

from tests.conftest import SHIPPED
from tests.conftest import run_wddf as wddf
from tests.factories import edited, tiny_edition


def test_validate_accepts_the_shipped_edition():
    run = wddf("questionnaire", "validate", str(SHIPPED))
    assert run.returncode == 0, run.stderr
    assert "valid edition wddf-1.0" in run.stdout


def test_validate_refuses_with_exit_2_and_located_errors(tmp_path):
    data = edited(tiny_edition(), "goals.0.indicators.0.dimensions.0.statements.C.fr", delete=True)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    run = wddf("questionnaire", "validate", str(path))
    assert run.returncode == 2
    assert "goals[0].indicators[0].dimensions[0].statements.C.fr" in run.stderr
    assert "missing" in run.stderr and run.stdout == ""


def test_validate_speaks_french_on_request(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: [\n", encoding="utf-8")
    run = wddf("questionnaire", "validate", str(path), "--lang", "fr")
    assert run.returncode == 2
    assert "le YAML est illisible" in run.stderr and "ligne" in run.stderr


def test_list_shows_id_version_and_languages():
    run = wddf("questionnaire", "list")
    assert run.returncode == 0
    assert "wddf-1.0\t1.0\ten,fr,pt" in run.stdout.splitlines()


def test_show_json_has_one_object_per_dimension_in_the_chosen_language(shipped_edition):
    run = wddf("questionnaire", "show", "--edition", "wddf-1.0", "--lang", "pt", "--format", "json")
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    assert len(rows) == len(shipped_edition.dimensions())
    first = rows[0]
    for key in (
        "goal_id",
        "indicator_id",
        "dimension_id",
        "layer",
        "dimension_weight",
        "indicator_weight",
        "goal_weight",
        "indicator_method",
        "na_allowed",
    ):
        assert key in first
    assert first["question"] == shipped_edition.goals[0].indicators[0].dimensions[0].question["pt"]


def test_show_csv_parses_with_the_same_columns():
    run = wddf("questionnaire", "show", "--format", "csv", "--edition", "wddf-1.0")
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert run.returncode == 0 and rows[0]["dimension_id"] == "WD1.1.1"


def test_show_unknown_edition_exits_2():
    run = wddf("questionnaire", "show", "--edition", "nope")
    assert run.returncode == 2 and "Unknown questionnaire edition nope" in run.stderr


def test_template_then_import_round_trip(tmp_path):
    xlsx, back = tmp_path / "edition.xlsx", tmp_path / "edition.yaml"
    assert wddf("questionnaire", "export", "-o", str(xlsx)).returncode == 0
    run = wddf("questionnaire", "import", str(xlsx), "-o", str(back))
    assert run.returncode == 0, run.stderr
    assert wddf("questionnaire", "validate", str(back)).returncode == 0


def test_import_of_an_empty_template_is_refused_and_writes_nothing(tmp_path):
    xlsx, out = tmp_path / "template.xlsx", tmp_path / "out.yaml"
    assert wddf("questionnaire", "template", "-o", str(xlsx)).returncode == 0
    run = wddf("questionnaire", "import", str(xlsx), "-o", str(out))
    assert run.returncode == 2
    assert "edition!B2 (id): missing" in run.stderr
    assert not out.exists()
