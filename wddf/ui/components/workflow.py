"""Where an assessment stands in the workflow, who moved it, and the steps the user may take.

After a step the page reruns at once and shows the new status; the confirmation is kept as a
note (``feedback.note``) until the user moves to another page or assessment.
"""

from __future__ import annotations

import streamlit as st

from wddf.domain import Action, Status
from wddf.services.process import process_rules
from wddf.services.records import Record
from wddf.services.review import workflow
from wddf.ui.components.clock import local_moment, zone_name
from wddf.ui.components.feedback import note, show_note
from wddf.ui.components.text import plain
from wddf.ui.context import PageContext

NEEDS_REASON = (Action.RETURN, Action.REOPEN)
# The path of an assessment; "returned" takes the place of "in review" when it goes back.
PATH = (Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.VALIDATED, Status.PUBLISHED)


def stepper(ctx: PageContext, assessment: Record) -> None:
    """The workflow path with the current status marked, and who took each step when."""
    status = Status(assessment.status)
    returned = status is Status.RETURNED
    path = [Status.RETURNED if s is Status.IN_REVIEW and returned else s for s in PATH]
    reached = path.index(status)
    row = st.container(horizontal=True, key=f"stepper-{assessment.id}", gap="small")
    for index, step in enumerate(path):
        mark = "✓" if index < reached else ("●" if index == reached else "○")
        text = f"{mark} {ctx.t('status.' + step.value)}"
        row.markdown(f"**:blue[{text}]**" if index == reached else f":gray[{text}]")
    steps = workflow.timeline(ctx.session, ctx.actor, assessment.id)
    with st.expander(ctx.t("workflow.history", count=len(steps))):
        for step in reversed(steps):
            when = local_moment(step.at, ctx.lang)
            what = ctx.t("workflow.step." + step.action)
            what += f" {ctx.t('workflow.override')}" if step.override else ""
            reason = f" — {plain(step.comment)}" if step.comment else ""
            st.caption(f"{when} · {plain(step.user)} · {what}{reason}", help=zone_name())


def actions(
    ctx: PageContext, assessment: Record, where: str, blocked: frozenset[Action] = frozenset()
) -> None:
    """A button for each step the user may take now (``workflow.allowed_actions``); steps in
    ``blocked`` are shown disabled. Return and reopen ask for a reason first. What a step did is
    confirmed here, where the user clicked, above the buttons."""
    show_note(where)
    allowed = workflow.allowed_actions(ctx.actor, assessment)
    if not allowed:
        return
    reason = ""
    if any(a in NEEDS_REASON for a in allowed):
        reason = st.text_area(ctx.t("workflow.reason"), key=f"reason-{assessment.id}", height=68)
    row = st.container(horizontal=True, key=f"actions-{assessment.id}")
    for action in allowed:
        primary = action in (Action.SUBMIT, Action.VALIDATE, Action.PUBLISH)
        if row.button(
            ctx.t(f"workflow.action.{action.value}"),
            key=f"do-{action.value}-{assessment.id}",
            type="primary" if primary else "secondary",
            disabled=action in blocked,
        ):
            with ctx.attempt() as done, ctx.write() as session:
                moved = workflow.transition(session, ctx.actor, assessment.id, action, reason)
            if not done:
                return
            status = ctx.t("status." + moved.status)
            note(where, "success", ctx.t(f"workflow.done.{action.value}", status=status))
            st.rerun()


def process_writer(ctx: PageContext, assessment: Record) -> bool:
    """Whether the page offers its process forms (``process_rules.may_change``); the country's
    writers are told why not once the assessment has been submitted."""
    if process_rules.may_change(ctx.actor, assessment):
        return True
    if process_rules.may_write(ctx.actor, assessment):
        status = ctx.t(f"status.{assessment.status}")
        st.info(ctx.t("process.locked", status=status))
    return False
