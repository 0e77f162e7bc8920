"""The entry page: one policy goal at a time, every answer saved as it is given.

The URL holds the assessment and the goal (``?assessment=12&goal=WD3``), so a refresh comes
back to the same place. Each answer card is a fragment: a change reruns that card, and with it
the overview fragment (checklist, workflow steps, counts per goal) when the answer starts or
stops counting as complete (``components.answer_card``); another goal, a file or a workflow step
reruns the whole page. The checklist leads to a missing item: its goal opens, its card shows its
statements and comes into view. A panel member grades for their own stakeholder group and sees
the consensus grade beside theirs, read-only.
"""

from __future__ import annotations

import json

import streamlit as st
import streamlit.components.v1 as components

from wddf.domain import CONSENSUS, EDITABLE, Action, Status
from wddf.errors import NotFound
from wddf.services import countries
from wddf.services.answers import assessments, carry_over, evidence
from wddf.services.editions import get_edition
from wddf.services.records import Record
from wddf.services.review import workflow
from wddf.ui.components.answer_card import OVERVIEW, CardFacts, answer_card, confirm
from wddf.ui.components.background_report import background_report
from wddf.ui.components.edition_notes import edition_notes
from wddf.ui.components.feedback import scope, show_note
from wddf.ui.components.offline_panel import offline_panel
from wddf.ui.components.text import plain
from wddf.ui.components.workflow import actions, stepper
from wddf.ui.context import PageContext
from wddf.ui.url import url_id

FOCUS = "entry-focus"


def _assessment(ctx: PageContext) -> Record | None:
    wanted = url_id("assessment")
    if not wanted.given:
        st.info(ctx.t("entry.choose"))
        return None
    try:
        return assessments.view(ctx.session, ctx.actor, wanted.value)
    except NotFound:
        st.error(ctx.t("entry.not_found"))
        return None


def _choose_goal(ctx: PageContext, edition, graded_ids: set[str]) -> None:
    """The goal chooser, and under it how many dimensions of each goal are graded. The chooser's
    labels never change while the user works (a browser holds the chosen label, and would send
    an outdated one back as a change); choosing another goal reruns the whole page (the chooser
    lives in the overview fragment)."""
    by_id = {g.id: g for g in edition.goals}
    wanted = st.query_params.get("goal")
    if st.session_state.get("entry-goal") not in by_id:
        st.session_state["entry-goal"] = wanted if wanted in by_id else edition.goals[0].id
    st.selectbox(
        ctx.t("entry.goal"),
        list(by_id),
        key="entry-goal",
        format_func=lambda goal_id: f"{goal_id} · {by_id[goal_id].title[ctx.lang]}",
        on_change=st.rerun,
    )
    counts = []
    for goal in edition.goals:
        dims = {d.id for i in goal.indicators for d in i.dimensions}
        counts.append(f"{goal.id} {len(graded_ids & dims)}/{len(dims)}")
    st.caption(ctx.t("entry.by_goal", goals=" · ".join(counts)))


def _scroll_to(dimension_id: str) -> None:
    """Bring the card of ``dimension_id`` into view (the page's own document, same origin)."""
    selector = json.dumps(f".st-key-dim-{dimension_id.replace('.', '_')}")
    components.html(
        f"<script>setTimeout(() => window.parent.document.querySelector({selector})"
        "?.scrollIntoView({block: 'start'}), 300)</script>",
        height=0,
    )


def _go_to(edition, key: str) -> None:
    """Open the goal of the checklist item chosen under ``key``, and bring its card into view."""
    dimension_id = st.session_state.pop(key, None)
    for goal in edition.goals:
        if any(d.id == dimension_id for i in goal.indicators for d in i.dimensions):
            st.session_state["entry-goal"] = goal.id
            st.session_state[FOCUS] = dimension_id
    st.rerun()  # the chooser sits in the overview fragment; the whole page shows the goal


def _checklist(ctx: PageContext, assessment: Record, edition, missing: list) -> None:
    """What still stops submission, and a way to go to each item."""
    with st.expander(ctx.t("entry.checklist", count=len(missing)), expanded=False):
        if not missing:
            st.success(ctx.t("entry.complete"))
            return
        lines = [ctx.t("entry.missing." + m.problem, dimension=m.dimension_id) for m in missing]
        st.markdown("\n".join(f"- {plain(line)}" for line in lines[:80]))
        if len(missing) > 80:
            st.caption(ctx.t("entry.more_missing", count=len(missing) - 80))
        key = f"go-to-{assessment.id}"
        st.selectbox(
            ctx.t("entry.go_to"),
            [m.dimension_id for m in missing],
            index=None,
            key=key,
            placeholder=ctx.t("insights.choose"),
            on_change=_go_to,
            args=(edition, key),
        )


