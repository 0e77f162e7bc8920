"""One dimension on the entry page: the question, its guidance, the statements, the grade, and
what justifies it.

Every change is saved at once through the assessments service, with the row version this
browser last saw; a conflict shows the other person's answer and overwrites nothing. Widget
keys are built from the assessment and dimension ids.

A card is a fragment (``st.fragment``) keyed by its widgets' key: a change reruns that card
alone. When the answer starts or stops counting as complete, the card reruns the page's
overview fragment with itself (``OVERVIEW``: the checklist, the goals' counts, whether it may be
submitted). Adding or removing a file reruns the whole page. The guidance, the statements once
graded and the files are drawn only while their expander is open (``card_keys.folded``).

Besides the widgets' own values, ``st.session_state`` keeps per card only plain values: in one
dict (``STORED``), the row version the browser has seen (the token of the conflict check), the
values the database last acknowledged and when, and whether the answer counts as complete; and
the last refusal as a code with its parameters (never an exception object). One dict, not one key
each: every keyed widget Streamlit draws reads the whole session state, so each key a card adds
costs every widget of the page. The card says "saved" only while the widgets hold exactly the
acknowledged values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from wddf import problems
from wddf.domain import CONSENSUS, GRADED, Confidence
from wddf.errors import Conflict, ErrorCode, ServiceError
from wddf.questionnaire.schema import Dimension
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments, carry_over
from wddf.services.records import Record
from wddf.services.review import workflow
from wddf.ui.components.card_keys import STORED, WIDGETS, CardKeys, folded
from wddf.ui.components.clock import local, zone_name
from wddf.ui.components.evidence_files import evidence_files
from wddf.ui.components.feedback import note
from wddf.ui.components.text import plain
from wddf.ui.context import PageContext

GRADE_OPTIONS = [g.value for g in GRADED]
CONFIDENCE = [c.value for c in Confidence]
STATEMENT_WIDTH = 185  # px: four fit side by side at 1280 px; two by two on a tablet
OVERVIEW = "entry-overview"  # the key of the page's fragment that sums up the answers


@dataclass(frozen=True)
class CardFacts:
    """What a card shows beside its own answer, read once per page."""

    answer: Record | None
    last_year: tuple[int, Record] | None = None
    files: list[Record] = field(default_factory=list)
    consensus: Record | None = None  # for a panelist: the grade agreed, read-only
    comments: list[Record] = field(default_factory=list)  # unresolved, on this dimension


def _acknowledge(
    keys: CardKeys, row_version: int, at: datetime | None, carried: bool = False
) -> bool:
    """The widgets' values are what the database holds at ``row_version``, saved at ``at``. True
    when the answer started or stopped counting as complete, or being carried over."""
    state = st.session_state
    grade, justification = state[keys.key("grade")], state[keys.key("justification")]
    standing = (workflow.problem_of(grade, justification, carried), carried)
    before = state.get(keys.key(STORED), {}).get("standing", standing)
    state[keys.key(STORED)] = {
        "row_version": row_version,
        "acknowledged": keys.shown(),
        "saved_at": at,
        "standing": standing,
    }
    return before != standing


def _carried(keys: CardKeys) -> bool:
    """Whether the card's answer is still carried over, unconfirmed (as last acknowledged)."""
    return st.session_state[keys.key(STORED)]["standing"][1]


def _rerun_with_overview(keys: CardKeys) -> None:
    """End a card's callback by rerunning the card and the page's overview, when the answer's
    standing changed. (``st.rerun`` stops the callback, so it comes last.)"""
    st.rerun([keys.key("card"), OVERVIEW])


def _held(key: str) -> bool:
    """Whether the session still holds a widget's value. Asked by reading it: once Streamlit
    drops the values of widgets a run did not draw, ``key in st.session_state`` can still say yes
    for a key whose value is gone (a goal left and come back to)."""
    try:
        st.session_state[key]
    except KeyError:
        return False
    return True


def _load(keys: CardKeys, answer: Record | None) -> None:
    """Put the stored answer into the widgets, once per browser session (the DB is the truth),
    and again when Streamlit dropped the widgets' values: it forgets the widgets a run did not
    draw, so a card of another goal comes back without them (every answer shown was saved)."""
    held = all(_held(keys.key(kind)) for kind in WIDGETS)
    if held and keys.key(STORED) in st.session_state:
        return
    st.session_state[keys.key("grade")] = answer.grade if answer else None
    st.session_state[keys.key("justification")] = answer.justification if answer else ""
    st.session_state[keys.key("evidence")] = answer.evidence if answer else ""
    st.session_state[keys.key("confidence")] = answer.confidence if answer else None
    _acknowledge(
        keys,
        answer.row_version if answer else 0,
        answer.updated_at if answer else None,
        bool(answer and answer.carried_over),
    )


