"""Last year's grade and the change class in the donor workbook, on hand-made cases: one source
(``services.scored`` and ``scoring.change``) for a one-country, one-year export as for all data,
D ↔ D* and NA reported as changes with their reason, and an edition change."""

from __future__ import annotations

import io

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from scoring import score
from scoring.change import change
from tests.conftest import shipped
from tests.storage.helpers import set_status
from wddf.domain import Status
from wddf.errors import Invalid
from wddf.questionnaire import structure_table
from wddf.services import editions
from wddf.services.actor import SYSTEM
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments
from wddf.services.documents import reports
from wddf.services.process import action_plan

LAST_YEAR = {"WD1.1.1": "D", "WD1.1.2": "B", "WD2.3.2": "C"}
THIS_YEAR = {"WD1.1.1": "D*", "WD1.1.2": "A", "WD2.3.2": "NA"}
NEXT_EDITION = "wddf-test-1.1"


def published(db, actor, year: int, overrides: dict[str, str], edition: str = "wddf-1.0") -> int:
    """A published assessment of Sierra Leone: every dimension C, but for ``overrides``."""
    with db.session() as session:
        made = assessments.create(session, actor, "SLE", year, edition)
        for _, _, dim in editions.get_edition(session, edition).dimensions():
            given = AnswerInput(dim.id, overrides.get(dim.id, "C"), f"Seen for {dim.id}")
            assessments.save_answer(session, actor, made.id, given, 0)
    set_status(db, made.id, Status.PUBLISHED)
    return made.id


def rows_of(db, actor, **scope) -> dict[str, dict]:
    with db.session() as session:
        tables = reports.collect(session, actor, "en", **scope)
    return {r["dimension_id"]: r for r in tables.dimensions.to_dict("records")}


def test_a_one_year_export_carries_last_years_grade_and_the_change_class(db, people):
    published(db, people["focal"], 2023, LAST_YEAR)
    published(db, people["focal"], 2024, THIS_YEAR)
    found = rows_of(db, people["donor"], country="SLE", year=2024)
    total = len(shipped().dimensions())
    assert len(found) == total
    assert sum(r["last_grade"] is not None for r in found.values()) == total  # 60 of 60
    assert (found["WD1.1.1"]["last_grade"], found["WD1.1.1"]["change"]) == ("D", "changed")
    assert (found["WD1.1.2"]["last_grade"], found["WD1.1.2"]["change"]) == ("B", "improved")
    assert (found["WD2.3.2"]["change"], found["WD2.3.2"]["change_reason"]) == ("changed", "na")
    assert (found["WD1.2.1"]["change"], found["WD1.2.1"]["change_reason"]) == ("unchanged", "none")
    everything = rows_of(db, people["donor"])
    assert {d: r["change"] for d, r in everything.items() if r["year"] == 2024} == {
        d: r["change"] for d, r in found.items()
    }  # the same answer whatever the scope


def test_the_change_classes_agree_with_the_scoring_library(db, people):
    published(db, people["focal"], 2023, LAST_YEAR)
    published(db, people["focal"], 2024, THIS_YEAR)
    found = rows_of(db, people["donor"], country="SLE", year=2024)
    structure = structure_table(shipped())

    def scored(grades: dict[str, str], year: int):
        rows = [("SLE", year, d.id, grades.get(d.id, "C")) for _, _, d in shipped().dimensions()]
        answers = pd.DataFrame(rows, columns=["country", "year", "dimension_id", "grade"])
        return score(structure, answers, "wddf-1.0")

    steps = change(scored(LAST_YEAR, 2023), scored(THIS_YEAR, 2024))
    library = steps[steps["level"].eq("dimension")].set_index("id")["direction"]
    for dimension_id, row in found.items():
        if row["change"] in ("improved", "declined", "unchanged"):
            assert library[dimension_id] == row["change"], dimension_id


