"""Evidence files, stored in the database with their sha256; typed by their content, limited in
size, in number per dimension and in total per assessment."""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

import filetype
from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from wddf.config import get_settings
from wddf.domain import Role
from wddf.errors import ErrorCode, Invalid, NotAllowed, NotFound
from wddf.services import audit, authz
from wddf.services.actor import Actor
from wddf.services.answers.assessments import get
from wddf.services.editions import get_edition
from wddf.services.process import background
from wddf.services.records import Record, records
from wddf.storage.db import get_row
from wddf.storage.tables import Assessment, EvidenceFile
from wddf.textpolicy import clean

ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
}


MAX_FILES_PER_DIMENSION = 20
MAX_BYTES_PER_ASSESSMENT = 250_000_000
TEXT_SUFFIXES = frozenset({".txt", ".csv"})


def _file_name(name: str) -> str:
    """The file's own name: Windows and POSIX folders dropped, checked by the text policy."""
    base = PurePosixPath(clean("file_name", name).replace("\\", "/")).name.strip()
    if not base or base in (".", ".."):
        raise Invalid(ErrorCode.FILE_TYPE, name=name[:80], allowed=", ".join(sorted(ALLOWED_TYPES)))
    return base


def _content_type(name: str, content: bytes) -> str:
    """The file's type, read from its content (magic numbers; text must be UTF-8 without NUL),
    which must be the type its name says; ``Invalid`` otherwise."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in ALLOWED_TYPES:
        raise Invalid(ErrorCode.FILE_TYPE, name=name, allowed=", ".join(sorted(ALLOWED_TYPES)))
    expected = ALLOWED_TYPES[suffix]
    if suffix in TEXT_SUFFIXES:
        try:
            is_text = b"\x00" not in content and filetype.guess(content) is None
            content.decode("utf-8-sig")
        except UnicodeDecodeError:
            is_text = False
        if is_text:
            return expected
    elif filetype.guess_mime(content) == expected:
        return expected
    raise Invalid(ErrorCode.FILE_CONTENT, name=name)


def _check_room(session: Session, assessment_id: int, dimension_id: str | None, size: int) -> None:
    """At most ``MAX_FILES_PER_DIMENSION`` files per dimension and ``MAX_BYTES_PER_ASSESSMENT``
    in all per assessment."""
    same_place = EvidenceFile.assessment_id == assessment_id
    count = session.scalar(
        select(func.count()).where(same_place, EvidenceFile.dimension_id.is_(dimension_id))
        if dimension_id is None
        else select(func.count()).where(same_place, EvidenceFile.dimension_id == dimension_id)
    )
    if count >= MAX_FILES_PER_DIMENSION:
        raise Invalid(ErrorCode.TOO_MANY_FILES, limit=MAX_FILES_PER_DIMENSION)
    stored = session.scalar(select(func.coalesce(func.sum(EvidenceFile.size), 0)).where(same_place))
    if stored + size > MAX_BYTES_PER_ASSESSMENT:
        raise Invalid(ErrorCode.EVIDENCE_FULL, limit_mb=MAX_BYTES_PER_ASSESSMENT // 1_000_000)


def _place(session: Session, actor: Actor, assessment: Assessment, place: str) -> str:
    """A dimension of the assessment's edition, or one of its goals: a document attached to the
    goal's background report, which only the report's writers attach."""
    place = clean("dimension_id", place)
    edition = get_edition(session, assessment.edition_id)
    if place in {g.id for g in edition.goals}:
        if not background.may_write(session, actor, assessment, place):
            raise NotAllowed()
        return place
    if place not in {d.id for _, _, d in edition.dimensions()}:
        raise Invalid(ErrorCode.UNKNOWN_DIMENSION, dimension=place)
    return place


def add_file(
    session: Session,
    actor: Actor,
    assessment_id: int,
    dimension_id: str | None,
    name: str,
    content: bytes,
) -> EvidenceFile:
    """Store one evidence file; refused whole when too large, of a type not allowed, when its
    content is not what its name says, or when its dimension or assessment has no room left."""
    assessment = get(session, actor, assessment_id, lock=True)
    authz.require_answer_write(actor, assessment, actor.answer_group)
    name = _file_name(name)
    if dimension_id is not None:
        dimension_id = _place(session, actor, assessment, dimension_id)
    limit = get_settings().evidence_max_bytes
    if len(content) > limit:
        raise Invalid(ErrorCode.FILE_TOO_LARGE, name=name, limit_mb=round(limit / 1_000_000, 1))
    content_type = _content_type(name, content)
    _check_room(session, assessment_id, dimension_id, len(content))
    row = EvidenceFile(
        assessment_id=assessment_id,
        dimension_id=dimension_id,
        name=name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=actor.id,
        uploaded_at=audit.now(),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor.id,
        "evidence_file",
        str(row.id),
        "upload",
        None,
        _described(row),
    )
    return row


def _described(row: EvidenceFile) -> dict:
    """What the audit log keeps of a file: where it belongs, its name, size and digest."""
    return {
        "assessment": row.assessment_id,
        "dimension": row.dimension_id,
        "name": row.name,
        "size": row.size,
        "sha256": row.sha256,
    }


def remove_file(session: Session, actor: Actor, file_id: int) -> str:
    """Delete one evidence file of an assessment the actor may still change (audited with its
    name, size and digest); returns the file's name. A panel member removes only the files they
    uploaded. ``NotFound`` for a file the actor may not read, whether or not it exists."""
    row = get_row(session, EvidenceFile, file_id, options=[defer(EvidenceFile.content)])
    if row is None:
        raise NotFound()
    assessment = get(session, actor, row.assessment_id, lock=True)
    authz.require_answer_write(actor, assessment, actor.answer_group)
    if actor.role is Role.PANELIST and row.uploaded_by != actor.id:
        raise NotAllowed()
    described = _described(row)
    session.delete(row)
    audit.record(session, actor.id, "evidence_file", str(file_id), "delete", described, None)
    return described["name"]


def files(session: Session, actor: Actor, assessment_id: int) -> list[Record]:
    """The evidence files of an assessment the actor may read, without their bytes (those are
    read one file at a time, by ``content``)."""
    get(session, actor, assessment_id)
    query = (
        select(EvidenceFile)
        .where(EvidenceFile.assessment_id == assessment_id)
        .options(defer(EvidenceFile.content))
        .order_by(EvidenceFile.id)
    )
    return records(session.scalars(query))


def content(session: Session, actor: Actor, file_id: int) -> tuple[str, str, bytes]:
    """(name, content type, bytes) of one evidence file of an assessment the actor may read;
    ``NotFound`` otherwise, whether or not the file exists."""
    row = get_row(session, EvidenceFile, file_id)
    if row is None:
        raise NotFound()
    get(session, actor, row.assessment_id)
    return row.name, row.content_type, row.content
