"""The one reader of the values a page takes from its address (``?assessment=12``).

A value is read exactly or not at all (``storage.db.row_id``): anything that is not an id any row
can have (``²``, ``-1``, ``1e9``, ``%00``, 5,000 digits) reads as an odd value, which a page
answers with its translated "not found", never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from wddf.storage.db import row_id


@dataclass(frozen=True)
class UrlId:
    """An id from the address: ``given`` when the parameter is there, ``value`` when it reads as
    an id (None for an odd value)."""

    given: bool
    value: int | None


def url_id(name: str) -> UrlId:
    """The id the address gives under ``name``."""
    raw = st.query_params.get(name)
    return UrlId(raw is not None, row_id(raw))
