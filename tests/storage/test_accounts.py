"""Accounts: argon2id, weak passwords refused, sessions that expire and are revoked, throttling."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from tests.storage.conftest import PASSWORD, make_user
from wddf.config import get_settings
from wddf.domain import Role
from wddf.errors import ErrorCode, Invalid, NotAllowed
from wddf.services import accounts
from wddf.services.accounts import passwords
from wddf.storage.db import Database
from wddf.storage.tables import AuditEntry, AuthSession, User


@pytest.fixture(autouse=True)
def _no_throttle_left_over():
    """Each test starts with no sign-in attempts counted."""
    accounts.THROTTLE.clear()


def sign_in(db, name, password=PASSWORD, address="192.0.2.1"):
    """Sign in; a refusal is raised here so tests can use pytest.raises."""
    result = accounts.sign_in(db, name, password, address)
    if isinstance(result, Invalid):
        raise result
    return result


def resolve(db, token):
    with db.session() as session:
        return accounts.resolve_session(session, token)


def test_first_account_must_be_an_admin_and_later_ones_need_an_admin(db):
    with db.session() as session, pytest.raises(NotAllowed):
        accounts.create_user(session, None, "fp", Role.FOCAL_POINT, PASSWORD, country="SLE")
    with db.session() as session:
        admin = accounts.create_user(session, None, "root", Role.ADMIN, PASSWORD)
    with db.session() as session, pytest.raises(NotAllowed):
        accounts.create_user(session, None, "second", Role.ADMIN, PASSWORD)
    with db.session() as session:
        assert (
            accounts.create_user(
                session, admin, "fp", Role.FOCAL_POINT, PASSWORD, country="SLE"
            ).country
            == "SLE"
        )


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short1!", "weak_password_short"),
        ("password123", "weak_password_common"),
        ("aaaaaaaaaaaa", "weak_password_common"),
        ("xx-newuser-2024", "weak_password_username"),
    ],
)
def test_weak_passwords_are_refused(db, people, password, code):
    with db.session() as session, pytest.raises(Invalid) as refused:
        accounts.create_user(session, people["admin"], "newuser", Role.DONOR, password)
    assert refused.value.code == code
    with db.session() as session:
        assert session.scalar(select(User).where(User.username == "newuser")) is None


def test_passwords_are_argon2id_hashes(db, people):
    with db.session() as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "donor"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_sign_in_session_survives_until_sign_out(db, people):
    signed = sign_in(db, "focal-sle")
    assert resolve(db, signed.token).username == "focal-sle"
    with db.session() as session:
        accounts.sign_out(session, signed.token)
    assert resolve(db, signed.token) is None
    assert resolve(db, "not-a-token") is None


def test_sessions_expire_when_idle_or_too_old(db, people):
    idle, old = sign_in(db, "donor"), sign_in(db, "donor")
    with db.session() as session:
        rows = session.scalars(select(AuthSession).order_by(AuthSession.id)).all()
        rows[0].last_seen_at -= accounts.IDLE_EXPIRY + timedelta(minutes=1)
        rows[1].created_at -= accounts.ABSOLUTE_EXPIRY + timedelta(minutes=1)
    assert resolve(db, idle.token) is None and resolve(db, old.token) is None


def test_repeated_failures_lock_the_account(db, people):
    for _ in range(accounts.MAX_FAILED_LOGINS):
        with pytest.raises(Invalid):
            sign_in(db, "reviewer", "wrong-password-0")
    with pytest.raises(Invalid) as locked:
        sign_in(db, "reviewer")  # the right password, too late
    assert locked.value.code is ErrorCode.BAD_CREDENTIALS  # as for an unknown account


def test_changing_the_password_revokes_every_session(db, people):
    first, second = sign_in(db, "panel-sle"), sign_in(db, "panel-sle")
    with db.session() as session:
        accounts.change_password(session, first.actor, PASSWORD, "Another-good-pass-9")
    assert resolve(db, first.token) is None and resolve(db, second.token) is None
    assert sign_in(db, "panel-sle", "Another-good-pass-9").actor.username == "panel-sle"


def test_hash_is_renewed_when_parameters_change(db, people):
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    with db.session() as session:
        session.execute(
            update(User).where(User.username == "donor").values(password_hash=weak.hash(PASSWORD))
        )
    sign_in(db, "donor")
    with db.session() as session:
        renewed = session.scalar(select(User.password_hash).where(User.username == "donor"))
    assert not passwords.hasher().check_needs_rehash(renewed)


def test_deactivated_user_is_signed_out_and_cannot_sign_in(db, people):
    signed = sign_in(db, "donor")
    with db.session() as session:
        accounts.set_active(session, people["admin"], people["donor"].id, False)
    assert resolve(db, signed.token) is None
    with pytest.raises(Invalid):
        sign_in(db, "donor")


def test_oidc_maps_by_issuer_and_subject_only(db, people):
    with db.session() as session:
        accounts.link_oidc(
            session, people["admin"], people["reviewer"].id, "https://id.example", "abc-123"
        )
    with db.session() as session:
        assert (
            accounts.actor_for_oidc(session, "https://id.example", "abc-123").username == "reviewer"
        )
        assert accounts.actor_for_oidc(session, "https://other.example", "abc-123") is None
        with pytest.raises(NotAllowed):
            accounts.link_oidc(
                session, people["focal"], people["focal"].id, "https://id.example", "x"
            )


def test_only_admins_manage_accounts(db, people):
    with db.session() as session, pytest.raises(NotAllowed):
        accounts.create_user(session, people["reviewer"], "x", Role.DONOR, PASSWORD)
    with db.session() as session, pytest.raises(NotAllowed):
        accounts.reset_password(session, people["focal"], people["donor"].id, "Brand-new-pass-1")
    assert make_user(db, "later", Role.DONOR).role is Role.DONOR


def test_production_hashing_uses_the_recommended_argon2id_parameters():
    from argon2 import Type
    from argon2.profiles import RFC_9106_LOW_MEMORY

    from wddf.config import Settings

    assert Settings.model_fields["password_hashing"].default == "production"
    production = passwords.HASHERS["production"]
    assert production.type is Type.ID
    assert (production.time_cost, production.memory_cost, production.parallelism) == (
        RFC_9106_LOW_MEMORY.time_cost,
        RFC_9106_LOW_MEMORY.memory_cost,
        RFC_9106_LOW_MEMORY.parallelism,
    )


def test_parallel_bursts_of_wrong_passwords_check_at_most_the_allowed_attempts(
    db, people, monkeypatch
):
    """24 parallel wrong passwords from 24 addresses, twice: argon2 checks at most
    ``GLOBAL_STEP`` of them; the account is then slowed down, and even the right password is
    refused for now, with the words "wait a minute", without being checked. From one address,
    24 parallel guesses check at most ``MAX_FAILED_LOGINS``."""
    checked = []
    real = passwords.hasher()

    class Counting:
        def verify(self, stored, password):
            checked.append(password)
            return real.verify(stored, password)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(passwords, "hasher", Counting)

    def burst(name: str, address) -> list:
        barrier = threading.Barrier(24)

        def attempt(n: int) -> Invalid | accounts.SignIn:
            barrier.wait()
            return accounts.sign_in(db, name, f"wrong-{n}", address(n))

        with ThreadPoolExecutor(24) as pool:
            return list(pool.map(attempt, range(24)))

    refusals = {ErrorCode.BAD_CREDENTIALS, ErrorCode.THROTTLED}
    for _ in range(2):
        results = burst("reviewer", lambda n: f"198.51.100.{n}")
        assert all(isinstance(r, Invalid) and r.code in refusals for r in results)
    assert 0 < len(checked) <= accounts.GLOBAL_STEP
    accounts.THROTTLE.clear()
    refused = accounts.sign_in(db, "reviewer", PASSWORD, "198.51.100.99")
    assert isinstance(refused, Invalid) and refused.code is ErrorCode.THROTTLED
    assert "Attendez une minute" in refused.message("fr")
    assert len(checked) <= accounts.GLOBAL_STEP  # the right password was not even checked
    checked.clear()
    accounts.THROTTLE.clear()
    results = burst("donor", lambda n: "203.0.113.50")
    assert all(isinstance(r, Invalid) and r.code in refusals for r in results)
    assert 0 < len(checked) <= accounts.MAX_FAILED_LOGINS


def test_guesses_from_one_address_lock_that_address_out_never_the_owner_elsewhere(db, people):
    """An attacker at 127.0.0.2 guesses five times: their own right-password attempt is then
    refused, as a wrong password is; the owner at 127.0.0.3 signs in at once. Case variants of
    the name count as the name, per address."""
    for n in range(accounts.MAX_FAILED_LOGINS):
        refused = accounts.sign_in(db, "focal-sle", f"guess-{n}", "127.0.0.2")
        assert refused.code is ErrorCode.BAD_CREDENTIALS
    locked = accounts.sign_in(db, "focal-sle", PASSWORD, "127.0.0.2")
    assert isinstance(locked, Invalid) and locked.code is ErrorCode.BAD_CREDENTIALS
    owner = accounts.sign_in(db, "focal-sle", PASSWORD, "127.0.0.3")
    assert owner.actor.username == "focal-sle"
    for n in range(20):  # a flood of case variants from one address throttles that address only
        accounts.sign_in(db, "FOCAL-sle" if n % 2 else "Focal-SLE", f"guess-{n}", "127.0.0.4")
    assert accounts.sign_in(db, "focal-sle", PASSWORD, "127.0.0.4").code is ErrorCode.THROTTLED
    assert accounts.sign_in(db, "focal-sle", PASSWORD, "127.0.0.5").actor.username == "focal-sle"
    with db.session() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "locked")).all()
    assert [json.loads(e.new_value) for e in entries] == [{"address": "127.0.0.2"}]


def test_unknown_locked_and_wrong_are_one_refusal(db, people):
    for _ in range(accounts.MAX_FAILED_LOGINS):
        accounts.sign_in(db, "donor", "wrong-password-0", "192.0.2.7")
    answers = {
        name: accounts.sign_in(db, name, password, "192.0.2.7")
        for name, password in [
            ("nobody-here", PASSWORD),  # unknown
            ("donor", PASSWORD),  # locked
            ("reviewer", "wrong-password-1"),  # wrong
        ]
    }
    assert {(r.code, r.message("fr")) for r in answers.values()} == {
        (ErrorCode.BAD_CREDENTIALS, Invalid(ErrorCode.BAD_CREDENTIALS).message("fr"))
    }


def test_a_flood_from_one_address_is_refused_before_the_database(db, people, monkeypatch):
    monkeypatch.setenv("WDDF_SIGN_IN_PER_MINUTE", "12")
    get_settings.cache_clear()
    try:
        results = [
            accounts.sign_in(db, f"user-{n}", "wrong-password-2", "203.0.113.5") for n in range(14)
        ]
        assert [r.code for r in results[-2:]] == [ErrorCode.THROTTLED] * 2
        assert sign_in(db, "focal-sle", address="203.0.113.6").actor.username == "focal-sle"
        for _ in range(2):  # one name gets a sixth of an address's allowance, at that address
            accounts.sign_in(db, "panel-sle", "wrong-password-3", "203.0.113.7")
        throttled = accounts.sign_in(db, "panel-sle", PASSWORD, "203.0.113.7")
        assert throttled.code is ErrorCode.THROTTLED
        with db.session() as session:  # the refused attempt never reached the account
            assert (
                session.scalar(select(User.failed_logins).where(User.username == "panel-sle")) == 2
            )
        assert sign_in(db, "panel-sle", address="203.0.113.8").actor.username == "panel-sle"
    finally:
        get_settings.cache_clear()


def test_argon2_runs_outside_any_transaction_so_autosave_never_waits_for_a_sign_in(
    db, people, monkeypatch
):
    """While a sign-in checks its password, another connection writes at once: on SQLite the
    write lock is free (a writer would otherwise wait for the whole hash), on PostgreSQL the
    account's row is not locked."""
    writes = []
    real = passwords.hasher()

    class WritesWhileHashing:
        def verify(self, stored, password):
            other = Database(db.url)
            try:
                with other.engine.begin() as connection:
                    wait = (
                        "PRAGMA busy_timeout=100" if "sqlite" in db.url else "SET lock_timeout=100"
                    )
                    connection.exec_driver_sql(wait)
                    change = update(User).where(User.username == "reviewer")
                    connection.execute(change.values(display_name="x"))
                writes.append("done")
            finally:
                other.dispose()
            return real.verify(stored, password)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(passwords, "hasher", WritesWhileHashing)
    assert sign_in(db, "reviewer").actor.username == "reviewer"
    assert writes == ["done"]
