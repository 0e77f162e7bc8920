"""Country profile: where one assessment stands, goal by goal, down to each dimension."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from exports.palette import LAYER_COLOURS
from wddf.i18n import day, number, percent
from wddf.services.editions import node_titles
from wddf.services.process import panels
from wddf.services.scores import insights
from wddf.ui import charts
from wddf.ui.components.insight import assessment_page, chart, label
from wddf.ui.context import PageContext


def _headline(ctx: PageContext, overall: pd.Series, layers: pd.DataFrame) -> None:
    top = layers[layers["level"].eq("overall")].iloc[0]
    columns = st.columns(4)
    columns[0].metric(
        ctx.t("insights.overall"),
        number(overall["score"], ctx.lang, 1),
        help=ctx.t("insights.score_help"),
    )
    columns[1].metric(ctx.t("insights.coverage"), percent(overall["coverage"], ctx.lang))
    columns[2].metric(ctx.t("insights.graded"), f"{overall['n_graded']}/{overall['n_applicable']}")
    columns[3].metric(ctx.t("insights.gap"), number(top["gap"], ctx.lang, 1))


def _goals(ctx: PageContext, result, titles: dict[str, str]) -> None:
    goals = result.goals.astype({"goal_id": object})
    labels = [label(g, titles, 40) for g in goals["goal_id"]]
    best = goals.loc[goals["score"].idxmax()] if goals["score"].notna().any() else None
    worst = goals.loc[goals["score"].idxmin()] if goals["score"].notna().any() else None
    reading = (
        ctx.t(
            "insights.profile.radar_reading",
            best=best["goal_id"],
            best_score=number(best["score"], ctx.lang),
            worst=worst["goal_id"],
            worst_score=number(worst["score"], ctx.lang),
        )
        if best is not None
        else ctx.t("insights.nothing_scored")
    )
    table = pd.DataFrame(
        {
            ctx.t("insights.goal"): labels,
            ctx.t("insights.score"): goals["score"].round(1),
            ctx.t("insights.coverage"): goals["coverage"].apply(percent, args=(ctx.lang,)),
        }
    )
    chart(ctx, "radar", charts.radar(labels, goals["score"].tolist(), "score"), reading, table)


def _indicators(ctx: PageContext, result, titles: dict[str, str]) -> None:
    ind = result.indicators.astype({"indicator_id": object, "grade": object})
    labels = [label(i, titles, 45) for i in ind["indicator_id"]]
    shown = [_grade(ctx, g, p) for g, p in zip(ind["grade"], ind["provisional"], strict=True)]
    texts = [
        f"{g} ({m}) · {percent(c, ctx.lang)}"
        for g, m, c in zip(shown, ind["method"], ind["coverage"], strict=True)
    ]
    good = int(ind["grade"].isin(["A", "B+", "B"]).sum())
    reading = ctx.t("insights.profile.indicator_reading", good=good, total=len(ind))
    table = pd.DataFrame(
        {
            ctx.t("insights.indicator"): labels,
            ctx.t("insights.score"): ind["score"].round(1),
            "M1": [
                _grade(ctx, g, p) for g, p in zip(ind["grade_m1"], ind["provisional"], strict=True)
            ],
            "M2": [
                _grade(ctx, g, p) for g, p in zip(ind["grade_m2"], ind["provisional"], strict=True)
            ],
            ctx.t("insights.method"): ind["method"],
            ctx.t("insights.coverage"): ind["coverage"].apply(percent, args=(ctx.lang,)),
        }
    )
    figure = charts.score_bars(labels, ind["score"].tolist(), texts, ctx.t("insights.score"))
    chart(ctx, "indicators", figure, reading, table)


def _grade(ctx: PageContext, grade: object, provisional: bool) -> str:
    """An indicator's grade as shown: provisional while applicable dimensions wait (PEFA has
    no partial grade), a dash when nothing is graded."""
    if not isinstance(grade, str):
        return "–"
    return ctx.t("grade.provisional", grade=grade) if provisional else grade


def _agreed_at(ctx: PageContext, assessment_id: int, dimension_ids: pd.Series) -> list[str]:
    """Where each dimension's grade was agreed: a panel session or the validation workshop."""
    agreed = panels.agreed(ctx.session, ctx.actor, assessment_id)

    def said(dimension_id: str) -> str:
        found = agreed.get(dimension_id)
        if found is None:
            return ""
        when = day(found.day, ctx.lang)
        if found.kind == "workshop":
            return ctx.t("insights.profile.agreed_workshop", day=when)
        return ctx.t("insights.profile.agreed_session", day=when, panel=found.name)

    return [said(d) for d in dimension_ids]


