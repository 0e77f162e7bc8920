"""The app's database: one engine per process; the embedded SQLite default migrates itself."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from typing import Any

from sqlalchemy.engine import make_url
from starlette.concurrency import run_in_threadpool

from wddf.config import get_settings
from wddf.services.editions import prepare_database
from wddf.services.mail import start_background_sender
from wddf.storage.db import Database, database_for


def database() -> Database:
    """The process's one database (``storage.db.database_for``) named by WDDF_DATABASE_URL, made
    ready once per process (see ``_prepare``)."""
    url = get_settings().database_url
    _prepare(url)
    return database_for(url)


@cache
def _prepare(url: str) -> None:
    """SQLite is upgraded to the newest schema (a server database is upgraded by its operator
    with ``python -m wddf db upgrade``); the editions of the questionnaires folder that the
    database lacks are installed, and every stored edition is checked against its checksum."""
    prepare_database(url, migrate=make_url(url).get_backend_name() == "sqlite")


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """At server start, make the database ready (a tampered edition stops the start here), then
    start the server's mail sender when a relay is set (``services.mail``)."""
    await run_in_threadpool(_prepare, get_settings().database_url)
    start_background_sender()
    yield None
