"""Panel agreement: how far stakeholder groups' grades for a dimension lie apart."""

from __future__ import annotations

import pandas as pd

from scoring.engine import ASSESSMENT
from scoring.grades import CONSENSUS, VALUES


def panel_agreement(answers: pd.DataFrame, keys: tuple[str, ...] = ASSESSMENT) -> pd.DataFrame:
    """Per assessment (its ``keys`` columns) and dimension graded by two or more stakeholder
    groups.

    Columns: ``n_groups``, ``lowest`` and ``highest`` (values 1–4), ``spread`` in grade steps
    (0–3), ``agreement`` = 1 − spread / 3 (1 when all groups agree, 0 for A against D),
    ``modal_share`` (share of groups giving the most common grade) and ``consensus`` (the
    consensus grade, when there is one). NA and ungraded answers are left out.
    """
    keys = [*keys, "dimension_id"]
    if "group" not in answers.columns:
        return pd.DataFrame(columns=[*keys, "n_groups", "lowest", "highest", "spread",
                                     "agreement", "modal_share", "consensus"])  # fmt: skip
    groups = answers[answers["group"].ne(CONSENSUS) & answers["grade"].isin(list(VALUES))]
    groups = groups.assign(value=groups["grade"].map(VALUES).astype(float))
    stats = groups.groupby(keys).agg(
        n_groups=("value", "size"), lowest=("value", "min"), highest=("value", "max")
    )
    modal = groups.groupby([*keys, "value"]).size().groupby(level=keys).max()
    stats = stats.assign(
        spread=stats["highest"] - stats["lowest"],
        modal_share=modal / stats["n_groups"],
    ).reset_index()
    stats["agreement"] = 1 - stats["spread"] / 3
    consensus = answers[answers["group"].eq(CONSENSUS)][[*keys, "grade"]]
    stats = stats.merge(consensus.rename(columns={"grade": "consensus"}), on=keys, how="left")
    return stats[stats["n_groups"] >= 2].reset_index(drop=True)


def most_disputed(agreement: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` dimensions with the widest spread (then the lowest modal share)."""
    return agreement.sort_values(["spread", "modal_share"], ascending=[False, True]).head(n)
