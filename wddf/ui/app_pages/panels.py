"""Panels and sessions: the thematic panels of an assessment with their members, the sessions
they held (attendees, dimensions discussed, decisions, minutes, members' own notes). The
country's focal point records them; members write their own notes; everyone who may read the
assessment reads them. The validation workshop has its own page (``workshop``)."""

from __future__ import annotations

import streamlit as st

from wddf.domain import STAKEHOLDER_GROUPS
from wddf.i18n import day
from wddf.services.editions import get_edition, node_titles
from wddf.services.process import assignments, panels, process_rules
from wddf.services.process.panels import Guest, SessionRecord
from wddf.services.records import Record
from wddf.ui.components.dates import window_date
from wddf.ui.components.feedback import form_key
from wddf.ui.components.insight import assessment_page
from wddf.ui.components.people import people_table
from wddf.ui.components.text import plain
from wddf.ui.components.workflow import process_writer
from wddf.ui.context import PageContext


def _members(ctx: PageContext, panel: Record) -> None:
    if not panel.members:
        st.caption(ctx.t("panels.no_members"))
        return
    people_table(ctx, panel.members, f"panel-members-{panel.id}")


def _session(ctx: PageContext, panel: Record, held: Record, is_open: bool) -> None:
    names = {m.id: m.name for m in panel.members}
    present = [names.get(a.member_id, "?") for a in held.attendees if a.member_id]
    guests = [f"{a.guest} ({a.guest_institution})" for a in held.attendees if not a.member_id]
    when = day(held.held_on, ctx.lang)
    st.markdown(f"**{ctx.t('panels.session_of', day=when, place=plain(held.place) or '–')}**")
    st.markdown(ctx.t("panels.present", names=plain(", ".join(present + guests)) or "–"))
    st.markdown(ctx.t("panels.discussed", dimensions=held.dimensions or "–"))
    if held.decisions:
        st.text(held.decisions)
    if held.minutes:
        with st.expander(ctx.t("panels.minutes")):
            st.text(held.minutes)
    for note in held.notes:
        author = next((m.name for m in panel.members if m.user_id == note.author_id), "?")
        st.caption(plain(f"{author}: {note.body}"))
    if is_open and any(m.user_id == ctx.actor.id for m in panel.members):
        _note_form(ctx, held)


def _note_form(ctx: PageContext, held: Record) -> None:
    mine = next((n.body for n in held.notes if n.author_id == ctx.actor.id), "")
    with st.form(f"note-{held.id}"):
        body = st.text_area(ctx.t("panels.my_note"), value=mine, key=f"note-body-{held.id}")
        if not st.form_submit_button(ctx.t("panels.save_note")):
            return
    with ctx.attempt() as done, ctx.write() as session:
        panels.write_note(session, ctx.actor, held.id, body)
    if not done:
        return
    st.rerun()


def _new_panel_form(ctx: PageContext, assessment: Record, titles: dict[str, str]) -> None:
    goals = [g.id for g in get_edition(ctx.session, assessment.edition_id).goals]
    with st.form(form_key("panel-new")):  # kept as typed after a refusal; anew after a success
        st.markdown(f"**{ctx.t('panels.new')}**")
        name = st.text_input(ctx.t("panels.name"), key=form_key("panel-new", "panel-name"))
        chosen = st.multiselect(
            ctx.t("panels.goals"),
            goals,
            key=form_key("panel-new", "panel-goals"),
            placeholder=ctx.t("insights.choose"),
            format_func=lambda g: f"{g} · {titles.get(g, '')}",
        )
        if not st.form_submit_button(ctx.t("panels.create"), type="primary"):
            return
    _apply(
        ctx,
        lambda s: panels.create(s, ctx.actor, assessment.id, name, chosen),
        "panels.created",
        "panel-new",
    )


