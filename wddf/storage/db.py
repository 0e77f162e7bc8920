"""Engines and sessions: SQLite (embedded default) or PostgreSQL through psycopg 3.

SQLite runs with WAL, foreign keys on, a busy timeout, and ``BEGIN IMMEDIATE`` so that a
writer takes the lock at the start of its transaction instead of failing half-way. Sessions made
by ``Database.reader()`` only read: they begin with a plain ``BEGIN`` and never take the lock.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from wddf.errors import ErrorCode, Invalid

SQLITE_BUSY_TIMEOUT_MS = 10_000
# PostgreSQL: a restore holds this advisory lock exclusively; every unit of work holds it shared,
# so a restore waits for the writes under way, and a write that starts during a restore is refused
# at once (``restore_in_progress``) instead of deadlocking with the restore's table locks.
RESTORE_LOCK = 0x5744_4446  # "WDDF"
READ_ONLY = "wddf_read_only"  # execution option of reading sessions
T = TypeVar("T")
MAX_ROW_ID = 2**31 - 1  # integer primary keys are 32-bit on PostgreSQL


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:  # pragma: no cover - driver hook
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:  # pragma: no cover - driver hook
        reading = connection.get_execution_options().get(READ_ONLY)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created when missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    """One engine and its session factory."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readers = sessionmaker(
            self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on error. On PostgreSQL it
        first takes ``RESTORE_LOCK`` shared, or is refused while a restore runs."""
        with self._sessions() as session, session.begin():
            if self.engine.dialect.name == "postgresql":
                taken = session.execute(
                    text("SELECT pg_try_advisory_xact_lock_shared(:key)"), {"key": RESTORE_LOCK}
                ).scalar()
                if not taken:
                    raise Invalid(ErrorCode.RESTORE_IN_PROGRESS)
            yield session

    def reader(self) -> Session:
        """A session for reads only, for the caller to close (on SQLite it never takes the
        write lock; it sees one snapshot until it is closed)."""
        return self._readers()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


@lru_cache(maxsize=4)
def database_for(url: str) -> Database:
    """The process's one Database for ``url`` (engines pool connections; make one per URL)."""
    return Database(url)


ROW_ID_TEXT = re.compile(r"[1-9][0-9]{0,9}")


def row_id(text: str | None) -> int | None:
    """An id written in text (a URL's ``?assessment=12``), read exactly: ASCII digits within what
    a key can be; None for anything else (``²``, ``-1``, ``1e9``, ``%00``, 5,000 digits)."""
    if text is None or not ROW_ID_TEXT.fullmatch(text) or int(text) > MAX_ROW_ID:
        return None
    return int(text)


def get_row(session: Session, model: type[T], row_id: object, **options: Any) -> T | None:
    """The row of ``model`` with the primary key ``row_id``, or None: also for an id no row can
    have (not an integer, or beyond what the column holds, which PostgreSQL would refuse with an
    error rather than find nothing). Ids that come from a user or a URL are read through here."""
    if isinstance(row_id, bool) or not isinstance(row_id, int) or not 0 < row_id <= MAX_ROW_ID:
        return None
    return session.get(model, row_id, **options)
