"""Every storage test runs on SQLite, and on PostgreSQL when WDDF_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import ROOT
from wddf.domain import Role
from wddf.services import accounts, editions
from wddf.services.actor import SYSTEM, Actor
from wddf.services.editions import prepare_database
from wddf.storage.db import Database
from wddf.storage.tables import Base, ContinuityRevisionRecord, EditionRecord

PG_URL = os.environ.get("WDDF_TEST_DATABASE_URL")
BACKENDS = [pytest.param("sqlite", id="sqlite")]
if PG_URL:
    BACKENDS.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres))
KEEP = {"countries", "editions", "continuity_revisions", "alembic_version"}
# The editions shipped in questionnaires/, installed by prepare_database; others a test installs.
SHIPPED_IDS = sorted(p.stem for p in (ROOT / "questionnaires").glob("wddf-*.yaml"))
# ... and their continuity revisions, by checksum.
SHIPPED_REVISIONS = sorted(
    editions.checksum(p.read_text("utf-8"))
    for p in (ROOT / "questionnaires" / "continuity").glob("*.yaml")
)
PASSWORD = "Correct-horse-7"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked ``sqlite_only`` checks something the database does not touch (LibreOffice
    printing a file, a command's exit path): its PostgreSQL run is left out, not skipped."""
    dropped = [
        item
        for item in items
        if item.get_closest_marker("sqlite_only") and "[postgresql" in item.nodeid
    ]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]


def new_database_url(backend: str, tmp_dir) -> tuple[str, callable]:
    """A fresh, empty database and a function that drops it."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_dir}/wddf-{uuid.uuid4().hex[:8]}.sqlite3", lambda: None
    name = f"wddf_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory) -> Iterator[str]:
    """A migrated database per backend, shared by the session (emptied after each test)."""
    url, drop = new_database_url(request.param, tmp_path_factory.mktemp("db"))
    prepare_database(url)
    yield url
    drop()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """The database, emptied of everything but the seeded countries after the test."""
    database = Database(database_url)
    yield database
    with database.session() as session:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in KEEP:
                session.execute(table.delete())
        revisions = ContinuityRevisionRecord.__table__
        session.execute(revisions.delete().where(revisions.c.checksum.notin_(SHIPPED_REVISIONS)))
        shipped_only = EditionRecord.__table__.delete().where(EditionRecord.id.notin_(SHIPPED_IDS))
        session.execute(shipped_only)  # editions a test installed
    database.dispose()


def make_user(
    db: Database, name: str, role: Role, country: str | None = None, group: str | None = None
) -> Actor:
    """An account created by the operator, with the shared test password."""
    with db.session() as session:
        return accounts.create_user(
            session, SYSTEM, name, role, PASSWORD, country=country, group=group
        )


@pytest.fixture
def people(db: Database) -> dict[str, Actor]:
    """One account of every role; country roles in Sierra Leone, plus a focal point for Guyana."""
    return {
        "admin": make_user(db, "admin", Role.ADMIN),
        "focal": make_user(db, "focal-sle", Role.FOCAL_POINT, "SLE"),
        "other_focal": make_user(db, "focal-guy", Role.FOCAL_POINT, "GUY"),
        "panelist": make_user(db, "panel-sle", Role.PANELIST, "SLE", "civil_society"),
        "reviewer": make_user(db, "reviewer", Role.REVIEWER),
        "donor": make_user(db, "donor", Role.DONOR),
    }
