"""Consistency flags: what a reviewer should look at before accepting an assessment."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wddf.services.editions import node_titles
from wddf.services.scores import insights
from wddf.ui.components.insight import assessment_page
from wddf.ui.context import PageContext

FLAGS = ("strong_no_evidence", "jump_no_new_evidence", "na_no_reason")


def render(ctx: PageContext) -> None:
    """Draw the page."""
    assessment = assessment_page(ctx, "insights.flags", "flags-assessment")
    if assessment is None:
        return
    found = insights.flags(ctx.session, ctx.actor, assessment.id)
    counts = found["flag"].value_counts()
    columns = st.columns(len(FLAGS))
    for column, flag in zip(columns, FLAGS, strict=True):
        column.metric(ctx.t("insights.flag." + flag), int(counts.get(flag, 0)))
    if found.empty:
        st.success(ctx.t("insights.flags.none"))
        return
    titles = node_titles(ctx.session, assessment.edition_id, ctx.lang)
    st.dataframe(
        pd.DataFrame(
            {
                ctx.t("review.dimension"): [
                    f"{d} · {titles.get(d, d)}" for d in found["dimension_id"]
                ],
                ctx.t("insights.flags.flag"): found["flag"].map(
                    lambda f: ctx.t("insights.flag." + f)
                ),
                ctx.t("entry.grade"): found["grade"],
                ctx.t("insights.flags.last_time"): found["grade_before"],
                ctx.t("review.evidence"): found["evidence"],
            }
        ),
        hide_index=True,
        key="flags-table",
    )
