"""The computations behind every insight chart, checked by hand on the tiny edition."""

from __future__ import annotations

import pandas as pd
import pytest

from scoring import checks, over_time, score, simulator, standing
from tests.factories import dimension, tiny_edition
from wddf.questionnaire import load_questionnaire, structure_table
from wddf.questionnaire.structure import continuity_table

ALL_C = {d: "C" for d in ["WD1.1.1", "WD1.1.2", "WD1.2.1", "WD1.2.2", "WD2.1.1", "WD2.1.2"]}


def answers(grades: dict[str, str], country: str = "SLE", year: int = 2024, **columns):
    frame = pd.DataFrame(
        {
            "country": country,
            "year": year,
            "dimension_id": list(grades),
            "grade": list(grades.values()),
        }
    )
    return frame.assign(**columns)


@pytest.fixture(scope="module")
def structure() -> pd.DataFrame:
    return structure_table(load_questionnaire(tiny_edition()).edition)


def test_strongest_and_weakest_leave_out_na_and_keep_questionnaire_order(structure):
    grades = ALL_C | {"WD1.1.2": "A", "WD2.1.1": "NA", "WD1.2.2": "D*"}
    result = score(structure, answers(grades), "tiny-1")
    strongest, weakest = standing.strongest_and_weakest(result.dimensions, n=2)
    assert strongest["dimension_id"].tolist() == ["WD1.1.2", "WD1.1.1"]
    assert weakest["dimension_id"].tolist() == ["WD1.2.2", "WD1.1.1"]


def test_ranking_puts_unscored_last_and_keeps_coverage(structure):
    frames = [
        answers(ALL_C, "SLE"),
        answers(ALL_C | {"WD1.1.1": "A"}, "GHA"),
        answers({"WD1.1.1": "B"}, "AGO"),
    ]
    result = score(structure, pd.concat(frames), "tiny-1")
    ranked = standing.ranking(result.overall)
    assert ranked["country"].tolist() == ["AGO", "GHA", "SLE"]
    assert ranked["rank"].tolist() == [1, 2, 3]
    assert ranked.set_index("country").loc["AGO", "coverage"] == pytest.approx(1 / 6)


def test_latest_per_country_keeps_each_countrys_newest_year():
    frame = pd.DataFrame({"country": ["SLE", "SLE", "GHA"], "year": [2023, 2024, 2022]})
    assert standing.latest_per_country(frame).values.tolist() == [["SLE", 2024], ["GHA", 2022]]


def test_grade_distribution_counts_grades_and_finds_the_weak_everywhere(structure):
    frames = [
        answers(ALL_C, "SLE"),
        answers(ALL_C | {"WD1.1.1": "A", "WD1.1.2": "D*"}, "GHA"),
        answers(ALL_C | {"WD1.1.1": "B", "WD1.1.2": "NA"}, "AGO"),
    ]
    result = score(structure, pd.concat(frames), "tiny-1")
    spread = standing.grade_distribution(result.dimensions).set_index("dimension_id")
    assert spread.loc["WD1.1.1", ["A", "B", "C", "graded"]].tolist() == [1, 1, 1, 3]
    assert spread.loc["WD1.1.1", "weak_share"] == pytest.approx(1 / 3)
    assert spread.loc["WD1.1.2", ["C", "D*", "NA", "graded"]].tolist() == [1, 1, 1, 2]
    assert spread.loc["WD1.1.2", "weak_share"] == 1.0
    assert spread.index[-1] == "WD1.1.1"  # the least weak comes last


def test_group_summary_and_peer_comparison(structure):
    frames = [
        answers(ALL_C, "SLE"),
        answers({d: "A" for d in ALL_C}, "GHA"),
        answers({d: "B" for d in ALL_C}, "AGO"),
    ]
    result = score(structure, pd.concat(frames), "tiny-1")
    meta = pd.DataFrame({"country": ["SLE", "GHA", "AGO"], "region": ["W", "W", "S"]})
    regions = standing.group_summary(result.overall, meta, "region").set_index("region")
    assert regions.loc["W", ["countries", "score"]].tolist() == pytest.approx([2, 200 / 3])
    peers = standing.peer_comparison(result.goals, "SLE").set_index("goal_id")
    assert peers.loc["WD1", ["score", "peer_median", "peer_lowest", "peer_highest"]].tolist() == (
        pytest.approx([100 / 3, 250 / 3, 200 / 3, 100])
    )
    assert peers.loc["WD1", "difference"] == pytest.approx(-50)