def _save(ctx: PageContext, keys: CardKeys) -> None:
    """Autosave callback: one answer, one commit. (Callbacks of one browser session never overlap:
    ``runner.fastReruns`` is off in ``.streamlit/config.toml``; with it on, a second runner's start
    could drop the row version this callback writes, and the next save would conflict with the
    user's own.)"""
    state = st.session_state
    grade, justification, evidence_text, confidence = (state[keys.key(k)] for k in WIDGETS)
    given = AnswerInput(
        keys.dimension_id,
        grade,
        justification or "",
        evidence_text or "",
        confidence,
        keys.group,
    )
    state.pop(keys.key("conflict"), None)
    state.pop(keys.key("error"), None)
    try:
        actor = ctx.acting()  # the session may have been revoked since the page was drawn
        with ctx.db.session() as session:
            saved = assessments.save_answer(
                session, actor, keys.assessment_id, given, state[keys.key(STORED)]["row_version"]
            )
    except Conflict as conflict:
        params = conflict.params | {"at": local(conflict.at)}  # on the browser's clock
        state[keys.key("conflict")] = {"params": params, "theirs": dict(conflict.theirs)}
        # a new change, made knowingly, may replace theirs
        state[keys.key(STORED)]["row_version"] = conflict.row_version
        return
    except ServiceError as exc:
        state[keys.key("error")] = {"code": str(exc.code), "params": exc.params}
        return
    except SQLAlchemyError:  # the database did not answer: nothing is shown as saved
        state[keys.key("error")] = {"code": str(ErrorCode.UNAVAILABLE), "params": {}}
        return
    if _acknowledge(keys, saved.row_version, saved.saved_at):
        _rerun_with_overview(keys)


def _clear(ctx: PageContext, keys: CardKeys) -> None:
    """Take the grade back (the answer's texts stay), and save that; the radio is made anew, so
    that it shows no choice and any letter clicked next is a change."""
    keys.renew_grade()
    _save(ctx, keys)


def confirm(
    ctx: PageContext, assessment_id: int, dimension_ids: list[str], in_bulk: bool = False
) -> None:
    """Confirm carried-over answers unchanged (one card, or ``in_bulk`` a whole goal): each
    confirmation is audited, and the cards take the new row versions."""
    with ctx.attempt(f"entry:{assessment_id}") as done, ctx.db.session() as session:
        actor = ctx.acting()
        confirmed = carry_over.confirm(session, actor, assessment_id, dimension_ids, in_bulk)
    if not done:
        return
    for dimension_id, saved in confirmed.items():
        keys = CardKeys(assessment_id, dimension_id, CONSENSUS)
        if keys.key(STORED) in st.session_state:
            _acknowledge(keys, saved.row_version, saved.saved_at)
    note(f"entry:{assessment_id}", "success", ctx.t("entry.confirmed", count=len(confirmed)))


def _confirm_card(ctx: PageContext, keys: CardKeys) -> None:
    confirm(ctx, keys.assessment_id, [keys.dimension_id])
    st.rerun()  # the whole page: its note and the goal's count of answers to confirm


def _use_theirs(keys: CardKeys) -> None:
    theirs = st.session_state.pop(keys.key("conflict"))["theirs"]
    if theirs["grade"] is None:
        keys.renew_grade()  # a radio shows no choice only when made anew
    else:
        st.session_state[keys.key("grade")] = theirs["grade"]
    st.session_state[keys.key("justification")] = theirs["justification"] or ""
    st.session_state[keys.key("evidence")] = theirs["evidence"] or ""
    st.session_state[keys.key("confidence")] = theirs["confidence"]


def _statements(ctx: PageContext, dim: Dimension, chosen: str | None) -> None:
    """The four statements side by side; on a narrow screen they wrap two by two."""
    row = st.container(horizontal=True, wrap=True, key=f"stmts-{dim.id.replace('.', '_')}")
    for letter in "ABCD":
        key = f"stmt-{dim.id.replace('.', '_')}-{letter}"
        with row.container(border=True, key=key, width=STATEMENT_WIDTH):
            mark = " ✓" if chosen == letter else ""
            st.markdown(f":{'blue' if mark else 'gray'}-background[**{letter}**{mark}]")
            st.markdown(plain(getattr(dim.statements, letter)[ctx.lang]))


def _guidance(ctx: PageContext, keys: CardKeys, dim: Dimension) -> None:
    box = folded(keys, "guidance", ctx.t("entry.guidance"), ":material/menu_book:")
    if not box.open:
        return
    with box:
        st.markdown(plain(dim.guidance[ctx.lang]))
        st.markdown(f"**{ctx.t('entry.suggested_evidence')}**")
        st.markdown("\n".join(f"- {plain(item[ctx.lang])}" for item in dim.evidence))


