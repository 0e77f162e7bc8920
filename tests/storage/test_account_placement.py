"""One rule says where an account belongs (``domain.country_placement``): a country role has a
country, every other role has none. The services, the command line and restore keep it, so
whatever the services accept, a backup restores, identical, on both databases."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from tests.conftest import run_wddf
from tests.storage.conftest import PASSWORD, new_database_url
from tests.storage.test_backup import snapshot
from wddf.domain import Group, Role
from wddf.errors import ErrorCode, Invalid, ServiceError
from wddf.services import accounts
from wddf.services.actor import SYSTEM
from wddf.services.editions import prepare_database
from wddf.storage.backup import backup, restore
from wddf.storage.db import Database
from wddf.storage.tables import AuditEntry, User


@pytest.mark.parametrize("role", [Role.ADMIN, Role.REVIEWER, Role.DONOR])
def test_a_role_of_no_country_is_refused_a_country(db, people, role):
    with pytest.raises(Invalid) as refused, db.session() as session:
        accounts.create_user(session, SYSTEM, f"x-{role.value}", role, PASSWORD, country="SLE")
    assert refused.value.code is ErrorCode.COUNTRY_NOT_ALLOWED
    assert "SLE" in refused.value.message("fr")
    with pytest.raises(Invalid) as moved, db.session() as session:
        accounts.update_user(session, SYSTEM, people["reviewer"].id, Role.ADMIN, "SLE", None)
    assert moved.value.code is ErrorCode.COUNTRY_NOT_ALLOWED
    with db.session() as session:
        stored = session.scalar(select(User).where(User.id == people["reviewer"].id))
    assert (stored.role, stored.country) == ("reviewer", None)


def test_the_command_line_refuses_an_administrator_with_a_country(db):
    run = run_wddf(
        "users", "add", "root-sle", "--role", "admin", "--country", "SLE", "--password-stdin",
        url=db.url, stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert "(SLE)" in run.stderr and "Traceback" not in run.stderr
    with db.session() as session:
        assert session.scalar(select(User).where(User.username == "root-sle")) is None


PLACEMENTS = st.tuples(
    st.sampled_from(list(Role)),
    st.sampled_from([None, "SLE", "GUY", "XXX", ""]),
    st.sampled_from([None, *[g.value for g in Group], "bogus"]),
)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(PLACEMENTS, min_size=1, max_size=4))
def test_whatever_the_services_accept_a_backup_restores_identical(db, placements):
    with db.session() as session:  # each example starts with no accounts
        session.execute(delete(AuditEntry))
        session.execute(delete(User))
    for number, (role, country, group) in enumerate(placements):
        try:
            with db.session() as session:
                accounts.create_user(
                    session, SYSTEM, f"user-{number}", role, PASSWORD, country=country, group=group
                )
        except ServiceError:
            pass  # refused, nothing written
    backend = "sqlite" if db.url.startswith("sqlite") else "postgresql"
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = new_database_url(backend, tmp)
        try:
            prepare_database(url)
            archive = Path(tmp) / "wddf.zip"
            backup(db.url, archive)
            restored = Database(url)
            restore(url, archive)
            assert snapshot(restored) == snapshot(db)
            restored.dispose()
        finally:
            drop()
