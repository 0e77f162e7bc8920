"""The sentences of the country report, section by section, in the report's language: the
summary, the process, scores, the law/policy/practice gap, progress, agreement and the matrix.
Numbers and dates are written the language's way (``wddf.i18n``)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from wddf.i18n import day, number, percent, t
from wddf.storage.tables import Assessment

DISPUTED_SHOWN = 10  # the most disputed dimensions the report lists
MOVES = ("improved", "declined", "unchanged", "changed")


def _summary(lang: str, overall: pd.DataFrame, goals: pd.DataFrame) -> list[str]:
    """The overall score and coverage, D* counted, the strongest and the weakest goal."""
    if overall.empty or overall["score"].isna().all():
        return [t("report.summary.nothing", lang)]
    row = overall.iloc[0]
    lines = [
        t(
            "report.summary.overall",
            lang,
            score=number(row["score"], lang),
            graded=int(row["n_graded"]),
            applicable=int(row["n_applicable"]),
            coverage=percent(row["coverage"], lang),
        )
    ]
    if int(row["n_dstar"]):
        lines.append(t("report.summary.dstar", lang, count=int(row["n_dstar"])))
    ranked = goals.dropna(subset=["score"]).sort_values("score", kind="stable")
    if len(ranked) > 1:
        weak, strong = ranked.iloc[0], ranked.iloc[-1]
        lines.append(
            t(
                "report.summary.goals",
                lang,
                strong=f"{strong['goal_id']} {strong['title']}",
                strong_score=number(strong["score"], lang),
                weak=f"{weak['goal_id']} {weak['title']}",
                weak_score=number(weak["score"], lang),
            )
        )
    return lines


def _progress(
    lang: str,
    assessment: Assessment,
    overall: pd.DataFrame,
    history: pd.DataFrame,
    dims: pd.DataFrame,
) -> list[str]:
    """The move of the overall score since the previous scored assessment, how many dimensions
    moved which way, and what makes the two unlike (``comparison_notes``)."""
    earlier = history[history["year"].lt(assessment.year)].dropna(subset=["score"])
    now = overall["score"].iloc[0] if len(overall) else None
    if earlier.empty or now is None or now != now:
        return [t("report.progress.first", lang)]
    before = earlier.iloc[-1]
    moved = {c: int(dims["change"].eq(c).sum()) if len(dims) else 0 for c in MOVES}
    reading = t(
        "report.progress.reading",
        lang,
        year=int(before["year"]),
        before=number(before["score"], lang),
        now=number(now, lang),
        **moved,
    )
    then = Side(int(before["year"]), before["edition_id"], before["status"], before["coverage"])
    this = Side(
        assessment.year, assessment.edition_id, assessment.status, overall["coverage"].iloc[0]
    )
    points = dims["change_points"] if "change_points" in dims.columns else pd.Series(dtype=float)
    return [reading, *comparison_notes(lang, then, this, points)]


@dataclass(frozen=True)
class Side:
    """One assessment of a comparison: its year, edition, status and coverage."""

    year: int
    edition_id: str
    status: str
    coverage: float


FINAL = ("validated", "published")
COVERAGE_STEP = 0.005  # coverages that round to the same percent are the same


def comparison_notes(lang: str, before: Side, after: Side, points: pd.Series) -> list[str]:
    """What a headline comparing two assessments must say beside its figures: another edition,
    another coverage, a status that is not final; and the change of the comparable subset, the
    mean change of the dimensions scored both times that compare (``points``: each dimension's
    change in points, empty where it does not compare)."""
    notes = []
    if before.edition_id != after.edition_id:
        notes.append(
            t("report.progress.edition", lang, before=before.edition_id, after=after.edition_id)
        )
    if abs(float(before.coverage) - float(after.coverage)) > COVERAGE_STEP:
        notes.append(
            t(
                "report.progress.coverage",
                lang,
                first=before.year,
                last=after.year,
                before=percent(before.coverage, lang),
                after=percent(after.coverage, lang),
            )
        )
    for side in (before, after):
        if side.status not in FINAL:
            status = t(f"status.{side.status}", lang)
            notes.append(t("report.progress.not_final", lang, year=side.year, status=status))
    compared = points.dropna()
    if len(compared):
        delta = float(compared.mean())
        notes.append(
            t(
                "report.progress.comparable",
                lang,
                count=len(compared),
                delta=f"{'+' if delta > 0 else ''}{number(delta, lang)}",
            )
        )
    return notes


def _gap(lang: str, layers: pd.DataFrame) -> list[str]:
    """Law, policy and practice over the whole assessment, and how far practice lags law."""
    whole = layers[layers["goal_id"].eq(t("export.overall_layer", lang))]
    if whole.empty or whole[["law", "policy", "practice"]].isna().any(axis=None):
        return [t("report.gap.none", lang)]
    row = whole.iloc[0]
    values = {n: number(row[n], lang) for n in ("law", "policy", "practice", "gap")}
    return [t("report.gap.reading", lang, **values)]


def _process_lines(lang: str, found: dict) -> list[str]:
    """The workflow's steps, the panels and their sessions, the workshop and its outcome."""
    steps, held = found["steps"], found["workshop"]
    lines = [
        t("report.process.workflow", lang, count=len(steps))
        if len(steps)
        else t("report.process.no_steps", lang)
    ]
    if len(found["panels"]):
        count, sessions = len(found["panels"]), len(found["sessions"])
        lines.append(t("report.process.panels", lang, count=count, sessions=sessions))
    else:
        lines.append(t("report.process.no_panels", lang))
    carried = found.get("carried")
    if carried is not None and len(carried):
        confirmed, in_bulk = int(carried["confirmed"].sum()), int(carried["in_bulk"].sum())
        lines.append(
            t("report.carried.summary", lang, count=confirmed, bulk=number(in_bulk, lang, 0))
        )
    if held is None:
        lines.append(t("report.process.no_workshop", lang))
        return lines
    lines.append(
        t("report.process.workshop", lang, day=day(held.held_on, lang), place=held.place or "–")
    )
    if held.outcome:
        lines.append(held.outcome)
    confirmed = held.confirmed_at is not None
    changed = len(found["workshop_changes"])
    key = "report.process.confirmed" if confirmed else "report.process.unconfirmed"
    lines.append(t(key, lang, count=changed))
    return lines


def readings(lang: str, assessment: Assessment, found: dict[str, pd.DataFrame]) -> dict[str, list]:
    """Each section's sentences, in ``lang``."""
    overall, goals = found["overall"], found["goals"]
    progress = _progress(lang, assessment, overall, found["history"], found["dimensions"])
    summary = _summary(lang, overall, goals)
    if found["history"]["year"].lt(assessment.year).any():
        summary = [*summary, *progress]
    agreement, matrix = found["agreement"], found["matrix"]
    coverage = percent(overall["coverage"].iloc[0], lang) if len(overall) else "–"
    return {
        "summary": summary,
        "process": _process_lines(lang, found),
        "scores": [t("report.scores.reading", lang, coverage=coverage)],
        "gap": _gap(lang, found["layers"]),
        "progress": progress,
        "agreement": [
            t("report.agreement.reading", lang, count=len(agreement), shown=DISPUTED_SHOWN)
            if len(agreement)
            else t("report.agreement.none", lang)
        ],
        "matrix": [
            t("report.matrix.reading", lang, count=len(matrix))
            if len(matrix)
            else t("report.matrix.none", lang)
        ],
    }