def test_simulate_shows_the_hand_computed_effect(structure):
    effect = simulator.simulate(structure, answers(ALL_C), "tiny-1", {"WD2.1.1": "A"})
    rows = effect.set_index(["level", "id"])
    assert rows.loc[("indicator", "WD2.1"), "score_after"] == pytest.approx(200 / 3)
    assert rows.loc[("overall", "overall"), ["score_before", "score_after"]].tolist() == (
        pytest.approx([100 / 3, 50])
    )
    weighted = simulator.simulate(structure, answers(ALL_C), "tiny-1", {"WD2.1.1": "A"}, {"WD2": 3})
    assert weighted.set_index("id").loc["overall", "score_after"] == pytest.approx(
        (100 / 3 + 3 * 200 / 3) / 4
    )


def test_reforms_ranked_in_one_pass_equal_simulating_each_alone(structure):
    grades = ALL_C | {"WD1.1.1": "A", "WD1.2.1": "D*", "WD2.1.2": "B"}
    ranked = simulator.rank_reforms(structure, answers(grades), "tiny-1")
    assert "WD1.1.1" not in set(ranked["dimension_id"])  # already A
    assert ranked.set_index("dimension_id").loc["WD1.2.1", "new_grade"] == "C"
    for row in ranked.itertuples():
        alone = simulator.simulate(
            structure, answers(grades), "tiny-1", {row.dimension_id: row.new_grade}
        )
        top = alone.set_index("id").loc["overall"]
        assert row.overall_delta == pytest.approx(top["delta"]), row.dimension_id
    assert ranked["overall_delta"].is_monotonic_decreasing


def test_consistency_flags_find_the_three_kinds():
    before = pd.DataFrame(
        {
            "dimension_id": ["WD1.1.1", "WD1.1.2"],
            "grade": ["D", "D"],
            "justification": ["", ""],
            "evidence": ["Act s.1", "Report p.2"],
        }
    )
    now = pd.DataFrame(
        {
            "dimension_id": ["WD1.1.1", "WD1.1.2", "WD1.2.1", "WD1.2.2"],
            "grade": ["B", "B", "NA", "A"],
            "justification": ["", "", "  ", "why"],
            "evidence": ["Act s.1", "Report p.9", "", "Decree 4"],
        }
    )
    flags = checks.consistency_flags(now, before)
    assert sorted(map(tuple, flags[["dimension_id", "flag"]].values)) == [
        ("WD1.1.1", "jump_no_new_evidence"),
        ("WD1.2.1", "na_no_reason"),
    ]
    no_evidence = checks.consistency_flags(now.assign(evidence=""), None)
    assert set(no_evidence[no_evidence["flag"].eq("strong_no_evidence")]["dimension_id"]) == {
        "WD1.1.1",
        "WD1.1.2",
        "WD1.2.2",
    }


def test_gaps_and_the_plan_checked_a_year_later(structure):
    result = score(structure, answers(ALL_C | {"WD1.1.1": "B", "WD2.1.1": "D*"}), "tiny-1")
    below = checks.gaps(result.dimensions, "B")
    assert below["dimension_id"].iloc[0] == "WD2.1.1" and "WD1.1.1" not in set(
        below["dimension_id"]
    )
    plan = pd.DataFrame(
        {"dimension_id": ["WD1.1.1", "WD1.1.2", "WD1.2.1"], "target_grade": ["B", "B", "A"]}
    )
    now = pd.DataFrame({"dimension_id": ["WD1.1.1", "WD1.1.2"], "grade": ["A", "C"]})
    assert checks.plan_check(plan, now)["outcome"].tolist() == ["met", "not_met", "no_grade"]


