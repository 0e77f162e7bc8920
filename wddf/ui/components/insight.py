"""Pieces every insight page shares: choosing an assessment or a country, and showing a chart
with its one-line reading and its data-table twin."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from wddf.i18n import separators
from wddf.services import countries
from wddf.services.answers import assessments
from wddf.services.records import Record
from wddf.ui.components import feedback
from wddf.ui.components.text import plain
from wddf.ui.context import PageContext
from wddf.ui.url import url_id


def label(node_id: str, titles: dict[str, str], width: int = 40) -> str:
    """``id · title``, cut at a word boundary with an ellipsis when longer than ``width``."""
    text = f"{node_id} · {titles[node_id]}" if node_id in titles else node_id
    if len(text) <= width:
        return text
    return text[: width - 1].rsplit(" ", 1)[0] + "…"


def demo_mark(ctx: PageContext, is_demo: object) -> str:
    """`` · DEMO`` after what names a demo assessment (a country in a comparison, a year in a
    country's progress), nothing for a real one: demo figures never pass as results."""
    return f" · {ctx.t('export.demo_mark')}" if bool(is_demo) else ""


def demo_warning(ctx: PageContext, count: int) -> None:
    """Above a page that shows ``count`` demo assessments among its figures: what the mark means."""
    if count:
        st.warning(ctx.t("insights.demo_shown", count=count), icon=":material/science:")


def assessment_label(ctx: PageContext, assessment: Record) -> str:
    """Country · year · status (· demo)."""
    demo = f" · {ctx.t('mine.demo')}" if assessment.is_demo else ""
    name = countries.country_name(assessment.country, ctx.lang)
    return f"{name} · {assessment.year} · {ctx.t('status.' + assessment.status)}{demo}"


def choose_assessment(
    ctx: PageContext,
    key: str,
    items: list[Record] | None = None,
    empty: str = "insights.no_assessment",
) -> Record | None:
    """A select box of assessments (default: all the actor may read), remembered in the URL's
    ``assessment`` parameter; None (with a note) when there is none. An assessment the address
    names that is not among them (or an odd value) is said to be not found, and the newest is
    shown."""
    if items is None:
        items = assessments.visible(ctx.session, ctx.actor)
    if not items:
        st.info(ctx.t(empty))
        return None
    by_id = {a.id: a for a in items}
    wanted = url_id("assessment")
    if st.session_state.get(key) not in by_id:
        newest = max(items, key=lambda a: (a.year, a.id)).id
        st.session_state[key] = wanted.value if wanted.value in by_id else newest
        if wanted.given and wanted.value not in by_id:
            st.warning(ctx.t("entry.not_found"))
    st.selectbox(
        ctx.t("review.choose"),
        list(by_id),
        key=key,
        format_func=lambda a: assessment_label(ctx, by_id[a]),
    )
    st.query_params["assessment"] = str(st.session_state[key])
    return by_id[st.session_state[key]]


def assessment_page(
    ctx: PageContext,
    texts: str,
    chooser: str,
    *,
    intro: bool = True,
    notes: str | None = None,
    items: list[Record] | None = None,
    empty: str = "insights.no_assessment",
) -> Record | None:
    """The opening every page about one assessment shares: its title (``<texts>.heading``) and
    introduction (``<texts>.intro``), the assessment chooser (its widget key ``chooser``;
    ``choose_assessment``) and, for a page whose notes start with ``notes``, the confirmation
    kept for ``<notes>-page``. None when there is no assessment to show."""
    st.title(ctx.t(f"{texts}.heading"))
    if intro:
        st.caption(ctx.t(f"{texts}.intro"))
    if notes is not None:
        feedback.scope(notes)
    assessment = choose_assessment(ctx, chooser, items, empty)
    if assessment is not None and notes is not None:
        feedback.show_note(f"{notes}-page")
    return assessment


def choose_country(ctx: PageContext, key: str) -> str | None:
    """A select box of the countries the actor may read, remembered in the URL's ``country``."""
    codes = sorted({a.country for a in assessments.readable_keys(ctx.session, ctx.actor)})
    if not codes:
        st.info(ctx.t("insights.no_assessment"))
        return None
    wanted = st.query_params.get("country")
    if st.session_state.get(key) not in codes:
        st.session_state[key] = wanted if wanted in codes else codes[0]
    st.selectbox(
        ctx.t("mine.country"),
        codes,
        key=key,
        format_func=lambda c: countries.country_label(c, ctx.lang),
    )
    st.query_params["country"] = st.session_state[key]
    return st.session_state[key]


@dataclass(frozen=True)
class ChartView:
    """Everything one chart shows: the figure, its reading and its data-table twin."""

    key: str
    figure: go.Figure
    reading: str
    table: pd.DataFrame


def chart(ctx: PageContext, key: str, figure: go.Figure, reading: str, table: pd.DataFrame) -> None:
    """A chart, its reading in one plain sentence, and the same figures as a table."""
    show(ctx, ChartView(key, figure, reading, table))


def show(ctx: PageContext, view: ChartView) -> None:
    """Draw a chart view, its numbers written the page language's way."""
    view.figure.update_layout(separators=separators(ctx.lang))
    with st.container(key=f"chart-{view.key}"):
        st.markdown(f"**{plain(view.reading)}**")
        st.plotly_chart(view.figure, key=f"figure-{view.key}", config={"displaylogo": False})
        with st.expander(ctx.t("insights.data_table")):
            st.dataframe(view.table, hide_index=True, key=f"table-{view.key}")
