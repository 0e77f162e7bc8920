"""Insight pages show the scoring library's figures, and their actions go through the services."""

from __future__ import annotations

import pandas as pd
import pytest

from scoring import checks, score, simulator
from tests.app.conftest import app_for
from wddf.errors import ErrorCode, Invalid
from wddf.questionnaire import structure_table
from wddf.services.actor import SYSTEM
from wddf.services.answers import assessments, demo
from wddf.services.editions import get_edition
from wddf.services.process import action_plan
from wddf.storage.tables import Assessment


@pytest.fixture(scope="module")
def published(app_db) -> dict[str, int]:
    """The demo's published assessment of each country (the oldest of three years)."""
    with app_db.session() as session:
        demo.load(session, SYSTEM, countries=3, years=3, seed=1)
        chosen = [a for a in assessments.visible(session, SYSTEM) if a.is_demo]
        return {a.country: a.id for a in chosen if a.status == "published"}


def library_score(app_db, assessment_id: int):
    """The assessment scored directly by the scoring library."""
    with app_db.session() as session:
        item = assessments.get(session, SYSTEM, assessment_id)
        rows = assessments.answers(session, SYSTEM, assessment_id)
        frame = pd.DataFrame(
            [(item.country, item.year, a.dimension_id, a.grade) for a in rows if a.grade],
            columns=["country", "year", "dimension_id", "grade"],
        )
        edition = get_edition(session, item.edition_id)
    return score(structure_table(edition), frame, edition.id), frame, edition


