"""Change between two assessments of one country, with comparability across editions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.engine import ScoreResult

TOLERANCE = 1e-9
CONTINUITY_COLUMNS = ["dimension_id", "previous_dimension_id", "comparability"]


def _single(result: ScoreResult, name: str) -> None:
    if len(result.overall) != 1:
        raise ValueError(f"{name} must hold exactly one assessment, not {len(result.overall)}")


def dimension_map(
    before: ScoreResult, after: ScoreResult, continuity: pd.DataFrame | None
) -> pd.DataFrame:
    """Each dimension of ``after`` with the dimension of ``before`` it compares to, and how well."""
    dims = after.dimensions[["goal_id", "indicator_id", "dimension_id"]]
    if before.recipe.edition_id == after.recipe.edition_id:
        return dims.assign(previous_dimension_id=dims["dimension_id"], comparability="full")
    mapping = continuity if continuity is not None else pd.DataFrame(columns=CONTINUITY_COLUMNS)
    known = set(before.dimensions["dimension_id"])
    mapping = mapping[mapping["previous_dimension_id"].isin(known)]
    if "previous_edition" in mapping.columns:
        mapping = mapping[mapping["previous_edition"].eq(before.recipe.edition_id)]
    out = dims.merge(mapping[CONTINUITY_COLUMNS], on="dimension_id", how="left")
    return out.assign(comparability=out["comparability"].fillna("none"))


def _node_comparability(dims: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """full when every dimension maps fully, none when none maps, partial otherwise."""
    flags = dims.assign(
        _full=dims["comparability"].eq("full"), _any=dims["comparability"].ne("none")
    )
    grouped = (
        flags.groupby(by)[["_full", "_any"]].all()
        if by
        else flags[["_full", "_any"]].all().to_frame().T
    )
    any_mapped = flags.groupby(by)["_any"].any() if by else pd.Series([flags["_any"].any()])
    label = np.where(grouped["_full"], "full", np.where(any_mapped.to_numpy(), "partial", "none"))
    return pd.DataFrame({"id": grouped.index if by else ["overall"], "comparability": label})


def _scores(result: ScoreResult, level: str) -> pd.DataFrame:
    table, key = {
        "dimension": (result.dimensions, "dimension_id"),
        "indicator": (result.indicators, "indicator_id"),
        "goal": (result.goals, "goal_id"),
        "overall": (result.overall.assign(id="overall"), "id"),
    }[level]
    return table[[key, "score"]].rename(columns={key: "id"})


def _dimension_rows(
    before: ScoreResult, after: ScoreResult, continuity: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The dimension map, and each dimension of ``after`` with the dimension of ``before`` it
    compares to (``previous_dimension_id``) and its score then and now."""
    _single(before, "before")
    _single(after, "after")
    dims = dimension_map(before, after, continuity)
    dim_rows = dims.rename(columns={"dimension_id": "id"})[
        ["id", "previous_dimension_id", "comparability"]
    ]
    dim_rows = dim_rows.merge(_scores(after, "dimension"), on="id", how="left")
    previous = _scores(before, "dimension").rename(
        columns={"id": "previous_dimension_id", "score": "score_before"}
    )
    dim_rows = dim_rows.merge(previous, on="previous_dimension_id", how="left").assign(
        level="dimension"
    )
    rows = dim_rows.rename(columns={"score": "score_after"})
    return dims, rows


def classify(out: pd.DataFrame) -> pd.DataFrame:
    """Delta and direction of each node (``level, id, comparability, score_before, score_after``,
    and any key columns that tell pairs apart); none across a comparability of ``none``."""
    delta = (out["score_after"] - out["score_before"]).where(out["comparability"].ne("none"))
    direction = np.select(
        [delta > TOLERANCE, delta < -TOLERANCE, delta.abs() <= TOLERANCE],
        ["improved", "declined", "unchanged"],
        default=None,
    )
    out = out.assign(delta=delta, direction=direction)
    out["direction"] = out["direction"].where(
        out["delta"].notna() | out["comparability"].ne("none"), "not comparable"
    )
    named = ["level", "id", "comparability", "score_before", "score_after", "delta", "direction"]
    return out[[c for c in out.columns if c not in named] + named]


def dimension_change(
    before: ScoreResult, after: ScoreResult, continuity: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The dimension rows of ``change`` alone, without the indicators, goals and overall."""
    return classify(_dimension_rows(before, after, continuity)[1])


def overall_change(
    before: ScoreResult, after: ScoreResult, continuity: pd.DataFrame | None = None
) -> tuple[str, float]:
    """The overall row of ``change`` alone: its comparability and delta (NaN when ``none``),
    without working out every other node."""
    _single(before, "before")
    _single(after, "after")
    if before.recipe.edition_id == after.recipe.edition_id:
        comparability = "full"
    else:
        nodes = _node_comparability(dimension_map(before, after, continuity), None)
        comparability = str(nodes["comparability"].iloc[0])
    if comparability == "none":
        return comparability, float("nan")
    return comparability, float(after.overall["score"].iloc[0] - before.overall["score"].iloc[0])


def change(
    before: ScoreResult, after: ScoreResult, continuity: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Delta of every node from ``before`` to ``after``, classified improved/declined/unchanged.

    ``continuity`` (``dimension_id, previous_dimension_id, comparability``) maps the dimensions of
    ``after``'s edition to ``before``'s when the editions differ; each dimension row names the
    dimension it was compared with (``previous_dimension_id``, empty when none). A node with
    comparability ``none`` gets no delta.
    """
    dims, dim_rows = _dimension_rows(before, after, continuity)
    frames = [dim_rows]
    for level, by in (("indicator", "indicator_id"), ("goal", "goal_id"), ("overall", None)):
        nodes = _node_comparability(dims, by)
        nodes = nodes.merge(
            _scores(after, level).rename(columns={"score": "score_after"}), on="id", how="left"
        )
        nodes = nodes.merge(
            _scores(before, level).rename(columns={"score": "score_before"}), on="id", how="left"
        )
        frames.append(nodes.assign(level=level))
    return classify(pd.concat(frames, ignore_index=True))
