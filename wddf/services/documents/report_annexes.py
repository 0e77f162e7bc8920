"""What the country report takes from the assessment's own records beside its scores: the sector
data sheet and the statements for WGAAP (KP focal point, endorsement, follow-up of earlier
recommendations, technical-assistance needs), the investigators' background reports, the D*
dimensions with what information is missing, and the justification and evidence of every
dimension. Each is read through its service, so the reader's rights apply."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from sqlalchemy.orm import Session

from wddf.domain import Grade
from wddf.i18n import t
from wddf.services.actor import Actor
from wddf.services.answers import assessments
from wddf.services.editions import get_edition
from wddf.services.process import background, sector_data
from wddf.storage.tables import Assessment

SECTOR_COLUMNS = ["item", "value", "year", "source"]
BACKGROUND_COLUMNS = ["goal_id", "title", "body", "citations"]
DSTAR_COLUMNS = ["dimension_id", "title", "missing"]
EVIDENCE_COLUMNS = ["dimension_id", "grade", "justification", "evidence"]


def annexes(
    session: Session,
    actor: Actor,
    assessment: Assessment,
    titles: Mapping[str, str],
    lang: str,
) -> dict[str, object]:
    """The report's tables from the assessment's records, in the edition's order, in ``lang``:
    ``sector`` (figures), ``statements`` ((item, heading, text)), ``background``, ``dstar``
    and ``evidence``."""
    figures = sector_data.sheet(session, actor, assessment.id)
    sector = [
        (t(f"sector.item.{f.item.key}", lang), sector_data.written(f, lang), f.year, f.source)
        for f in figures
        if f.item.kind != "text" and not f.is_empty
    ]
    statements = [
        (f.item.key, t(f"sector.item.{f.item.key}", lang), f.text)
        for f in figures
        if f.item.kind == "text" and f.text
    ]
    edition = get_edition(session, assessment.edition_id)
    written = background.of_assessment(session, actor, assessment.id)
    reports = [
        (goal.id, titles.get(goal.id, ""), found.body, found.citations)
        for goal in edition.goals
        if (found := written.get(goal.id)) is not None and (found.body or found.citations)
    ]
    order = {d.id: n for n, (_, _, d) in enumerate(edition.dimensions())}
    given = sorted(
        (a for a in assessments.answers(session, actor, assessment.id) if a.grade),
        key=lambda a: order.get(a.dimension_id, len(order)),
    )
    dstar = [
        (a.dimension_id, titles.get(a.dimension_id, ""), a.justification)
        for a in given
        if a.grade == Grade.D_STAR.value
    ]
    evidence = [(a.dimension_id, a.grade, a.justification, a.evidence) for a in given]
    return {
        "sector": pd.DataFrame(sector, columns=SECTOR_COLUMNS),
        "statements": statements,
        "background": pd.DataFrame(reports, columns=BACKGROUND_COLUMNS),
        "dstar": pd.DataFrame(dstar, columns=DSTAR_COLUMNS),
        "evidence": pd.DataFrame(evidence, columns=EVIDENCE_COLUMNS),
    }