def _table(at, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_profile_shows_the_library_overall_score_and_coverage(app_db, app_people, published):
    aid = published["SLE"]
    at = app_for(app_people["focal"], "fr", page="profile", assessment=str(aid))
    assert not at.exception
    expected, _, _ = library_score(app_db, aid)
    overall = expected.overall.iloc[0]
    metrics = {m.label: m.value for m in at.metric}
    # French writes a decimal comma, and a no-break space before the percent sign
    assert metrics["Score global"] == f"{overall['score']:.1f}".replace(".", ",")
    assert metrics["Couverture"] == f"{100 * overall['coverage']:.0f}\xa0%"
    radar = _table(at, "Objectif")
    assert radar["Score (0–100)"].tolist() == expected.goals["score"].round(1).tolist()


def test_comparison_for_a_donor_ranks_published_results_with_library_scores(
    app_db, app_people, published
):
    at = app_for(app_people["donor"], "en", page="comparison")
    assert not at.exception
    ranking = _table(at, "Rank")
    shown = dict(zip(ranking["Country"], ranking["Overall score"], strict=True))
    assert len(shown) == len(published)
    for country, aid in published.items():
        expected, _, _ = library_score(app_db, aid)
        year = int(expected.overall["year"].iloc[0])
        with app_db.session() as session:
            found = session.get(Assessment, aid)
            is_demo, edition = found.is_demo, found.edition_id
        # ranked only against the same year and edition, which the label names
        label = next(
            k for k in shown if k.endswith(f"({year} · {edition})") and country_matches(k, country)
        )
        assert shown[label] == round(expected.overall["score"].iloc[0], 1)
        assert (" · DEMO (" in label) == is_demo  # each demo country-year says so
    assert (
        ranking.groupby(ranking["Country"].str.extract(r"\((.*)\)$")[0])["Rank"].min().eq(1).all()
    )
    warned = [w.value for w in at.warning if "fictitious demo data, marked DEMO" in w.value]
    assert warned


def country_matches(label: str, iso3: str) -> bool:
    from wddf.services.countries import country_name

    return label.startswith(country_name(iso3, "en"))


def test_simulator_shows_the_library_effect_and_adds_reforms_to_the_plan(
    app_db, app_people, published
):
    aid = published["SLE"]
    at = app_for(app_people["focal"], "en", page="simulator", assessment=str(aid))
    at.multiselect(key="sim-dims").set_value(["WD1.1.1", "WD2.1.1"]).run()
    at.selectbox(key="sim-grade-WD1.1.1").set_value("A")
    at.selectbox(key="sim-grade-WD2.1.1").set_value("A").run()
    assert not at.exception
    _, answers, edition = library_score(app_db, aid)
    effect = simulator.simulate(
        structure_table(edition), answers, edition.id, {"WD1.1.1": "A", "WD2.1.1": "A"}
    )
    after = effect.set_index("id").loc["overall", "score_after"]
    assert at.metric[0].value == f"{after:.1f}"
    ranked = simulator.rank_reforms(structure_table(edition), answers, edition.id)
    shown = _table(at, "Effect on the overall score")
    assert (
        shown["Effect on the overall score"].tolist() == ranked["overall_delta"].round(2).tolist()
    )

    best = ranked["dimension_id"].iloc[0]
    at.multiselect(key="sim-plan-dims").set_value([best])
    at.text_input(key="sim-plan-action").set_value("Publish the export statistics")
    at.button(key="FormSubmitter:sim-plan-Add to the priority matrix").click().run()
    assert not at.exception and not at.error
    with app_db.session() as session:
        planned = action_plan.items(session, SYSTEM, aid)
    item = next(i for i in planned if i.action == "Publish the export statistics")
    assert (item.dimension_ids, item.target_grade) == ([best], ranked["new_grade"].iloc[0])


def test_a_panelist_may_simulate_but_not_plan(app_db, app_people, published):
    aid = published["SLE"]
    at = app_for(app_people["panelist"], "en", page="simulator", assessment=str(aid))
    with app_db.session() as session:
        before = len(action_plan.items(session, SYSTEM, aid))
    at.multiselect(key="sim-plan-dims").set_value(["WD1.1.1"])
    at.text_input(key="sim-plan-action").set_value("Not mine to plan")
    at.button(key="FormSubmitter:sim-plan-Add to the priority matrix").click().run()
    assert any("not allowed" in e.value for e in at.error)
    with app_db.session() as session:
        assert len(action_plan.items(session, SYSTEM, aid)) == before


def test_flags_page_counts_what_the_library_flags(app_db, app_people, published):
    aid = published["SLE"]
    at = app_for(app_people["reviewer"], "en", page="flags", assessment=str(aid))
    assert not at.exception
    with app_db.session() as session:
        rows = assessments.answers(session, SYSTEM, aid)
    answers = pd.DataFrame(
        [(a.dimension_id, a.grade, a.justification, a.evidence) for a in rows],
        columns=["dimension_id", "grade", "justification", "evidence"],
    )
    expected = checks.consistency_flags(answers, None)["flag"].value_counts()  # the oldest year
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics["A or B with no evidence"] == expected.get("strong_no_evidence", 0)


def test_the_plan_page_moves_an_actions_status(app_db, app_people, published):
    aid = published["COD"]
    with app_db.session() as session:
        item = action_plan.add_item(session, SYSTEM, aid, "WD2.1.1", "Publish the cadastre")
    at = app_for(app_people["admin"], "en", page="plan", assessment=str(aid))
    at.selectbox(key="plan-status-item").set_value(item.id)
    at.run()
    at.selectbox(key=f"plan-status-value-{item.id}").set_value("done")
    at.text_area(key=f"plan-status-progress-{item.id}").set_value("Cadastre online since May")
    at.button(key="FormSubmitter:plan-status-Update the status").click().run()
    assert not at.exception and not at.error
    with app_db.session() as session:
        [after] = [i for i in action_plan.items(session, SYSTEM, aid) if i.id == item.id]
    assert (after.status, after.progress) == ("done", "Cadastre online since May")
    shown = _table(at, "Status")
    assert "done" in shown["Status"].tolist()
    assert "Cadastre online since May" in shown["Evidence of progress"].tolist()


def test_the_plan_page_never_overwrites_a_reform_moved_meanwhile(app_db, app_people, published):
    aid = published["AGO"]
    with app_db.session() as session:
        item = action_plan.add_item(session, SYSTEM, aid, "WD3.1.1", "Seal parcels at the mine")
    at = app_for(app_people["admin"], "fr", page="plan", assessment=str(aid))
    at.selectbox(key="plan-status-item").set_value(item.id).run()
    with app_db.session() as session:  # someone else records progress while the page is open
        action_plan.set_status(
            session, SYSTEM, item.id, "done", "Sealed since June", seen=("open", "")
        )
    at.text_area(key=f"plan-status-progress-{item.id}").set_value("Not yet started")
    at.button(key="FormSubmitter:plan-status-Mettre à jour le statut").click().run()
    assert not at.exception
    assert any("a modifié le statut ou les preuves d'avancement" in e.value for e in at.error)
    with app_db.session() as session:
        [after] = [i for i in action_plan.items(session, SYSTEM, aid) if i.id == item.id]
    assert (after.status, after.progress) == ("done", "Sealed since June")


def test_a_focal_point_adds_a_reform_of_several_dimensions_in_french(app_db, app_people, published):
    """The matrix form, in French: two dimensions at any grade, priority, institution, partners,
    cost and currency, horizon; the row shows the cost written the French way."""
    aid = published["SLE"]
    at = app_for(app_people["focal"], "fr", page="plan", assessment=str(aid))
    at.multiselect(key="plan-dims").set_value(["WD1.1.1", "WD2.1.1"])
    at.text_area(key="plan-action").set_value("Réviser le code minier")
    at.text_input(key="plan-owner").set_value("Ministère des Mines")
    at.text_input(key="plan-partners").set_value("Banque mondiale")
    at.selectbox(key="plan-priority").set_value(1)
    at.selectbox(key="plan-timeframe").set_value("long")
    at.text_input(key="plan-cost").set_value("1 250 000,50")  # a fraction: refused, never cut
    at.text_input(key="plan-currency").set_value("usd")
    add = "FormSubmitter:plan-add-Ajouter à la matrice des priorités"
    at.button(key=add).click().run()
    refused = Invalid(ErrorCode.NOT_WHOLE, field="estimated_cost", text="1 250 000,50")
    assert [e.value for e in at.error] == [refused.message("fr")]
    assert at.text_area(key="plan-action").value == "Réviser le code minier"  # kept as typed
    at.text_input(key="plan-cost").set_value("250 000")  # spaces group thousands in French
    at.button(key=add).click().run()
    assert not at.exception and not at.error
    assert at.text_area(key="plan-action~1").value == ""  # drawn anew, empty, once added
    with app_db.session() as session:
        item = next(
            i
            for i in action_plan.items(session, SYSTEM, aid)
            if i.action == "Réviser le code minier"
        )
    assert (item.dimension_ids, item.priority, item.timeframe) == (
        ["WD1.1.1", "WD2.1.1"],
        1,
        "long",
    )
    assert (item.estimated_cost, item.currency, item.owner) == (
        250000,
        "USD",
        "Ministère des Mines",
    )
    shown = _table(at, "Coût estimé")
    assert "250\u202f000 USD" in shown["Coût estimé"].tolist()  # CLDR's French grouping


def test_progress_page_explains_the_move_to_a_new_edition(app_db, app_people, published):
    """The demo's Sierra Leone walks from wddf-1.0 through 1.1 to 1.2; its focal point, in
    French, reads what compares with what, from one edition to the next and across two."""
    with app_db.session() as session:
        demo_years = {
            a.year: a.id
            for a in assessments.visible(session, SYSTEM)
            if a.country == "SLE" and a.is_demo
        }
    at = app_for(app_people["focal"], "fr", page="progress")
    # Other tests of the session may add later Sierra Leone years: compare the demo's two.
    at.selectbox(key="progress-from").set_value(demo_years[2024]).run()
    at.selectbox(key="progress-to").set_value(demo_years[2025]).run()
    assert not at.exception
    assert any("données fictives de démonstration" in w.value for w in at.warning)
    assert "2025 · DÉMO" in at.selectbox(key="progress-to").options  # each demo year says so
    notes = [c.value for c in at.caption]
    assert any("suivent des éditions différentes (wddf-1.1, puis wddf-1.2)" in n for n in notes)
    assert any("notées les deux fois et comparables" in n for n in notes)  # like with like
    moved = [i.value for i in at.info if "Le questionnaire est passé de" in i.value]
    assert moved and "wddf-1.1 (2024) à wddf-1.2 (2025)" in moved[0]
    table = _table(at, "Comparée à")
    compared = dict(zip(table["Dimension"], table["Comparée à"], strict=True))
    continued = {d: c for d, c in compared.items() if c != "nouvelle, non comparée"}
    assert continued and len(continued) < len(compared)  # some continue 1.1, some are new
    with app_db.session() as session:
        installed = get_edition(session, "wddf-1.2")
    continues = {d.id: d.continues for _, _, d in installed.dimensions()}
    assert continues["WD9.3.3"] is None  # new in 1.2: follow-up of review visits
    for dimension_id, shown in continued.items():
        link = continues[dimension_id]
        kind = {"full": "totale", "partial": "partielle"}[link.comparability.value]
        assert shown == f"{link.dimension} ({kind})"
    assert all(continues[d] is None for d in set(compared) - set(continued))
    # across two edition changes: 1.0 (2023) against 1.2 (2025), through 1.1's links
    at.selectbox(key="progress-from").set_value(demo_years[2023]).run()
    assert not at.exception
    table = _table(at, "Comparée à")
    compared = dict(zip(table["Dimension"], table["Comparée à"], strict=True))
    assert compared["WD7.4.1"] == "WD7.3.1 (partielle)"  # the 1.0 rules for security forces
    assert compared["WD1.1.1"] == "WD1.1.1 (totale)"
    assert compared["WD6.3.3"] == "nouvelle, non comparée"  # revised: 1.0 measured another thing
