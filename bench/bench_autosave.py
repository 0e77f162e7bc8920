"""Autosaving one answer (one commit, with checks, audit and conflict detection), against a
bare single-row INSERT and COMMIT through the same driver, on SQLite and on PostgreSQL.

PostgreSQL is used when WDDF_TEST_DATABASE_URL (or WDDF_BENCH_POSTGRES_URL) names a server;
a scratch database is created there and dropped afterwards.
"""

from __future__ import annotations

import tempfile
import time
import uuid
from collections.abc import Callable

from bench.timing import postgres_server_url, print_table, scratch_postgres
from wddf.domain import Role
from wddf.services import accounts, assessments
from wddf.services.actor import SYSTEM
from wddf.services.assessments import AnswerInput
from wddf.services.editions import get_edition, newest_edition_id, prepare_database
from wddf.storage.db import Database

N_SAVES = 300


def _per_call(fn: Callable[[int], None], n: int = N_SAVES) -> float:
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    return (time.perf_counter() - start) / n


def _autosave(db: Database) -> float:
    with db.session() as session:
        name = f"bench-{uuid.uuid4().hex[:6]}"
        focal = accounts.create_user(
            session, SYSTEM, name, Role.FOCAL_POINT, "Bench-password-1", country="SLE"
        )
        edition_id = newest_edition_id(session)
        assessment_id = assessments.create(session, focal, "SLE", 2099, edition_id).id
        dims = [d.id for _, _, d in get_edition(session, edition_id).dimensions()]
    versions = dict.fromkeys(dims, 0)

    def save(i: int) -> None:
        dim = dims[i % len(dims)]
        with db.session() as session:
            given = AnswerInput(dim, "BC"[i % 2], f"justification {i}")
            versions[dim] = assessments.save_answer(
                session, focal, assessment_id, given, versions[dim]
            ).row_version

    return _per_call(save)


def _bare_insert(db: Database) -> float:
    raw = db.engine.raw_connection()
    sqlite = db.engine.dialect.name == "sqlite"
    cursor = raw.cursor()
    key = "INTEGER PRIMARY KEY" if sqlite else "SERIAL PRIMARY KEY"
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS bench_floor (id {key}, grade VARCHAR(2), note TEXT)"
    )
    if not sqlite:
        raw.commit()

    def insert(i: int) -> None:
        if sqlite:
            cursor.execute("BEGIN IMMEDIATE")
        placeholder = "?" if sqlite else "%s"
        cursor.execute(
            f"INSERT INTO bench_floor (grade, note) VALUES ({placeholder}, {placeholder})",
            ("B", str(i)),
        )
        cursor.execute("COMMIT") if sqlite else raw.commit()

    try:
        return _per_call(insert)
    finally:
        raw.close()


def _measure(name: str, url: str) -> tuple[str, float, float]:
    prepare_database(url)
    db = Database(url)
    try:
        floor = _bare_insert(db)
        measured = _autosave(db)
    finally:
        db.dispose()
    return (f"autosave one answer ({name})", measured, floor)


def main() -> list[tuple[str, float, float]]:
    """Measure on SQLite, and on PostgreSQL when a server is named; print and return the rows."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(_measure("SQLite", f"sqlite:///{tmp}/bench.sqlite3"))
    server = postgres_server_url()
    if server:
        with scratch_postgres(server) as url:
            rows.append(_measure("PostgreSQL", url))
    print_table(rows)
    return rows


if __name__ == "__main__":
    main()
