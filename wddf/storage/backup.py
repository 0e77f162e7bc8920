"""Backup and restore of the whole database, on SQLite and on PostgreSQL, in one portable format.

A backup is a zip: ``manifest.json`` (format, schema revision, rows and sha256 of every table)
and ``tables/<name>.jsonl``, one JSON object per row. It is read from one consistent snapshot:
SQLite's online backup API copies the database while others keep writing, and PostgreSQL is
read in a single ``REPEATABLE READ`` transaction.

A restore is checked whole before anything is replaced: the archive, its checksums, its schema
revision and every value are read first; then every table is replaced in one transaction, which
rolls back if any row breaks a constraint. A backup made at an older schema revision is first
replayed into a scratch SQLite database at that revision and upgraded there by the migrations;
what comes out is restored like a backup of the newest schema.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    Table,
    select,
    text,
)
from sqlalchemy.engine import make_url

from wddf.problems import Problem
from wddf.storage.db import RESTORE_LOCK, make_engine
from wddf.storage.migrate import current_revision, head_revision
from wddf.storage.rows import checked
from wddf.storage.tables import Base

FORMAT = "wddf-backup/1"
MANIFEST = "manifest.json"
MAX_ARCHIVE_BYTES = 2 * 1024**3
INSERT_CHUNK = 5_000
# A member may inflate to this ratio of its compressed size (at least the allowance): JSON lines
# of text and base64 compress tenfold at most, a zip bomb a thousandfold.
MAX_INFLATE_RATIO, MIN_INFLATE_ALLOWANCE = 50, 64_000_000
MAX_MANIFEST_BYTES = 4_000_000  # a manifest lists tables and checksums: a few kilobytes


class BackupError(Exception):
    """A backup that cannot be made or restored: a problem of the ``backup`` family of the problem
    catalogue, with where it is (a member of the archive, a line) and its values. Its text is the
    problem in English; ``problem.located(lang)`` says it in another language."""

    def __init__(self, code: str, where: str = "", **params: Any) -> None:
        self.problem = Problem(f"backup.{code}", params, where)
        super().__init__(self.problem.located("en"))


@dataclass(frozen=True)
class Summary:
    """What a backup holds, or what a restore replaced."""

    revision: str
    rows: dict[str, int]

    @property
    def total(self) -> int:
        """Rows in every table."""
        return sum(self.rows.values())


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)  # parents before children


def _tables_at(connection: Connection, revision: str) -> list[Table]:
    """The tables of the schema at ``revision``: this version's own at the newest revision, else
    those found in the database (parents before children), without Alembic's own table."""
    if revision == head_revision():
        return _tables()
    found = MetaData()
    found.reflect(bind=connection)
    return [t for t in found.sorted_tables if t.name != "alembic_version"]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):  # exact, as text: a JSON number would pass through a float
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _dump(connection: Connection, revision: str) -> tuple[dict[str, bytes], dict[str, int]]:
    files, rows = {}, {}
    for table in _tables_at(connection, revision):
        order = list(table.primary_key.columns)
        lines = [
            json.dumps({k: _encode(v) for k, v in row._mapping.items()}, ensure_ascii=False)
            for row in connection.execute(select(table).order_by(*order))
        ]
        files[table.name] = ("\n".join(lines) + "\n" if lines else "").encode("utf-8")
        rows[table.name] = len(lines)
    return files, rows


def _write_archive(out: Path, revision: str, files: dict[str, bytes], rows: dict[str, int]) -> None:
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "revision": revision,
        "tables": {
            name: {"rows": rows[name], "sha256": hashlib.sha256(content).hexdigest()}
            for name, content in files.items()
        },
    }
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
        for name, content in files.items():
            archive.writestr(f"tables/{name}.jsonl", content)
    partial.replace(out)  # a finished archive or none: never half a file under the name


def backup(url: str, out: Path) -> Summary:
    """Write a consistent backup of the database at ``url`` to ``out``."""
    revision = current_revision(url)
    if revision is None:
        raise BackupError("empty_database")
    if make_url(url).get_backend_name() == "sqlite":
        files, rows = _dump_sqlite(make_url(url).database, revision)
    else:
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
                with connection.begin():
                    connection.execute(text("SET TRANSACTION READ ONLY"))
                    files, rows = _dump(connection, revision)
        finally:
            engine.dispose()
    _write_archive(out, revision, files, rows)
    return Summary(revision, rows)


