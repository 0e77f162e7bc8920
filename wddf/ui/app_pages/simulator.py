"""Reform simulator: change grades (and goal weights), see the effect on every score, rank the
one-step reforms by their effect, and add the chosen ones to the action plan."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wddf.domain import LETTER_GRADES
from wddf.i18n import number
from wddf.services.editions import get_edition, node_titles
from wddf.services.records import Record
from wddf.services.scores import insights
from wddf.ui import charts
from wddf.ui.app_pages.action_plan import add_actions
from wddf.ui.components.feedback import form_key
from wddf.ui.components.insight import assessment_page, chart
from wddf.ui.context import PageContext

NEW_GRADES = tuple(g.value for g in LETTER_GRADES)
SHOWN_REFORMS = 15


def _choices(ctx: PageContext, assessment: Record, titles: dict[str, str]):
    edition = get_edition(ctx.session, assessment.edition_id)
    dims = [d.id for _, _, d in edition.dimensions()]
    chosen = st.multiselect(
        ctx.t("insights.simulator.dimensions"),
        dims,
        key="sim-dims",
        placeholder=ctx.t("insights.choose"),
        format_func=lambda d: f"{d} · {titles.get(d, d)}",
    )
    grades = {}
    for column, dim in zip(st.columns(max(len(chosen), 1)), chosen, strict=False):
        grades[dim] = column.selectbox(dim, NEW_GRADES, key=f"sim-grade-{dim}")
    weights = {}
    with st.expander(ctx.t("insights.simulator.weights")):
        for goal in edition.goals:
            weight = st.number_input(
                f"{goal.id} · {titles.get(goal.id, goal.id)}",
                0.0,
                10.0,
                float(goal.weight),
                0.5,
                key=f"sim-weight-{goal.id}",
            )
            if weight != goal.weight:
                weights[goal.id] = weight
    return grades, weights


def _effect(ctx: PageContext, assessment: Record, grades: dict, weights: dict) -> None:
    effect = insights.simulate(ctx.session, ctx.actor, assessment.id, grades, weights or None)
    if effect.empty:
        st.info(ctx.t("insights.nothing_scored"))
        return
    top = effect[effect["level"].eq("overall")].iloc[0]
    st.metric(
        ctx.t("insights.overall"),
        number(top["score_after"], ctx.lang, 1),
        delta=None if pd.isna(top["delta"]) else round(float(top["delta"]), 1),
    )
    reading = ctx.t(
        "insights.simulator.reading",
        before=number(top["score_before"], ctx.lang, 1),
        after=number(top["score_after"], ctx.lang, 1),
    )
    goals = effect[effect["level"].eq("goal")]
    series = {
        ctx.t("review.before"): goals["score_before"].tolist(),
        ctx.t("review.after"): goals["score_after"].tolist(),
    }
    table = pd.DataFrame(
        {
            ctx.t("insights.level"): effect["level"].map(lambda v: ctx.t("insights.level." + v)),
            ctx.t("insights.node"): effect["id"],
            ctx.t("review.before"): effect["score_before"].round(1),
            ctx.t("review.after"): effect["score_after"].round(1),
            ctx.t("insights.delta"): effect["delta"].round(2),
        }
    )
    chart(ctx, "simulation", charts.grouped_bars(goals["id"].tolist(), series), reading, table)


def _reforms(ctx: PageContext, assessment: Record, weights: dict, titles: dict[str, str]) -> None:
    st.header(ctx.t("insights.simulator.ranked"))
    ranked = insights.reforms(ctx.session, ctx.actor, assessment.id, weights or None)
    if ranked.empty:
        st.caption(ctx.t("insights.simulator.nothing_to_raise"))
        return
    best = ranked.iloc[0]
    reading = ctx.t(
        "insights.simulator.ranked_reading",
        dimension=best["dimension_id"],
        before=best["grade"],
        after=best["new_grade"],
        delta=number(best["overall_delta"], ctx.lang, 2),
    )
    shown = ranked.head(SHOWN_REFORMS)
    labels = [
        f"{d} {g}→{n}"
        for d, g, n in zip(shown["dimension_id"], shown["grade"], shown["new_grade"], strict=True)
    ]
    texts = [f"+{number(v, ctx.lang, 2)}" for v in shown["overall_delta"]]
    figure = charts.score_bars(
        labels,
        shown["overall_delta"].tolist(),
        texts,
        ctx.t("insights.delta"),
        top=float(shown["overall_delta"].max()),
    )
    table = pd.DataFrame(
        {
            ctx.t("review.dimension"): [
                f"{d} · {titles.get(d, d)}" for d in ranked["dimension_id"]
            ],
            ctx.t("review.before"): ranked["grade"],
            ctx.t("review.after"): ranked["new_grade"],
            ctx.t("insights.simulator.overall_delta"): ranked["overall_delta"].round(2),
            ctx.t("insights.simulator.goal_delta"): ranked["goal_delta"].round(2),
        }
    )
    chart(ctx, "reforms", figure, reading, table)
    targets = dict(zip(ranked["dimension_id"], ranked["new_grade"], strict=True))
    with st.form(form_key("sim-plan")):  # kept as typed after a refusal; anew after a success
        chosen = st.multiselect(
            ctx.t("insights.simulator.to_plan"),
            list(targets),
            key=form_key("sim-plan", "sim-plan-dims"),
            placeholder=ctx.t("insights.choose"),
        )
        action = st.text_input(
            ctx.t("insights.plan.action"), key=form_key("sim-plan", "sim-plan-action")
        )
        if st.form_submit_button(ctx.t("insights.plan.add_button")):
            add_actions(ctx, assessment, {d: targets[d] for d in chosen}, action, form="sim-plan")


def render(ctx: PageContext) -> None:
    """Draw the page."""
    assessment = assessment_page(ctx, "insights.simulator", "sim-assessment")
    if assessment is None:
        return
    titles = node_titles(ctx.session, assessment.edition_id, ctx.lang)
    grades, weights = _choices(ctx, assessment, titles)
    with ctx.attempt() as done:
        _effect(ctx, assessment, grades, weights)
    if not done:
        return
    _reforms(ctx, assessment, weights, titles)
