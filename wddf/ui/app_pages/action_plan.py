"""Gaps and the policy priority matrix: reforms that address one or more dimensions, with their
priority, institution, partners, cost and timeframe; last year's matrix is checked against this
year's grades."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pandas as pd
import streamlit as st

from wddf import reading
from wddf.domain import LETTER_GRADES, PRIORITIES, TIMEFRAMES
from wddf.i18n import money, number
from wddf.services.editions import get_edition, node_titles
from wddf.services.process import action_plan
from wddf.services.records import Record
from wddf.services.scores import insights
from wddf.ui.components.feedback import acted, form_key, note, show_note, shown_before
from wddf.ui.components.insight import assessment_page
from wddf.ui.context import PageContext

TARGETS = tuple(g.value for g in LETTER_GRADES[:-1])  # a target above D


def _gaps(ctx: PageContext, assessment: Record, titles: dict[str, str]) -> str:
    """The dimensions below the chosen target; returns the target."""
    target = (
        st.segmented_control(ctx.t("insights.plan.target"), TARGETS, default="B", key="plan-target")
        or "B"
    )
    below = insights.gaps(ctx.session, ctx.actor, assessment.id, target, ctx.lang)
    st.markdown(f"**{ctx.t('insights.plan.gaps_reading', count=len(below), target=target)}**")
    if not below.empty:
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
    return target


def _optional(ctx: PageContext, column, name: str, options) -> object | None:
    """A choice that may stay empty, its options named by ``insights.plan.<name>.<option>``."""
    return column.selectbox(
        ctx.t(f"insights.plan.{name}"),
        options,
        index=None,
        key=form_key("plan-add", f"plan-{name}"),
        placeholder=ctx.t("insights.choose"),
        format_func=lambda option: ctx.t(f"insights.plan.{name}.{option}"),
    )


def _add_form(ctx: PageContext, assessment: Record, target: str, titles: dict[str, str]) -> None:
    """One reform of the matrix: the dimensions it addresses (any grade) and its particulars."""
    dims = [d.id for _, _, d in get_edition(ctx.session, assessment.edition_id).dimensions()]
    where = f"plan:{assessment.id}:add"
    show_note(where)
    with st.form(form_key("plan-add")):  # kept as typed after a refusal; anew after a success
        st.header(ctx.t("insights.plan.matrix_add"))
        chosen = st.multiselect(
            ctx.t("insights.plan.any_dimension"),
            dims,
            key=form_key("plan-add", "plan-dims"),
            placeholder=ctx.t("insights.choose"),
            format_func=lambda d: f"{d} · {titles.get(d, d)}",
        )
        action = st.text_area(
            ctx.t("insights.plan.action"), key=form_key("plan-add", "plan-action")
        )
        left, right = st.columns(2)
        owner = left.text_input(
            ctx.t("insights.plan.owner"), key=form_key("plan-add", "plan-owner")
        )
        partners = right.text_input(
            ctx.t("insights.plan.partners"), key=form_key("plan-add", "plan-partners")
        )
        priority = _optional(ctx, left, "priority", PRIORITIES)
        timeframe = _optional(ctx, right, "timeframe", TIMEFRAMES)
        cost = left.text_input(
            ctx.t("insights.plan.cost"),
            key=form_key("plan-add", "plan-cost"),
            placeholder=number(250000, ctx.lang, 0),
        )
        currency = right.text_input(
            ctx.t("insights.plan.currency"),
            max_chars=3,
            key=form_key("plan-add", "plan-currency"),
            placeholder="USD",
        )
        deadline = left.date_input(
            ctx.t("insights.plan.deadline"),
            value=None,
            key=form_key("plan-add", "plan-deadline"),
            format=ctx.t("ui.date_format"),
        )
        wanted = right.selectbox(
            ctx.t("insights.plan.target"),
            TARGETS,
            index=TARGETS.index(target),
            key=form_key("plan-add", "plan-target-grade"),
        )
        if not st.form_submit_button(ctx.t("insights.plan.add_button"), type="primary"):
            return
    with ctx.attempt() as done, ctx.write() as session:
        reform = action_plan.Reform(
            chosen,
            action,
            owner,
            _at_midnight(deadline),
            wanted,
            priority,
            partners,
            reading.whole_amount(cost, ctx.lang, "estimated_cost"),
            currency.strip().upper() or None,
            timeframe,
        )
        action_plan.add(session, ctx.actor, assessment.id, reform)
    if not done:
        return
    acted("plan-add")
    note(where, "success", ctx.t("insights.plan.added", count=1))
    st.rerun()


def _at_midnight(day: date | None) -> datetime | None:
    return datetime.combine(day, time(), UTC) if day else None


def add_actions(
    ctx: PageContext,
    assessment: Record,
    targets: dict[str, str],
    action: str,
    owner: str = "",
    deadline: date | None = None,
    form: str | None = None,
) -> None:
    """Add one action per dimension (with its target grade), all or none; a submission of
    ``form`` then starts its next round, emptied."""
    with ctx.attempt() as done, ctx.write() as session:
        for dimension_id, target in targets.items():
            action_plan.add_item(
                session,
                ctx.actor,
                assessment.id,
                dimension_id,
                action,
                owner,
                _at_midnight(deadline),
                target,
            )
    if not done:
        return
    if form is not None:
        acted(form)
    st.success(ctx.t("insights.plan.added", count=len(targets)))


def _plan(ctx: PageContext, assessment: Record) -> None:
    st.header(ctx.t("insights.plan.current"))
    planned = action_plan.items(ctx.session, ctx.actor, assessment.id)
    if not planned:
        st.caption(ctx.t("insights.plan.empty"))
        return
    st.dataframe(
        pd.DataFrame(
            {
                ctx.t("insights.plan.priority"): [i.priority for i in planned],
                ctx.t("insights.plan.dimensions"): [" ".join(i.dimension_ids) for i in planned],
                ctx.t("insights.plan.action"): [i.action for i in planned],
                ctx.t("insights.plan.owner"): [i.owner for i in planned],
                ctx.t("insights.plan.partners"): [i.partners for i in planned],
                ctx.t("insights.plan.cost"): [
                    money(i.estimated_cost, i.currency, ctx.lang) for i in planned
                ],
                ctx.t("insights.plan.timeframe"): [
                    ctx.t(f"insights.plan.timeframe.{i.timeframe}") if i.timeframe else ""
                    for i in planned
                ],
                ctx.t("insights.plan.deadline"): [
                    i.deadline.date() if i.deadline else None for i in planned
                ],
                ctx.t("insights.plan.target"): [i.target_grade for i in planned],
                ctx.t("insights.plan.status"): [
                    ctx.t("insights.plan.status." + i.status) for i in planned
                ],
                ctx.t("insights.plan.progress"): [i.progress for i in planned],
            }
        ),
        hide_index=True,
        key="plan-current",
    )
    if action_plan.may_plan(ctx.actor, assessment):
        _status_form(ctx, planned)


def _status_form(ctx: PageContext, planned: list) -> None:
    by_id = {i.id: i for i in planned}
    chosen = st.selectbox(
        ctx.t("insights.plan.action"),
        list(by_id),
        format_func=lambda i: f"{' '.join(by_id[i].dimension_ids)} · {by_id[i].action[:60]}",
        key="plan-status-item",
    )
    item = by_id[chosen]
    seen = shown_before(f"plan-seen-{chosen}", (item.status, item.progress))
    with st.form("plan-status"):
        status = st.selectbox(
            ctx.t("insights.plan.status"),
            action_plan.STATUSES,
            index=action_plan.STATUSES.index(item.status),
            format_func=lambda v: ctx.t("insights.plan.status." + v),
            key=f"plan-status-value-{chosen}",
        )
        progress = st.text_area(
            ctx.t("insights.plan.progress"),
            value=item.progress,
            key=f"plan-status-progress-{chosen}",
        )
        if not st.form_submit_button(ctx.t("insights.plan.update")):
            return
    with ctx.attempt() as done, ctx.write() as session:
        action_plan.set_status(session, ctx.actor, chosen, status, progress, seen=seen)
    if not done:
        return
    st.rerun()


def _carried(ctx: PageContext, assessment: Record) -> None:
    st.header(ctx.t("insights.plan.carried"))
    checked = insights.plan_carried_over(ctx.session, ctx.actor, assessment.id)
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
    assessment = assessment_page(ctx, "insights.plan", "plan-assessment", intro=False)
    if assessment is None:
        return
    titles = node_titles(ctx.session, assessment.edition_id, ctx.lang)
    target = _gaps(ctx, assessment, titles)
    if action_plan.may_plan(ctx.actor, assessment):
        _add_form(ctx, assessment, target, titles)
    _plan(ctx, assessment)
    _carried(ctx, assessment)
