"""Migrations take an empty database to the newest schema, on every backend."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select

from tests.storage.conftest import BACKENDS, new_database_url
from tests.storage.helpers import seeded_countries
from wddf.storage.db import Database
from wddf.storage.migrate import current_revision, head_revision, upgrade
from wddf.storage.tables import ActionItem, Base, Country


@pytest.mark.parametrize("backend", BACKENDS)
def test_empty_database_to_head(backend, tmp_path):
    url, drop = new_database_url(backend, tmp_path)
    try:
        assert current_revision(url) is None
        upgrade(url)
        assert current_revision(url) == head_revision() == "0009_notices_and_mail"
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


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_action_of_one_dimension_becomes_a_reform_that_addresses_it(backend, tmp_path):
    url, drop = new_database_url(backend, tmp_path)
    try:
        upgrade(url, "0003_editions")
        db = Database(url)
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO users (id, username, display_name, role, active, failed_logins, "
                "created_at) VALUES (1, 'fp', '', 'admin', true, 0, CURRENT_TIMESTAMP)"
            )
            connection.exec_driver_sql(
                "INSERT INTO assessments (id, country, year, edition_id, status, is_demo, "
                "version, created_at, updated_at) VALUES (1, 'SLE', 2024, 'wddf-1.0', 'draft', "
                "false, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
            connection.exec_driver_sql(
                "INSERT INTO action_items (id, assessment_id, dimension_id, action, owner, status, "
                "created_at) VALUES (7, 1, 'WD3.2.3', 'Reconcile', 'KP office', 'open', "
                "CURRENT_TIMESTAMP)"
            )
        db.dispose()
        upgrade(url)
        db = Database(url)
        with db.session() as session:
            item = session.get(ActionItem, 7)
            assert (item.dimension_ids, item.action, item.partners, item.priority) == (
                ["WD3.2.3"],
                "Reconcile",
                "",
                None,
            )
        db.dispose()
    finally:
        drop()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_migrations_build_the_schema_the_code_declares(backend, tmp_path):
    """Alembic finds nothing to add, drop or change between the migrated database and the
    tables of ``wddf.storage.tables``."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    url, drop = new_database_url(backend, tmp_path)
    try:
        upgrade(url)
        db = Database(url)
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        db.dispose()
        assert differences == []
    finally:
        drop()
