"""Progress across years: a country's scores year by year, and what changed between two years."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wddf.i18n import number, percent
from wddf.services import countries
from wddf.services.documents.report_readings import Side, comparison_notes
from wddf.services.editions import node_titles
from wddf.services.scores import insights
from wddf.ui import charts
from wddf.ui.components.insight import chart, choose_country, demo_mark, demo_warning, label
from wddf.ui.context import PageContext


def _trend(ctx: PageContext, found: insights.Progress, name: str) -> None:
    steps = found.steps
    # a goal's line spans the years: named in the words of the latest year's edition
    titles = node_titles(ctx.session, steps["edition_id"].iloc[-1], ctx.lang)
    names = {"overall": ctx.t("insights.overall")} | {
        g: label(g, titles, 30) for g in found.trends["node"].unique() if g != "overall"
    }
    changed = steps[steps["edition_changed"]]
    markers = [
        (
            int(r.year),
            ctx.t(
                "insights.progress.edition_marker",
                edition=r.edition_id,
                comparability=ctx.t("insights.comparability." + r.comparability),
            ),
        )
        for r in changed.itertuples()
    ]
    first, last = steps.iloc[0], steps.iloc[-1]
    reading = ctx.t(
        "insights.progress.reading",
        country=name,
        first=int(first["year"]),
        last=int(last["year"]),
        before=number(first["score"], ctx.lang),
        after=number(last["score"], ctx.lang),
        editions=len(changed),
    )
    demo = dict(zip(found.assessments["year"], found.assessments["is_demo"], strict=True))
    table = pd.DataFrame(
        {
            ctx.t("mine.year"): [f"{y}{demo_mark(ctx, demo.get(y))}" for y in steps["year"]],
            ctx.t("mine.edition"): steps["edition_id"],
            ctx.t("insights.overall"): steps["score"].round(1),
            ctx.t("insights.coverage"): steps["coverage"].apply(percent, args=(ctx.lang,)),
            ctx.t("insights.delta"): steps["delta"].round(1),
            ctx.t("insights.comparability"): steps["comparability"].map(
                lambda c: ctx.t("insights.comparability." + c) if isinstance(c, str) else "–"
            ),
        }
    )
    chart(
        ctx,
        "trend",
        charts.trend_lines(found.trends, names, markers, ctx.t("insights.coverage")),
        reading,
        table,
    )


def _changes(ctx: PageContext, found: insights.Progress) -> None:
    frame = found.assessments
    if len(frame) < 2:
        return
    st.header(ctx.t("insights.progress.changes"))
    years = {int(a): int(y) for a, y in zip(frame["assessment_id"], frame["year"], strict=True)}
    shown = {
        int(a): f"{y}{demo_mark(ctx, d)}"
        for a, y, d in zip(frame["assessment_id"], frame["year"], frame["is_demo"], strict=True)
    }
    ids = list(years)
    left, right = st.columns(2)
    before = left.selectbox(
        ctx.t("insights.progress.from"),
        ids[:-1],
        index=len(ids) - 2,
        format_func=shown.get,
        key="progress-from",
    )
    later = [i for i in ids if years[i] > years[before]]
    after = right.selectbox(
        ctx.t("insights.progress.to"),
        later,
        index=len(later) - 1,
        format_func=shown.get,
        key="progress-to",
    )
    explained = insights.explained_changes(found, before, after)
    editions = dict(zip(frame["assessment_id"], frame["edition_id"], strict=True))
    if editions[before] != editions[after]:
        mapped = explained["comparability"].value_counts()
        st.info(
            ctx.t(
                "insights.progress.edition_move",
                before=editions[before],
                after=editions[after],
                first=years[before],
                last=years[after],
                full=int(mapped.get("full", 0)),
                partial=int(mapped.get("partial", 0)),
                none=int(mapped.get("none", 0)),
            )
        )
    counts = explained["direction"].value_counts()
    reading = ctx.t(
        "insights.progress.change_reading",
        improved=int(counts.get("improved", 0)),
        declined=int(counts.get("declined", 0)),
        unchanged=int(counts.get("unchanged", 0)),
    )
    st.markdown(f"**{reading}**")
    for line in comparison_notes(
        ctx.lang, _side(found, before), _side(found, after), explained["delta"]
    ):
        st.caption(line)
    shown = st.checkbox(ctx.t("insights.progress.only_changed"), value=True, key="progress-only")
    if shown:
        explained = explained[explained["direction"].ne("unchanged")]
    st.dataframe(
        pd.DataFrame(
            {
                ctx.t("review.dimension"): explained["dimension_id"],
                ctx.t("insights.progress.compared_with"): [
                    _compared_with(ctx, previous, comparability)
                    for previous, comparability in zip(
                        explained["previous_dimension_id"], explained["comparability"], strict=True
                    )
                ],
                ctx.t("review.before"): explained["grade_before"],
                ctx.t("review.after"): explained["grade"],
                ctx.t("insights.direction"): explained["direction"].map(
                    lambda d: ctx.t("insights.direction." + d)
                ),
                ctx.t("insights.reason"): explained["reason"].map(
                    lambda r: ctx.t("insights.reason." + r)
                ),
            }
        ),
        hide_index=True,
        key="progress-changes",
    )


def _side(found: insights.Progress, assessment_id: int) -> Side:
    """One assessment of the country's progress, as a comparison's note needs it."""
    row = found.assessments.set_index("assessment_id").loc[assessment_id]
    coverage = found.data.level("overall").set_index("assessment_id").loc[assessment_id, "coverage"]
    return Side(int(row["year"]), row["edition_id"], row["status"], float(coverage))


def _compared_with(ctx: PageContext, previous: object, comparability: str) -> str:
    """``WD7.3.3 (partial)``: the dimension a change is measured against, and how well."""
    if comparability == "none" or not isinstance(previous, str):
        return ctx.t("insights.progress.not_compared")
    return f"{previous} ({ctx.t('insights.comparability.' + comparability)})"


def render(ctx: PageContext) -> None:
    """Draw the page."""
    st.title(ctx.t("insights.progress.heading"))
    country = choose_country(ctx, "progress-country")
    if country is None:
        return
    found = insights.progress(ctx.session, ctx.actor, country, ctx.lang)
    if found.steps.empty:
        st.info(ctx.t("insights.nothing_scored"))
        return
    demo_warning(ctx, int(found.assessments["is_demo"].sum()))
    _trend(ctx, found, countries.country_name(country, ctx.lang))
    _changes(ctx, found)
