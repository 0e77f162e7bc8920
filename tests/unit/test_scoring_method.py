"""The scoring method on hand-computed cases and the full M1 and M2 tables."""

from __future__ import annotations

import pandas as pd
import pytest

from scoring import score
from scoring.grades import m1_letters, m2_letters
from tests.factories import tiny_edition
from wddf.questionnaire import load_questionnaire, structure_table

VALUE = {"A": 4, "B": 3, "C": 2, "D": 1}

# Every combination of two and three grades, worked out by hand: (grades, M1, conservative M2).
# PEFA's M2 tables are tested in test_scoring_pefa_m2.py.
M_TABLE = [
    ("AA", "A", "A"),
    ("AB", "B+", "B+"),
    ("AC", "C+", "B"),
    ("AD", "D+", "C+"),
    ("BB", "B", "B"),
    ("BC", "C+", "C+"),
    ("BD", "D+", "C"),
    ("CC", "C", "C"),
    ("CD", "D+", "D+"),
    ("DD", "D", "D"),
    ("AAA", "A", "A"),
    ("AAB", "B+", "B+"),
    ("AAC", "C+", "B"),
    ("AAD", "D+", "B"),
    ("ABB", "B+", "B"),
    ("ABC", "C+", "B"),
    ("ABD", "D+", "C+"),
    ("ACC", "C+", "C+"),
    ("ACD", "D+", "C"),
    ("ADD", "D+", "C"),
    ("BBB", "B", "B"),
    ("BBC", "C+", "C+"),
    ("BBD", "D+", "C"),
    ("BCC", "C+", "C"),
    ("BCD", "D+", "C"),
    ("BDD", "D+", "D+"),
    ("CCC", "C", "C"),
    ("CCD", "D+", "D+"),
    ("CDD", "D+", "D"),
    ("DDD", "D", "D"),
    ("ABCD", "D+", "C+"),
    ("AAAB", "B+", "B+"),
    ("BBBC", "C+", "C+"),
    ("DDDC", "D+", "D"),
]


@pytest.mark.parametrize(("grades", "m1", "m2"), M_TABLE)
def test_m1_and_m2_tables(grades, m1, m2):
    values = [VALUE[g] for g in grades]
    assert m1_letters([min(values)], [max(values)])[0] == m1
    assert m2_letters([sum(values)], [len(values)], "conservative")[0] == m2


def test_m2_has_no_floating_point_surprise():
    """Conservatively, B, B, C is 8/3, which rounds down to C+ (not B via 2.6666… rounding)."""
    assert m2_letters([8], [3], "conservative")[0] == "C+"
    assert m2_letters([7], [2], "conservative")[0] == "B+"


@pytest.fixture(scope="module")
def tiny_structure() -> pd.DataFrame:
    """WD1.1 (law, policy), WD1.2 (practice ×2, M1), WD2.1 (law, policy)."""
    return structure_table(load_questionnaire(tiny_edition()).edition)


def run(structure, grades: dict[str, str], **options):
    answers = pd.DataFrame(
        {
            "country": "SLE",
            "year": 2024,
            "dimension_id": list(grades),
            "grade": list(grades.values()),
        }
    )
    return score(structure, answers, "tiny-1", **options)


def indicator(result, ind_id):
    return result.indicators.set_index("indicator_id").loc[ind_id]


def test_hand_computed_tree(tiny_structure):
    result = run(
        tiny_structure,
        {
            "WD1.1.1": "B",
            "WD1.1.2": "C",
            "WD1.2.1": "A",
            "WD1.2.2": "D*",
            "WD2.1.1": "NA",
            "WD2.1.2": "A",
        },
    )
    wd11, wd12, wd21 = (indicator(result, i) for i in ("WD1.1", "WD1.2", "WD2.1"))
    assert wd11.score == pytest.approx(50.0)  # (66.67 + 33.33) / 2
    assert (wd11.grade_m1, wd11.grade_m2) == ("C+", "C+")
    assert wd12.score == pytest.approx(50.0) and wd12.n_dstar == 1
    assert (wd12.grade_m1, wd12.grade_m2, wd12.grade) == ("D+", "C+", "D+")  # method M1
    assert wd21.score == pytest.approx(100.0)
    assert (wd21.n_applicable, wd21.n_na, wd21.coverage) == (1, 1, 1.0)
    goals = result.goals.set_index("goal_id")
    assert goals.loc["WD1", "score"] == pytest.approx(50.0)
    assert goals.loc["WD2", "score"] == pytest.approx(100.0)
    overall = result.overall.iloc[0]
    assert overall.score == pytest.approx(75.0)
    assert (overall.n_applicable, overall.n_graded, overall.n_dstar, overall.n_na) == (5, 5, 1, 1)


