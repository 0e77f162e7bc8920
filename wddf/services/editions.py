"""Questionnaire editions as services see them: loaded once per change of the folder."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from wddf.config import get_settings
from wddf.questionnaire.registry import EditionNotFoundError, available_editions
from wddf.questionnaire.schema import Edition
from wddf.services.errors import Invalid


def _stamp(folder: Path) -> tuple:
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.yaml")))


@lru_cache(maxsize=4)
def _editions(folder: Path, stamp: tuple) -> dict[str, Edition]:
    return {e.id: e for e in available_editions(folder)}


def all_editions() -> dict[str, Edition]:
    """Every valid edition by id (reloaded when an edition file changes)."""
    folder = get_settings().questionnaires_dir
    return _editions(folder, _stamp(folder))


def get_edition(edition_id: str) -> Edition:
    """One edition, or ``Invalid`` when it is unknown."""
    try:
        return all_editions()[edition_id]
    except KeyError:
        raise Invalid("unknown_edition", edition=edition_id) from EditionNotFoundError(edition_id)


def newest_edition_id() -> str:
    """The id of the newest valid edition."""
    editions = available_editions(get_settings().questionnaires_dir)
    if not editions:
        raise Invalid("unknown_edition", edition="(none)")
    return editions[-1].id
