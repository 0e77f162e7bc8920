"""A table of people by institution and stakeholder group: a panel's members, a workshop's
participants."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import pandas as pd
import streamlit as st

from wddf.ui.context import PageContext


class Person(Protocol):
    """Anyone listed with a name, an institution and a stakeholder group."""

    name: str
    institution: str
    group: str


def people_table(ctx: PageContext, people: Sequence[Person], key: str) -> None:
    """Name, institution and group (in the page's language), one row each."""
    st.dataframe(
        pd.DataFrame(
            {
                ctx.t("panels.member"): [p.name for p in people],
                ctx.t("panels.institution"): [p.institution for p in people],
                ctx.t("panels.group"): [ctx.t(f"group.{p.group}") for p in people],
            }
        ),
        hide_index=True,
        key=key,
    )
