"""Questionnaire editions, stored in the database and served from there to every replica.

An installed edition is a row of ``editions``: its YAML text, the sha256 of that text, who installed
it and when. This module is the one way to read editions. Parsed editions are cached by checksum
(``PARSED``): a checksum names one text for ever, so the cache can never serve stale content, and
each database session remembers what it looked up (``session.info``), so a page asks once.

The folder named by ``WDDF_QUESTIONNAIRES_DIR`` is an import source only: ``prepare_database``
installs its valid editions that the database does not have yet.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import yaml
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from wddf.config import get_settings
from wddf.domain import Grade
from wddf.errors import ErrorCode, Invalid, NotAllowed
from wddf.questionnaire.checks import Known, check_continuity
from wddf.questionnaire.loader import (
    LoadResult,
    SafeLoader,
    dump_edition,
    load_questionnaire,
    parse_yaml,
)
from wddf.questionnaire.schema import ContinuityRevision, Edition, revised
from wddf.questionnaire.structure import continuity_chain
from wddf.services import audit
from wddf.services.actor import SYSTEM, Actor
from wddf.services.cache import Lru
from wddf.storage.tables import ContinuityRevisionRecord, EditionRecord

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires" / "wddf-1.0.yaml"  # the first
PARSED = Lru(16)  # (checksum,) → edition; a checksum never changes meaning
_MEMO = "wddf.editions"  # key of this module's lookups in ``Session.info``


def version_key(version: str) -> tuple:
    """Sort key of edition versions, so that ``1.10`` comes after ``1.9``."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in version.split("."))


