"""The worked example of scoring/METHOD.md, figure by figure."""

from __future__ import annotations

import pandas as pd
import pytest

from scoring import score

STRUCTURE = pd.DataFrame(
    [
        ("WD1", "WD1.1", "WD1.1.1", "M2"),
        ("WD1", "WD1.1", "WD1.1.2", "M2"),
        ("WD1", "WD1.1", "WD1.1.3", "M2"),
        ("WD1", "WD1.2", "WD1.2.1", "M1"),
        ("WD1", "WD1.2", "WD1.2.2", "M1"),
        ("WD1", "WD1.2", "WD1.2.3", "M1"),
        ("WD2", "WD2.1", "WD2.1.1", "M2"),
        ("WD2", "WD2.1", "WD2.1.2", "M2"),
        ("WD2", "WD2.2", "WD2.2.1", "M2"),
        ("WD2", "WD2.2", "WD2.2.2", "M2"),
    ],
    columns=["goal_id", "indicator_id", "dimension_id", "indicator_method"],
).assign(layer="law", na_allowed=True, dimension_weight=1.0, indicator_weight=1.0, goal_weight=1.0)
GRADES = {
    "WD1.1.1": "B",
    "WD1.1.2": "B",
    "WD1.1.3": "C",
    "WD1.2.1": "A",
    "WD1.2.2": "NA",
    "WD1.2.3": "D*",
    "WD2.1.1": "NA",
    "WD2.1.2": "NA",
    "WD2.2.1": "C",
}


def test_worked_example_of_the_method_document():
    answers = pd.DataFrame(
        {
            "country": "SLE",
            "year": 2024,
            "dimension_id": list(GRADES),
            "grade": list(GRADES.values()),
        }
    )
    result = score(STRUCTURE, answers, "example")
    ind = result.indicators.set_index("indicator_id")
    assert ind.loc["WD1.1", "score"] == pytest.approx(500 / 9)
    assert (ind.loc["WD1.1", "grade_m1"], ind.loc["WD1.1", "grade_m2"]) == ("C+", "B")
    assert ind.loc["WD1.2", ["score", "n_dstar", "grade_m1", "grade_m2", "grade"]].tolist() == [
        50.0,
        1,
        "D+",
        "C+",
        "D+",
    ]
    assert pd.isna(ind.loc["WD2.1", "score"]) and pd.isna(ind.loc["WD2.1", "coverage"])
    assert ind.loc["WD2.2", ["score", "coverage"]].tolist() == pytest.approx([100 / 3, 0.5])
    goals = result.goals.set_index("goal_id")["score"]
    assert goals.tolist() == pytest.approx([(500 / 9 + 50) / 2, 100 / 3])
    overall = result.overall.iloc[0]
    assert overall.score == pytest.approx(((500 / 9 + 50) / 2 + 100 / 3) / 2)
    assert round(overall.score, 2) == 43.06
    assert (overall.n_graded, overall.n_applicable, overall.n_dstar, overall.n_na) == (6, 7, 1, 3)
