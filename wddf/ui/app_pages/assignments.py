"""Assignments: what is given to me, with progress and what is late; the board of an
assessment by state, which its focal point changes and reviewers read."""

from __future__ import annotations

import streamlit as st

from wddf.domain import ASSIGNMENT_STATES, ASSIGNMENT_TASKS, Role
from wddf.i18n import day
from wddf.services import countries
from wddf.services.answers import assessments
from wddf.services.editions import get_edition, node_titles
from wddf.services.process import assignments
from wddf.services.process.assignments import AssignmentState
from wddf.services.records import Record
from wddf.ui.components import feedback
from wddf.ui.components.dates import window_date
from wddf.ui.components.feedback import form_key
from wddf.ui.components.insight import choose_assessment
from wddf.ui.components.text import plain
from wddf.ui.components.workflow import process_writer
from wddf.ui.context import PageContext


def _line(ctx: PageContext, s: AssignmentState, titles: dict[str, str]) -> str:
    """One of the actor's own assignments, as a line a person reads."""
    where = f"{countries.country_name(s.country, ctx.lang)} {s.year}"
    state = ctx.t(f"assign.state.{s.state}")
    return ctx.t(
        "assign.line",
        node=plain(f"{s.node_id} · {titles.get(s.node_id, '')}"),
        assessment=where,
        task=ctx.t(f"assign.task.{s.task}"),
        day=day(s.due_on, ctx.lang),
        graded=s.graded,
        total=s.total,
        state=f":red[{state}]" if s.state == "late" else state,
    )


def _mine(ctx: PageContext) -> None:
    st.header(ctx.t("assign.mine"))
    states = assignments.mine(ctx.session, ctx.actor)
    if not states:
        st.caption(ctx.t("assign.mine_none"))
        return
    late = sum(1 for s in states if s.state == "late")
    reading = ctx.t("assign.mine_reading", count=len(states), late=late)
    (st.warning if late else st.markdown)(reading)
    editions = {s.assessment_id: _edition_of(ctx, s.assessment_id) for s in states}
    titles = {e: node_titles(ctx.session, e, ctx.lang) for e in set(editions.values())}
    for state in states:
        with st.container(border=True, key=f"mine-{state.id}"):
            left, right = st.columns([5, 1])  # each node in its own assessment's edition's words
            left.markdown(_line(ctx, state, titles[editions[state.assessment_id]]))
            goal = state.node_id.split(".")[0]
            page, query = ctx.link("entry", assessment=state.assessment_id, goal=goal)
            right.page_link(page, label=ctx.t("mine.open"), query_params=query)


def _edition_of(ctx: PageContext, assessment_id: int) -> str:
    return assessments.view(ctx.session, ctx.actor, assessment_id).edition_id


def _board(ctx: PageContext, assessment: Record, titles: dict[str, str]) -> None:
    st.header(ctx.t("assign.board"))
    states = assignments.board(ctx.session, ctx.actor, assessment.id)
    if not states:
        st.caption(ctx.t("assign.board_none"))
    columns = st.columns(len(ASSIGNMENT_STATES))
    for column, state in zip(columns, ASSIGNMENT_STATES, strict=True):
        shown = [s for s in states if s.state == state]
        column.markdown(f"**{ctx.t(f'assign.state.{state}')} ({len(shown)})**")
        for s in shown:
            column.markdown(
                f"{plain(s.node_id)} · {plain(s.person)}  \n"
                f"{ctx.t('assign.due_short', day=day(s.due_on, ctx.lang))} · {s.graded}/{s.total}"
            )
    if process_writer(ctx, assessment):
        _assign_form(ctx, assessment, titles)
        if states:
            _remove_form(ctx, states)


def _assign_form(ctx: PageContext, assessment: Record, titles: dict[str, str]) -> None:
    edition = get_edition(ctx.session, assessment.edition_id)
    nodes = [n for g in edition.goals for n in (g.id, *(i.id for i in g.indicators))]
    people = {u.id: u for u in assignments.assignable(ctx.session, ctx.actor, assessment.id)}
    with st.form(form_key("assign-form")):  # kept as typed after a refusal; anew after a success
        st.markdown(f"**{ctx.t('assign.add')}**")
        node = st.selectbox(
            ctx.t("assign.node"),
            nodes,
            key=form_key("assign-form", "assign-node"),
            format_func=lambda n: f"{n} · {titles.get(n, '')}",
        )
        chosen = st.multiselect(
            ctx.t("assign.people"),
            list(people),
            key=form_key("assign-form", "assign-people"),
            placeholder=ctx.t("insights.choose"),
            format_func=lambda u: (
                f"{people[u].display_name or people[u].username}"
                f" ({ctx.t('role.' + people[u].role)})"
            ),
        )
        task = st.selectbox(
            ctx.t("assign.task"),
            ASSIGNMENT_TASKS,
            key=form_key("assign-form", "assign-task"),
            format_func=lambda v: ctx.t(f"assign.task.{v}"),
        )
        due = window_date(
            ctx, ctx.t("assign.due"), assessment.year, form_key("assign-form", "assign-due")
        )
        if not st.form_submit_button(ctx.t("assign.add_button"), type="primary"):
            return
    ctx.apply(
        lambda s: assignments.assign(s, ctx.actor, assessment.id, node, chosen, task, due),
        "assignments",
        ctx.t("assign.added", count=len(chosen)),
        "assign-form",
    )


def _remove_form(ctx: PageContext, states: list[AssignmentState]) -> None:
    by_id = {s.id: s for s in states}
    with st.form("assign-remove"):
        chosen = st.selectbox(
            ctx.t("assign.remove"),
            list(by_id),
            key="assign-remove-id",
            format_func=lambda i: f"{by_id[i].node_id} · {by_id[i].person}",
        )
        if not st.form_submit_button(ctx.t("assign.remove_button")):
            return
    ctx.apply(
        lambda s: assignments.unassign(s, ctx.actor, chosen),
        "assignments",
        ctx.t("assign.removed"),
    )


def render(ctx: PageContext) -> None:
    """Draw the page."""
    st.title(ctx.t("assign.heading"))
    feedback.scope("assignments")
    feedback.show_note("assignments")
    if ctx.actor.role in (Role.FOCAL_POINT, Role.PANELIST):
        _mine(ctx)
    if ctx.actor.role is Role.PANELIST:
        return
    assessment = choose_assessment(ctx, "assign-assessment")
    if assessment is None:
        return
    titles = node_titles(ctx.session, assessment.edition_id, ctx.lang)
    _board(ctx, assessment, titles)
