"""Review: submitted assessments of every country, dimension by dimension with everything that
backs each grade, the changes since the previous submission, comments, and the workflow steps."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wddf.domain import CONSENSUS, Status
from wddf.i18n import number
from wddf.services.answers import assessments, carry_over, evidence
from wddf.services.editions import get_edition
from wddf.services.records import Record
from wddf.services.review import workflow
from wddf.services.scores import insights
from wddf.ui.components.background_report import background_report
from wddf.ui.components.clock import local_moment
from wddf.ui.components.download import download
from wddf.ui.components.evidence_files import file_size
from wddf.ui.components.feedback import acted, form_key, has_note, note, scope, show_note
from wddf.ui.components.insight import assessment_page
from wddf.ui.components.text import plain
from wddf.ui.components.workflow import actions, stepper
from wddf.ui.context import PageContext


def _flags_link(ctx: PageContext, assessment: Record) -> None:
    """How many consistency flags the assessment raises, with a link to them."""
    count = len(insights.flags(ctx.session, ctx.actor, assessment.id))
    if count and "flags" in ctx.pages:
        page, query = ctx.link("flags", assessment=assessment.id)
        st.page_link(page, label=ctx.t("review.flags", count=count), query_params=query, icon="⚠️")


def _set_resolved(ctx: PageContext, where: str, comment_id: int, resolved: bool) -> None:
    with ctx.attempt(where), ctx.db.session() as session:
        workflow.set_resolved(session, ctx.acting(), comment_id, resolved)


def _comment_line(ctx: PageContext, where: str, comment: Record) -> None:
    """One comment, struck through once resolved, with the button that resolves or reopens it."""
    row = st.container(horizontal=True, vertical_alignment="center")
    mark = "~~" if comment.resolved else ""
    row.markdown(f"💬 {mark}{plain(comment.body)}{mark}")  # typed text, never markup
    label = "review.reopen_comment" if comment.resolved else "review.resolve"
    row.button(
        ctx.t(label),
        key=f"resolve-{comment.id}",
        type="tertiary",
        on_click=_set_resolved,
        args=(ctx, where, comment.id, not comment.resolved),
    )


def _changes(ctx: PageContext, assessment: Record) -> None:
    changes = workflow.changes_since_previous_submission(ctx.session, ctx.actor, assessment.id)
    st.header(ctx.t("review.changes"))
    if not changes:
        st.caption(ctx.t("review.no_changes"))
        return
    rows = [
        {
            ctx.t("review.dimension"): c.dimension_id,
            ctx.t("review.group"): ctx.t("group." + c.group),
            ctx.t("review.field"): ctx.t("review.field." + c.field),
            ctx.t("review.before"): _shown(ctx, c.field, c.before),
            ctx.t("review.after"): _shown(ctx, c.field, c.after),
        }
        for c in changes
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, use_container_width=True)


def _shown(ctx: PageContext, field: str, value: str | None) -> str:
    if value is None or value == "":
        return "–"
    return ctx.t(f"entry.confidence.{value}") if field == "confidence" else value


def _dimension(ctx: PageContext, assessment: Record, dim, facts: dict) -> None:
    """One dimension as a reviewer reads it."""
    answer = facts["answers"].get(dim.id)
    with st.container(border=True, key=f"review-{dim.id.replace('.', '_')}"):
        state = facts["carried"].get(dim.id)
        colour = {"to_confirm": "orange", "confirmed_in_bulk": "violet"}.get(state, "blue")
        badge = f" :{colour}-badge[{ctx.t('review.carried.' + state)}]" if state else ""
        st.markdown(f"**{dim.id} · {plain(dim.title[ctx.lang])}**{badge}")
        left, right = st.columns([1, 3])
        grade = answer.grade if answer and answer.grade else ctx.t("grade.none")
        left.metric(ctx.t("entry.grade"), grade)
        old = facts["last"].get(dim.id)
        if facts["last_year"] is not None:
            then = (old.grade if old else None) or ctx.t("grade.none")
            left.caption(ctx.t("review.last_year", year=facts["last_year"], grade=then))
        if answer and answer.confidence:
            level = ctx.t("entry.confidence." + answer.confidence)
            left.caption(ctx.t("review.confidence_is", level=level))
        right.markdown(f"**{ctx.t('review.justification')}**")
        right.markdown(plain(answer.justification) if answer and answer.justification else "–")
        right.markdown(f"**{ctx.t('review.evidence')}**")
        right.markdown(plain(answer.evidence) if answer and answer.evidence else "–")
        panel = facts["panels"].get(dim.id, {})
        if panel:
            grades = " · ".join(
                ctx.t("review.group_grade", group=ctx.t("group." + g), grade=v or "–")
                for g, v in sorted(panel.items())
            )
            right.caption(f"{ctx.t('review.panel_grades')} {grades}")
        for item in facts["files"].get(dim.id, []):
            row = right.container(horizontal=True, vertical_alignment="center")
            row.caption(f"📎 {plain(item.name)} · {file_size(item.size, ctx.lang)}")
            with row:
                label = ctx.t("entry.download")
                download(ctx, label, "evidence", f"evidence-{item.id}", item.name, file=item.id)
        for comment in facts["comments"].get(dim.id, []):
            _comment_line(ctx, f"review:{assessment.id}", comment)
        opened = has_note(f"review:{assessment.id}:{dim.id}")
        with st.expander(ctx.t("review.comment_here"), expanded=opened):
            _comment_form(ctx, assessment, dim.id)


def _carried(ctx: PageContext, assessment: Record) -> None:
    """How many answers were confirmed unchanged from last year, and how many of those with a
    whole goal at once, per goal: what a reviewer weighs before trusting a carried-over year."""
    counts = carry_over.confirmations(ctx.session, ctx.actor, assessment.id)
    if not counts:
        return
    st.header(ctx.t("report.h.carried"))
    confirmed, in_bulk = sum(c.confirmed for c in counts), sum(c.in_bulk for c in counts)
    st.markdown(ctx.t("report.carried.summary", count=confirmed, bulk=number(in_bulk, ctx.lang, 0)))
    rows = [
        {
            ctx.t("entry.goal"): c.goal_id,
            ctx.t("export.col.confirmed"): c.confirmed,
            ctx.t("export.col.in_bulk"): c.in_bulk,
            ctx.t("export.col.to_confirm"): c.to_confirm,
        }
        for c in counts
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True)


def _answers(ctx: PageContext, assessment: Record) -> None:
    edition = get_edition(ctx.session, assessment.edition_id)
    everything = assessments.answers(ctx.session, ctx.actor, assessment.id, group=None)
    panels: dict[str, dict[str, str | None]] = {}
    for answer in everything:
        if answer.group != CONSENSUS:
            panels.setdefault(answer.dimension_id, {})[answer.group] = answer.grade
    last, last_answers = carry_over.previous(ctx.session, ctx.actor, assessment)
    files: dict[str, list] = {}
    for item in evidence.files(ctx.session, ctx.actor, assessment.id):
        files.setdefault(item.dimension_id, []).append(item)
    comments: dict[str, list] = {}
    for comment in workflow.comments(ctx.session, ctx.actor, assessment.id):
        comments.setdefault(comment.dimension_id or "", []).append(comment)
    facts = {
        "answers": {a.dimension_id: a for a in everything if a.group == CONSENSUS},
        "carried": carry_over.states(ctx.session, ctx.actor, assessment.id),
        "panels": panels,
        "last": last_answers,
        "last_year": last.year if last else None,
        "files": files,
        "comments": comments,
    }
    st.header(ctx.t("review.answers"))
    by_id = {g.id: g for g in edition.goals}
    goal_id = st.selectbox(
        ctx.t("entry.goal"),
        list(by_id),
        key=f"review-goal-{assessment.id}",
        format_func=lambda g: f"{g} · {by_id[g].title[ctx.lang]}",
    )
    background_report(ctx, assessment, goal_id, False, files.get(goal_id, []))
    for indicator in by_id[goal_id].indicators:
        st.markdown(f"### {plain(indicator.id + ' · ' + indicator.title[ctx.lang])}")
        for dim in indicator.dimensions:
            _dimension(ctx, assessment, dim, facts)
    with st.container(key="review-whole"):
        st.header(ctx.t("review.general_comments"))
        for comment in comments.get("", []):
            _comment_line(ctx, f"review:{assessment.id}", comment)
        _comment_form(ctx, assessment, None)


def _comment_form(ctx: PageContext, assessment: Record, dimension_id: str | None) -> None:
    """A comment on one dimension (in its card) or on the whole assessment (under the answers):
    each comment sits with what it is about."""
    where = f"review:{assessment.id}:{dimension_id or 'all'}"
    show_note(where)
    form = f"comment-{assessment.id}-{(dimension_id or 'all').replace('.', '_')}"
    with st.form(form_key(form)):  # kept as typed after a refusal; anew after a success
        body = st.text_area(ctx.t("review.comment"), key=form_key(form, f"{form}-body"))
        if st.form_submit_button(ctx.t("review.add_comment")):
            with ctx.attempt() as done, ctx.write() as session:
                workflow.add_comment(session, ctx.actor, assessment.id, body, dimension_id)
            if not done:
                return
            acted(form)
            note(where, "success", ctx.t("review.comment_added"))
            st.rerun()


def _history(ctx: PageContext, assessment: Record, dims: list[str]) -> None:
    st.header(ctx.t("review.history"))
    dimension = st.selectbox(ctx.t("review.dimension"), dims, key="history-dimension")
    history = assessments.history(ctx.session, ctx.actor, assessment.id, dimension)
    rows = [
        {
            ctx.t("review.when"): local_moment(h["at"], ctx.lang),
            ctx.t("review.who"): h["user"],
            ctx.t("review.action"): ctx.t(f"review.action.{h['action']}"),
            ctx.t("review.before"): (h["old"] or {}).get("grade"),
            ctx.t("review.after"): (h["new"] or {}).get("grade"),
            ctx.t("review.justification"): (h["new"] or {}).get("justification"),
        }
        for h in history
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, use_container_width=True)


CHOOSER = "review-assessment"


def render(ctx: PageContext) -> None:
    """Draw the page."""
    # What was ever submitted; and the one in view, even once reopened as a draft, so that the
    # page stays on the assessment acted on and says what happened to it.
    shown = st.session_state.get(CHOOSER)
    submitted = [
        a
        for a in assessments.visible(ctx.session, ctx.actor)
        if a.status != Status.DRAFT or a.id == shown
    ]
    assessment = assessment_page(
        ctx, "review", CHOOSER, intro=False, items=submitted, empty="review.none"
    )
    if assessment is None:
        return
    scope(f"review:{assessment.id}")
    stepper(ctx, assessment)
    actions(ctx, assessment, f"review:{assessment.id}:workflow")
    _flags_link(ctx, assessment)
    dims = [d.id for _, _, d in get_edition(ctx.session, assessment.edition_id).dimensions()]
    _changes(ctx, assessment)
    _carried(ctx, assessment)
    _answers(ctx, assessment)
    _history(ctx, assessment, dims)
