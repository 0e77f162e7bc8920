"""Review: submitted assessments of every country, comments, return, validate, history."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wddf.domain import Action, Status
from wddf.services import assessments, insights, workflow
from wddf.services.editions import get_edition
from wddf.services.errors import ServiceError
from wddf.storage.tables import Assessment
from wddf.ui.components.insight import choose_assessment
from wddf.ui.context import PageContext


def _answers(ctx: PageContext, assessment: Assessment) -> None:
    with ctx.db.session() as session:
        given = {a.dimension_id: a for a in assessments.answers(session, ctx.actor, assessment.id)}
    rows = []
    for _, _, dim in get_edition(assessment.edition_id).dimensions():
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
    with ctx.db.session() as session:
        count = len(insights.flags(session, ctx.actor, assessment.id))
    if count and "flags" in ctx.pages:
        page, query = ctx.link("flags", assessment=assessment.id)
        st.page_link(page, label=ctx.t("review.flags", count=count), query_params=query, icon="⚠️")


def _decisions(ctx: PageContext, assessment: Assessment) -> None:
    status = Status(assessment.status)
    comment = st.text_area(ctx.t("review.return_comment"), key=f"return-comment-{assessment.id}")
    actions = []
    if status is Status.SUBMITTED:
        actions.append((Action.START_REVIEW, "review.start"))
    if status in (Status.SUBMITTED, Status.IN_REVIEW):
        actions += [(Action.RETURN, "review.return"), (Action.VALIDATE, "review.validate")]
    for column, (action, label) in zip(st.columns(max(len(actions), 1)), actions, strict=False):
        if column.button(ctx.t(label), key=f"do-{action.value}"):
            try:
                with ctx.db.session() as session:
                    done = workflow.transition(session, ctx.actor, assessment.id, action, comment)
                st.success(ctx.t("review.done", status=ctx.t("status." + done.status)))
                st.rerun()
            except ServiceError as exc:
                ctx.error(exc)


def _comments(ctx: PageContext, assessment: Assessment) -> None:
    dims = [d.id for _, _, d in get_edition(assessment.edition_id).dimensions()]
    with ctx.db.session() as session:
        notes = workflow.comments(session, ctx.actor, assessment.id)
    for note in notes:
        where = f"**{note.dimension_id}** · " if note.dimension_id else ""
        mark = "~~" if note.resolved else ""
        st.markdown(f"- {where}{mark}{note.body}{mark}")
    with st.form(f"comment-{assessment.id}", clear_on_submit=True):
        dimension = st.selectbox(
            ctx.t("review.on_dimension"), [None, *dims], key="comment-dimension"
        )
        body = st.text_area(ctx.t("review.comment"), key="comment-body")
        if st.form_submit_button(ctx.t("review.add_comment")):
            try:
                with ctx.db.session() as session:
                    workflow.add_comment(session, ctx.actor, assessment.id, body, dimension)
                st.success(ctx.t("review.comment_added"))
            except ServiceError as exc:
                ctx.error(exc)


def _history_and_changes(ctx: PageContext, assessment: Assessment) -> None:
    with ctx.db.session() as session:
        changes = workflow.changes_since_previous_submission(session, ctx.actor, assessment.id)
    st.subheader(ctx.t("review.changes"))
    if not changes:
        st.caption(ctx.t("review.no_changes"))
    for change in changes:
        then, now = change["then"] or {}, change["now"] or {}
        where = f"**{change['dimension']}** ({change['group']})"
        st.markdown(f"- {where}: {then.get('grade')} → {now.get('grade')}")
    st.subheader(ctx.t("review.history"))
    dims = [d.id for _, _, d in get_edition(assessment.edition_id).dimensions()]
    dimension = st.selectbox(ctx.t("review.dimension"), dims, key="history-dimension")
    with ctx.db.session() as session:
        history = assessments.history(session, ctx.actor, assessment.id, dimension)
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
    with ctx.db.session() as session:
        submitted = [a for a in assessments.visible(session, ctx.actor) if a.status != Status.DRAFT]
    assessment = choose_assessment(ctx, "review-assessment", submitted, empty="review.none")
    if assessment is None:
        return
    _flags_link(ctx, assessment)
    _decisions(ctx, assessment)
    _answers(ctx, assessment)
    _comments(ctx, assessment)
    _history_and_changes(ctx, assessment)
