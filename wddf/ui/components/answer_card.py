"""One dimension on the entry page: statements side by side, the grade, and what justifies it.

Every change is saved at once through the assessments service, with the row version this
browser last saw; a conflict shows the other person's answer and overwrites nothing. Widget
keys are built from the assessment and dimension ids.

Besides the widgets' own values, ``st.session_state`` keeps per card only plain values: the row
version the browser has seen (the token of the conflict check), the time of the last save, and
the last refusal as a code with its parameters (never an exception object).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import streamlit as st

from wddf.domain import GRADED, Confidence
from wddf.questionnaire.schema import Dimension
from wddf.services import assessments, evidence
from wddf.services.assessments import AnswerInput
from wddf.services.errors import Conflict, ServiceError
from wddf.storage.tables import Answer, EvidenceFile
from wddf.ui.components.download import download
from wddf.ui.components.text import plain
from wddf.ui.context import PageContext

GRADE_OPTIONS = [g.value for g in GRADED]
CONFIDENCE = [c.value for c in Confidence]
STATEMENT_WIDTH = 185  # px: four fit side by side at 1280 px; two by two on a tablet


@dataclass(frozen=True)
class CardKeys:
    """The session-state keys of one dimension's widgets and save state."""

    assessment_id: int
    dimension_id: str
    group: str

    def key(self, kind: str) -> str:
        return f"{kind}:{self.assessment_id}:{self.dimension_id}:{self.group}"