def _status_line(ctx: PageContext, keys: CardKeys, carried: bool) -> None:
    """Where the card's answer stands: a conflict, a refusal, not saved, carried over and still
    to confirm, or saved (at the browser's time)."""
    state = st.session_state
    stored = state.get(keys.key(STORED), {})
    if keys.key("conflict") in state:
        conflict = state[keys.key("conflict")]
        st.error(problems.message("conflict", ctx.lang, conflict["params"]))
        theirs = conflict["theirs"]
        st.markdown(
            plain(
                ctx.t(
                    "entry.conflict_theirs",
                    grade=theirs["grade"] or ctx.t("grade.none"),
                    justification=theirs["justification"] or "",
                )
            )
        )
        st.button(
            ctx.t("entry.use_theirs"), key=keys.key("take"), on_click=_use_theirs, args=(keys,)
        )
    elif keys.key("error") in state:
        refusal = state[keys.key("error")]
        st.error(problems.message(refusal["code"], ctx.lang, refusal["params"]))
    elif stored.get("acknowledged") != keys.shown():
        st.caption(f"✎ {ctx.t('entry.not_saved')}")
    elif carried:
        st.caption(ctx.t("entry.to_confirm"))
    elif stored.get("saved_at"):
        at = local(stored["saved_at"])
        st.caption(f"✓ {ctx.t('entry.saved_at', time=at)}", help=zone_name())
    elif any(keys.shown()):
        st.caption(f"✓ {ctx.t('entry.saved')}")
    else:
        st.caption(ctx.t("entry.not_saved_yet"))


def answer_card(
    ctx: PageContext,
    assessment_id: int,
    dim: Dimension,
    facts: CardFacts,
    editable: bool,
    group: str,
    focused: bool = False,
) -> None:
    """Draw one dimension with its widgets, as a fragment; every change is saved at once and
    reruns this card alone (with the overview when it must). Once graded, its statements fold
    away (unless the card is the one the user came to)."""
    keys = CardKeys(assessment_id, dim.id, group)
    card = st.fragment(_card, key=keys.key("card"))
    card(ctx, keys, dim, facts, editable, focused)


def _own_reads(draw: Callable[..., None]) -> Callable[..., None]:
    """``draw`` closing a reading session it opened itself (a fragment's own rerun, which
    ``serve`` does not wrap)."""

    @wraps(draw)
    def run(ctx: PageContext, *args: object) -> None:
        with ctx.own_reads():
            draw(ctx, *args)

    return run


@_own_reads
def _card(
    ctx: PageContext,
    keys: CardKeys,
    dim: Dimension,
    facts: CardFacts,
    editable: bool,
    focused: bool,
) -> None:
    group = keys.group
    _load(keys, facts.answer)
    grade = st.session_state[keys.key("grade")]
    carried = _carried(keys)
    with st.container(border=True, key=f"dim-{dim.id.replace('.', '_')}"):
        head = f"**{dim.id} · {plain(dim.title[ctx.lang])}** · {ctx.t('layer.' + dim.layer.value)}"
        st.markdown(head + (f" :orange-badge[{ctx.t('entry.to_confirm')}]" if carried else ""))
        st.markdown(plain(dim.question[ctx.lang]))
        for comment in facts.comments:
            st.warning(f"💬 {plain(comment.body)}")
        _guidance(ctx, keys, dim)
        if grade and not focused:
            box = folded(keys, "statements", ctx.t("entry.statements", grade=grade))
            if box.open:
                with box:
                    _statements(ctx, dim, grade)
        else:
            _statements(ctx, dim, grade)
        if facts.last_year is not None:
            year, old = facts.last_year
            st.caption(
                plain(
                    ctx.t(
                        "entry.last_year",
                        year=year,
                        grade=old.grade or ctx.t("grade.none"),
                        justification=old.justification,
                    )
                )
            )
        if group != CONSENSUS:
            agreed = facts.consensus.grade if facts.consensus else None
            st.caption(ctx.t("entry.consensus_grade", grade=agreed or ctx.t("grade.none")))
        if carried:
            st.warning(ctx.t("entry.carried_over"))
            st.button(
                ctx.t("entry.confirm"),
                key=keys.key("confirm"),
                on_click=_confirm_card,
                args=(ctx, keys),
                disabled=not editable,
            )
        options = GRADE_OPTIONS + (["NA"] if dim.na_allowed else [])
        save = {"on_change": _save, "args": (ctx, keys), "disabled": not editable}
        row = st.container(horizontal=True, vertical_alignment="bottom")
        with row:
            st.radio(
                ctx.t("entry.grade"),
                options,
                key=keys.key("grade"),
                horizontal=True,
                help=ctx.t("entry.dstar_help"),
                width="content",
                **save,
            )
            st.selectbox(
                ctx.t("entry.confidence"),
                CONFIDENCE,
                key=keys.key("confidence"),
                format_func=lambda c: ctx.t(f"entry.confidence.{c}"),
                placeholder=ctx.t("insights.choose"),
                width=180,
                **save,
            )
            if grade and editable:
                clear = {"on_click": _clear, "args": (ctx, keys), "type": "tertiary"}
                st.button(ctx.t("entry.clear"), key=keys.key("clear"), **clear)
        reason = ctx.t("entry.na_reason") if grade == "NA" else ctx.t("entry.justification")
        left, right = st.columns(2)
        left.text_area(reason, key=keys.key("justification"), height=90, **save)
        right.text_area(ctx.t("entry.evidence"), key=keys.key("evidence"), height=90, **save)
        _status_line(ctx, keys, carried)
        evidence_files(ctx, keys, facts.files, editable)
