"""The engine against an independent Fraction implementation, and its properties (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import score
from tests.scoring_reference import close, reference

GRADES = ["A", "B", "C", "D", "D*", "NA", None]  # None: not answered


@st.composite
def trees(draw):
    """A random structure: 1–3 goals, 1–3 indicators each, 1–4 dimensions each, integer weights."""
    rows = []
    for g in range(1, draw(st.integers(1, 3)) + 1):
        gw = draw(st.integers(0, 3))
        for i in range(1, draw(st.integers(1, 3)) + 1):
            iw, method = draw(st.integers(0, 3)), draw(st.sampled_from(["M1", "M2"]))
            for d in range(1, draw(st.integers(1, 4)) + 1):
                layer = draw(st.sampled_from(["law", "policy", "practice"]))
                rows.append(
                    {
                        "goal_id": f"WD{g}",
                        "indicator_id": f"WD{g}.{i}",
                        "dimension_id": f"WD{g}.{i}.{d}",
                        "layer": layer,
                        "dimension_weight": float(draw(st.integers(0, 3))),
                        "indicator_weight": float(iw),
                        "goal_weight": float(gw),
                        "indicator_method": method,
                        "na_allowed": True,
                    }
                )
    return pd.DataFrame(rows)


@st.composite
def assessments(draw):
    structure = draw(trees())
    rows = []
    keys = st.tuples(st.sampled_from(["SLE", "GUY"]), st.integers(2020, 2022))
    for country, year in draw(st.lists(keys, min_size=1, max_size=3, unique=True)):
        for dim in structure["dimension_id"]:
            grade = draw(st.sampled_from(GRADES))
            if grade is not None:
                rows.append({"country": country, "year": year, "dimension_id": dim, "grade": grade})
    answers = pd.DataFrame(rows, columns=["country", "year", "dimension_id", "grade"])
    return structure, answers


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assessments())
def test_engine_matches_the_fraction_reference(case):
    structure, answers = case
    if answers.empty:
        return
    result = score(structure, answers, "random")
    for (country, year), given_answers in answers.groupby(["country", "year"]):
        expected = reference(
            structure, dict(zip(given_answers.dimension_id, given_answers.grade, strict=True))
        )
        ind = result.indicators[
            (result.indicators.country == country) & (result.indicators.year == year)
        ]
        for row in ind.itertuples():
            s, m1, m2 = expected["indicators"][row.indicator_id]
            assert close(row.score, s)
            assert (None if pd.isna(row.grade_m1) else row.grade_m1) == m1
            assert (None if pd.isna(row.grade_m2) else row.grade_m2) == m2
        goals = result.goals[(result.goals.country == country) & (result.goals.year == year)]
        for row in goals.itertuples():
            assert close(row.score, expected["goals"][row.goal_id])
        overall = result.overall[
            (result.overall.country == country) & (result.overall.year == year)
        ]
        assert close(overall.score.iloc[0], expected["overall"])


@settings(max_examples=50, deadline=None)
@given(assessments(), st.randoms(use_true_random=False))
def test_scores_stay_in_range_and_row_order_does_not_matter(case, rnd):
    structure, answers = case
    if answers.empty:
        return
    first = score(structure, answers, "random", layers=False)
    shuffled = answers.sample(frac=1, random_state=rnd.randint(0, 10_000)).reset_index(drop=True)
    second = score(structure, shuffled, "random", layers=False)
    for level, key in (("indicators", "indicator_id"), ("goals", "goal_id"), ("overall", None)):
        a, b = getattr(first, level), getattr(second, level)
        keys = ["country", "year", *([key] if key else [])]
        a, b = (
            a.sort_values(keys).reset_index(drop=True),
            b.sort_values(keys).reset_index(drop=True),
        )
        scores = a["score"].dropna()
        assert ((scores >= 0) & (scores <= 100)).all()
        np.testing.assert_allclose(
            a["score"].to_numpy(float), b["score"].to_numpy(float), equal_nan=True
        )
        covered = a["coverage"].dropna()
        assert ((covered >= 0) & (covered <= 1)).all()


@settings(max_examples=40, deadline=None)
@given(assessments())
def test_adding_na_dimensions_changes_no_score(case):
    structure, answers = case
    if answers.empty:
        return
    extra = structure.drop_duplicates("indicator_id").assign(
        dimension_id=lambda f: f.indicator_id + ".9", dimension_weight=5.0
    )
    grown = pd.concat([structure, extra], ignore_index=True)
    assessed = answers[["country", "year"]].drop_duplicates()
    na_rows = assessed.merge(extra[["dimension_id"]], how="cross").assign(grade="NA")
    before = score(structure, answers, "random", layers=False)
    after = score(grown, pd.concat([answers, na_rows], ignore_index=True), "random", layers=False)
    for level in ("indicators", "goals", "overall"):
        np.testing.assert_allclose(
            getattr(before, level)["score"].to_numpy(float),
            getattr(after, level)["score"].to_numpy(float),
            equal_nan=True,
        )


@pytest.mark.parametrize(("grade", "expected"), [("A", 100.0), ("D", 0.0), ("D*", 0.0)])
def test_all_same_grade_gives_the_end_of_the_scale(grade, expected, shipped_edition):
    from wddf.questionnaire import structure_table

    structure = structure_table(shipped_edition)
    answers = pd.DataFrame(
        {"country": "SLE", "year": 2024, "dimension_id": structure.dimension_id, "grade": grade}
    )
    result = score(structure, answers, shipped_edition.id)
    assert result.overall.iloc[0].score == expected
    assert (result.indicators.score == expected).all() and (result.goals.score == expected).all()
    assert result.overall.iloc[0].n_dstar == (len(structure) if grade == "D*" else 0)
