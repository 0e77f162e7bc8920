"""M2 by PEFA's tables (the default) and by the conservative rule, and the recipe that names it."""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import combinations_with_replacement
from pathlib import Path

import pandas as pd
import pytest

from scoring import score
from scoring.grades import m2_letters
from scoring.pefa_m2 import PEFA_M2_TABLE
from scoring.recipe import Recipe
from tests.scoring_reference import HALF
from wddf.questionnaire import load_questionnaire, structure_table

RANK = {"A": 4, "B": 3, "C": 2, "D": 1}
SHIPPED_1_0 = Path(__file__).resolve().parents[2] / "questionnaires" / "wddf-1.0.yaml"
# The fingerprint the tool gave the default recipe of wddf-1.0 before M2 rules were named
# (method wddf-scoring-1): exports made then carry it.
LEGACY_FINGERPRINT_1_0 = "9f48e253208ead14"


def combinations(n: int) -> list[str]:
    return ["".join(c) for c in combinations_with_replacement("ABCD", n)]


def by_the_rule(grades: str) -> str:
    """The mean plus 1/3 for three grades, plus 1/4 for four, rounded down to a half grade."""
    bonus = {2: Fraction(0), 3: Fraction(1, 3), 4: Fraction(1, 4)}[len(grades)]
    mean = Fraction(sum(RANK[g] for g in grades), len(grades)) + bonus
    return HALF[min(8, math.floor(2 * mean))]


def test_the_tables_hold_every_combination_of_two_three_and_four_grades():
    assert sorted(PEFA_M2_TABLE) == sorted(combinations(2) + combinations(3) + combinations(4))
    assert len(PEFA_M2_TABLE) == 10 + 20 + 35


@pytest.mark.parametrize("grades", sorted(PEFA_M2_TABLE))
def test_each_row_of_the_table_follows_the_rule_and_the_engine_follows_the_table(grades):
    assert PEFA_M2_TABLE[grades] == by_the_rule(grades)
    ranks = [RANK[g] for g in grades]
    assert m2_letters([sum(ranks)], [len(ranks)])[0] == PEFA_M2_TABLE[grades]
    assert m2_letters([sum(ranks)], [len(ranks)], "pefa")[0] == PEFA_M2_TABLE[grades]


def test_pefa_is_half_a_grade_above_the_plain_mean_where_the_issue_says():
    higher = {}
    for n in (2, 3, 4):
        for grades in combinations(n):
            ranks = [RANK[g] for g in grades]
            pefa = m2_letters([sum(ranks)], [n], "pefa")[0]
            plain = m2_letters([sum(ranks)], [n], "conservative")[0]
            order = ["A", "B+", "B", "C+", "C", "D+", "D"]
            assert order.index(pefa) <= order.index(plain), grades
            higher[n] = higher.get(n, 0) + (pefa != plain)
    assert higher == {2: 0, 3: 12, 4: 16}
    assert m2_letters([4], [3], "pefa")[0] == "D+"  # D D C
    assert m2_letters([4], [3], "conservative")[0] == "D"


def test_beyond_four_grades_pefa_falls_back_to_the_plain_mean_rounded_down():
    for n in (1, 5, 6, 9):
        for total in range(n, 4 * n + 1):
            assert (
                m2_letters([total], [n], "pefa")[0] == m2_letters([total], [n], "conservative")[0]
            )
    assert m2_letters([13], [5])[0] == "C+"  # 2.6 → 2.5


def test_an_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="M2 rule"):
        m2_letters([8], [3], "generous")
    with pytest.raises(ValueError, match="M2 rule"):
        Recipe(
            edition_id="x",
            dimension_weights={},
            indicator_weights={},
            goal_weights={},
            indicator_methods={},
            m2_rule="generous",
        )


@pytest.fixture(scope="module")
def structure() -> pd.DataFrame:
    return structure_table(load_questionnaire(SHIPPED_1_0).edition)


def answers(grades: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "country": "SLE",
            "year": 2024,
            "dimension_id": list(grades),
            "grade": list(grades.values()),
        }
    )


BBC = {"WD1.1.1": "B", "WD1.1.2": "B", "WD1.1.3": "C"}


def test_both_recipes_grade_an_indicator_and_say_which_rule_they_used(structure):
    pefa = score(structure, answers(BBC), "wddf-1.0")
    conservative = score(structure, answers(BBC), "wddf-1.0", m2_rule="conservative")
    grade = lambda r: r.indicators.set_index("indicator_id").loc["WD1.1", "grade_m2"]  # noqa: E731
    assert (grade(pefa), grade(conservative)) == ("B", "C+")
    assert pefa.recipe.m2_rule == "pefa" and conservative.recipe.m2_rule == "conservative"
    assert pefa.recipe.differences(conservative.recipe) == {"m2_rule": ("pefa", "conservative")}
    pd.testing.assert_frame_equal(
        pefa.overall.drop(columns="recipe"), conservative.overall.drop(columns="recipe")
    )


def test_a_recipe_stored_before_rules_were_named_keeps_its_fingerprint_and_its_score(structure):
    stored = Recipe.from_structure(structure, "wddf-1.0").to_dict()
    stored.pop("m2_rule", None)
    stored["method_version"] = "wddf-scoring-1"
    rebuilt = Recipe.from_dict(stored)
    assert rebuilt.fingerprint == LEGACY_FINGERPRINT_1_0
    assert rebuilt.m2_rule == "conservative"
    result = score(structure, answers(BBC), "wddf-1.0", recipe=rebuilt)
    assert result.indicators.set_index("indicator_id").loc["WD1.1", "grade_m2"] == "C+"
    assert set(result.indicators["recipe"]) == {LEGACY_FINGERPRINT_1_0}
    assert Recipe.from_dict(rebuilt.to_dict()) == rebuilt


def test_the_recipes_grade_values_make_the_scores(structure):
    default = score(structure, answers(BBC), "wddf-1.0")
    values = {"A": 10, "B": 3, "C": 2, "D": 1, "D*": 1}
    steep = Recipe(
        **{**Recipe.from_structure(structure, "wddf-1.0").to_dict(), "grade_values": values}
    )
    weighted = score(structure, answers(BBC), "wddf-1.0", recipe=steep)
    dims = weighted.dimensions.set_index("dimension_id")
    assert dims.loc["WD1.1.1", "score"] == pytest.approx(200 / 9)  # (3 − 1) / (10 − 1) × 100
    assert dims.loc["WD1.1.3", "score"] == pytest.approx(100 / 9)
    ind = lambda r: r.indicators.set_index("indicator_id").loc["WD1.1"]  # noqa: E731
    assert ind(weighted).score == pytest.approx((200 / 9 * 2 + 100 / 9) / 3)
    assert ind(default).score == pytest.approx(500 / 9)
    assert ind(weighted).grade_m2 == ind(default).grade_m2 == "B"  # letters follow the order
    assert weighted.recipe.fingerprint != default.recipe.fingerprint


@pytest.mark.parametrize(
    "values",
    [
        {"A": 4, "B": 3, "C": 2, "D": 1},
        {"A": 4, "B": 3, "C": 3, "D": 1, "D*": 1},
        {"A": 4, "B": 3, "C": 2, "D": 1, "D*": 0},
    ],
)
def test_grade_values_that_break_the_order_are_refused(structure, values):
    with pytest.raises(ValueError, match="grade values"):
        Recipe(**{**Recipe.from_structure(structure, "wddf-1.0").to_dict(), "grade_values": values})
