"""The background report on a goal, above its dimensions on the entry and review pages: read by
the goal's graders and reviewers, written by its investigators and the focal point, with the
answers' conflict rule (the version the writer saw travels with the save)."""

from __future__ import annotations

import streamlit as st

from wddf.domain import CONSENSUS
from wddf.errors import Conflict
from wddf.i18n import day
from wddf.services.process import background
from wddf.services.records import Record
from wddf.ui.components.answer_card import CardKeys
from wddf.ui.components.evidence_files import evidence_files
from wddf.ui.components.text import plain
from wddf.ui.context import PageContext


def _shown(ctx: PageContext, found: Record, assessment_id: int, goal_id: str) -> None:
    history = background.versions(ctx.session, ctx.actor, assessment_id, goal_id)
    by = history[-1].by if history else "?"
    when = day(found.updated_at.date(), ctx.lang)
    st.caption(
        ctx.t("background.saved_by", version=found.row_version, by=plain(by), day=when)
        + " · "
        + ctx.t("background.versions", count=len(history))
    )
    for paragraph in found.body.split("\n\n"):
        st.markdown(plain(paragraph))
    if found.citations:
        st.markdown("\n".join(f"- {plain(line)}" for line in found.citations.splitlines()))


def background_report(
    ctx: PageContext,
    assessment: Record,
    goal_id: str,
    editable: bool,
    files: list[Record],
) -> None:
    """The report on ``goal_id``, folded, with its attached documents; a form and an uploader
    for those who may write it while editable."""
    found = background.get(ctx.session, ctx.actor, assessment.id, goal_id)
    writer = editable and background.may_write(ctx.session, ctx.actor, assessment, goal_id)
    if found is None and not writer:
        return
    seen_key = f"bg-seen-{assessment.id}-{goal_id}"
    st.session_state.setdefault(seen_key, found.row_version if found else 0)
    with st.expander(ctx.t("background.heading", goal=goal_id), expanded=found is None):
        if found is None:
            st.caption(ctx.t("background.none"))
        else:
            _shown(ctx, found, assessment.id, goal_id)
        if writer:
            _form(ctx, assessment, goal_id, found, seen_key)
        if files or writer:
            evidence_files(
                ctx, CardKeys(assessment.id, goal_id, CONSENSUS), files, writer, lazy=False
            )


def _form(
    ctx: PageContext,
    assessment: Record,
    goal_id: str,
    found: Record | None,
    seen_key: str,
) -> None:
    with st.form(f"bg-form-{goal_id}"):
        body = st.text_area(
            ctx.t("background.body"),
            value=found.body if found else "",
            height=240,
            key=f"bg-body-{assessment.id}-{goal_id}",
        )
        citations = st.text_area(
            ctx.t("background.citations"),
            value=found.citations if found else "",
            key=f"bg-citations-{assessment.id}-{goal_id}",
        )
        if not st.form_submit_button(ctx.t("background.save")):
            return
    seen = st.session_state[seen_key]
    with ctx.attempt() as done, ctx.write() as session:
        version = background.save(session, ctx.actor, assessment.id, goal_id, body, citations, seen)
    if isinstance(done.refused, Conflict):
        st.session_state[seen_key] = done.refused.row_version  # the next save knows theirs
        st.markdown(plain(done.refused.theirs["body"]))
    if not done:
        return
    st.session_state[seen_key] = version
    st.success(ctx.t("background.saved"))
