"""My assessments: the list with status and progress, and a form to start a new one."""

from __future__ import annotations

from datetime import date

import streamlit as st

from wddf.domain import Role, Status
from wddf.services import countries
from wddf.services.answers import assessments, carry_over
from wddf.services.editions import all_editions
from wddf.ui.components.feedback import acted, form_key
from wddf.ui.components.whats_new import whats_new
from wddf.ui.context import PageContext


def _create_form(ctx: PageContext) -> None:
    actor = ctx.actor
    codes = [c.iso3 for c in countries.countries(ctx.session)]
    if actor.role is Role.FOCAL_POINT:
        codes = [actor.country]
    editions = all_editions(ctx.session)
    with st.form(form_key("new-assessment")):
        st.header(ctx.t("mine.new"))
        country = st.selectbox(
            ctx.t("mine.country"),
            codes,
            key=form_key("new-assessment", "new-country"),
            format_func=lambda c: countries.country_label(c, ctx.lang),
        )
        year = st.number_input(
            ctx.t("mine.year"),
            2000,
            2100,
            date.today().year,
            key=form_key("new-assessment", "new-year"),
        )
        edition_id = st.selectbox(
            ctx.t("mine.edition"),
            sorted(editions),
            index=len(editions) - 1,
            key=form_key("new-assessment", "new-edition"),
        )
        carry = st.checkbox(
            ctx.t("mine.from_last_year"), key=form_key("new-assessment", "new-carry")
        )
        if not st.form_submit_button(ctx.t("mine.create"), type="primary"):
            return
    with ctx.attempt() as done, ctx.write() as session:
        start = carry_over.create_from_last_year if carry else assessments.create
        made = start(session, actor, country, int(year), edition_id)
    if not done:
        return
    acted("new-assessment")
    page, query = ctx.link("entry", assessment=made.id)
    st.switch_page(page, query_params=query)


def _filters(ctx: PageContext, visible: list) -> list:
    """Country, year and status filters over the list; empty filters keep everything."""
    if len(visible) < 2:
        return visible
    left, middle, right = st.columns(3)
    codes = sorted({a.country for a in visible})
    chosen_countries = left.multiselect(
        ctx.t("mine.country"),
        codes,
        key="mine-countries",
        format_func=lambda c: countries.country_name(c, ctx.lang),
        placeholder=ctx.t("mine.all"),
    )
    years = middle.multiselect(
        ctx.t("mine.year"),
        sorted({a.year for a in visible}, reverse=True),
        key="mine-years",
        placeholder=ctx.t("mine.all"),
    )
    statuses = right.multiselect(
        ctx.t("mine.status"),
        [s.value for s in Status if any(a.status == s.value for a in visible)],
        key="mine-statuses",
        format_func=lambda s: ctx.t("status." + s),
        placeholder=ctx.t("mine.all"),
    )
    return [
        a
        for a in visible
        if (not chosen_countries or a.country in chosen_countries)
        and (not years or a.year in years)
        and (not statuses or a.status in statuses)
    ]


def render(ctx: PageContext) -> None:
    """Draw the page."""
    st.title(ctx.t("mine.heading"))
    whats_new(ctx)  # open when something is unread
    visible = assessments.visible(ctx.session, ctx.actor)
    done = assessments.progress(ctx.session, ctx.actor, visible, ctx.actor.answer_group)
    if not visible:
        st.info(ctx.t("mine.none"))
    shown = _filters(ctx, visible)
    if visible and not shown:
        st.info(ctx.t("mine.none_matching"))
    for assessment in shown:
        graded, total = done[assessment.id]
        with st.container(border=True, key=f"assessment-{assessment.id}"):
            left, middle, right = st.columns([3, 2, 1])
            name = countries.country_name(assessment.country, ctx.lang)
            demo = f" · **{ctx.t('mine.demo')}**" if assessment.is_demo else ""
            left.markdown(f"**{name}** · {assessment.year} · `{assessment.edition_id}`{demo}")
            status = ctx.t("status." + assessment.status)
            label = f"{status} · {ctx.t('mine.progress')} {graded}/{total}"
            middle.progress(graded / total if total else 0.0, text=label)
            page, query = ctx.link("entry", assessment=assessment.id)
            right.page_link(page, label=ctx.t("mine.open"), query_params=query)
    if ctx.actor.role in (Role.FOCAL_POINT, Role.ADMIN):
        _create_form(ctx)
