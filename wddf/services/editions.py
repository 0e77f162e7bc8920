"""Questionnaire editions as services see them: loaded once per change of the folder."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from wddf.config import get_settings
from wddf.questionnaire.loader import LoadResult, dump_edition, load_questionnaire
from wddf.questionnaire.registry import EditionNotFoundError, available_editions
from wddf.questionnaire.schema import Edition
from wddf.services.actor import Actor
from wddf.services.errors import ErrorCode, Invalid, NotAllowed


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
        raise Invalid(ErrorCode.UNKNOWN_EDITION, edition=edition_id) from EditionNotFoundError(
            edition_id
        )


def newest_edition_id() -> str:
    """The id of the newest valid edition."""
    editions = available_editions(get_settings().questionnaires_dir)
    if not editions:
        raise Invalid(ErrorCode.UNKNOWN_EDITION, edition="(none)")
    return editions[-1].id


def node_titles(edition_ids: set[str], lang: str) -> dict[str, str]:
    """The title of every goal, indicator and dimension of the editions, in ``lang`` (the
    edition's first language where it has no ``lang`` text)."""
    titles: dict[str, str] = {}
    for edition_id in edition_ids:
        edition = get_edition(edition_id)
        for goal in edition.goals:
            titles[goal.id] = goal.title.get(lang, goal.title[edition.languages[0]])
            for ind in goal.indicators:
                titles[ind.id] = ind.title.get(lang, ind.title[edition.languages[0]])
                for dim in ind.dimensions:
                    titles[dim.id] = dim.title.get(lang, dim.title[edition.languages[0]])
    return titles


def check_upload(actor: Actor, filename: str, content: bytes) -> LoadResult:
    """Validate an uploaded edition (.yaml or .xlsx) without installing it (admins only)."""
    if not actor.is_admin:
        raise NotAllowed()
    if filename.lower().endswith(".xlsx"):
        from wddf.questionnaire.excel_reader import read_edition_workbook

        return read_edition_workbook(content)
    return load_questionnaire(content)


def install(actor: Actor, filename: str, content: bytes) -> Edition:
    """Validate and install an edition into the questionnaires folder; refused whole if invalid."""
    result = check_upload(actor, filename, content)
    if not result.ok or result.edition is None:
        raise Invalid(ErrorCode.EDITION_INVALID, count=len(result.errors))
    edition = result.edition
    if edition.id in all_editions():
        raise Invalid(ErrorCode.EDITION_EXISTS, edition=edition.id)
    target = get_settings().questionnaires_dir / f"{edition.id}.yaml"
    target.write_text(dump_edition(edition), encoding="utf-8")
    return edition
