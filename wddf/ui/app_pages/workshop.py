"""The national validation workshop: its record (date, place, participants by institution and
group, outcome), the grades changed on its day with the reason for each, confirmed by the focal
point, and the country's choice to require it before submission."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from wddf.domain import STAKEHOLDER_GROUPS
from wddf.i18n import day
from wddf.services import countries
from wddf.services.process import grade_changes, process_rules
from wddf.services.process import workshop as workshops
from wddf.services.process.workshop import Participant
from wddf.services.records import Record
from wddf.ui.components import feedback
from wddf.ui.components.dates import window_date
from wddf.ui.components.insight import assessment_page
from wddf.ui.components.people import people_table
from wddf.ui.components.text import plain
from wddf.ui.components.workflow import process_writer
from wddf.ui.context import PageContext

PARTICIPANT_COLUMNS = ("name", "institution", "group")


def _shown(ctx: PageContext, found: Record) -> None:
    when = day(found.held_on, ctx.lang)
    st.markdown(f"**{ctx.t('workshop.held', day=when, place=plain(found.place) or '–')}**")
    if found.outcome:
        st.text(found.outcome)
    if found.confirmed_at is None:
        st.warning(ctx.t("workshop.not_confirmed"))
    else:
        st.success(ctx.t("workshop.confirmed", day=day(found.confirmed_at.date(), ctx.lang)))
    if found.participants:
        people_table(ctx, found.participants, "workshop-participants")


def _record_form(
    ctx: PageContext, assessment: Record, found: Record | None, seen: datetime | None
) -> None:
    rows = [(p.name, p.institution, p.group) for p in found.participants] if found else []
    with st.form("workshop-record"):
        st.markdown(f"**{ctx.t('workshop.record')}**")
        held_on = window_date(
            ctx, ctx.t("panels.date"), assessment.year, "workshop-date", found and found.held_on
        )
        place = st.text_input(ctx.t("panels.place"), value=found.place if found else "")
        people = st.data_editor(
            pd.DataFrame(rows, columns=list(PARTICIPANT_COLUMNS)),
            num_rows="dynamic",
            key="workshop-people",
            column_config={
                "name": st.column_config.TextColumn(ctx.t("panels.member")),
                "institution": st.column_config.TextColumn(ctx.t("panels.institution")),
                "group": st.column_config.SelectboxColumn(
                    ctx.t("panels.group"),
                    options=list(STAKEHOLDER_GROUPS),
                    format_func=lambda g: ctx.t(f"group.{g}"),
                ),
            },
        )
        outcome = st.text_area(ctx.t("workshop.outcome"), value=found.outcome if found else "")
        if not st.form_submit_button(ctx.t("workshop.record_button"), type="primary"):
            return
    given = [
        Participant(str(r["name"] or ""), str(r["institution"] or ""), str(r["group"] or ""))
        for r in people.to_dict("records")
        if any(r.values())
    ]
    _apply(
        ctx,
        lambda s: workshops.record(
            s, ctx.actor, assessment.id, held_on, given, place, outcome, seen=seen
        ),
    )


def _confirm_form(ctx: PageContext, assessment: Record, seen: datetime | None) -> None:
    changed = workshops.changes(ctx.session, ctx.actor, assessment.id)
    with st.form("workshop-confirm"):
        st.markdown(f"**{ctx.t('workshop.changes', count=len(changed))}**")
        reasons = {}
        for change in changed:
            shown = f"{change.dimension_id}: {change.before or '–'} → {change.after or '–'}"
            reasons[change.audit_id] = st.text_input(
                plain(f"{shown} ({change.by})"), key=f"workshop-reason-{change.audit_id}"
            )
        if not st.form_submit_button(ctx.t("workshop.confirm_button"), type="primary"):
            return
    _apply(ctx, lambda s: workshops.confirm(s, ctx.actor, assessment.id, reasons, seen))


def _requirement(ctx: PageContext, assessment: Record) -> None:
    required = workshops.is_required(ctx.session, ctx.actor, assessment)
    name = countries.country_name(assessment.country, ctx.lang)
    wanted = st.toggle(
        ctx.t("workshop.required", country=name), value=required, key="workshop-required"
    )
    if wanted != required:
        _apply(ctx, lambda s: workshops.set_required(s, ctx.actor, assessment.country, wanted))


def _apply(ctx: PageContext, change) -> None:
    ctx.apply(change, "workshop-page", ctx.t("workshop.saved"))


def render(ctx: PageContext) -> None:
    """Draw the page."""
    assessment = assessment_page(ctx, "workshop", "workshop-assessment", notes="workshop")
    if assessment is None:
        return
    found = workshops.of_assessment(ctx.session, ctx.actor, assessment.id)
    if found is None:
        st.info(ctx.t("workshop.none"))
    else:
        _shown(ctx, found)
        linked = grade_changes.agreed_at(ctx.session, assessment.id)
        at_workshop = sorted(d for d, a in linked.items() if a.kind == "workshop")
        if at_workshop:
            st.caption(ctx.t("workshop.linked", dimensions=", ".join(at_workshop)))
    if process_rules.may_write(ctx.actor, assessment):
        _requirement(ctx, assessment)
    seen = feedback.shown_before(
        f"workshop-seen-{assessment.id}", found.recorded_at if found else None
    )
    if process_writer(ctx, assessment):
        _record_form(ctx, assessment, found, seen)
        if found is not None:
            _confirm_form(ctx, assessment, seen)