def checksum(text: str) -> str:
    """The sha256 of an edition's YAML text, as stored beside it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _parse(edition_id: str, digest: str, text: str) -> Edition:
    """The edition of a stored text; refused when the text no longer matches its checksum. The
    text passed every check when it was installed, and the checksum shows it is that text, so
    only the models are applied here (the structural checks are not run again)."""
    if checksum(text) != digest:
        raise Invalid(ErrorCode.EDITION_TAMPERED, edition=edition_id)
    try:
        edition = Edition.model_validate(yaml.load(text, Loader=SafeLoader))
    except (yaml.YAMLError, ValidationError) as exc:
        raise Invalid(ErrorCode.EDITION_TAMPERED, edition=edition_id) from exc
    if edition.id != edition_id:
        raise Invalid(ErrorCode.EDITION_TAMPERED, edition=edition_id)
    PARSED.put((digest,), edition)
    return edition


def _stamps(session: Session) -> dict[str, str]:
    """id → checksum of every installed edition, read once per database session."""
    memo = session.info.setdefault(_MEMO, {})
    if "stamps" not in memo:
        rows = session.execute(select(EditionRecord.id, EditionRecord.checksum))
        memo["stamps"] = {edition_id: digest for edition_id, digest in rows}
    return memo["stamps"]


def _revision_stamps(session: Session) -> dict[str, tuple[tuple[int, str], ...]]:
    """edition id → (revision, checksum) of each continuity revision installed for it, in
    order; read once per database session."""
    memo = session.info.setdefault(_MEMO, {})
    if "revisions" not in memo:
        rows = session.execute(
            select(
                ContinuityRevisionRecord.edition_id,
                ContinuityRevisionRecord.revision,
                ContinuityRevisionRecord.checksum,
            ).order_by(ContinuityRevisionRecord.edition_id, ContinuityRevisionRecord.revision)
        )
        found: dict[str, tuple[tuple[int, str], ...]] = {}
        for edition_id, number, digest in rows:
            found[edition_id] = (*found.get(edition_id, ()), (number, digest))
        memo["revisions"] = found
    return memo["revisions"]


def get_edition(session: Session, edition_id: str) -> Edition:
    """One installed edition, with its continuity revisions applied (``revised``), or
    ``Invalid`` when it is unknown. Every page, export and report reads editions here, so every
    one of them compares what the latest revision says is comparable."""
    digest = _stamps(session).get(edition_id)
    if digest is None:
        raise Invalid(ErrorCode.UNKNOWN_EDITION, edition=edition_id)
    revisions = _revision_stamps(session).get(edition_id, ())
    cached = PARSED.get((digest, *revisions))
    if cached is not None:
        return cached
    base = PARSED.get((digest,))
    if base is None:
        text = session.scalar(select(EditionRecord.yaml_text).where(EditionRecord.id == edition_id))
        base = _parse(edition_id, digest, text or "")
    if not revisions:
        return base
    rows = session.execute(
        select(ContinuityRevisionRecord.checksum, ContinuityRevisionRecord.yaml_text)
        .where(ContinuityRevisionRecord.edition_id == edition_id)
        .order_by(ContinuityRevisionRecord.revision)
    )
    edition = revised(base, [_parse_revision(edition_id, d, text) for d, text in rows])
    PARSED.put((digest, *revisions), edition)
    return edition


def _parse_revision(edition_id: str, digest: str, text: str) -> ContinuityRevision:
    """A stored revision, refused (as a tampered edition) when its text no longer matches."""
    if checksum(text) != digest:
        raise Invalid(ErrorCode.EDITION_TAMPERED, edition=edition_id)
    try:
        return ContinuityRevision.model_validate(yaml.load(text, Loader=SafeLoader))
    except (yaml.YAMLError, ValidationError) as exc:
        raise Invalid(ErrorCode.EDITION_TAMPERED, edition=edition_id) from exc


REVISION_KIND = re.compile(rb"^kind:[ \t]*['\"]?continuity_revision['\"]?[ \t]*$", re.M)


def is_revision(content: bytes) -> bool:
    """Whether an uploaded YAML is a continuity revision rather than an edition."""
    return REVISION_KIND.search(content) is not None


def read_revision(content: bytes) -> ContinuityRevision:
    """A continuity revision's file read and checked for shape, or ``Invalid`` saying where."""
    try:
        data, _, problems = parse_yaml(content.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise Invalid(ErrorCode.REVISION_INVALID, where="file", detail=type(exc).__name__) from exc
    if problems:  # a syntax error, or beyond the bounds of an uploaded YAML (an alias bomb…)
        raise Invalid(ErrorCode.REVISION_INVALID, where="file", detail=problems[0].code.value)
    try:
        return ContinuityRevision.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "file"
        raise Invalid(ErrorCode.REVISION_INVALID, where=where, detail=first["type"]) from exc


def install_revision(session: Session, actor: Actor, content: bytes) -> ContinuityRevision:
    """Check and store a revision of an installed edition's continuity claims (administrators;
    audited). It must be the edition's next number, name its own dimensions and dimensions of
    installed editions; the same text again is a no-op, another text under a stored number is
    refused. The edition's text is not touched: its checksum stays valid."""
    if not actor.is_admin:
        raise NotAllowed()
    revision = read_revision(content)
    edition = get_edition(session, revision.edition)
    text = content.decode("utf-8")
    digest = checksum(text)
    stored = {
        row.revision: row
        for row in session.scalars(
            select(ContinuityRevisionRecord)
            .where(ContinuityRevisionRecord.edition_id == edition.id)
            .with_for_update()
        )
    }
    if revision.revision in stored:
        if stored[revision.revision].checksum == digest:
            return revision
        raise Invalid(ErrorCode.REVISION_EXISTS, edition=edition.id, revision=revision.revision)
    expected = max(stored, default=0) + 1
    if revision.revision != expected:
        params = {"revision": revision.revision, "expected": expected}
        raise Invalid(ErrorCode.REVISION_NOT_NEXT, edition=edition.id, **params)
    _check_links(session, edition, revision)
    session.add(
        ContinuityRevisionRecord(
            edition_id=edition.id,
            revision=revision.revision,
            checksum=digest,
            yaml_text=text,
            installed_by=actor.username,
            installed_at=audit.now(),
        )
    )
    session.flush()
    links = {
        link.dimension: None
        if link.continues is None
        else f"{link.continues.edition}/{link.continues.dimension} "
        f"({link.continues.comparability.value})"
        for link in revision.links
    }
    summary = {"revision": revision.revision, "checksum": digest, "links": links}
    audit.record(session, actor.id, "edition", edition.id, "continuity_revised", None, summary)
    session.info.pop(_MEMO, None)
    return revision


def _check_links(session: Session, edition: Edition, revision: ContinuityRevision) -> None:
    """Each link names a dimension of the edition, and continues one an installed edition has."""
    known = known_dimensions(session)
    for index, link in enumerate(revision.links):
        if link.dimension not in edition.dimension_index:
            where = f"links.{index}.dimension"
            params = {"dimension": link.dimension, "edition": edition.id}
            raise Invalid(ErrorCode.REVISION_UNKNOWN_DIMENSION, where=where, **params)
        target = link.continues
        if target is not None and target.dimension not in known.get(target.edition, ()):
            where = f"links.{index}.continues"
            params = {"dimension": target.dimension, "edition": target.edition}
            raise Invalid(ErrorCode.REVISION_UNKNOWN_DIMENSION, where=where, **params)


def editions_accepting(dimension_id: str, grade: str | None) -> tuple[str, ...]:
    """The ids of the editions parsed in this process that have the dimension and accept the
    grade for it (NA only where allowed); the autosave's guard (``services.autosave``)."""
    found = []
    for edition in PARSED.values():
        dim = edition.dimension_index.get(dimension_id)
        if dim is not None and (grade != Grade.NA or dim.na_allowed):
            found.append(edition.id)
    return tuple(found)


def all_editions(session: Session) -> dict[str, Edition]:
    """Every installed edition by id, oldest version first."""
    editions = [get_edition(session, edition_id) for edition_id in _stamps(session)]
    return {e.id: e for e in sorted(editions, key=lambda e: version_key(e.version))}


def newest_edition_id(session: Session) -> str:
    """The id of the newest installed edition (or ``WDDF_DEFAULT_EDITION`` when installed)."""
    editions = all_editions(session)
    wanted = get_settings().default_edition
    if wanted in editions:
        return wanted
    if not editions:
        raise Invalid(ErrorCode.UNKNOWN_EDITION, edition="(none)")
    return list(editions)[-1]


def continuity_of(session: Session, edition_id: str) -> pd.DataFrame:
    """What each dimension of an installed edition continues, in every earlier installed
    edition (``structure.continuity_chain``), with the continuity revisions applied: the one
    table every progress view, report and export compares assessments by."""
    installed = _stamps(session)
    return continuity_chain(
        lambda found: get_edition(session, found) if found in installed else None, edition_id
    )


def node_titles(session: Session, edition_id: str, lang: str) -> dict[str, str]:
    """The title of every goal, indicator and dimension of one edition, in ``lang`` (the
    edition's first language where it has no ``lang`` text). Editions reuse ids for other
    words: a view of several editions keys titles by edition too (``titles_by_edition``)."""
    edition = get_edition(session, edition_id)
    first = edition.languages[0]
    titles: dict[str, str] = {}
    for goal in edition.goals:
        titles[goal.id] = goal.title.get(lang, goal.title[first])
        for ind in goal.indicators:
            titles[ind.id] = ind.title.get(lang, ind.title[first])
            for dim in ind.dimensions:
                titles[dim.id] = dim.title.get(lang, dim.title[first])
    return titles


def titles_by_edition(
    session: Session, edition_ids: Iterable[str], lang: str
) -> dict[tuple[str, str], str]:
    """(edition, node id) → title in ``lang``: each assessment's nodes in its own edition's
    words, whatever other editions call the same id."""
    return {
        (edition_id, node_id): title
        for edition_id in sorted(set(edition_ids))
        for node_id, title in node_titles(session, edition_id, lang).items()
    }


def known_dimensions(session: Session) -> dict[str, frozenset[str]]:
    """The dimension ids of every installed edition: what a new edition's ``continues`` may
    name."""
    return {e.id: frozenset(e.dimension_index) for e in all_editions(session).values()}


def check_upload(
    actor: Actor, filename: str, content: bytes, known: Known | None = None
) -> LoadResult:
    """Validate an uploaded edition (.yaml or .xlsx) without installing it (admins only);
    ``known`` (``known_dimensions``) checks its ``continues`` against installed editions."""
    if not actor.is_admin:
        raise NotAllowed()
    if filename.lower().endswith(".xlsx"):
        from wddf.questionnaire.excel_reader import read_edition_workbook

        return read_edition_workbook(content, known)
    return load_questionnaire(content, known)


def install(session: Session, actor: Actor, filename: str, content: bytes) -> Edition:
    """Validate and store an edition; refused whole if invalid (a ``continues`` naming a
    dimension an installed edition lacks included), or if its id is installed with other content
    (a new text needs a new id or version). Installing the same text again is a no-op."""
    result = check_upload(actor, filename, content, known_dimensions(session))
    if not result.ok or result.edition is None:
        raise Invalid(ErrorCode.EDITION_INVALID, count=len(result.errors))
    return _store(session, actor, result.edition)


def _store(session: Session, actor: Actor, edition: Edition) -> Edition:
    text = dump_edition(edition)
    digest = checksum(text)
    stored = session.get(EditionRecord, edition.id, with_for_update=True)
    if stored is not None:
        if stored.checksum != digest:
            raise Invalid(ErrorCode.EDITION_EXISTS, edition=edition.id)
        return get_edition(session, edition.id)
    session.add(
        EditionRecord(
            id=edition.id,
            version=edition.version,
            checksum=digest,
            yaml_text=text,
            installed_by=actor.username,
            installed_at=audit.now(),
        )
    )
    session.flush()
    audit.record(session, actor.id, "edition", edition.id, "installed", None, {"checksum": digest})
    session.info.pop(_MEMO, None)
    return edition


def import_folder(session: Session, folder: Path) -> list[str]:
    """Install the valid editions of ``folder`` that are not installed yet (idempotent); an id
    already installed with other content is left as it is; then the continuity revisions of
    ``folder/continuity`` the database lacks. Returns the ids installed."""
    added = _import_editions(session, folder)
    _import_revisions(session, folder / "continuity")
    return added


def _import_revisions(session: Session, folder: Path) -> None:
    """Install, in number order, the revisions of ``folder`` not installed yet (idempotent)."""
    stored = _revision_stamps(session)
    found = [(read_revision(p.read_bytes()), p.read_bytes()) for p in folder.glob("*.yaml")]
    for revision, content in sorted(found, key=lambda f: (f[0].edition, f[0].revision)):
        done = {number for number, _ in stored.get(revision.edition, ())}
        if revision.edition in _stamps(session) and revision.revision not in done:
            install_revision(session, SYSTEM, content)
            stored = _revision_stamps(session)


def _import_editions(session: Session, folder: Path) -> list[str]:
    installed = _stamps(session)
    paths = [p for p in sorted(folder.glob("*.yaml")) if _declared_id(p) not in installed]
    if not paths:  # every edition of the folder is installed: nothing to parse
        return []
    found = [r.edition for r in map(load_questionnaire, paths) if r.ok]
    known = known_dimensions(session) | {e.id: frozenset(e.dimension_index) for e in found}
    added = []
    for edition in found:
        data = edition.model_dump(mode="json", exclude_none=True)
        continues_known = not any(not p.is_warning for p in check_continuity(data, known))
        if edition.id not in installed and continues_known:
            _store(session, SYSTEM, edition)
            added.append(edition.id)
    return added


def _declared_id(path: Path) -> str | None:
    """The ``id:`` a YAML edition declares at its top level, read without parsing the file
    (``None`` when it is not written plainly; the file is then parsed)."""
    found = re.search(
        r"^id:[ \t]*['\"]?([a-z0-9][a-z0-9._-]*)['\"]?[ \t]*$", path.read_text("utf-8"), re.M
    )
    return found.group(1) if found else None


def verify_stored(session: Session) -> None:
    """Refuse (``EDITION_TAMPERED``, naming the edition) when any stored text does not match its
    checksum. (A text that matches is the one validated at install; it is parsed when first
    used.)"""
    for edition_id, digest, text in session.execute(
        select(EditionRecord.id, EditionRecord.checksum, EditionRecord.yaml_text)
    ):
        if checksum(text) != digest:
            raise Invalid(ErrorCode.EDITION_TAMPERED, edition=edition_id)


def prepare_database(url: str, migrate: bool = True) -> None:
    """Bring the database at ``url`` to the newest schema (unless ``migrate`` is false: a server
    database is upgraded by its operator), install the editions of ``WDDF_QUESTIONNAIRES_DIR`` it
    lacks, and check every stored edition (``Invalid`` naming a tampered one)."""
    from wddf.storage.db import Database
    from wddf.storage.migrate import upgrade

    if migrate:
        upgrade(url)
    database = Database(url)
    try:
        with database.session() as session:
            import_folder(session, get_settings().questionnaires_dir)
            verify_stored(session)
    finally:
        database.dispose()
