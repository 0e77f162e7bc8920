"""Comparison: countries side by side, for reviewers (everything submitted) and donors
(published results only)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wddf.i18n import number, percent
from wddf.services import countries
from wddf.services.answers import assessments
from wddf.services.cache import Lru
from wddf.services.editions import node_titles
from wddf.services.scores import insights
from wddf.ui import charts
from wddf.ui.components.insight import ChartView, demo_mark, demo_warning, label, show
from wddf.ui.context import PageContext

VIEWS = Lru(32)
LOW_COVERAGE = 0.8
WEAK_EVERYWHERE = 0.75


def _choose_year(ctx: PageContext) -> int | None:
    readable = assessments.readable_keys(ctx.session, ctx.actor)
    years = sorted({a.year for a in readable}, reverse=True)
    return st.selectbox(
        ctx.t("insights.comparison.year"),
        [None, *years],
        key="comparison-year",
        format_func=lambda y: ctx.t("insights.comparison.latest") if y is None else str(y),
    )


def _heatmap(ctx: PageContext, found: insights.Comparison, names: dict[str, str]) -> ChartView:
    goals = found.goals.astype({"goal_id": object})
    matrix = goals.pivot_table(index="country", columns="goal_id", values="score", aggfunc="first")
    order = found.ranking["country"].tolist()
    rows = [names[c] for c in order]
    columns = list(dict.fromkeys(goals["goal_id"]))
    matrix = matrix.reindex(index=order, columns=columns).set_axis(rows, axis=0)
    per_goal = matrix.mean()
    reading = ctx.t(
        "insights.comparison.heatmap_reading",
        weakest=per_goal.idxmin(),
        weakest_score=number(per_goal.min(), ctx.lang),
        strongest=per_goal.idxmax(),
        strongest_score=number(per_goal.max(), ctx.lang),
    )
    table = matrix.round(1).reset_index(names=ctx.t("mine.country"))
    return ChartView("heatmap", charts.score_heatmap(matrix, rows, columns), reading, table)


def _ranking(ctx: PageContext, found: insights.Comparison, names: dict[str, str]) -> ChartView:
    ranked = found.ranking
    labels = [
        f"{names[c]} ({y} · {e})"
        for c, y, e in zip(ranked["country"], ranked["year"], ranked["edition_id"], strict=True)
    ]
    texts = [
        f"{number(s, ctx.lang)} · {percent(c, ctx.lang)}"
        for s, c in zip(ranked["score"], ranked["coverage"], strict=True)
    ]
    low = int((ranked["coverage"] < LOW_COVERAGE).sum())
    groups = len(ranked[["year", "edition_id"]].drop_duplicates())
    reading = ctx.t(
        "insights.comparison.ranking_reading", count=len(ranked), low=low, groups=groups
    )
    table = pd.DataFrame(
        {
            ctx.t("insights.rank"): ranked["rank"].astype("Int64"),
            ctx.t("mine.country"): labels,
            ctx.t("insights.overall"): ranked["score"].round(1),
            ctx.t("insights.coverage"): ranked["coverage"].apply(percent, args=(ctx.lang,)),
        }
    )
    figure = charts.score_bars(labels, ranked["score"].tolist(), texts, ctx.t("insights.overall"))
    return ChartView("ranking", figure, reading, table)


def _groups(ctx: PageContext, found: insights.Comparison) -> list[ChartView]:
    views = []
    for by, summary in (("region", found.by_region), ("language", found.by_language)):
        name = countries.region_name if by == "region" else countries.language_name
        labels = [name(str(v), ctx.lang) for v in summary[by]]
        texts = [
            f"{number(s, ctx.lang)} · n={n} · {percent(c, ctx.lang)}"
            for s, n, c in zip(
                summary["score"], summary["countries"], summary["coverage"], strict=True
            )
        ]
        reading = ctx.t(
            f"insights.comparison.{by}_reading",
            top=labels[0],
            score=number(summary["score"].iloc[0], ctx.lang),
        )
        table = pd.DataFrame(
            {
                ctx.t(f"insights.comparison.{by}"): labels,
                ctx.t("insights.countries"): summary["countries"],
                ctx.t("insights.overall"): summary["score"].round(1),
                ctx.t("insights.lowest"): summary["lowest"].round(1),
                ctx.t("insights.highest"): summary["highest"].round(1),
                ctx.t("insights.coverage"): summary["coverage"].apply(percent, args=(ctx.lang,)),
            }
        )
        figure = charts.score_bars(
            labels, summary["score"].tolist(), texts, ctx.t("insights.overall")
        )
        views.append(ChartView(f"by-{by}", figure, reading, table))
    return views


def _distribution(ctx: PageContext, found: insights.Comparison) -> ChartView:
    spread = found.distribution
    # dimensions pooled across countries: named in the words of the latest year's edition
    latest = found.countries.sort_values(["year", "edition_id"])["edition_id"].iloc[-1]
    titles = node_titles(ctx.session, latest, ctx.lang)
    everywhere = spread[spread["weak_share"] >= WEAK_EVERYWHERE]
    reading = ctx.t(
        "insights.comparison.distribution_reading",
        count=len(everywhere),
        weakest=spread["dimension_id"].iloc[0],
        share=percent(spread["weak_share"].iloc[0], ctx.lang),
    )
    shown = spread.head(20)
    table = spread.assign(weak_share=spread["weak_share"].apply(percent, args=(ctx.lang,))).rename(
        columns={
            "dimension_id": ctx.t("review.dimension"),
            "weak_share": ctx.t("insights.comparison.weak_share"),
        }
    )
    labels = [label(d, titles, 40) for d in shown["dimension_id"]]
    return ChartView("distribution", charts.stacked_grades(shown, labels), reading, table)


def _peers(
    ctx: PageContext, found: insights.Comparison, names: dict[str, str], country: str
) -> ChartView:
    peers = found.peers(country)
    above = int((peers["difference"] > 0).sum())
    reading = ctx.t(
        "insights.comparison.peer_reading", country=names[country], above=above, total=len(peers)
    )
    table = pd.DataFrame(
        {
            ctx.t("insights.goal"): peers["goal_id"].astype(object),
            names[country]: peers["score"].round(1),
            ctx.t("insights.coverage"): peers["coverage"].apply(percent, args=(ctx.lang,)),
            ctx.t("insights.comparison.peer_median"): peers["peer_median"].round(1),
            ctx.t("insights.lowest"): peers["peer_lowest"].round(1),
            ctx.t("insights.highest"): peers["peer_highest"].round(1),
        }
    )
    figure = charts.peer_range(
        peers["goal_id"].astype(object).tolist(),
        peers["score"].tolist(),
        peers["peer_median"].tolist(),
        peers["peer_lowest"].tolist(),
        peers["peer_highest"].tolist(),
        (names[country], ctx.t("insights.comparison.peer_median")),
    )
    return ChartView("peers", figure, reading, table)


def views(ctx: PageContext, found: insights.Comparison, peer: str | None) -> list[ChartView]:
    """Every chart of the page for this comparison, in the page's language; a comparison never
    changes for its key, so neither do its charts, which are kept for the next visitor."""
    key = (found.key, ctx.lang, peer)
    kept = VIEWS.get(key)
    if kept is None:
        names = _names(ctx, found)
        kept = [
            _heatmap(ctx, found, names),
            _ranking(ctx, found, names),
            *_groups(ctx, found),
            _distribution(ctx, found),
        ]
        if peer is not None:
            kept.append(_peers(ctx, found, names, peer))
        VIEWS.put(key, kept)
    return kept


def _names(ctx: PageContext, found: insights.Comparison) -> dict[str, str]:
    """Each country's name, marked when the assessment compared is demo data."""
    shown = found.countries
    flags = shown["is_demo"] if "is_demo" in shown.columns else [False] * len(shown)
    return {
        country: f"{name}{demo_mark(ctx, is_demo)}"
        for country, name, is_demo in zip(
            shown["country"], shown["country_name"], flags, strict=True
        )
    }


def render(ctx: PageContext) -> None:
    """Draw the page."""
    st.title(ctx.t("insights.comparison.heading"))
    st.caption(ctx.t("insights.comparison.index_note"))
    year = _choose_year(ctx)
    found = insights.comparison(ctx.session, ctx.actor, ctx.lang, year)
    if found.overall.empty:
        st.info(ctx.t("insights.nothing_scored"))
        return
    names = _names(ctx, found)
    demo_warning(ctx, int(found.countries["is_demo"].sum()))
    peer = None
    if len(names) > 1:
        peer = st.selectbox(
            ctx.t("insights.comparison.peers"),
            list(names),
            format_func=names.get,
            key="comparison-peer",
        )
    for view in views(ctx, found, peer):
        if view.key == "peers":
            st.header(ctx.t("insights.comparison.peers"))
        show(ctx, view)
