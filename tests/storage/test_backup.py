"""Backup and restore on both backends: a faithful round trip, consistency under writes, and a
bad archive refused whole with nothing changed."""

from __future__ import annotations

import hashlib
import json
import re
import threading
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from tests.conftest import run_wddf, shipped
from tests.storage.conftest import SHIPPED_IDS, new_database_url
from tests.storage.helpers import new_assessment, seeded_countries
from wddf.services import editions
from wddf.services.actor import SYSTEM
from wddf.services.answer_rules import AnswerInput
from wddf.services.answers import assessments, demo
from wddf.services.editions import SHIPPED, prepare_database
from wddf.storage.backup import BackupError, backup, read_archive, restore
from wddf.storage.db import Database
from wddf.storage.migrate import current_revision, head_revision, upgrade
from wddf.storage.tables import Answer, AuditEntry, Base, Country, User


def snapshot(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table, in key order, for comparing two databases."""
    out = {}
    with db.session() as session:
        for table in Base.metadata.sorted_tables:
            order = list(table.primary_key.columns)
            rows = session.execute(select(table).order_by(*order)).all()
            out[table.name] = [tuple(_plain(v) for v in row) for row in rows]
    return out


def _plain(value):
    """Datetimes compare as UTC wall time (SQLite keeps no zone)."""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


@pytest.fixture
def fresh(request, tmp_path, database_url):
    """An empty database of the same backend, migrated."""
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    url, drop = new_database_url(backend, tmp_path)
    prepare_database(url)
    database = Database(url)
    yield database
    database.dispose()
    drop()


def test_a_backup_restores_every_row_of_every_table(db, fresh, people, tmp_path):
    with db.session() as session:
        demo.load(session, SYSTEM, countries=3, years=2, seed=4)
    archive = tmp_path / "wddf.zip"
    summary = backup(db.url, archive)
    assert summary.rows["answers"] > 300 and summary.rows["users"] == len(people) + 1
    assert summary.rows["sector_data"] == 6 * 12  # amounts restored exactly, as text
    restore(fresh.url, archive)
    assert snapshot(fresh) == snapshot(db)
    with fresh.session() as session:  # ids continue after the restored ones
        made = assessments.create(session, people["admin"], "GHA", 2030, "wddf-1.0")
        assert made.id > max(a.id for a in assessments.visible(session, SYSTEM) if a.id != made.id)


def test_a_backup_taken_while_users_write_is_consistent(db, fresh, people, tmp_path):
    """Each saved answer writes its row and its audit entry in one transaction: in a consistent
    snapshot, answers' row versions add up to the audit entries about answers."""
    assessment_id = new_assessment(db, people["focal"])
    dims = [d.id for _, _, d in shipped().dimensions()]
    stop, started = threading.Event(), threading.Event()
    writer_db = Database(db.url)

    def write() -> None:
        versions: dict[str, int] = {}
        n = 0
        while not stop.is_set():
            dim = dims[n % len(dims)]
            with writer_db.session() as session:
                saved = assessments.save_answer(
                    session,
                    people["focal"],
                    assessment_id,
                    AnswerInput(dim, "ABCD"[n % 4], justification=f"save {n}"),
                    versions.get(dim, 0),
                )
            versions[dim] = saved.row_version
            n += 1
            if n == 5:
                started.set()

    thread = threading.Thread(target=write)
    thread.start()
    assert started.wait(30)
    try:
        archives = []
        for i in range(4):
            archives.append(tmp_path / f"during-{i}.zip")
            backup(db.url, archives[-1])
    finally:
        stop.set()
        thread.join()
        writer_db.dispose()
    counts = [read_archive(a)[0].rows["audit_log"] for a in archives]
    assert counts == sorted(counts) and counts[0] < counts[-1]  # writes went on meanwhile
    for archive in archives:
        _, data = read_archive(archive)
        versions = sum(r["row_version"] for r in data["answers"])
        audited = sum(1 for r in data["audit_log"] if r["entity"] == "answer")
        assert versions == audited > 0, archive.name
    restore(fresh.url, archives[-1])
    with fresh.session() as session:
        assert session.scalar(select(func.sum(Answer.row_version))) == session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "answer")
        )