def _dump_sqlite(path: str, revision: str) -> tuple[dict[str, bytes], dict[str, int]]:
    """A snapshot through SQLite's backup API, then read from the snapshot."""
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = Path(tmp) / "snapshot.sqlite3"
        source = sqlite3.connect(path)
        target = sqlite3.connect(snapshot)
        try:
            source.backup(target)  # all pages in one step: one consistent state
        finally:
            target.close()
            source.close()
        engine = make_engine(f"sqlite:///{snapshot}")
        try:
            with engine.connect() as connection, connection.begin():
                return _dump(connection, revision)
        finally:
            engine.dispose()


def _decimal(text: Any) -> Decimal:
    """A stored amount, from the text a backup keeps it as (never a JSON number)."""
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not an amount written as text")
    return Decimal(text)


def _decoder(table: Table):
    """Turn one JSON row into column values (dates, bytes), then check it against the table's
    row model (``wddf.storage.rows``): strict types, sizes, choices and the text policy."""
    kinds = {}
    for column in table.columns:
        if isinstance(column.type, DateTime):
            kinds[column.name] = datetime.fromisoformat
        elif isinstance(column.type, Date):
            kinds[column.name] = date.fromisoformat
        elif isinstance(column.type, LargeBinary):
            kinds[column.name] = base64.b64decode
        elif isinstance(column.type, Numeric):
            kinds[column.name] = _decimal
    names = set(table.columns.keys())

    def decode(row: Any, where: str) -> dict[str, Any]:
        if not isinstance(row, dict):
            raise BackupError("not_a_row", where)
        if set(row) != names:
            missing, extra = sorted(names - set(row)), sorted(set(row) - names)
            raise BackupError("columns_differ", where, missing=missing, unknown=extra)
        try:
            values = {
                k: (kinds[k](v) if k in kinds and v is not None else v) for k, v in row.items()
            }
            return checked(table, values)
        except (ValueError, TypeError, binascii.Error) as exc:
            raise BackupError("bad_value", where, detail=str(exc)) from exc

    return decode


