"""The insight services: who sees what, figures equal to the scoring library's, the plan cycle."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import update

from tests.conftest import shipped, shipped_editions
from tests.scoring_reference import close, reference
from tests.storage.helpers import EDITION, answer_all, new_assessment, set_status
from wddf.domain import Status
from wddf.errors import Invalid, NotAllowed, NotFound
from wddf.questionnaire import structure_table
from wddf.services.actor import SYSTEM
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments, demo
from wddf.services.documents import country_report
from wddf.services.process import action_plan
from wddf.services.scores import insights, scored
from wddf.storage.tables import Assessment


@pytest.fixture
def demo_db(db):
    with db.session() as session:
        demo.load(session, SYSTEM, countries=4, years=3, seed=2)  # published, submitted, draft
    return db


def _statuses(db) -> dict[tuple[str, int], str]:
    with db.session() as session:
        return {(a.country, a.year): a.status for a in assessments.visible(session, SYSTEM)}


@pytest.mark.parametrize("role", ["focal", "panelist"])
def test_country_roles_cannot_compare_countries(demo_db, people, role):
    with demo_db.session() as session, pytest.raises(NotAllowed):
        insights.comparison(session, people[role])


def test_donors_compare_published_results_and_reviewers_everything_submitted(demo_db, people):
    statuses = _statuses(demo_db)
    with demo_db.session() as session:
        donor = insights.comparison(session, people["donor"])
        reviewer = insights.comparison(session, people["reviewer"])
    for found, allowed in ((donor, {"published"}), (reviewer, {"published", "submitted"})):
        pairs = zip(found.overall["country"], found.overall["year"], strict=True)
        shown = {(c, int(y)) for c, y in pairs}
        assert shown and {statuses[k] for k in shown} <= allowed
        assert len(shown) == 4  # one per country: its latest allowed year
    assert set(reviewer.overall["year"]) == {2024}
    assert set(donor.overall["year"]) == {2023}


def test_comparison_shows_each_countrys_latest_graded_year(db, people):
    """A later assessment sent on without a single grade does not hide the country's last graded
    one, and the scores shown equal those of the whole history scored."""
    focal, other_focal = people["focal"], people["other_focal"]
    sierra_leone = new_assessment(db, focal, "SLE", 2023)
    guyana = new_assessment(db, other_focal, "GUY")
    answer_all(db, focal, sierra_leone, "B")
    answer_all(db, other_focal, guyana, "C")
    new_assessment(db, focal, "SLE", 2024, Status.SUBMITTED)
    for assessment_id in (sierra_leone, guyana):
        set_status(db, assessment_id, Status.SUBMITTED)
    with db.session() as session:
        found = insights.comparison(session, people["reviewer"])
        whole = scored.scored(session, people["reviewer"], detail=False).level("overall")
    shown = found.overall.set_index("country")
    assert {(c, int(y)) for c, y in zip(shown.index, shown["year"], strict=True)} == {
        ("SLE", 2023),
        ("GUY", 2024),
    }
    expected = whole.set_index("assessment_id")["score"]
    assert shown.at["SLE", "score"] == expected[sierra_leone]
    assert shown.at["GUY", "score"] == expected[guyana]
    assert shown.at["SLE", "score"] > shown.at["GUY", "score"]


def test_comparison_figures_equal_an_independent_calculation(demo_db, people):
    """Each country's overall score on the comparison page equals the method computed plainly,
    with exact fractions, from the answers stored for it (``tests/scoring_reference.py``)."""
    with demo_db.session() as session:
        found = insights.comparison(session, people["reviewer"], year=2024)
        grades = {
            aid: {a.dimension_id: a.grade for a in assessments.answers(session, SYSTEM, aid)}
            for aid in found.overall["assessment_id"]
        }
        edition_of = {aid: assessments.get(session, SYSTEM, aid).edition_id for aid in grades}
    assert len(grades) > 1
    for row in found.overall.itertuples():
        structure = structure_table(shipped_editions()[edition_of[row.assessment_id]])
        assert close(row.score, reference(structure, grades[row.assessment_id])["overall"]), row


def test_profiles_follow_read_rights(demo_db, people):
    statuses = _statuses(demo_db)
    draft = next(k for k, s in statuses.items() if s == "draft" and k[0] == "SLE")
    with demo_db.session() as session:
        draft_id = next(
            a.id for a in assessments.visible(session, SYSTEM) if (a.country, a.year) == draft
        )
        assert insights.profile(session, people["focal"], draft_id).result is not None
        for outsider in ("donor", "reviewer", "other_focal"):
            with pytest.raises(NotFound):
                insights.profile(session, people[outsider], draft_id)


def test_validated_scores_are_cached_and_a_reopened_assessment_is_rescored(db, people):
    assessment_id = new_assessment(db, people["admin"], status=Status.DRAFT)
    answer_all(db, people["admin"], assessment_id, "B")
    with db.session() as session:
        session.execute(
            update(Assessment).where(Assessment.id == assessment_id).values(status="validated")
        )
    with db.session() as session:
        first = insights.profile(session, people["reviewer"], assessment_id)
        item = assessments.get(session, SYSTEM, assessment_id)
        key = (EDITION, True, *scored.stamp(session, [item]))
    assert scored.FROZEN_SCORES.get(key) is not None
    assert first.result.overall["score"].iloc[0] == pytest.approx(200 / 3)
    with db.session() as session:  # reopened: back to draft, with a new version
        session.execute(
            update(Assessment)
            .where(Assessment.id == assessment_id)
            .values(status="returned", version=Assessment.version + 1)
        )
    with db.session() as session:
        given = AnswerInput("WD1.1.1", "A", justification="new law")
        assessments.save_answer(session, people["admin"], assessment_id, given, 1)
        again = insights.profile(session, people["admin"], assessment_id)
    assert again.result.overall["score"].iloc[0] > first.result.overall["score"].iloc[0]


def test_simulation_checks_its_input_and_does_not_change_the_assessment(db, people):
    assessment_id = new_assessment(db, people["focal"])
    answer_all(db, people["focal"], assessment_id, "C")
    with db.session() as session:
        with pytest.raises(Invalid):
            insights.simulate(session, people["focal"], assessment_id, {"WD99.1.1": "A"})
        with pytest.raises(Invalid):
            insights.simulate(session, people["focal"], assessment_id, {"WD1.1.1": "NA"})
        effect = insights.simulate(session, people["focal"], assessment_id, {"WD1.1.1": "A"})
        ranked = insights.reforms(session, people["focal"], assessment_id)
        grades = {a.grade for a in assessments.answers(session, people["focal"], assessment_id)}
    assert grades == {"C"}
    assert effect.set_index("id").loc["overall", "delta"] > 0
    assert len(ranked) == len(shipped().dimensions())
    with db.session() as session, pytest.raises(NotFound):
        insights.simulate(session, people["other_focal"], assessment_id, {"WD1.1.1": "A"})


def test_the_action_plan_is_carried_into_next_year_and_checked(db, people):
    first = new_assessment(db, people["focal"], year=2023)
    answer_all(db, people["focal"], first, "C")
    with db.session() as session:
        below = insights.gaps(session, people["focal"], first, "B")
        assert len(below) == len(shipped().dimensions()) and not below["planned"].any()
        for dim, target in (("WD1.1.1", "B"), ("WD1.1.2", "A")):
            action_plan.add_item(
                session, people["focal"], first, dim, "Amend the act", "DG", None, target
            )
        with pytest.raises(NotAllowed):
            action_plan.add_item(session, people["panelist"], first, "WD1.1.3", "x", "", None, "B")
        both = action_plan.Reform(["WD2.1.1", "WD2.1.2"], "Publish the cadastre", target_grade="B")
        action_plan.add(session, people["focal"], first, both)
        assert insights.gaps(session, people["focal"], first, "B")["planned"].sum() == 4
    set_status(db, first, Status.VALIDATED)  # next year compares with what was submitted
    second = new_assessment(db, people["focal"], year=2024)
    answer_all(db, people["focal"], second, "B")
    with db.session() as session:
        checked = insights.plan_carried_over(session, people["focal"], second)
    assert checked.set_index("dimension_id")["outcome"].to_dict() == {
        "WD1.1.1": "met",
        "WD1.1.2": "not_met",
        "WD2.1.1": "met",  # one reform, checked on each dimension it addresses
        "WD2.1.2": "met",
    }
    assert set(checked["previous_year"]) == {2023}


def test_flags_and_agreement_of_a_real_assessment(db, people):
    assessment_id = new_assessment(db, people["focal"])
    with db.session() as session:
        for given in (
            AnswerInput("WD1.1.1", "A", justification="seen"),
            AnswerInput("WD2.3.2", "NA"),
            AnswerInput("WD1.1.2", "B", evidence="Act s.2", justification="seen"),
            AnswerInput("WD1.1.1", "D", group="government"),
            AnswerInput("WD1.1.1", "A", group="civil_society"),
        ):
            assessments.save_answer(session, people["focal"], assessment_id, given, 0)
        flags = insights.flags(session, people["focal"], assessment_id)
        spread = insights.agreement(session, people["focal"], assessment_id)
    assert sorted(map(tuple, flags[["dimension_id", "flag"]].values)) == [
        ("WD1.1.1", "strong_no_evidence"),
        ("WD2.3.2", "na_no_reason"),
    ]
    assert spread[["dimension_id", "spread", "consensus"]].values.tolist() == [["WD1.1.1", 3, "A"]]


def test_progress_explains_a_move_from_edition_1_0_to_1_1(db, people):
    """Each 1.1 dimension is compared with the 1.0 dimension it continues, as the installed
    continuity revision says, never with a 1.0 dimension that merely has the same id; new
    dimensions and those that measure another construct show no change."""
    admin = people["admin"]
    graded = {
        "wddf-1.0": {"WD1.1.1": "C", "WD7.3.3": "C", "WD7.3.1": "C"},
        # WD7.4.1 continues 1.0's WD7.3.1 (security forces), partly; WD6.3.3 (women's work) no
        # longer continues 1.0's WD7.3.3 (revision 1); 1.1's WD7.3.1 is forced labour, new; so
        # is WD3.4.1, the export procedure
        "wddf-1.1": {
            "WD1.1.1": "C",
            "WD6.3.3": "A",
            "WD7.4.1": "A",
            "WD7.3.1": "B",
            "WD3.4.1": "B",
        },
    }
    ids = {}
    with db.session() as session:
        for year, edition_id in ((2024, "wddf-1.0"), (2025, "wddf-1.1")):
            ids[edition_id] = assessments.create(session, admin, "SLE", year, edition_id).id
            for dimension_id, grade in graded[edition_id].items():
                given = AnswerInput(dimension_id, grade, justification="Seen")
                assessments.save_answer(session, admin, ids[edition_id], given, 0)
    with db.session() as session:
        found = insights.progress(session, admin, "SLE")
        explained = insights.explained_changes(found, ids["wddf-1.0"], ids["wddf-1.1"])
    steps = found.steps.set_index("year")
    assert steps.loc[2025, "edition_changed"] and steps.loc[2025, "comparability"] == "partial"
    rows = explained.set_index("dimension_id")
    forces = rows.loc["WD7.4.1"]
    assert (forces.previous_dimension_id, forces.grade_before, forces.grade) == (
        "WD7.3.1",
        "C",
        "A",
    )
    assert (forces.comparability, forces.direction) == ("partial", "improved")
    assert rows.loc["WD1.1.1", ["grade_before", "direction"]].tolist() == ["C", "unchanged"]
    for new in ("WD7.3.1", "WD3.4.1", "WD6.3.3"):
        row = rows.loc[new]
        assert row.comparability == "none" and row.direction == "not_comparable"
        assert pd.isna(row.grade_before) and pd.isna(row.previous_dimension_id)
        assert row.reason == "edition"
    # the report's headline says what makes the two years unlike, beside the raw move
    with db.session() as session:
        report = country_report.gather(session, admin, session.get(Assessment, ids["wddf-1.1"]))
    lines = report.readings["progress"]
    assert lines[0].startswith("Since 2024, the overall score moved from")
    assert "different editions (wddf-1.0, then wddf-1.1)" in lines[1]
    assert "Coverage differs" in lines[2]
    assert [line for line in lines if "not final" in line] == [
        "The 2024 assessment is draft, not final: its figures may still change.",
        "The 2025 assessment is draft, not final: its figures may still change.",
    ]
    # WD1.1.1 (C, C) and WD7.4.1 (C, A, partly comparable): +0 and +66.7, so +33.3 on average
    assert lines[-1] == (
        "On the 2 dimensions scored both times that compare, the score moved by +33.3 points "
        "on average."
    )
