"""Recipes rebuild scores; change is classified with comparability; panels' spread is measured."""

from __future__ import annotations

import pandas as pd
import pytest

from scoring import Recipe, score
from scoring.agreement import most_disputed, panel_agreement
from scoring.change import change, overall_change
from tests.factories import dimension, tiny_edition
from wddf.questionnaire import load_questionnaire, structure_table
from wddf.questionnaire.structure import continuity_table


def answers(year: int, grades: dict[str, str], country: str = "SLE") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "country": country,
            "year": year,
            "dimension_id": list(grades),
            "grade": list(grades.values()),
        }
    )


@pytest.fixture(scope="module")
def structure() -> pd.DataFrame:
    return structure_table(load_questionnaire(tiny_edition()).edition)


def test_a_stored_recipe_rebuilds_the_same_scores(structure):
    grades = answers(2024, {"WD1.1.1": "A", "WD1.2.1": "C", "WD2.1.2": "B"})
    first = score(structure, grades, "tiny-1", weights={"WD2": 3.0})
    stored = first.recipe.to_dict()
    rebuilt = score(structure, grades, "tiny-1", recipe=Recipe.from_dict(stored))
    assert rebuilt.recipe.fingerprint == first.recipe.fingerprint
    pd.testing.assert_frame_equal(rebuilt.overall, first.overall)
    assert set(first.indicators["recipe"]) == {first.recipe.fingerprint}


def test_two_recipes_can_be_compared(structure):
    default = Recipe.from_structure(structure, "tiny-1")
    what_if = default.with_options({"WD1.1.2": 0.5}, {"WD2.1": "M1"})
    assert default.differences(what_if) == {
        "dimension_weights.WD1.1.2": (1.0, 0.5),
        "indicator_methods.WD2.1": ("M2", "M1"),
    }
    assert default.method_version == "wddf-scoring-3" and default.edition_id == "tiny-1"


def test_change_within_one_edition_is_fully_comparable(structure):
    before = score(
        structure, answers(2023, {"WD1.1.1": "C", "WD1.1.2": "B", "WD2.1.1": "A"}), "tiny-1"
    )
    after = score(
        structure, answers(2024, {"WD1.1.1": "B", "WD1.1.2": "B", "WD2.1.1": "B"}), "tiny-1"
    )
    delta = change(before, after).set_index(["level", "id"])
    assert delta.loc[("dimension", "WD1.1.1"), "direction"] == "improved"
    assert delta.loc[("dimension", "WD1.1.2"), "direction"] == "unchanged"
    assert delta.loc[("dimension", "WD2.1.1"), "delta"] == pytest.approx(-100 / 3)
    assert delta.loc[("goal", "WD2"), "direction"] == "declined"
    assert set(delta["comparability"]) == {"full"}
    assert pd.isna(delta.loc[("dimension", "WD1.2.1"), "delta"])


def test_change_across_editions_follows_continuity():
    old = load_questionnaire(tiny_edition("tiny-1")).edition
    new_data = tiny_edition("tiny-2")
    dims = new_data["goals"][0]["indicators"][0]["dimensions"]
    dims[0] = dimension(
        "WD1.1.1", continues={"edition": "tiny-1", "dimension": "WD1.1.1", "comparability": "full"}
    )
    dims[1] = dimension(
        "WD1.1.2",
        "policy",
        continues={"edition": "tiny-1", "dimension": "WD1.1.2", "comparability": "partial"},
    )
    new = load_questionnaire(new_data).edition
    before = score(structure_table(old), answers(2023, {"WD1.1.1": "C", "WD1.1.2": "C"}), old.id)
    after = score(structure_table(new), answers(2024, {"WD1.1.1": "A", "WD1.1.2": "C"}), new.id)
    delta = change(before, after, continuity_table(new)).set_index(["level", "id"])
    assert delta.loc[("dimension", "WD1.1.1"), ["comparability", "direction"]].tolist() == [
        "full",
        "improved",
    ]
    assert delta.loc[("dimension", "WD1.1.2"), "comparability"] == "partial"
    assert delta.loc[("indicator", "WD1.1"), "comparability"] == "partial"
    assert delta.loc[("dimension", "WD2.1.1"), ["comparability", "direction"]].tolist() == [
        "none",
        "not comparable",
    ]
    assert delta.loc[("goal", "WD2"), "comparability"] == "none"
    assert delta.loc[("overall", "overall"), "comparability"] == "partial"
    # the progress page's year-to-year steps take the overall row alone, the same
    top = delta.loc[("overall", "overall")]
    assert overall_change(before, after, continuity_table(new)) == (
        top["comparability"],
        pytest.approx(top["delta"]),
    )
    same = score(structure_table(new), answers(2025, {"WD1.1.1": "B"}), new.id)
    top = change(after, same).set_index(["level", "id"]).loc[("overall", "overall")]
    assert overall_change(after, same) == ("full", pytest.approx(top["delta"]))


def test_panel_agreement_measures_spread_between_groups():
    rows = pd.DataFrame(
        {
            "country": "SLE",
            "year": 2024,
            "dimension_id": ["WD1.1.1"] * 4 + ["WD1.1.2"] * 3 + ["WD2.1.1"],
            "group": [
                "consensus",
                "government",
                "miners",
                "civil_society",
                "government",
                "miners",
                "traders",
                "government",
            ],
            "grade": ["B", "A", "D", "B", "C", "C", "C", "A"],
        }
    )
    agreement = panel_agreement(rows).set_index("dimension_id")
    assert agreement.loc["WD1.1.1", ["n_groups", "spread"]].tolist() == [3, 3]
    assert agreement.loc["WD1.1.1", "agreement"] == 0.0
    assert agreement.loc["WD1.1.1", "consensus"] == "B"
    assert agreement.loc["WD1.1.2", ["spread", "agreement", "modal_share"]].tolist() == [
        0,
        1.0,
        1.0,
    ]
    assert "WD2.1.1" not in agreement.index  # one group only: nothing to compare
    assert most_disputed(agreement.reset_index(), 1)["dimension_id"].tolist() == ["WD1.1.1"]
