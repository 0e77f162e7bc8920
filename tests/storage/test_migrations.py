"""Migrations take an empty database to the newest schema, on every backend."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select

from tests.storage.conftest import BACKENDS, new_database_url
from tests.storage.helpers import seeded_countries
from wddf.storage.db import Database
from wddf.storage.migrate import current_revision, head_revision, upgrade
from wddf.storage.tables import Base, Country


@pytest.mark.parametrize("backend", BACKENDS)
def test_empty_database_to_head(backend, tmp_path):
    url, drop = new_database_url(backend, tmp_path)
    try:
        assert current_revision(url) is None
        upgrade(url)
        assert current_revision(url) == head_revision() == "0003_editions"
        db = Database(url)
        tables = set(inspect(db.engine).get_table_names())
        assert {t.name for t in Base.metadata.sorted_tables} <= tables
        with db.session() as session:
            assert len(session.scalars(select(Country)).all()) == len(seeded_countries())
        upgrade(url)  # running again changes nothing
        db.dispose()
    finally:
        drop()


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path):
    url, _ = new_database_url("sqlite", tmp_path)
    upgrade(url)
    db = Database(url)
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    db.dispose()
