"""Autosaving one answer (one commit, with checks, audit and conflict detection), against the
least that work needs through the same driver: a version-checked UPDATE of one row and the
INSERT of its audit row in one transaction, on SQLite and on PostgreSQL.

PostgreSQL is used when WDDF_TEST_DATABASE_URL (or WDDF_BENCH_POSTGRES_URL) names a server;
a scratch database is created there and dropped afterwards.
"""

from __future__ import annotations

import tempfile
import time
import uuid
from collections.abc import Callable

from bench.timing import Result, alternate, postgres_server_url, print_table, scratch_postgres
from wddf.domain import Role
from wddf.services import accounts
from wddf.services.actor import SYSTEM
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments
from wddf.services.editions import get_edition, newest_edition_id, prepare_database
from wddf.storage.db import Database

N_SAVES = 100  # per round
ROUNDS = 5
LIMIT = 3.0  # an autosave against a bare version-checked UPDATE and audit INSERT


def _per_call(fn: Callable[[int], None], n: int = N_SAVES) -> float:
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    return (time.perf_counter() - start) / n


def _autosave(db: Database) -> Callable[[], float]:
    """A round of autosaves through the service, each in its own unit of work, as a card's."""
    with db.session() as session:
        name = f"bench-{uuid.uuid4().hex[:6]}"
        focal = accounts.create_user(
            session, SYSTEM, name, Role.FOCAL_POINT, "Bench-password-1", country="SLE"
        )
        edition_id = newest_edition_id(session)
        assessment_id = assessments.create(session, focal, "SLE", 2099, edition_id).id
        dims = [d.id for _, _, d in get_edition(session, edition_id).dimensions()]
    versions = dict.fromkeys(dims, 0)
    count = iter(range(10**9))

    def save(_: int) -> None:
        i = next(count)
        dim = dims[i % len(dims)]
        with db.session() as session:
            given = AnswerInput(dim, "BC"[i % 2], f"justification {i}")
            versions[dim] = assessments.save_answer(
                session, focal, assessment_id, given, versions[dim]
            ).row_version

    return lambda: _per_call(save)


def _bare_save(db: Database) -> Callable[[], float]:
    """A round of the least an autosave does, through the same driver: in one transaction, a
    version-checked UPDATE of one row and the INSERT of its audit row."""
    raw = db.engine.raw_connection()
    sqlite = db.engine.dialect.name == "sqlite"
    cursor = raw.cursor()
    key = "INTEGER PRIMARY KEY" if sqlite else "SERIAL PRIMARY KEY"
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS bench_answer "
        "(id INTEGER PRIMARY KEY, grade VARCHAR(2), note TEXT, row_version INTEGER)"
    )
    cursor.execute(f"CREATE TABLE IF NOT EXISTS bench_audit (id {key}, entity TEXT, new TEXT)")
    cursor.execute("INSERT INTO bench_answer VALUES (1, 'B', '', 0)")
    if not sqlite:
        raw.commit()
    mark = "?" if sqlite else "%s"
    update = (
        f"UPDATE bench_answer SET grade = {mark}, note = {mark}, row_version = row_version + 1 "
        f"WHERE id = 1 AND row_version = {mark}"
    )
    insert = f"INSERT INTO bench_audit (entity, new) VALUES ({mark}, {mark})"
    version = iter(range(10**9))

    def save(i: int) -> None:
        if sqlite:
            cursor.execute("BEGIN IMMEDIATE")
        cursor.execute(update, ("BC"[i % 2], str(i), next(version)))
        assert cursor.rowcount == 1
        cursor.execute(insert, ("answer", str(i)))
        cursor.execute("COMMIT") if sqlite else raw.commit()

    return lambda: _per_call(save)


def _measure(name: str, url: str, rounds: int) -> Result:
    prepare_database(url)
    db = Database(url)
    try:
        measured, floor = alternate(_autosave(db), _bare_save(db), rounds)
    finally:
        db.dispose()
    return Result(f"autosave one answer ({name})", measured, floor, LIMIT)


def main(quick: bool = False) -> list[Result]:
    """Measure on SQLite, and on PostgreSQL when a server is named; print and return them."""
    rounds = 3 if quick else ROUNDS
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(_measure("SQLite", f"sqlite:///{tmp}/bench.sqlite3", rounds))
    server = postgres_server_url()
    if server:
        with scratch_postgres(server) as url:
            results.append(_measure("PostgreSQL", url, rounds))
    print_table(results)
    return results


if __name__ == "__main__":
    import sys

    main(quick="--quick" in sys.argv)