def _rewrite(source: Path, target: Path, edit) -> None:
    """A copy of a backup with one table's rows edited and the manifest's checksum updated."""
    with zipfile.ZipFile(source) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(files["manifest.json"])
    name, rows = edit(files)
    content = ("\n".join(json.dumps(r) for r in rows) + "\n").encode()
    files[f"tables/{name}.jsonl"] = content
    manifest["tables"][name] = {"rows": len(rows), "sha256": hashlib.sha256(content).hexdigest()}
    files["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w") as archive:
        for file_name, data in files.items():
            archive.writestr(file_name, data)


def _orphan_answer(files):
    rows = [json.loads(line) for line in files["tables/answers.jsonl"].splitlines()]
    rows[0]["assessment_id"] = 999_999
    return "answers", rows


def _bad_date(files):
    rows = [json.loads(line) for line in files["tables/assessments.jsonl"].splitlines()]
    rows[0]["created_at"] = "yesterday"
    return "assessments", rows


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("not_zip", "not a backup archive"),
        ("tampered", "checksum differs"),
        ("orphan", "nothing was replaced"),
        ("bad_date", "tables/assessments.jsonl line 1"),
    ],
)
def test_a_bad_backup_is_refused_whole_and_changes_nothing(db, people, tmp_path, damage, message):
    with db.session() as session:
        demo.load(session, SYSTEM, countries=2, years=1, seed=1)
    good = tmp_path / "good.zip"
    backup(db.url, good)
    with db.session() as session:  # the live database moves on after the backup
        assessments.create(session, people["admin"], "GHA", 2031, "wddf-1.0")
    before = snapshot(db)
    bad = tmp_path / "bad.zip"
    if damage == "not_zip":
        bad.write_bytes(b"PK\x03\x04 not really")
    elif damage == "tampered":
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as out:
            for name in src.namelist():
                data = src.read(name)
                out.writestr(name, data.replace(b'"grade": "B"', b'"grade": "A"', 1))
    else:
        _rewrite(good, bad, _orphan_answer if damage == "orphan" else _bad_date)
    with pytest.raises(BackupError, match=message):
        restore(db.url, bad)
    assert snapshot(db) == before


def test_backup_and_restore_commands(db, tmp_path):
    with db.session() as session:
        demo.load(session, SYSTEM, countries=1, years=1, seed=1)
    archive = tmp_path / "cmd.zip"
    made = run_wddf("backup", "-o", str(archive), url=db.url)
    assert made.returncode == 0 and "rows in" in made.stdout
    checked = run_wddf("restore", str(archive), "--dry-run", url=db.url)
    assert checked.returncode == 0 and "nothing replaced" in checked.stdout
    broken = tmp_path / "broken.zip"
    broken.write_text("hello")
    refused = run_wddf("restore", str(broken), url=db.url)
    assert refused.returncode == 2 and "not a backup archive" in refused.stderr


def test_an_edition_installed_in_the_database_travels_with_the_backup(db, fresh, tmp_path):
    text = SHIPPED.read_text("utf-8").replace("id: wddf-1.0", "id: wddf-national-2.0", 1)
    with db.session() as session:
        editions.install(session, SYSTEM, "national.yaml", text.encode())
    archive = tmp_path / "with-edition.zip"
    backup(db.url, archive)
    restore(fresh.url, archive)
    with fresh.session() as session:
        assert set(editions.all_editions(session)) == {*SHIPPED_IDS, "wddf-national-2.0"}
        restored = editions.get_edition(session, "wddf-national-2.0")
    assert len(restored.dimensions()) == len(shipped().dimensions())


def test_a_backup_from_the_first_schema_revision_is_replayed_then_upgraded(
    database_url, fresh, tmp_path
):
    """A database at ``0001_initial`` (no countries, no editions table) with one account is
    backed up, then restored into the newest schema: the account is there, the countries of
    ``0002`` are seeded, and the shipped edition is installed at the next start."""
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    old_url, drop = new_database_url(backend, tmp_path)
    try:
        upgrade(old_url, "0001_initial")
        old = Database(old_url)
        with old.session() as session:
            session.execute(  # the columns of 0001, as that schema had them
                text(
                    "INSERT INTO users (username, display_name, role, active, failed_logins, "
                    "created_at, language) VALUES ('old-admin', '', 'admin', :yes, 0, :at, 'fr')"
                ),
                {"yes": True, "at": datetime(2024, 1, 2, tzinfo=UTC)},
            )
        old.dispose()
        archive = tmp_path / "at-0001.zip"
        assert backup(old_url, archive).revision == "0001_initial"
        assert "editions" not in read_archive_manifest(archive)["tables"]
    finally:
        drop()
    restore(fresh.url, archive)
    prepare_database(fresh.url)
    assert current_revision(fresh.url) == head_revision()
    with fresh.session() as session:
        assert session.scalars(select(User.username)).all() == ["old-admin"]
        assert session.scalar(select(func.count()).select_from(Country)) == len(seeded_countries())
        assert list(editions.all_editions(session)) == SHIPPED_IDS


