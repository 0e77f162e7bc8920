"""The editions available to the tool: every valid ``*.yaml`` in the questionnaires folder."""

from __future__ import annotations

from pathlib import Path

from wddf.questionnaire.loader import LoadResult, load_questionnaire
from wddf.questionnaire.schema import Edition


class EditionNotFoundError(LookupError):
    """No valid edition has the requested id."""


def load_folder(folder: Path) -> dict[Path, LoadResult]:
    """Load every edition file in ``folder``, valid or not, keyed by path."""
    return {path: load_questionnaire(path) for path in sorted(folder.glob("*.yaml"))}


def available_editions(folder: Path) -> list[Edition]:
    """The valid editions in ``folder``, oldest version first."""
    editions = [r.edition for r in load_folder(folder).values() if r.ok and r.edition]
    return sorted(editions, key=lambda e: _version_key(e.version))


def find_edition(folder: Path, edition_id: str | None = None) -> Edition:
    """The edition with ``edition_id``, or the newest one when no id is given."""
    editions = available_editions(folder)
    if not editions:
        raise EditionNotFoundError(f"no valid edition in {folder}")
    if edition_id is None:
        return editions[-1]
    for edition in editions:
        if edition.id == edition_id:
            return edition
    known = ", ".join(e.id for e in editions)
    raise EditionNotFoundError(f"no edition {edition_id!r}; available: {known}")


def _version_key(version: str) -> tuple:
    """Sort ``1.10`` after ``1.9``: numeric parts as numbers, others as text."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in version.split("."))
