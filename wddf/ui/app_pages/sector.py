"""The sector data sheet of an assessment: the figures (with their source and year) and the
statements the country report gives beside the grades, each saved on its own, typed in the
user's language, and read by everyone who may read the assessment."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wddf.i18n import day, number
from wddf.services.process import sector_data
from wddf.services.process.sector_data import Entry, Figure
from wddf.services.records import Record
from wddf.ui.components import feedback
from wddf.ui.components.insight import assessment_page
from wddf.ui.components.workflow import process_writer
from wddf.ui.context import PageContext


def _form(ctx: PageContext, assessment: Record, figure: Figure) -> None:
    key = figure.item.key
    name = f"sector-{assessment.id}-{key}"
    seen = feedback.shown_before(f"{name}-seen", figure.version)
    with st.form(feedback.form_key(name)):
        label = ctx.t(f"sector.item.{key}")
        if figure.item.kind == "text":
            value = st.text_area(
                label, value=figure.text, key=feedback.form_key(name, f"{name}-value")
            )
        else:
            value = st.text_input(
                label,
                value=sector_data.written(figure, ctx.lang),
                key=feedback.form_key(name, f"{name}-value"),
            )
        left, right = st.columns([3, 1])
        source = left.text_input(
            ctx.t("sector.source"),
            value=figure.source,
            key=feedback.form_key(name, f"{name}-source"),
        )
        year = right.text_input(
            ctx.t("sector.year"),
            value="" if figure.year is None else str(figure.year),
            key=feedback.form_key(name, f"{name}-year"),
        )
        if figure.version:
            st.caption(_saved_by(ctx, figure))
        if not st.form_submit_button(ctx.t("sector.save")):
            return
    entry = Entry(key, value, source, year)
    ctx.apply(
        lambda s: sector_data.save(s, ctx.actor, assessment.id, entry, seen, ctx.lang),
        "sector-page",
        ctx.t("sector.saved"),
        form=name,
    )


def _saved_by(ctx: PageContext, figure: Figure) -> str:
    when = day(figure.at.date(), ctx.lang) if figure.at else "–"
    return ctx.t("sector.saved_by", version=figure.version, by=figure.by or "?", day=when)


def _table(ctx: PageContext, figures: list[Figure]) -> None:
    rows = [
        (ctx.t(f"sector.item.{f.item.key}"), sector_data.written(f, ctx.lang), f.source, f.year)
        for f in figures
        if not f.is_empty
    ]
    columns = [ctx.t(f"sector.{c}") for c in ("item", "value", "source", "year")]
    frame = pd.DataFrame(rows, columns=columns)
    st.dataframe(frame, hide_index=True, use_container_width=True)


def render(ctx: PageContext) -> None:
    """Draw the page."""
    assessment = assessment_page(ctx, "sector", "sector-assessment", intro=False, notes="sector")
    if assessment is None:
        return
    st.caption(ctx.t("sector.intro", example=number(1250000, ctx.lang, 0)))
    figures = sector_data.sheet(ctx.session, ctx.actor, assessment.id)
    if not process_writer(ctx, assessment):
        _table(ctx, figures)
        return
    for heading, kinds in (
        ("sector.figures", ("count", "amount")),
        ("sector.statements", ("text",)),
    ):
        st.header(ctx.t(heading))
        for figure in figures:
            if figure.item.kind in kinds:
                _form(ctx, assessment, figure)