def test_a_backup_at_an_unknown_revision_is_refused_and_changes_nothing(db, people, tmp_path):
    archive = tmp_path / "good.zip"
    backup(db.url, archive)
    tampered = tmp_path / "future.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "manifest.json":
                manifest = json.loads(content)
                manifest["revision"] = "9999_from_the_future"
                content = json.dumps(manifest).encode()
            target.writestr(item, content)
    before = snapshot(db)
    with pytest.raises(BackupError, match="unknown schema revision '9999_from_the_future'"):
        restore(db.url, tampered)
    assert snapshot(db) == before


def read_archive_manifest(archive: Path) -> dict:
    with zipfile.ZipFile(archive) as opened:
        return json.loads(opened.read("manifest.json"))


def _edit_row(table: str, column: str, value):
    """An edit for ``_rewrite``: the first row of ``table`` gets ``value`` in ``column``."""

    def edit(files):
        rows = [json.loads(line) for line in files[f"tables/{table}.jsonl"].splitlines()]
        rows[0][column] = value
        return table, rows

    return edit


def _extra_row(table: str, row: dict):
    def edit(files):
        rows = [json.loads(line) for line in files[f"tables/{table}.jsonl"].splitlines()]
        return table, [*rows, rows[0] | row]

    return edit


HOSTILE_ROWS = {
    "status-hacked": (_edit_row("assessments", "status", "hacked"), "status: 'hacked'"),
    "role-root": (_edit_row("users", "role", "root"), "role: 'root'"),
    "grade-z": (_edit_row("answers", "grade", "Z"), "grade: 'Z'"),
    "huge-justification": (
        _edit_row("answers", "justification", "x" * 50_000),
        "justification: text_too_long",
    ),
    "control-character": (
        _edit_row("answers", "evidence", "Decree\x1b 12"),
        "evidence: text_control",
    ),
    "false-as-a-string": (_edit_row("users", "active", "false"), "active: Input should be a"),
    "id-as-a-string": (_edit_row("answers", "row_version", "7"), "row_version: Input should be"),
    "admin-with-a-country": (
        _extra_row(
            "users", {"id": 9_999, "username": "intruder", "role": "admin", "country": "SLE"}
        ),
        "country: 'SLE' for role admin",
    ),
    "plain-text-password": (
        _edit_row("users", "password_hash", "letmein"),
        "password_hash: not an argon2 hash",
    ),
    "not-an-object": (lambda files: ("answers", [[1, 2, 3]]), "not a row"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_ROWS))
def test_a_backup_with_recomputed_checksums_but_hostile_values_is_refused(
    db, people, tmp_path, case
):
    with db.session() as session:
        demo.load(session, SYSTEM, countries=1, years=1, seed=1)
    good, bad = tmp_path / "good.zip", tmp_path / "bad.zip"
    backup(db.url, good)
    edit, message = HOSTILE_ROWS[case]
    _rewrite(good, bad, edit)
    before = snapshot(db)
    with pytest.raises(BackupError, match=re.escape(message)) as refused:
        restore(db.url, bad)
    assert "line " in str(refused.value) or case == "not-an-object"
    assert snapshot(db) == before


