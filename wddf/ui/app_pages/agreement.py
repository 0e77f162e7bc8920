"""Panel agreement: how far the stakeholder groups' grades lie apart, dimension by dimension."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wddf.domain import LETTER_OF_VALUE
from wddf.i18n import percent
from wddf.services import insights
from wddf.services.editions import node_titles
from wddf.ui import charts
from wddf.ui.components.insight import chart, choose_assessment, label
from wddf.ui.context import PageContext

SHOWN = 15


def render(ctx: PageContext) -> None:
    """Draw the page."""
    st.title(ctx.t("insights.agreement.heading"))
    st.caption(ctx.t("insights.agreement.intro"))
    item = choose_assessment(ctx, "agreement-assessment")
    if item is None:
        return
    found = insights.agreement(ctx.session, ctx.actor, item.id)
    if found.empty:
        st.info(ctx.t("insights.agreement.none"))
        return
    titles = node_titles(ctx.session, {item.edition_id}, ctx.lang)
    disputed = int((found["spread"] >= 2).sum())
    reading = ctx.t("insights.agreement.reading", count=len(found), disputed=disputed)
    shown = found.head(SHOWN)
    labels = [label(d, titles, 45) for d in shown["dimension_id"]]
    texts = [
        f"{s:g} · {percent(m, ctx.lang)}"
        for s, m in zip(shown["spread"], shown["modal_share"], strict=True)
    ]
    figure = charts.score_bars(
        labels, shown["spread"].tolist(), texts, ctx.t("insights.agreement.spread"), top=3
    )
    table = pd.DataFrame(
        {
            ctx.t("review.dimension"): [f"{d} · {titles.get(d, d)}" for d in found["dimension_id"]],
            ctx.t("insights.agreement.groups"): found["n_groups"],
            ctx.t("insights.lowest"): found["lowest"].map(LETTER_OF_VALUE),
            ctx.t("insights.highest"): found["highest"].map(LETTER_OF_VALUE),
            ctx.t("insights.agreement.spread"): found["spread"].astype(int),
            ctx.t("insights.agreement.agreement"): found["agreement"].apply(
                percent, args=(ctx.lang,)
            ),
            ctx.t("insights.agreement.modal_share"): found["modal_share"].apply(
                percent, args=(ctx.lang,)
            ),
            ctx.t("insights.agreement.consensus"): found["consensus"],
        }
    )
    chart(ctx, "agreement", figure, reading, table)
