"""Backup and restore of the whole database, on SQLite and on PostgreSQL, in one portable format.

A backup is a zip: ``manifest.json`` (format, schema revision, rows and sha256 of every table)
and ``tables/<name>.jsonl``, one JSON object per row. It is read from one consistent snapshot:
SQLite's online backup API copies the database while others keep writing, and PostgreSQL is
read in a single ``REPEATABLE READ`` transaction.

A restore is checked whole before anything is replaced: the archive, its checksums, its schema
revision and every value are read first; then every table is replaced in one transaction, which
rolls back if any row breaks a constraint.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Connection, DateTime, Integer, LargeBinary, Table, select, text
from sqlalchemy.engine import make_url

from wddf.storage.db import make_engine
from wddf.storage.migrate import current_revision, head_revision
from wddf.storage.tables import Base

FORMAT = "wddf-backup/1"
MANIFEST = "manifest.json"
MAX_ARCHIVE_BYTES = 2 * 1024**3
INSERT_CHUNK = 5_000


class BackupError(Exception):
    """A backup that cannot be restored, with where and why."""


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


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _dump(connection: Connection) -> tuple[dict[str, bytes], dict[str, int]]:
    files, rows = {}, {}
    for table in _tables():
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
        raise BackupError("the database is empty: run `python -m wddf db upgrade` first")
    if make_url(url).get_backend_name() == "sqlite":
        files, rows = _dump_sqlite(make_url(url).database)
    else:
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
                with connection.begin():
                    connection.execute(text("SET TRANSACTION READ ONLY"))
                    files, rows = _dump(connection)
        finally:
            engine.dispose()
    _write_archive(out, revision, files, rows)
    return Summary(revision, rows)


def _dump_sqlite(path: str) -> tuple[dict[str, bytes], dict[str, int]]:
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
                return _dump(connection)
        finally:
            engine.dispose()


def _decoder(table: Table):
    kinds = {}
    for column in table.columns:
        if isinstance(column.type, DateTime):
            kinds[column.name] = datetime.fromisoformat
        elif isinstance(column.type, LargeBinary):
            kinds[column.name] = base64.b64decode
        elif isinstance(column.type, Boolean):
            kinds[column.name] = bool
        elif isinstance(column.type, Integer):
            kinds[column.name] = int
    names = set(table.columns.keys())

    def decode(row: dict[str, Any], where: str) -> dict[str, Any]:
        if set(row) != names:
            missing, extra = sorted(names - set(row)), sorted(set(row) - names)
            raise BackupError(f"{where}: columns differ (missing {missing}, unknown {extra})")
        try:
            return {k: (kinds[k](v) if k in kinds and v is not None else v) for k, v in row.items()}
        except (ValueError, TypeError) as exc:
            raise BackupError(f"{where}: {exc}") from exc

    return decode


def read_archive(source: Path) -> tuple[Summary, dict[str, list[dict[str, Any]]]]:
    """Every row of a backup, checked and decoded; BackupError says where it is wrong."""
    if source.stat().st_size > MAX_ARCHIVE_BYTES:
        raise BackupError(f"{source.name}: larger than {MAX_ARCHIVE_BYTES // 1024**3} GiB")
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile as exc:
        raise BackupError(f"{source.name}: not a backup archive (not a zip file)") from exc
    with archive:
        try:
            manifest = json.loads(archive.read(MANIFEST))
        except (KeyError, ValueError) as exc:
            raise BackupError(f"{source.name}: no readable {MANIFEST}") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{MANIFEST}: format {manifest.get('format')!r}, expected {FORMAT}")
        listed = manifest.get("tables", {})
        expected = {t.name for t in _tables()}
        if set(listed) != expected:
            different = sorted(set(listed) ^ expected)
            raise BackupError(f"{MANIFEST}: tables differ from this version's: {different}")
        data = {}
        for table in _tables():
            data[table.name] = _read_table(archive, table, listed[table.name])
    rows = {name: len(items) for name, items in data.items()}
    return Summary(manifest.get("revision", ""), rows), data


def _read_table(archive: zipfile.ZipFile, table: Table, listed: dict) -> list[dict[str, Any]]:
    name = f"tables/{table.name}.jsonl"
    try:
        content = archive.read(name)
    except KeyError as exc:
        raise BackupError(f"{name}: missing from the archive") from exc
    if hashlib.sha256(content).hexdigest() != listed.get("sha256"):
        raise BackupError(f"{name}: checksum differs from the manifest (damaged or edited)")
    decode = _decoder(table)
    rows = []
    for number, line in enumerate(io.StringIO(content.decode("utf-8")), start=1):
        if line.strip():
            try:
                rows.append(decode(json.loads(line), f"{name} line {number}"))
            except json.JSONDecodeError as exc:
                raise BackupError(f"{name} line {number}: not JSON ({exc.msg})") from exc
    if len(rows) != listed.get("rows"):
        raise BackupError(f"{name}: {len(rows)} rows, the manifest says {listed.get('rows')}")
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

    The database must be at the schema revision of the backup (``python -m wddf db upgrade``
    brings an empty one there). With ``dry_run`` everything is checked and rolled back.
    """
    summary, data = read_archive(source)
    at = current_revision(url)
    if summary.revision != at or summary.revision != head_revision():
        raise BackupError(
            f"the backup is at schema revision {summary.revision}, the database at {at} and this "
            f"version at {head_revision()}: restore with the version that made the backup"
        )
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            transaction = connection.begin()
            try:
                _replace(connection, data)
                if engine.dialect.name == "postgresql":
                    _reset_sequences(connection)
            except Exception as exc:
                transaction.rollback()
                reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
                raise BackupError(f"refused, nothing was replaced: {reason}") from exc
            if dry_run:
                transaction.rollback()
            else:
                transaction.commit()
    finally:
        engine.dispose()
    return summary


def _replace(connection: Connection, data: dict[str, list[dict[str, Any]]]) -> None:
    for table in reversed(_tables()):
        connection.execute(table.delete())
    for table in _tables():
        rows = data[table.name]
        for start in range(0, len(rows), INSERT_CHUNK):
            connection.execute(table.insert(), rows[start : start + INSERT_CHUNK])
        count = connection.execute(select(text("count(*)")).select_from(table)).scalar_one()
        if count != len(rows):
            raise BackupError(f"{table.name}: {count} rows after the restore, {len(rows)} expected")
