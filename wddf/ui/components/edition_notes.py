"""An edition's notes: how to read it, and the words of proportion it defines."""

from __future__ import annotations

import re

import streamlit as st

from wddf.i18n import t
from wddf.questionnaire.schema import Edition
from wddf.ui.components.text import plain


def edition_notes(edition: Edition, lang: str) -> None:
    """A folded "how to read this edition" with the notes, one numbered point per paragraph, and
    each quantifier with its meaning, when the edition has any."""
    if not edition.notes and not edition.quantifiers:
        return
    first = edition.languages[0]
    with st.expander(t("browser.notes", lang)):
        if edition.notes:
            points = re.split(r" (?=\(\d+\) )", edition.notes.get(lang, edition.notes[first]))
            st.markdown("\n\n".join(plain(point) for point in points))
        if edition.quantifiers:
            lines = [
                f"- **{plain(q.term.get(lang, q.term[first]))}** — "
                f"{plain(q.meaning.get(lang, q.meaning[first]))}"
                for q in edition.quantifiers
            ]
            st.markdown(f"**{t('browser.quantifiers', lang)}**\n\n" + "\n".join(lines))
