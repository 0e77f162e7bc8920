"""Flatten an edition into tables: the structure table for scoring, and texts for display."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from wddf.questionnaire.schema import Edition

STRUCTURE_COLUMNS = [
    "goal_id",
    "indicator_id",
    "dimension_id",
    "layer",
    "dimension_weight",
    "indicator_weight",
    "goal_weight",
    "indicator_method",
    "na_allowed",
]
STATEMENT_COLUMNS = ["statement_A", "statement_B", "statement_C", "statement_D"]


def structure_table(edition: Edition) -> pd.DataFrame:
    """One row per dimension: the tree and its weights, as ``scoring/`` expects it."""
    rows = [
        {
            "goal_id": goal.id,
            "indicator_id": ind.id,
            "dimension_id": dim.id,
            "layer": dim.layer.value,
            "dimension_weight": dim.weight,
            "indicator_weight": ind.weight,
            "goal_weight": goal.weight,
            "indicator_method": ind.method.value,
            "na_allowed": dim.na_allowed,
        }
        for goal, ind, dim in edition.dimensions()
    ]
    return pd.DataFrame(rows, columns=STRUCTURE_COLUMNS)


def flat_table(edition: Edition, lang: str) -> pd.DataFrame:
    """The structure table plus every text in ``lang``, for ``questionnaire show`` and the UI."""
    if lang not in edition.languages:
        raise ValueError(f"{edition.id} has no language {lang!r}; it has {edition.languages}")
    texts = [
        {
            "goal_title": goal.title[lang],
            "indicator_title": ind.title[lang],
            "dimension_title": dim.title[lang],
            "question": dim.question[lang],
            **{f"statement_{k}": getattr(dim.statements, k)[lang] for k in "ABCD"},
            "guidance": dim.guidance[lang],
            "evidence": [item[lang] for item in dim.evidence],
            "na_hint": dim.na_hint[lang] if dim.na_hint else None,
            "continues_edition": dim.continues.edition if dim.continues else None,
            "continues_dimension": dim.continues.dimension if dim.continues else None,
            "comparability": dim.continues.comparability.value if dim.continues else None,
        }
        for goal, ind, dim in edition.dimensions()
    ]
    return pd.concat([structure_table(edition), pd.DataFrame(texts)], axis=1)


CONTINUITY_TABLE_COLUMNS = [
    "dimension_id",
    "previous_edition",
    "previous_dimension_id",
    "comparability",
]


def continuity_table(edition: Edition) -> pd.DataFrame:
    """For each dimension that continues an earlier one: its id, the earlier id, comparability."""
    rows = [
        {
            "dimension_id": dim.id,
            "previous_edition": dim.continues.edition,
            "previous_dimension_id": dim.continues.dimension,
            "comparability": dim.continues.comparability.value,
        }
        for _, _, dim in edition.dimensions()
        if dim.continues
    ]
    return pd.DataFrame(rows, columns=CONTINUITY_TABLE_COLUMNS)


COMPARABILITY_ORDER = ("none", "partial", "full")  # weakest first


def continuity_chain(lookup: Callable[[str], Edition | None], edition_id: str) -> pd.DataFrame:
    """``continuity_table`` of an edition, extended to every earlier edition reachable through
    the declarations: a 1.2 dimension that continues a 1.1 dimension, which continues a 1.0
    dimension, also continues that 1.0 dimension, with the weakest comparability along the way.
    So a country that skipped an edition still compares like with like. ``lookup`` gives an
    edition by id (``None`` when it is not installed: the chain stops there)."""
    first = lookup(edition_id)
    if first is None:
        return continuity_table_empty()
    found = [continuity_table(first)]
    seen = {edition_id}
    frontier = found[0]
    while not frontier.empty:
        steps = []
        for previous, links in frontier.groupby("previous_edition"):
            earlier = None if previous in seen else lookup(str(previous))
            if earlier is None:
                continue
            seen.add(str(previous))
            older = continuity_table(earlier).rename(
                columns={
                    "dimension_id": "previous_dimension_id",
                    "previous_edition": "older_edition",
                    "previous_dimension_id": "older_dimension_id",
                    "comparability": "older_comparability",
                }
            )
            joined = links.merge(older, on="previous_dimension_id")
            rank = COMPARABILITY_ORDER.index
            weakest = [
                min(a, b, key=rank)
                for a, b in zip(joined["comparability"], joined["older_comparability"], strict=True)
            ]
            steps.append(
                pd.DataFrame(
                    {
                        "dimension_id": joined["dimension_id"],
                        "previous_edition": joined["older_edition"],
                        "previous_dimension_id": joined["older_dimension_id"],
                        "comparability": weakest,
                    }
                )
            )
        frontier = pd.concat(steps, ignore_index=True) if steps else continuity_table_empty()
        found.append(frontier)
    return pd.concat(found, ignore_index=True)


def continuity_table_empty() -> pd.DataFrame:
    """A continuity table with no rows."""
    return pd.DataFrame(columns=CONTINUITY_TABLE_COLUMNS)