def _streamed(path, members: dict[str, bytes], big: str, chunk: bytes, size: int) -> None:
    """An archive of ``members`` where ``big`` is ``size`` bytes of ``chunk``, written in
    pieces so that the test itself never holds it."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if name != big:
                archive.writestr(name, data)
        with archive.open(big, "w") as member:
            for _ in range(size // len(chunk)):
                member.write(chunk)


def test_a_bomb_without_newlines_or_in_the_manifest_is_refused_reading_little(db, people, tmp_path):
    """A member that inflates to 1 GB without a newline, and a 1 GB manifest, are refused while
    reading at most the member's allowance (64 MB) and the manifest's cap (4 MB): memory stays
    small, and nothing changes."""
    import tracemalloc

    good = tmp_path / "good.zip"
    backup(db.url, good)
    with zipfile.ZipFile(good) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    line_bomb, manifest_bomb = tmp_path / "line.zip", tmp_path / "manifest.zip"
    _streamed(line_bomb, files, "tables/audit_log.jsonl", b"a" * 1_000_000, 300_000_000)
    _streamed(manifest_bomb, files, "manifest.json", b" " * 1_000_000, 60_000_000)
    before = snapshot(db)
    bombs = [(line_bomb, "tables/audit_log.jsonl", 200), (manifest_bomb, "manifest.json", 20)]
    for bomb, where, most_mb in bombs:
        tracemalloc.start()
        with pytest.raises(BackupError, match=re.escape(f"{where}: inflates beyond")):
            restore(db.url, bomb)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < most_mb * 1_000_000, (where, peak)
    assert snapshot(db) == before


def test_damaged_or_bombed_members_are_refused_without_inflating_them(db, people, tmp_path):
    good = tmp_path / "good.zip"
    backup(db.url, good)
    with zipfile.ZipFile(good) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
        info = archive.getinfo("tables/users.jsonl")
    damaged = bytearray(good.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    damaged[start : start + 16] = bytes(16)
    (tmp_path / "damaged.zip").write_bytes(bytes(damaged))
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, b" " * 70_000_000 if name == "tables/audit_log.jsonl" else data)
    before = snapshot(db)
    with pytest.raises(BackupError, match=re.escape("tables/users.jsonl: damaged")):
        restore(db.url, tmp_path / "damaged.zip")
    with pytest.raises(
        BackupError, match=re.escape("tables/audit_log.jsonl: inflates beyond 64 MB")
    ):
        restore(db.url, bomb)
    assert snapshot(db) == before


def test_a_save_during_a_restore_is_refused_in_words_and_restores_never_deadlock(
    db, people, tmp_path, monkeypatch
):
    """While a restore replaces the rows, a save is refused at once with a translated "restore in
    progress" (PostgreSQL; SQLite's writers wait for the restore's one transaction). Then three
    restores (one on SQLite) run while two people save without pause: every restore completes,
    and every save either lands or is refused in words, never with a database error."""
    from wddf.errors import ErrorCode, ServiceError
    from wddf.storage import backup as backups

    assessment_id = new_assessment(db, people["focal"])
    archive = tmp_path / "before.zip"
    backup(db.url, archive)
    dims = [d.id for _, _, d in shipped().dimensions()]
    is_postgres = db.engine.dialect.name == "postgresql"
    if is_postgres:
        inside, release = threading.Event(), threading.Event()
        real = backups._replace

        def held(connection, data, tables=None):
            inside.set()
            release.wait(30)
            return real(connection, data, tables) if tables else real(connection, data)

        monkeypatch.setattr(backups, "_replace", held)
        worker = threading.Thread(target=restore, args=(db.url, archive))
        worker.start()
        assert inside.wait(30)
        with pytest.raises(ServiceError) as refused, db.session() as session:
            given = AnswerInput(dims[0], "B", "during the restore")
            assessments.save_answer(session, people["focal"], assessment_id, given, 0)
        assert refused.value.code is ErrorCode.RESTORE_IN_PROGRESS
        assert "en cours de restauration" in refused.value.message("fr")
        release.set()
        worker.join(30)
        monkeypatch.setattr(backups, "_replace", real)
    stop, failures, landed = threading.Event(), [], []

    def write(offset: int) -> None:
        writer = Database(db.url)
        n = 0
        while not stop.is_set():
            dim = dims[(n + offset) % len(dims)]
            try:
                with writer.session() as session:
                    current = assessments.answers(session, people["focal"], assessment_id)
                    version = next((a.row_version for a in current if a.dimension_id == dim), 0)
                    given = AnswerInput(dim, "ABCD"[n % 4], f"save {n}")
                    assessments.save_answer(session, people["focal"], assessment_id, given, version)
                landed.append(dim)
            except ServiceError:
                pass  # a conflict, a row the restore removed, or "restore in progress"
            except Exception as exc:
                failures.append(repr(exc))
            n += 1
        writer.dispose()

    writers = [threading.Thread(target=write, args=(k * 7,)) for k in range(2)]
    for thread in writers:
        thread.start()
    try:
        for _ in range(3 if is_postgres else 1):  # SQLite's restore waits its turn as a writer
            restore(db.url, archive)
    finally:
        stop.set()
        for thread in writers:
            thread.join(30)
    assert failures == [] and landed