def _dimensions(ctx: PageContext, result, assessment_id: int) -> None:
    dims = result.dimensions.astype({"indicator_id": object, "grade": object})
    cells = dims.assign(
        row=dims["indicator_id"],
        column=dims.groupby("indicator_id", sort=False).cumcount() + 1,
        grade=dims["grade"].fillna(""),
    )
    counts = dims["grade"].value_counts()
    reading = ctx.t(
        "insights.profile.heatmap_reading",
        strong=int(counts.get("A", 0) + counts.get("B", 0)),
        middle=int(counts.get("C", 0)),
        weak=int(counts.get("D", 0) + counts.get("D*", 0)),
        na=int(counts.get("NA", 0)),
    )
    table = pd.DataFrame(
        {
            ctx.t("review.dimension"): dims["dimension_id"].astype(object),
            ctx.t("entry.grade"): dims["grade"],
            ctx.t("browser.layer"): dims["layer"].map(lambda v: ctx.t("layer." + v)),
            ctx.t("insights.profile.agreed"): _agreed_at(
                ctx, assessment_id, dims["dimension_id"].astype(object)
            ),
        }
    )
    chart(ctx, "heatmap", charts.grade_heatmap(cells), reading, table)


def _layers(ctx: PageContext, result) -> None:
    layers = result.layers.astype({"id": object})
    goals = layers[layers["level"].eq("goal")]
    top = layers[layers["level"].eq("overall")].iloc[0]
    names = {n: ctx.t("layer." + n) for n in ("law", "policy", "practice")}
    series = {names[n]: goals[n].tolist() for n in names}
    colours = {names[n]: LAYER_COLOURS[n] for n in names}
    reading = ctx.t(
        "insights.profile.layer_reading",
        law=number(top["law"], ctx.lang),
        practice=number(top["practice"], ctx.lang),
        gap=number(top["gap"], ctx.lang),
    )
    table = pd.DataFrame(
        {ctx.t("insights.goal"): goals["id"]}
        | {names[n]: goals[n].round(1) for n in names}
        | {ctx.t("insights.gap"): goals["gap"].round(1)}
    )
    figure = charts.grouped_bars(goals["id"].tolist(), series, colours)
    chart(ctx, "layers", figure, reading, table)


def _extremes(ctx: PageContext, found: insights.Profile, titles: dict[str, str]) -> None:
    def table(frame: pd.DataFrame) -> pd.DataFrame:
        ids = frame["dimension_id"].astype(object)
        return pd.DataFrame(
            {
                ctx.t("review.dimension"): [f"{d} · {titles.get(d, d)}" for d in ids],
                ctx.t("entry.grade"): frame["grade"].astype(object),
            }
        )

    left, right = st.columns(2)
    left.header(ctx.t("insights.profile.strongest"))
    left.dataframe(table(found.strongest), hide_index=True, key="strongest")
    right.header(ctx.t("insights.profile.weakest"))
    right.dataframe(table(found.weakest), hide_index=True, key="weakest")


def render(ctx: PageContext) -> None:
    """Draw the page."""
    assessment = assessment_page(ctx, "insights.profile", "profile-assessment", intro=False)
    if assessment is None:
        return
    found = insights.profile(ctx.session, ctx.actor, assessment.id, ctx.lang)
    if found.result is None:
        st.info(ctx.t("insights.nothing_scored"))
        return
    titles = node_titles(ctx.session, assessment.edition_id, ctx.lang)
    overall = found.result.overall.iloc[0]
    st.caption(
        ctx.t(
            "insights.profile.reading",
            country=found.assessment["country_name"],
            year=assessment.year,
            score=number(overall["score"], ctx.lang, 1),
            coverage=percent(overall["coverage"], ctx.lang),
        )
    )
    _headline(ctx, overall, found.result.layers)
    _goals(ctx, found.result, titles)
    _indicators(ctx, found.result, titles)
    _dimensions(ctx, found.result, assessment.id)
    _layers(ctx, found.result)
    _extremes(ctx, found, titles)