def test_a_dimension_the_new_edition_does_not_continue_is_not_comparable(db, people):
    published(db, people["focal"], 2024, THIS_YEAR)
    text = yaml.safe_load(editions.SHIPPED.read_text(encoding="utf-8"))
    text["id"], text["version"] = NEXT_EDITION, "1.1"
    for goal in text["goals"]:
        for indicator in goal["indicators"]:
            for dim in indicator["dimensions"]:
                if dim["id"] != "WD1.1.1":
                    dim["continues"] = {
                        "edition": "wddf-1.0",
                        "dimension": dim["id"],
                        "comparability": "full",
                    }
    content = yaml.safe_dump(text, allow_unicode=True).encode()
    with db.session() as session:
        editions.install(session, SYSTEM, f"{NEXT_EDITION}.yaml", content)
    published(db, people["focal"], 2025, {"WD1.1.2": "B"}, edition=NEXT_EDITION)
    found = rows_of(db, people["donor"], country="SLE", year=2025)
    assert found["WD1.1.1"]["change"] == "not_comparable"
    assert found["WD1.1.1"]["change_reason"] == "edition"
    assert (found["WD1.1.2"]["last_grade"], found["WD1.1.2"]["change"]) == ("A", "declined")


def test_the_workbook_shows_last_years_grade_for_one_country_and_year(db, people):
    published(db, people["focal"], 2023, LAST_YEAR)
    published(db, people["focal"], 2024, THIS_YEAR)
    with db.session() as session:
        content = reports.donor_workbook(session, people["donor"], "fr", country="SLE", year=2024)
    ws = load_workbook(io.BytesIO(content))["Dimensions"]
    header = [c.value for c in ws[1]]
    last, why = header.index("Note précédente") + 1, header.index("Motif du changement") + 1
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(shipped().dimensions())
    assert all(row[last - 1] for row in rows)
    by_id = {row[2]: row for row in rows}
    assert by_id["WD2.3.2"][why - 1] == "la couverture NA a changé"


def test_a_year_with_nothing_published_is_refused_in_words_not_as_an_empty_workbook(db, people):
    published(db, people["focal"], 2023, LAST_YEAR)
    with db.session() as session:
        draft = assessments.create(session, people["focal"], "SLE", 2024, "wddf-1.0")
    assert draft.id
    for scope in ({"country": "SLE", "year": 2024}, {"country": "GUY"}):
        with db.session() as session, pytest.raises(Invalid) as refused:
            reports.donor_workbook(session, people["donor"], "fr", **scope)
        assert refused.value.code == "nothing_to_export"
        assert "publiées" in refused.value.message("fr")
    with db.session() as session, pytest.raises(Invalid):
        reports.data_package(session, people["donor"], "en", country="SLE", year=2024)


def test_the_cover_says_what_is_included_and_the_plan_names_its_statuses(db, people):
    aid = published(db, people["focal"], 2023, LAST_YEAR)
    with db.session() as session:
        action_plan.add_item(
            session, people["admin"], aid, "WD1.1.1", "Amend the act", "DG Mines", None, "B"
        )
        content = reports.donor_workbook(session, people["donor"], "fr")
    wb = load_workbook(io.BytesIO(content))
    cover = {row[0]: row[1] for row in wb["Couverture"].iter_rows(values_only=True)}
    included = next(v for k, v in cover.items() if k.startswith("Évaluations"))
    assert "Sierra Leone 2023 : publiée" in included or "Sierra Leone 2023: publiée" in included
    assert any("METHOD.md" in str(v) for v in cover.values())
    heights = wb["Couverture"].row_dimensions
    assert all(heights[r].height and heights[r].height >= 18 for r in range(1, len(cover) + 1))
    plan = list(wb["Matrice des priorités"].iter_rows(min_row=2, values_only=True))
    assert [(row[3], row[4], row[12]) for row in plan] == [("WD1.1.1", "Amend the act", "ouverte")]