def _member_form(ctx: PageContext, assessment: Record, panel: Record) -> None:
    accounts = {u.id: u for u in assignments.assignable(ctx.session, ctx.actor, assessment.id)}
    form = f"member-{panel.id}"
    with st.form(form_key(form)):
        st.markdown(f"**{ctx.t('panels.add_member')}**")
        account = st.selectbox(
            ctx.t("panels.account"),
            [None, *accounts],
            key=form_key(form, f"member-account-{panel.id}"),
            format_func=lambda u: (
                ctx.t("panels.no_account")
                if u is None
                else accounts[u].display_name or accounts[u].username
            ),
        )
        name = st.text_input(ctx.t("panels.member"), key=form_key(form, f"member-name-{panel.id}"))
        institution = st.text_input(
            ctx.t("panels.institution"), key=form_key(form, f"member-inst-{panel.id}")
        )
        group = st.selectbox(
            ctx.t("panels.group"),
            STAKEHOLDER_GROUPS,
            key=form_key(form, f"member-group-{panel.id}"),
            format_func=lambda g: ctx.t(f"group.{g}"),
        )
        if not st.form_submit_button(ctx.t("panels.add_member_button")):
            return
    _apply(
        ctx,
        lambda s: panels.add_member(s, ctx.actor, panel.id, name, group, institution, account),
        "panels.member_added",
        form,
    )


def _session_form(ctx: PageContext, assessment: Record, panel: Record) -> None:
    edition = get_edition(ctx.session, assessment.edition_id)
    covered = set(panel.goals.split())
    dims = [d.id for g, _, d in edition.dimensions() if g.id in covered]
    members = {m.id: m.name for m in panel.members}
    form = f"session-{panel.id}"
    with st.form(form_key(form)):
        st.markdown(f"**{ctx.t('panels.record_session')}**")
        held_on = window_date(
            ctx, ctx.t("panels.date"), assessment.year, form_key(form, f"session-date-{panel.id}")
        )
        place = st.text_input(
            ctx.t("panels.place"), key=form_key(form, f"session-place-{panel.id}")
        )
        present = st.multiselect(
            ctx.t("panels.attendees"),
            list(members),
            key=form_key(form, f"session-members-{panel.id}"),
            placeholder=ctx.t("insights.choose"),
            format_func=lambda m: members[m],
        )
        guests = st.text_area(
            ctx.t("panels.guests"), key=form_key(form, f"session-guests-{panel.id}")
        )
        discussed = st.multiselect(
            ctx.t("panels.dimensions"),
            dims,
            key=form_key(form, f"session-dims-{panel.id}"),
            placeholder=ctx.t("insights.choose"),
        )
        decisions = st.text_area(
            ctx.t("panels.decisions"), key=form_key(form, f"session-decisions-{panel.id}")
        )
        minutes = st.text_area(
            ctx.t("panels.minutes"), key=form_key(form, f"session-minutes-{panel.id}")
        )
        if not st.form_submit_button(ctx.t("panels.record_button"), type="primary"):
            return
    record = SessionRecord(held_on, place, present, _guests(guests), discussed, decisions, minutes)
    _apply(
        ctx,
        lambda s: panels.record_session(s, ctx.actor, panel.id, record),
        "panels.session_recorded",
        form,
    )


def _guests(text: str) -> list[Guest]:
    """One guest per line: a name, then the institution after a comma."""
    rows = [line.split(",", 1) for line in text.splitlines() if line.strip()]
    return [Guest(row[0].strip(), row[1].strip() if len(row) > 1 else "") for row in rows]


def _apply(ctx: PageContext, change, done_key: str, form: str | None = None) -> None:
    ctx.apply(change, "panels-page", ctx.t(done_key), form)


def render(ctx: PageContext) -> None:
    """Draw the page."""
    assessment = assessment_page(ctx, "panels", "panels-assessment", notes="panels")
    if assessment is None:
        return
    titles = node_titles(ctx.session, assessment.edition_id, ctx.lang)
    writer = process_writer(ctx, assessment)
    found = panels.of_assessment(ctx.session, ctx.actor, assessment.id)
    if not found:
        st.info(ctx.t("panels.none"))
    for panel in found:
        goals = ", ".join(f"{g} {titles.get(g, '')}" for g in panel.goals.split())
        with st.expander(plain(f"{panel.name} · {goals}"), expanded=True):
            _members(ctx, panel)
            for held in panel.sessions:
                _session(ctx, panel, held, process_rules.is_open(assessment))
            if writer:
                _member_form(ctx, assessment, panel)
                _session_form(ctx, assessment, panel)
    if writer:
        _new_panel_form(ctx, assessment, titles)
