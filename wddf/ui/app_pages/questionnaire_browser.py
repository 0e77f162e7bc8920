"""The questionnaire browser: the reference text of an edition, one policy goal at a time."""

from __future__ import annotations

import streamlit as st

from wddf.i18n import number, t
from wddf.questionnaire.schema import Dimension, Edition, Goal
from wddf.ui.components.edition_notes import edition_notes
from wddf.ui.components.preferences import edition_choice
from wddf.ui.components.text import plain
from wddf.ui.context import PageContext


def _goal_choice(edition: Edition, lang: str) -> Goal:
    by_id = {g.id: g for g in edition.goals}
    if st.session_state.get("goal") not in by_id:
        wanted = st.query_params.get("goal")
        st.session_state["goal"] = wanted if wanted in by_id else edition.goals[0].id
    st.selectbox(
        t("browser.goal", lang),
        list(by_id),
        key="goal",
        format_func=lambda gid: f"{gid} · {by_id[gid].title[lang]}",
    )
    st.query_params["goal"] = st.session_state["goal"]
    return by_id[st.session_state["goal"]]


def _dimension(dim: Dimension, lang: str) -> None:
    label = f"{dim.id} · {dim.title[lang]} · {t('layer.' + dim.layer.value, lang)}"
    with st.expander(plain(label), expanded=False):
        st.markdown(f"**{t('browser.question', lang)}** {plain(dim.question[lang])}")
        st.caption(t("browser.statements", lang))
        for column, key in zip(st.columns(4), "ABCD", strict=True):
            with column.container(border=True, key=f"stmt-{dim.id.replace('.', '_')}-{key}"):
                st.markdown(f"**{key}**")
                st.markdown(plain(getattr(dim.statements, key)[lang]))
        st.markdown(f"**{t('browser.guidance', lang)}** {plain(dim.guidance[lang])}")
        evidence = "\n".join(f"- {plain(item[lang])}" for item in dim.evidence)
        st.markdown(f"**{t('browser.evidence', lang)}**\n{evidence}")
        if dim.na_allowed and dim.na_hint:
            st.markdown(f"**{t('browser.na_allowed', lang)}** {plain(dim.na_hint[lang])}")
        else:
            st.caption(t("browser.na_not_allowed", lang))
        if dim.continues:
            comparability = t("comparability." + dim.continues.comparability.value, lang)
            st.caption(
                t(
                    "browser.continues",
                    lang,
                    dimension=dim.continues.dimension,
                    edition=dim.continues.edition,
                    comparability=comparability,
                )
            )


def render(ctx: PageContext) -> None:
    """Draw the page."""
    lang = ctx.lang
    edition = edition_choice(ctx)
    st.title(t("browser.heading", lang))
    if edition is None:
        st.error(t("browser.no_edition", lang))
        return
    st.caption(t("browser.intro", lang))
    n_ind = sum(len(g.indicators) for g in edition.goals)
    counts = t(
        "browser.counts",
        lang,
        goals=len(edition.goals),
        indicators=n_ind,
        dimensions=len(edition.dimensions()),
    )
    st.info(f"{plain(edition.title[lang])} · {counts}\n\n{plain(edition.source_note[lang])}")
    edition_notes(edition, lang)
    goal = _goal_choice(edition, lang)
    st.header(plain(f"{goal.id} · {goal.title[lang]}"))
    st.markdown(plain(goal.description[lang]))
    for ind in goal.indicators:
        st.header(plain(f"{ind.id} · {ind.title[lang]}"))
        st.caption(
            t(
                "browser.indicator_meta",
                lang,
                method=ind.method.value,
                weight=number(ind.weight, lang),
            )
        )
        for dim in ind.dimensions:
            _dimension(dim, lang)