def _clock(moment: datetime) -> str:
    """hh:mm in the server's time zone (stored times are UTC; SQLite returns them naive)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone().strftime("%H:%M")


def _load(keys: CardKeys, answer: Answer | None) -> None:
    """Put the stored answer into the widgets, once per browser session (the DB is the truth)."""
    if keys.key("rv") in st.session_state:
        return
    st.session_state[keys.key("g")] = answer.grade if answer else None
    st.session_state[keys.key("j")] = answer.justification if answer else ""
    st.session_state[keys.key("e")] = answer.evidence if answer else ""
    st.session_state[keys.key("c")] = answer.confidence if answer else None
    st.session_state[keys.key("rv")] = answer.row_version if answer else 0
    st.session_state[keys.key("at")] = _clock(answer.updated_at) if answer else None


def _save(ctx: PageContext, keys: CardKeys) -> None:
    """Autosave callback: one answer, one commit. (Callbacks of one browser session never overlap:
    ``runner.fastReruns`` is off in ``.streamlit/config.toml``; with it on, a second runner's start
    could drop the row version this callback writes, and the next save would conflict with the
    user's own.)"""
    state = st.session_state
    given = AnswerInput(
        keys.dimension_id,
        state[keys.key("g")],
        state[keys.key("j")] or "",
        state[keys.key("e")] or "",
        state[keys.key("c")],
        keys.group,
    )
    state.pop(keys.key("conflict"), None)
    state.pop(keys.key("error"), None)
    try:
        actor = ctx.acting()  # the session may have been revoked since the page was drawn
        with ctx.db.session() as session:
            saved = assessments.save_answer(
                session, actor, keys.assessment_id, given, state[keys.key("rv")]
            )
    except Conflict as conflict:
        state[keys.key("conflict")] = {"params": conflict.params, "theirs": dict(conflict.theirs)}
        # a new change, made knowingly, may replace theirs
        state[keys.key("rv")] = conflict.row_version
        return
    except ServiceError as exc:
        state[keys.key("error")] = {"code": str(exc.code), "params": exc.params}
        return
    state[keys.key("rv")] = saved.row_version
    state[keys.key("at")] = _clock(saved.saved_at)


def _use_theirs(keys: CardKeys) -> None:
    theirs = st.session_state.pop(keys.key("conflict"))["theirs"]
    st.session_state[keys.key("g")] = theirs["grade"]
    st.session_state[keys.key("j")] = theirs["justification"] or ""
    st.session_state[keys.key("e")] = theirs["evidence"] or ""
    st.session_state[keys.key("c")] = theirs["confidence"]


def _statements(ctx: PageContext, dim: Dimension, chosen: str | None) -> None:
    """The four statements side by side; on a narrow screen they wrap two by two."""
    row = st.container(horizontal=True, wrap=True, key=f"stmts-{dim.id.replace('.', '_')}")
    for letter in "ABCD":
        key = f"stmt-{dim.id.replace('.', '_')}-{letter}"
        with row.container(border=True, key=key, width=STATEMENT_WIDTH):
            mark = " ✓" if chosen == letter else ""
            st.markdown(f":{'blue' if mark else 'gray'}-background[**{letter}**{mark}]")
            st.markdown(plain(getattr(dim.statements, letter)[ctx.lang]))


def _status_line(ctx: PageContext, keys: CardKeys) -> None:
    state = st.session_state
    if keys.key("conflict") in state:
        conflict = state[keys.key("conflict")]
        st.error(ctx.t("error.conflict", **conflict["params"]))
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
        st.error(ctx.t(f"error.{refusal['code']}", **refusal["params"]))
    elif state.get(keys.key("at")):
        st.caption(f"✓ {ctx.t('entry.saved_at', time=state[keys.key('at')])}")
    else:
        st.caption(ctx.t("entry.not_saved_yet"))


def _files(ctx: PageContext, keys: CardKeys, stored: list[EvidenceFile], editable: bool) -> None:
    with st.expander(f"{ctx.t('entry.files')} ({len(stored)})"):
        for item in stored:
            st.caption(
                f"📎 {plain(item.name)} · {item.size / 1000:.0f} kB · sha256 {item.sha256[:12]}…"
            )
            download(ctx, item.name, "evidence", f"evidence-{item.id}", item.name, file=item.id)
        if not editable:
            return
        upload = st.file_uploader(ctx.t("entry.upload"), key=keys.key("f"))
        if upload is not None and st.session_state.get(keys.key("f_done")) != upload.file_id:
            try:
                with ctx.write() as session:
                    evidence.add_file(
                        session,
                        ctx.acting(),
                        keys.assessment_id,
                        keys.dimension_id,
                        upload.name,
                        upload.getvalue(),
                    )
                st.session_state[keys.key("f_done")] = upload.file_id
                st.success(ctx.t("entry.uploaded", name=upload.name))
            except ServiceError as exc:
                ctx.error(exc)


def answer_card(
    ctx: PageContext,
    assessment_id: int,
    dim: Dimension,
    answer: Answer | None,
    last_year: tuple[int, Answer] | None,
    editable: bool,
    group: str,
    files: list[EvidenceFile],
) -> None:
    """Draw one dimension with its widgets; every change is saved at once."""
    keys = CardKeys(assessment_id, dim.id, group)
    _load(keys, answer)
    grade = st.session_state[keys.key("g")]
    with st.container(border=True, key=f"dim-{dim.id.replace('.', '_')}"):
        st.markdown(
            f"**{dim.id} · {plain(dim.title[ctx.lang])}** · {ctx.t('layer.' + dim.layer.value)}"
        )
        st.markdown(plain(dim.question[ctx.lang]))
        _statements(ctx, dim, grade)
        if last_year is not None:
            year, old = last_year
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
        if answer is not None and answer.carried_over:
            st.warning(ctx.t("entry.carried_over"))
            st.button(
                ctx.t("entry.confirm"),
                key=keys.key("confirm"),
                on_click=_save,
                args=(ctx, keys),
                disabled=not editable,
            )
        options = GRADE_OPTIONS + (["NA"] if dim.na_allowed else [])
        save = {"on_change": _save, "args": (ctx, keys), "disabled": not editable}
        st.radio(
            ctx.t("entry.grade"),
            options,
            key=keys.key("g"),
            horizontal=True,
            help=ctx.t("entry.dstar_help"),
            **save,
        )
        reason = ctx.t("entry.na_reason") if grade == "NA" else ctx.t("entry.justification")
        st.text_area(reason, key=keys.key("j"), height=80, **save)
        left, right = st.columns([3, 1])
        left.text_area(ctx.t("entry.evidence"), key=keys.key("e"), height=68, **save)
        right.selectbox(
            ctx.t("entry.confidence"),
            CONFIDENCE,
            key=keys.key("c"),
            format_func=lambda c: ctx.t(f"entry.confidence.{c}"),
            **save,
        )
        _status_line(ctx, keys)
        _files(ctx, keys, files, editable)
