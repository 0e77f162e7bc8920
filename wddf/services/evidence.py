"""Evidence files, stored in the database with their sha256; limited in size and type."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from wddf.config import get_settings
from wddf.services import audit, authz
from wddf.services.actor import Actor
from wddf.services.assessments import get
from wddf.services.errors import ErrorCode, Invalid
from wddf.storage.tables import EvidenceFile

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


def add_file(
    session: Session,
    actor: Actor,
    assessment_id: int,
    dimension_id: str | None,
    name: str,
    content: bytes,
) -> EvidenceFile:
    """Store one evidence file; refused whole when too large or of a type not allowed."""
    assessment = get(session, actor, assessment_id)
    authz.require_answer_write(actor, assessment, actor.answer_group)
    limit = get_settings().evidence_max_bytes
    if len(content) > limit:
        raise Invalid(ErrorCode.FILE_TOO_LARGE, name=name, limit_mb=round(limit / 1_000_000, 1))
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_TYPES:
        raise Invalid(ErrorCode.FILE_TYPE, name=name, allowed=", ".join(sorted(ALLOWED_TYPES)))
    row = EvidenceFile(
        assessment_id=assessment_id,
        dimension_id=dimension_id,
        name=PurePath(name).name,
        content_type=ALLOWED_TYPES[suffix],
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
        {"name": row.name, "size": row.size, "sha256": row.sha256, "dimension": dimension_id},
    )
    return row


def files(session: Session, actor: Actor, assessment_id: int) -> list[EvidenceFile]:
    """The evidence files of an assessment the actor may read."""
    get(session, actor, assessment_id)
    return list(
        session.scalars(select(EvidenceFile).where(EvidenceFile.assessment_id == assessment_id))
    )
