"""Review: submitted assessments of every country, comments, return, validate, history."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wddf.domain import Status
from wddf.services import assessments, insights, workflow
from wddf.services.editions import get_edition
from wddf.services.errors import ServiceError
from wddf.storage.tables import Assessment
from wddf.ui.components.insight import choose_assessment
from wddf.ui.components.text import plain
from wddf.ui.context import PageContext


def _answers(ctx: PageContext, assessment: Assessment, dims: list) -> None:
    given = {a.dimension_id: a for a in assessments.answers(ctx.session, ctx.actor, assessment.id)}
    rows = []
    for dim in dims:
        answer = given.get(dim.id)
        rows.append(
            {
                ctx.t("review.dimension"): f"{dim.id} · {dim.title[ctx.lang]}",
                ctx.t("entry.grade"): answer.grade if answer else None,
                ctx.t("review.justification"): answer.justification if answer else "",
                ctx.t("review.evidence"): answer.evidence if answer else "",
                ctx.t("review.confidence"): answer.confidence if answer else None,
            }
        )
    st.subheader(ctx.t("review.answers"))
    st.dataframe(pd.DataFrame(rows), hide_index=True, use_container_width=True)


def _flags_link(ctx: PageContext, assessment: Assessment) -> None:
    """How many consistency flags the assessment raises, with a link to them."""
    count = len(insights.flags(ctx.session, ctx.actor, assessment.id))
    if count and "flags" in ctx.pages:
        page, query = ctx.link("flags", assessment=assessment.id)
        st.page_link(page, label=ctx.t("review.flags", count=count), query_params=query, icon="⚠️")


def _decisions(ctx: PageContext, assessment: Assessment) -> None:
    actions = workflow.allowed_actions(ctx.actor, assessment)
    if not actions:
        return
    comment = st.text_area(ctx.t("review.return_comment"), key=f"return-comment-{assessment.id}")
    for column, action in zip(st.columns(len(actions)), actions, strict=True):
        if column.button(ctx.t(f"workflow.action.{action.value}"), key=f"do-{action.value}"):
            try:
                with ctx.write() as session:
                    done = workflow.transition(session, ctx.actor, assessment.id, action, comment)
                st.success(ctx.t("review.done", status=ctx.t("status." + done.status)))
                st.rerun()
            except ServiceError as exc:
                ctx.error(exc)


def _comments(ctx: PageContext, assessment: Assessment, dims: list[str]) -> None:
    notes = workflow.comments(ctx.session, ctx.actor, assessment.id)
    for note in notes:
        where = f"**{note.dimension_id}** · " if note.dimension_id else ""
        mark = "~~" if note.resolved else ""
        st.markdown(f"- {where}{mark}{plain(note.body)}{mark}")  # typed text, never markup
    with st.form(f"comment-{assessment.id}", clear_on_submit=True):
        dimension = st.selectbox(
            ctx.t("review.on_dimension"), [None, *dims], key="comment-dimension"
        )
        body = st.text_area(ctx.t("review.comment"), key="comment-body")
        if st.form_submit_button(ctx.t("review.add_comment")):
            try:
                with ctx.write() as session:
                    workflow.add_comment(session, ctx.actor, assessment.id, body, dimension)
                st.success(ctx.t("review.comment_added"))
            except ServiceError as exc:
                ctx.error(exc)


def _history_and_changes(ctx: PageContext, assessment: Assessment, dims: list[str]) -> None:
    changes = workflow.changes_since_previous_submission(ctx.session, ctx.actor, assessment.id)
    st.subheader(ctx.t("review.changes"))
    if not changes:
        st.caption(ctx.t("review.no_changes"))
    for change in changes:
        then, now = change["then"] or {}, change["now"] or {}
        where = f"**{change['dimension']}** ({change['group']})"
        st.markdown(f"- {where}: {then.get('grade')} → {now.get('grade')}")
    st.subheader(ctx.t("review.history"))
    dimension = st.selectbox(ctx.t("review.dimension"), dims, key="history-dimension")
    history = assessments.history(ctx.session, ctx.actor, assessment.id, dimension)
    rows = [
        {
            ctx.t("review.when"): h["at"],
            ctx.t("review.who"): h["user"],
            ctx.t("review.before"): (h["old"] or {}).get("grade"),
            ctx.t("review.after"): (h["new"] or {}).get("grade"),
            ctx.t("review.justification"): (h["new"] or {}).get("justification"),
        }
        for h in history
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, use_container_width=True)


def render(ctx: PageContext) -> None:
    """Draw the page."""
    st.title(ctx.t("review.heading"))
    submitted = [a for a in assessments.visible(ctx.session, ctx.actor) if a.status != Status.DRAFT]
    assessment = choose_assessment(ctx, "review-assessment", submitted, empty="review.none")
    if assessment is None:
        return
    dims = [d for _, _, d in get_edition(ctx.session, assessment.edition_id).dimensions()]
    _flags_link(ctx, assessment)
    _decisions(ctx, assessment)
    _answers(ctx, assessment, dims)
    _comments(ctx, assessment, [d.id for d in dims])
    _history_and_changes(ctx, assessment, [d.id for d in dims])