def test_ungraded_dimension_lowers_coverage_not_the_score(tiny_structure):
    result = run(tiny_structure, {"WD1.1.1": "A"})
    wd11 = indicator(result, "WD1.1")
    assert wd11.score == 100.0 and wd11.coverage == 0.5
    assert pd.isna(indicator(result, "WD1.2").score)
    assert result.overall.iloc[0].coverage == pytest.approx(1 / 6)


def test_node_with_only_na_has_no_score(tiny_structure):
    result = run(tiny_structure, {"WD2.1.1": "NA", "WD2.1.2": "NA", "WD1.1.1": "C"})
    wd21 = indicator(result, "WD2.1")
    assert pd.isna(wd21.score) and pd.isna(wd21.coverage) and pd.isna(wd21.grade_m2)
    assert pd.isna(result.goals.set_index("goal_id").loc["WD2", "score"])
    assert result.overall.iloc[0].score == pytest.approx(100 / 3)


def test_weights_and_methods_can_be_changed(tiny_structure):
    grades = {"WD1.1.1": "A", "WD1.1.2": "D", "WD1.2.1": "B", "WD1.2.2": "B"}
    default = run(tiny_structure, grades)
    what_if = run(
        tiny_structure, grades, weights={"WD1.1.1": 2, "WD1.2": 0}, methods={"WD1.1": "M1"}
    )
    assert indicator(default, "WD1.1").score == pytest.approx(50.0)
    assert indicator(what_if, "WD1.1").score == pytest.approx(200 / 3)
    assert indicator(what_if, "WD1.1").grade == "D+"
    assert what_if.goals.set_index("goal_id").loc["WD1", "score"] == pytest.approx(200 / 3)
    assert default.recipe.fingerprint != what_if.recipe.fingerprint


def test_unknown_ids_in_options_are_refused(tiny_structure):
    with pytest.raises(KeyError):
        run(tiny_structure, {"WD1.1.1": "A"}, weights={"WD9": 2})
    with pytest.raises(ValueError):
        run(tiny_structure, {"WD1.1.1": "A"}, methods={"WD1.1": "M3"})


def test_layer_subscores_and_implementation_gap(tiny_structure):
    grades = {"WD1.1.1": "A", "WD1.1.2": "B", "WD1.2.1": "D", "WD1.2.2": "C", "WD2.1.1": "B"}
    layers = run(tiny_structure, grades).layers.set_index(["level", "id"])
    wd1 = layers.loc[("goal", "WD1")]
    assert (wd1.law, wd1.policy, wd1.practice) == pytest.approx((100.0, 200 / 3, 100 / 6))
    assert wd1.gap == pytest.approx(100 - 100 / 6)
    assert pd.isna(layers.loc[("goal", "WD2"), "policy"])
    overall = layers.loc[("overall", "overall")]
    assert overall.law == pytest.approx((100 + 200 / 3) / 2)


def test_only_the_consensus_group_is_scored(tiny_structure):
    answers = pd.DataFrame(
        {
            "country": "SLE",
            "year": 2024,
            "dimension_id": ["WD1.1.1"] * 3,
            "grade": ["A", "D", "D"],
            "group": ["consensus", "civil_society", "government"],
        }
    )
    result = score(tiny_structure, answers, "tiny-1")
    assert indicator(result, "WD1.1").score == 100.0


def test_the_caller_names_each_assessment(tiny_structure):
    """Two assessments of one country and year (two editions' drafts, say) stay apart when the
    caller keys them by id; every table starts with the caller's key."""
    answers = pd.DataFrame(
        {
            "assessment_id": [7, 7, 9, 9],
            "country": "SLE",
            "year": 2024,
            "dimension_id": ["WD1.1.1", "WD1.1.2"] * 2,
            "grade": ["A", "A", "D", "D"],
        }
    )
    result = score(tiny_structure, answers, "tiny-1", keys=("assessment_id",))
    assert result.keys == ("assessment_id",)
    for table in (result.overall, result.goals, result.indicators, result.dimensions):
        assert table.columns[0] == "assessment_id" and "country" not in table.columns
    assert result.layers.columns[:2].tolist() == ["assessment_id", "level"]
    overall = result.overall.set_index("assessment_id")["score"]
    assert overall.to_dict() == {7: 100.0, 9: 0.0}
    two_keys = score(tiny_structure, answers, "tiny-1", keys=("country", "year", "assessment_id"))
    assert two_keys.overall[["country", "year", "assessment_id"]].values.tolist() == [
        ["SLE", 2024, 7],
        ["SLE", 2024, 9],
    ]
