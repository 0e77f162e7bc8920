"""The entry page: one policy goal at a time, every answer saved as it is given.

The URL holds the assessment and the goal (``?assessment=12&goal=WD3``), so a refresh comes
back to the same place.
"""

from __future__ import annotations

import streamlit as st

from wddf.domain import EDITABLE, Action, Status
from wddf.services import assessments, countries, evidence, workflow
from wddf.services.editions import get_edition
from wddf.services.errors import NotFound, ServiceError
from wddf.storage.tables import Assessment
from wddf.ui.components.answer_card import answer_card
from wddf.ui.components.offline_panel import offline_panel
from wddf.ui.components.text import plain
from wddf.ui.context import PageContext


def _assessment(ctx: PageContext) -> Assessment | None:
    raw = st.query_params.get("assessment")
    if raw is None or not raw.isdigit():
        st.info(ctx.t("entry.choose"))
        return None
    try:
        return assessments.get(ctx.session, ctx.actor, int(raw))
    except NotFound:
        st.error(ctx.t("entry.not_found"))
        return None


def _goal(ctx: PageContext, edition, graded_ids: set[str]):
    by_id = {g.id: g for g in edition.goals}
    wanted = st.query_params.get("goal")
    if st.session_state.get("entry-goal") not in by_id:
        st.session_state["entry-goal"] = wanted if wanted in by_id else edition.goals[0].id

    def label(goal_id: str) -> str:
        dims = [d.id for i in by_id[goal_id].indicators for d in i.dimensions]
        done = ctx.t("entry.goal_progress", graded=len(graded_ids & set(dims)), total=len(dims))
        return f"{goal_id} · {by_id[goal_id].title[ctx.lang]} ({done})"

    st.selectbox(ctx.t("entry.goal"), list(by_id), key="entry-goal", format_func=label)
    st.query_params["goal"] = st.session_state["entry-goal"]
    return by_id[st.session_state["entry-goal"]]


def _checklist(ctx: PageContext, assessment: Assessment) -> None:
    missing = workflow.missing_items(ctx.session, assessment)
    with st.expander(f"{ctx.t('entry.checklist')} ({len(missing)})", expanded=False):
        if not missing:
            st.success(ctx.t("entry.complete"))
        for item in missing[:80]:
            st.markdown(f"- {ctx.t('entry.missing.' + item.problem, dimension=item.dimension_id)}")
    if Action.SUBMIT in workflow.allowed_actions(ctx.actor, assessment) and st.button(
        ctx.t("entry.submit"), type="primary", disabled=bool(missing), key="submit"
    ):
        try:
            with ctx.write() as session:
                workflow.transition(session, ctx.actor, assessment.id, Action.SUBMIT)
            st.success(ctx.t("entry.submitted"))
            st.rerun()
        except ServiceError as exc:
            ctx.error(exc)


def _comments(ctx: PageContext, assessment: Assessment) -> None:
    notes = workflow.comments(ctx.session, ctx.actor, assessment.id)
    open_notes = [c for c in notes if not c.resolved]
    if open_notes:
        with st.container(border=True, key="comments"):
            st.markdown(f"**{ctx.t('entry.comments')}**")
            for note in open_notes:
                where = f"{note.dimension_id}: " if note.dimension_id else ""
                st.markdown(f"- {plain(where + note.body)}")


def render(ctx: PageContext) -> None:
    """Draw the page."""
    assessment = _assessment(ctx)
    if assessment is None:
        return
    st.query_params["assessment"] = str(assessment.id)
    edition = get_edition(ctx.session, assessment.edition_id)
    group = ctx.actor.answer_group
    given = {
        a.dimension_id: a for a in assessments.answers(ctx.session, ctx.actor, assessment.id, group)
    }
    last, last_answers = assessments.previous(ctx.session, ctx.actor, assessment)
    files: dict[str, list] = {}
    for item in evidence.files(ctx.session, ctx.actor, assessment.id):
        files.setdefault(item.dimension_id, []).append(item)
    name = countries.country_name(assessment.country, ctx.lang)
    st.title(f"{name} · {assessment.year}")
    status = Status(assessment.status)
    st.caption(f"{ctx.t('status.' + status.value)} · {assessment.edition_id}")
    if assessment.is_demo:
        st.warning(ctx.t("mine.demo"))
    editable = status in EDITABLE
    if not editable:
        st.info(ctx.t("entry.read_only", status=ctx.t("status." + status.value)))
    _comments(ctx, assessment)
    graded = {d for d, a in given.items() if a.grade}
    goal = _goal(ctx, edition, graded)
    st.header(plain(f"{goal.id} · {goal.title[ctx.lang]}"))
    for indicator in goal.indicators:
        st.subheader(plain(f"{indicator.id} · {indicator.title[ctx.lang]}"))
        for dim in indicator.dimensions:
            previous = (
                (last.year, last_answers[dim.id]) if last and dim.id in last_answers else None
            )
            answer_card(
                ctx,
                assessment.id,
                dim,
                given.get(dim.id),
                previous,
                editable,
                group,
                files.get(dim.id, []),
            )
    offline_panel(ctx, assessment, editable)
    if editable:
        _checklist(ctx, assessment)
