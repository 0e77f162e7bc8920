"""The app's database: one engine per process; the embedded SQLite default migrates itself."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import streamlit as st
from sqlalchemy.engine import make_url
from starlette.concurrency import run_in_threadpool

from wddf.config import get_settings
from wddf.storage.db import Database, database_for
from wddf.storage.migrate import upgrade


def database() -> Database:
    """The database named by WDDF_DATABASE_URL. SQLite is upgraded to the newest schema at
    start; a server database is upgraded by its operator with ``python -m wddf db upgrade``."""
    return _open(get_settings().database_url)


@st.cache_resource(show_spinner=False, max_entries=4)
def _open(url: str) -> Database:
    if make_url(url).get_backend_name() == "sqlite":
        upgrade(url)
    return database_for(url)


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """At server start, bring the embedded SQLite database to the newest schema."""
    url = get_settings().database_url
    if make_url(url).get_backend_name() == "sqlite":
        await run_in_threadpool(upgrade, url)
    yield None
