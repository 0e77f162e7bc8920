"""An edition's notes: how to read it, and the words of proportion it defines."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wddf.i18n import t
from wddf.questionnaire.schema import Edition
from wddf.ui.components.text import plain


def edition_notes(edition: Edition, lang: str) -> None:
    """A folded "how to read this edition" with the notes and the quantifiers, when it has any."""
    if not edition.notes and not edition.quantifiers:
        return
    with st.expander(t("browser.notes", lang)):
        if edition.notes:
            st.markdown(plain(edition.notes.get(lang, edition.notes[edition.languages[0]])))
        if edition.quantifiers:
            first = edition.languages[0]
            st.dataframe(
                pd.DataFrame(
                    {
                        t("browser.quantifier", lang): [
                            q.term.get(lang, q.term[first]) for q in edition.quantifiers
                        ],
                        t("browser.meaning", lang): [
                            q.meaning.get(lang, q.meaning[first]) for q in edition.quantifiers
                        ],
                    }
                ),
                hide_index=True,
            )