def _open_archive(source: Path) -> tuple[zipfile.ZipFile, dict[str, Any]]:
    """The archive and its manifest, or BackupError."""
    if source.stat().st_size > MAX_ARCHIVE_BYTES:
        raise BackupError("too_large", source.name, limit_gb=MAX_ARCHIVE_BYTES // 1024**3)
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile as exc:
        raise BackupError("not_a_zip", source.name) from exc
    try:
        with archive.open(MANIFEST) as member:  # read with a cap, never whole
            text = member.read(MAX_MANIFEST_BYTES + 1)
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        archive.close()
        raise BackupError("no_manifest", source.name, manifest=MANIFEST) from exc
    if len(text) > MAX_MANIFEST_BYTES:
        archive.close()
        raise BackupError("inflates", MANIFEST, limit_mb=MAX_MANIFEST_BYTES // 1_000_000)
    try:
        manifest = json.loads(text)
    except ValueError as exc:
        archive.close()
        raise BackupError("no_manifest", source.name, manifest=MANIFEST) from exc
    if not isinstance(manifest, dict):
        archive.close()
        raise BackupError("no_manifest", source.name, manifest=MANIFEST)
    if manifest.get("format") != FORMAT:
        archive.close()
        raise BackupError("bad_format", MANIFEST, found=manifest.get("format"), expected=FORMAT)
    return archive, manifest


def read_archive(
    source: Path, tables: list[Table] | None = None
) -> tuple[Summary, dict[str, list[dict[str, Any]]]]:
    """Every row of a backup, checked and decoded against ``tables`` (this version's by
    default); BackupError says where it is wrong."""
    tables = tables or _tables()
    archive, manifest = _open_archive(source)
    with archive:
        listed = manifest.get("tables", {})
        expected = {t.name for t in tables}
        if set(listed) != expected:
            different = sorted(set(listed) ^ expected)
            raise BackupError("tables_differ", MANIFEST, tables=different)
        data = {}
        for table in tables:
            data[table.name] = _read_table(archive, table, listed[table.name])
    rows = {name: len(items) for name, items in data.items()}
    return Summary(manifest.get("revision", ""), rows), data


def _lines(archive: zipfile.ZipFile, name: str, digest) -> Iterator[tuple[int, bytes]]:
    """The lines of one member, read as a stream and hashed on the way; refused when damaged or
    when it inflates far beyond its compressed size (a zip bomb)."""
    info = archive.getinfo(name)
    allowed = max(MIN_INFLATE_ALLOWANCE, MAX_INFLATE_RATIO * info.compress_size)
    inflated = 0
    try:
        with archive.open(info) as member:
            number = 0
            while line := member.readline(allowed - inflated + 1):  # a line never past the cap
                number += 1
                inflated += len(line)
                if inflated > allowed:
                    raise BackupError("inflates", name, limit_mb=allowed // 1_000_000)
                digest.update(line)
                yield number, line
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise BackupError("damaged", name, detail=str(exc)) from exc


def _read_table(archive: zipfile.ZipFile, table: Table, listed: dict) -> list[dict[str, Any]]:
    name = f"tables/{table.name}.jsonl"
    if name not in archive.namelist():
        raise BackupError("member_missing", name)
    decode = _decoder(table)
    digest = hashlib.sha256()
    rows = []
    for number, line in _lines(archive, name, digest):
        if line.strip():
            try:
                rows.append(decode(json.loads(line), f"{name} line {number}"))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise BackupError("not_json", f"{name} line {number}") from exc
    if digest.hexdigest() != listed.get("sha256"):
        raise BackupError("checksum", name)
    if len(rows) != listed.get("rows"):
        raise BackupError("row_count", name, count=len(rows), listed=listed.get("rows"))
    return rows


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL: each id sequence continues after the restored ids."""
    for table in _tables():
        key = list(table.primary_key.columns)
        if len(key) == 1 and isinstance(key[0].type, Integer):
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{key[0].name}'), "
                    f'COALESCE(MAX("{key[0].name}"), 1), MAX("{key[0].name}") IS NOT NULL) '
                    f'FROM "{table.name}"'
                )
            )


def restore(url: str, source: Path, dry_run: bool = False) -> Summary:
    """Replace every row of the database at ``url`` with the backup's, or change nothing.

    The database must be at the newest schema revision (``python -m wddf db upgrade`` brings an
    empty one there). A backup at an older revision is upgraded first (``_upgraded``). With
    ``dry_run`` everything is checked and rolled back.
    """
    archive, manifest = _open_archive(source)
    archive.close()
    revision = manifest.get("revision")
    if revision != head_revision():
        with tempfile.TemporaryDirectory() as tmp:
            return restore(url, _upgraded(source, str(revision), Path(tmp)), dry_run)
    summary, data = read_archive(source)
    at = current_revision(url)
    if at != head_revision():
        raise BackupError("database_behind", at=at, head=head_revision())
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            transaction = connection.begin()  # SQLite: BEGIN IMMEDIATE, writers wait
            try:
                if engine.dialect.name == "postgresql":
                    # first the writes under way end (each holds RESTORE_LOCK shared), and new
                    # ones are refused; then readers wait for the restore
                    lock = text("SELECT pg_advisory_xact_lock(:key)")
                    connection.execute(lock, {"key": RESTORE_LOCK})
                    names = ", ".join(f'"{t.name}"' for t in _tables())
                    connection.execute(text(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE"))
                _replace(connection, data)
                if engine.dialect.name == "postgresql":
                    _reset_sequences(connection)
            except Exception as exc:
                transaction.rollback()
                reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
                raise BackupError("refused", reason=reason) from exc
            if dry_run:
                transaction.rollback()
            else:
                transaction.commit()
    finally:
        engine.dispose()
    return summary


def _upgraded(source: Path, revision: str, scratch: Path) -> Path:
    """The backup ``source`` at an older ``revision``, replayed into a scratch SQLite database
    migrated to that revision, upgraded to the newest one, and backed up again."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from wddf.storage.migrate import alembic_config, upgrade

    try:
        ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(revision)
    except CommandError as exc:
        raise BackupError("unknown_revision", MANIFEST, revision=revision) from exc
    url = f"sqlite:///{scratch / 'replay.sqlite3'}"
    upgrade(url, revision)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            tables = _tables_at(connection, revision)
        _, data = read_archive(source, tables)
        with engine.begin() as connection:
            _replace(connection, data, tables)
    except Exception as exc:
        if isinstance(exc, BackupError):
            raise
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise BackupError("refused_at_revision", revision=revision, reason=reason) from exc
    finally:
        engine.dispose()
    upgrade(url)
    out = scratch / "upgraded.zip"
    backup(url, out)
    return out


def _replace(
    connection: Connection,
    data: dict[str, list[dict[str, Any]]],
    tables: list[Table] | None = None,
) -> None:
    tables = tables or _tables()
    for table in reversed(tables):
        connection.execute(table.delete())
    for table in tables:
        rows = data[table.name]
        for start in range(0, len(rows), INSERT_CHUNK):
            connection.execute(table.insert(), rows[start : start + INSERT_CHUNK])
        count = connection.execute(select(text("count(*)")).select_from(table)).scalar_one()
        if count != len(rows):
            raise BackupError("rows_after_restore", table.name, count=count, expected=len(rows))
