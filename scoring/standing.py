"""Where assessments stand: strongest and weakest dimensions, rankings, groups of countries,
grade distributions, peers and trends over the years.

Pure pandas, no I/O, no charts: every figure a page draws comes from ``scoring/``.
"""

from __future__ import annotations

import pandas as pd

from scoring.grades import GRADES, WEAK_GRADES


def strongest_and_weakest(
    dimensions: pd.DataFrame, n: int = 5
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` best and worst graded dimensions of one assessment (NA and blanks left out);
    ties keep questionnaire order."""
    graded = dimensions[dimensions["value"].notna()]
    strongest = graded.sort_values("value", ascending=False, kind="stable").head(n)
    weakest = graded.sort_values("value", ascending=True, kind="stable").head(n)
    return strongest.reset_index(drop=True), weakest.reset_index(drop=True)


def latest_per_country(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of each country's most recent year."""
    if frame.empty:
        return frame
    latest = frame.groupby("country", observed=True)["year"].transform("max")
    return frame[frame["year"].eq(latest)].reset_index(drop=True)


def ranking(overall: pd.DataFrame, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Assessments by overall score, best first, with their rank and coverage; unscored last.
    With ``by`` (year and edition), each group is ranked on its own, latest group first: only
    assessments of one year and one edition are ranked against each other."""
    keys = list(by)
    ranked = overall.sort_values(
        [*keys, "score", "country"],
        ascending=[*[False] * len(keys), False, True],
        na_position="last",
    ).reset_index(drop=True)
    scores = ranked.groupby(keys, sort=False)["score"] if keys else ranked["score"]
    ranked.insert(0, "rank", scores.rank(ascending=False, method="min"))
    return ranked


def group_summary(overall: pd.DataFrame, countries: pd.DataFrame, by: str) -> pd.DataFrame:
    """Mean overall score, mean coverage and number of countries per ``by`` (``region`` or
    ``language``), from one row per country; ``countries`` has ``country`` and ``by``."""
    joined = overall.merge(countries[["country", by]], on="country", how="left")
    grouped = joined.groupby(by, dropna=False).agg(
        countries=("country", "nunique"),
        score=("score", "mean"),
        coverage=("coverage", "mean"),
        lowest=("score", "min"),
        highest=("score", "max"),
    )
    return grouped.reset_index().sort_values("score", ascending=False, ignore_index=True)


def grade_distribution(dimensions: pd.DataFrame) -> pd.DataFrame:
    """For each dimension, how many assessments gave each grade, and the share graded C or
    below among those graded (``weak_share``): which dimensions are weak everywhere."""
    grades = dimensions.assign(grade=dimensions["grade"].astype(object))
    counts = pd.crosstab(grades["dimension_id"], grades["grade"]).reindex(
        columns=list(GRADES), fill_value=0
    )
    graded = counts[[g for g in GRADES if g != "NA"]].sum(axis=1)
    weak = counts[list(WEAK_GRADES)].sum(axis=1)
    out = counts.assign(graded=graded, weak_share=(weak / graded.where(graded > 0)).astype(float))
    order = dimensions["dimension_id"].astype(object).drop_duplicates().tolist()
    out = out.reindex(order).reset_index().rename(columns={"index": "dimension_id"})
    return out.sort_values("weak_share", ascending=False, kind="stable", ignore_index=True)


def peer_comparison(goals: pd.DataFrame, country: str) -> pd.DataFrame:
    """Per goal: the country's score against its peers' median, lowest and highest (one row per
    country in ``goals``, e.g. the latest of each)."""
    mine = goals[goals["country"].eq(country)][["goal_id", "score", "coverage"]]
    peers = goals[goals["country"].ne(country)].groupby("goal_id", observed=True)["score"]
    summary = pd.DataFrame(
        {"peer_median": peers.median(), "peer_lowest": peers.min(), "peer_highest": peers.max()}
    ).reset_index()
    out = mine.merge(summary, on="goal_id", how="left")
    return out.assign(difference=out["score"] - out["peer_median"])


def trends(overall: pd.DataFrame, goals: pd.DataFrame) -> pd.DataFrame:
    """Overall and goal scores per year, long: ``year, node, score, coverage``."""
    top = overall[["year", "score", "coverage"]].assign(node="overall")
    per_goal = goals[["year", "goal_id", "score", "coverage"]].rename(columns={"goal_id": "node"})
    out = pd.concat([top, per_goal], ignore_index=True)
    return out.astype({"node": object}).sort_values(["node", "year"], ignore_index=True)
