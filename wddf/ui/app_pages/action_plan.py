"""Gaps and action plan: dimensions below a target grade become actions; last year's plan is
checked against this year's grades."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pandas as pd
import streamlit as st

from wddf.domain import LETTER_GRADES, Role
from wddf.services import action_plan, insights
from wddf.services.editions import node_titles
from wddf.services.errors import ServiceError
from wddf.storage.tables import Assessment
from wddf.ui.components.insight import choose_assessment
from wddf.ui.context import PageContext

TARGETS = tuple(g.value for g in LETTER_GRADES[:-1])  # a target above D


def _may_plan(ctx: PageContext, item: Assessment) -> bool:
    """Mirrors the service rule, to show the form only to those it would accept."""
    actor = ctx.actor
    return actor.is_admin or (actor.role is Role.FOCAL_POINT and actor.country == item.country)


def _gaps(ctx: PageContext, item: Assessment, titles: dict[str, str]) -> None:
    target = (
        st.segmented_control(ctx.t("insights.plan.target"), TARGETS, default="B", key="plan-target")
        or "B"
    )
    below = insights.gaps(ctx.session, ctx.actor, item.id, target, ctx.lang)
    st.markdown(f"**{ctx.t('insights.plan.gaps_reading', count=len(below), target=target)}**")
    if below.empty:
        return
    st.dataframe(
        pd.DataFrame(
            {
                ctx.t("review.dimension"): [
                    f"{d} · {titles.get(d, d)}" for d in below["dimension_id"]
                ],
                ctx.t("entry.grade"): below["grade"],
                ctx.t("insights.plan.planned"): below["planned"],
            }
        ),
        hide_index=True,
        key="plan-gaps",
    )
    if _may_plan(ctx, item):
        _add_form(ctx, item, below["dimension_id"].tolist(), target, titles)


def _add_form(
    ctx: PageContext, item: Assessment, dims: list[str], target: str, titles: dict[str, str]
) -> None:
    with st.form("plan-add", clear_on_submit=True):
        st.subheader(ctx.t("insights.plan.add"))
        chosen = st.multiselect(
            ctx.t("insights.plan.dimensions"),
            dims,
            key="plan-dims",
            placeholder=ctx.t("insights.choose"),
            format_func=lambda d: f"{d} · {titles.get(d, d)}",
        )
        action = st.text_area(ctx.t("insights.plan.action"), key="plan-action")
        owner = st.text_input(ctx.t("insights.plan.owner"), key="plan-owner")
        deadline = st.date_input(
            ctx.t("insights.plan.deadline"),
            value=None,
            key="plan-deadline",
            format=ctx.t("ui.date_format"),
        )
        if not st.form_submit_button(ctx.t("insights.plan.add_button"), type="primary"):
            return
    add_actions(ctx, item, {d: target for d in chosen}, action, owner, deadline)


def add_actions(
    ctx: PageContext,
    item: Assessment,
    targets: dict[str, str],
    action: str,
    owner: str = "",
    deadline: date | None = None,
) -> None:
    """Add one action per dimension (with its target grade), all or none."""
    when = datetime.combine(deadline, time(), UTC) if deadline else None
    try:
        with ctx.write() as session:
            for dimension_id, target in targets.items():
                action_plan.add_item(
                    session, ctx.actor, item.id, dimension_id, action, owner, when, target
                )
    except ServiceError as exc:
        ctx.error(exc)
        return
    st.success(ctx.t("insights.plan.added", count=len(targets)))


def _plan(ctx: PageContext, item: Assessment, titles: dict[str, str]) -> None:
    st.subheader(ctx.t("insights.plan.current"))
    planned = action_plan.items(ctx.session, ctx.actor, item.id)
    if not planned:
        st.caption(ctx.t("insights.plan.empty"))
        return
    st.dataframe(
        pd.DataFrame(
            {
                ctx.t("review.dimension"): [
                    f"{i.dimension_id} · {titles.get(i.dimension_id, '')}" for i in planned
                ],
                ctx.t("insights.plan.action"): [i.action for i in planned],
                ctx.t("insights.plan.owner"): [i.owner for i in planned],
                ctx.t("insights.plan.deadline"): [
                    i.deadline.date() if i.deadline else None for i in planned
                ],
                ctx.t("insights.plan.target"): [i.target_grade for i in planned],
                ctx.t("insights.plan.status"): [
                    ctx.t("insights.plan.status." + i.status) for i in planned
                ],
            }
        ),
        hide_index=True,
        key="plan-current",
    )
    if _may_plan(ctx, item):
        _status_form(ctx, planned)


def _status_form(ctx: PageContext, planned: list) -> None:
    by_id = {i.id: i for i in planned}
    with st.form("plan-status"):
        chosen = st.selectbox(
            ctx.t("insights.plan.action"),
            list(by_id),
            format_func=lambda i: f"{by_id[i].dimension_id} · {by_id[i].action[:60]}",
            key="plan-status-item",
        )
        status = st.selectbox(
            ctx.t("insights.plan.status"),
            action_plan.STATUSES,
            format_func=lambda v: ctx.t("insights.plan.status." + v),
            key="plan-status-value",
        )
        if not st.form_submit_button(ctx.t("insights.plan.update")):
            return
    try:
        with ctx.write() as session:
            action_plan.set_status(session, ctx.actor, chosen, status)
    except ServiceError as exc:
        ctx.error(exc)
        return
    st.rerun()


def _carried(ctx: PageContext, item: Assessment) -> None:
    st.subheader(ctx.t("insights.plan.carried"))
    checked = insights.plan_carried_over(ctx.session, ctx.actor, item.id)
    if checked.empty:
        st.caption(ctx.t("insights.plan.nothing_carried"))
        return
    met = int(checked["outcome"].eq("met").sum())
    year = int(checked["previous_year"].iloc[0])
    st.markdown(
        f"**{ctx.t('insights.plan.carried_reading', met=met, count=len(checked), year=year)}**"
    )
    st.dataframe(
        pd.DataFrame(
            {
                ctx.t("review.dimension"): checked["dimension_id"],
                ctx.t("insights.plan.action"): checked["action"],
                ctx.t("insights.plan.target"): checked["target_grade"],
                ctx.t("insights.plan.grade_now"): checked["grade_now"],
                ctx.t("insights.plan.outcome"): checked["outcome"].map(
                    lambda o: ctx.t("insights.plan.outcome." + o)
                ),
            }
        ),
        hide_index=True,
        key="plan-carried",
    )


def render(ctx: PageContext) -> None:
    """Draw the page."""
    st.title(ctx.t("insights.plan.heading"))
    item = choose_assessment(ctx, "plan-assessment")
    if item is None:
        return
    titles = node_titles(ctx.session, {item.edition_id}, ctx.lang)
    _gaps(ctx, item, titles)
    _plan(ctx, item, titles)
    _carried(ctx, item)