def test_changes_are_explained_by_evidence_na_and_edition():
    steps = pd.DataFrame(
        {
            "level": "dimension",
            "id": ["D1", "D2", "D3", "D4"],
            "previous_dimension_id": ["D1", "D2", "D3", "D4"],
            "comparability": ["full", "full", "full", "partial"],
            "delta": [33.3, 33.3, None, 0.0],
            "direction": ["improved", "improved", None, "unchanged"],
        }
    )
    before = pd.DataFrame(
        {
            "dimension_id": ["D1", "D2", "D3", "D4"],
            "grade": ["C", "C", "NA", "B"],
            "evidence": ["old", "same", "", "x"],
        }
    )
    after = pd.DataFrame(
        {
            "dimension_id": ["D1", "D2", "D3", "D4"],
            "grade": ["B", "B", "C", "B"],
            "evidence": ["new", "same ", "", "x"],
        }
    )
    same_edition = over_time.explain_changes(steps, before, after, edition_changed=False)
    assert same_edition["reason"].tolist() == ["new_evidence", "same_evidence", "na", "none"]
    assert same_edition["direction"].tolist()[2] == "not_graded"
    new_edition = over_time.explain_changes(steps, before, after, edition_changed=True)
    assert new_edition["reason"].tolist()[3] == "edition"


def test_edition_steps_mark_where_the_edition_changed():
    old = load_questionnaire(tiny_edition("tiny-1")).edition
    data = tiny_edition("tiny-2")
    data["goals"][0]["indicators"][0]["dimensions"][0] = dimension(
        "WD1.1.1", continues={"edition": "tiny-1", "dimension": "WD1.1.1", "comparability": "full"}
    )
    new = load_questionnaire(data).edition
    results = {
        1: score(structure_table(old), answers(ALL_C, year=2023), old.id),
        2: score(structure_table(old), answers(ALL_C | {"WD1.1.1": "A"}, year=2024), old.id),
        3: score(structure_table(new), answers(ALL_C, year=2025), new.id),
    }
    frame = pd.DataFrame(
        {
            "assessment_id": [3, 1, 2],
            "year": [2025, 2023, 2024],
            "edition_id": [new.id, old.id, old.id],
        }
    )
    steps = over_time.edition_steps(frame, results, {new.id: continuity_table(new)})
    assert steps["year"].tolist() == [2023, 2024, 2025]
    assert steps["edition_changed"].tolist() == [False, False, True]
    assert steps["comparability"].tolist()[1:] == ["full", "partial"]
    assert steps["delta"].iloc[1] == pytest.approx(results[2].overall["score"].iloc[0] - 100 / 3)


def test_trends_hold_the_overall_and_every_goal_year_by_year(structure):
    frames = [answers(ALL_C, year=2023), answers(ALL_C | {"WD2.1.1": "A"}, year=2024)]
    result = score(structure, pd.concat(frames), "tiny-1")
    lines = standing.trends(result.overall, result.goals)
    assert sorted(set(lines["node"])) == ["WD1", "WD2", "overall"]
    wd2 = lines[lines["node"].eq("WD2")]
    assert wd2["year"].tolist() == [2023, 2024]
    assert wd2["score"].tolist() == pytest.approx([100 / 3, 200 / 3])
    assert lines["coverage"].notna().all()


def test_the_simulator_keys_its_variants_by_name_not_as_countries():
    """Each one-step reform is its own pseudo-assessment; the answers carry no country or year."""
    structure = structure_table(load_questionnaire(tiny_edition()).edition)
    answers = pd.DataFrame(
        {"dimension_id": ["WD1.1.1", "WD1.1.2", "WD2.1.1"], "grade": ["C", "D", "B"]}
    )
    ranked = simulator.rank_reforms(structure, answers, "tiny-1")
    assert ranked[["dimension_id", "new_grade"]].values.tolist() == [
        ["WD2.1.1", "A"],
        ["WD1.1.1", "B"],
        ["WD1.1.2", "C"],
    ]
    # B → A moves WD2 (one of two goals) by 33.3 points of its indicator's mean of two
    assert ranked["overall_delta"].round(3).tolist() == [16.667, 8.333, 8.333]
    steps = simulator.simulate(structure, answers, "tiny-1", {"WD1.1.2": "A"})
    assert steps.set_index("id").loc["overall", "delta"] == pytest.approx(25.0)
