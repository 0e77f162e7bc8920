"""Panel agreement: how far the stakeholder groups' grades lie apart, dimension by dimension;
for all dimensions, one panel's, or those one of its sessions discussed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wddf.domain import LETTER_OF_VALUE
from wddf.i18n import day, percent
from wddf.services.editions import node_titles
from wddf.services.process import panels
from wddf.services.scores import insights
from wddf.ui import charts
from wddf.ui.components.insight import assessment_page, chart, label
from wddf.ui.context import PageContext

SHOWN = 15


def _panel_filter(ctx: PageContext, assessment_id: int) -> set[str] | None:
    """The dimensions of the panel, or of one of its sessions, the user chose; None for all."""
    found = {p.id: p for p in panels.of_assessment(ctx.session, ctx.actor, assessment_id)}
    if not found:
        return None
    left, right = st.columns(2)
    panel_id = left.selectbox(
        ctx.t("insights.agreement.panel"),
        [None, *found],
        key="agreement-panel",
        format_func=lambda p: (
            ctx.t("insights.agreement.all_panels") if p is None else found[p].name
        ),
    )
    if panel_id is None:
        return None
    sessions = {s.id: s for s in found[panel_id].sessions}
    session_id = right.selectbox(
        ctx.t("insights.agreement.session"),
        [None, *sessions],
        key="agreement-session",
        format_func=lambda s: (
            ctx.t("insights.agreement.all_sessions")
            if s is None
            else ctx.t(
                "panels.session_of",
                day=day(sessions[s].held_on, ctx.lang),
                place=sessions[s].place or "–",
            )
        ),
    )
    return panels.dimensions_of(ctx.session, ctx.actor, panel_id, session_id)


def render(ctx: PageContext) -> None:
    """Draw the page."""
    assessment = assessment_page(ctx, "insights.agreement", "agreement-assessment")
    if assessment is None:
        return
    found = insights.agreement(ctx.session, ctx.actor, assessment.id)
    if found.empty:
        st.info(ctx.t("insights.agreement.none"))
        return
    chosen = _panel_filter(ctx, assessment.id)
    if chosen is not None:
        found = found[found["dimension_id"].isin(chosen)]
        if found.empty:
            st.info(ctx.t("insights.agreement.none_here"))
            return
    titles = node_titles(ctx.session, assessment.edition_id, ctx.lang)
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