@st.fragment(key=OVERVIEW)
def _overview(ctx: PageContext, assessment: Record, edition, group: str) -> None:
    """What the answers add up to: the checklist, the workflow steps (submission waits for the
    checklist) and the goal chooser with each goal's count. A fragment: a card whose answer starts
    or stops counting as complete reruns it with itself (``components.answer_card``)."""
    with ctx.own_reads():
        missing = workflow.missing_items(ctx.session, assessment, group)
        editable = Status(assessment.status) in EDITABLE
        if editable:
            _checklist(ctx, assessment, edition, missing)
        actions(ctx, assessment, f"entry:{assessment.id}:workflow", blocked=_blocked(missing))
        not_graded = {m.dimension_id for m in missing if m.problem in workflow.NOT_GRADED}
        _choose_goal(ctx, edition, {d.id for _, _, d in edition.dimensions()} - not_graded)


def _comments(ctx: PageContext, assessment: Record) -> dict[str, list]:
    """Reviewers' comments still open, all listed here (those on a dimension named by it); those
    on a dimension are returned for its card too."""
    still_open = [
        c for c in workflow.comments(ctx.session, ctx.actor, assessment.id) if not c.resolved
    ]
    by_dimension: dict[str, list] = {}
    for note in still_open:
        if note.dimension_id:
            by_dimension.setdefault(note.dimension_id, []).append(note)
    if still_open:
        with st.container(border=True, key="comments"):
            st.markdown(f"**{ctx.t('entry.comments')}**")
            for note in still_open:
                where = f"{note.dimension_id}: " if note.dimension_id else ""
                st.markdown(f"- {plain(where + note.body)}")
    return by_dimension


def _confirm_goal(ctx: PageContext, assessment: Record, goal, carried: set[str]) -> None:
    dims = [d.id for i in goal.indicators for d in i.dimensions if d.id in carried]
    if dims:
        st.button(
            ctx.t("entry.confirm_goal", count=len(dims)),
            key=f"confirm-goal-{goal.id}",
            on_click=confirm,
            args=(ctx, assessment.id, dims, True),
            icon=":material/done_all:",
        )


def render(ctx: PageContext) -> None:
    """Draw the page."""
    assessment = _assessment(ctx)
    if assessment is None:
        return
    st.query_params["assessment"] = str(assessment.id)
    scope(f"entry:{assessment.id}")
    edition = get_edition(ctx.session, assessment.edition_id)
    group = ctx.actor.answer_group
    given = {
        a.dimension_id: a for a in assessments.answers(ctx.session, ctx.actor, assessment.id, group)
    }
    consensus = given
    if group != CONSENSUS:
        agreed = assessments.answers(ctx.session, ctx.actor, assessment.id)
        consensus = {a.dimension_id: a for a in agreed}
    last, last_answers = carry_over.previous(ctx.session, ctx.actor, assessment)
    files: dict[str, list] = {}
    for item in evidence.files(ctx.session, ctx.actor, assessment.id):
        files.setdefault(item.dimension_id, []).append(item)
    name = countries.country_name(assessment.country, ctx.lang)
    st.title(f"{name} · {assessment.year}")
    st.caption(ctx.t("entry.edition", edition=assessment.edition_id))
    edition_notes(edition, ctx.lang)
    if assessment.is_demo:
        st.warning(ctx.t("mine.demo"))
    stepper(ctx, assessment)
    status = Status(assessment.status)
    editable = status in EDITABLE
    if group != CONSENSUS:
        st.info(ctx.t("entry.your_group", group=ctx.t("group." + group)))
    if not editable:
        st.info(ctx.t("entry.read_only", status=ctx.t("status." + status.value)))
    comments = _comments(ctx, assessment)
    _overview(ctx, assessment, edition, group)
    goal = next(g for g in edition.goals if g.id == st.session_state["entry-goal"])
    st.query_params["goal"] = goal.id
    carried = {d for d, a in given.items() if a.carried_over}
    st.header(plain(f"{goal.id} · {goal.title[ctx.lang]}"))
    show_note(f"entry:{assessment.id}")
    background_report(ctx, assessment, goal.id, editable, files.get(goal.id, []))
    if editable and group == CONSENSUS:
        _confirm_goal(ctx, assessment, goal, carried)
    focus = st.session_state.pop(FOCUS, None)
    for indicator in goal.indicators:
        st.header(plain(f"{indicator.id} · {indicator.title[ctx.lang]}"))
        for dim in indicator.dimensions:
            facts = CardFacts(
                answer=given.get(dim.id),
                last_year=(last.year, last_answers[dim.id]) if dim.id in last_answers else None,
                files=files.get(dim.id, []),
                consensus=consensus.get(dim.id),
                comments=comments.get(dim.id, []),
            )
            answer_card(ctx, assessment.id, dim, facts, editable, group, focused=dim.id == focus)
    if focus:
        _scroll_to(focus)
    offline_panel(ctx, assessment, editable and group == CONSENSUS)


def _blocked(missing: list) -> frozenset[Action]:
    """Submission waits for the checklist."""
    return frozenset({Action.SUBMIT}) if missing else frozenset()
