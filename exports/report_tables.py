"""The tables a report is made of: plain DataFrames, filled by the services, read by the writers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

import pandas as pd

# The policy priority matrix, one row per reform, as every export shows it (after its country and
# year; the data package adds the reform's ``action_id``).
MATRIX_COLUMNS = [
    "priority",
    "dimensions",  # the dimension ids it addresses, separated by spaces
    "action",
    "owner",  # the responsible institution
    "partners",
    "estimated_cost",  # whole units of ``currency``
    "currency",
    "timeframe",
    "deadline",
    "target_grade",
    "status",
    "progress",  # evidence of progress
]


@dataclass
class ReportTables:
    """Assessments, answers and scores per level for one scope, with titles in one language."""

    lang: str
    generated_at: str
    assessments: (
        pd.DataFrame
    )  # assessment_id, country, country_name, year, edition_id, status, is_demo
    answers: (
        pd.DataFrame
    )  # assessment_id, country, year, dimension_id, grade, justification, evidence, confidence
    overall: pd.DataFrame  # scoring output
    goals: pd.DataFrame
    indicators: pd.DataFrame
    dimensions: (
        pd.DataFrame
    )  # scoring output + justification, evidence, confidence, last_grade, change
    actions: pd.DataFrame  # assessment_id, action_id, MATRIX_COLUMNS, country, year
    layers: pd.DataFrame = field(default_factory=pd.DataFrame)  # law, policy, practice, gap
    recipes: list[dict] = field(default_factory=list)
    # answers carried over from last year, per assessment and goal: country, year, goal_id,
    # confirmed (unchanged), in_bulk (of those, with the whole goal), to_confirm
    carried: pd.DataFrame = field(default_factory=pd.DataFrame)
    # each assessment's sector data sheet: assessment_id, country, year, item, value (a figure),
    # text (a statement), source, figure_year
    sector: pd.DataFrame = field(default_factory=pd.DataFrame)
    # (edition id, node id) → title: editions reuse ids for other words
    titles: dict[tuple[str, str], str] = field(default_factory=dict)
    # for the exports of many assessments: the answers, scores and layers (and recipes) come from
    # here, a few countries at a time, each part a ReportTables of its own; None: they are above
    parts: Callable[[], Iterator[ReportTables]] | None = None

    def in_parts(self) -> Iterator[ReportTables]:
        """The tables a few countries at a time (or whole, in one part), for a writer that reads
        the long tables once, in order, and keeps what has a row per assessment or fewer."""
        if self.parts is None:
            yield self
        else:
            yield from self.parts()

    def kept(self) -> ReportTables:
        """What a writer keeps of a part once its long tables are written: the scores of each
        assessment and goal, each assessment's law/policy/practice layers and the recipes."""
        layers = self.layers[self.layers["level"].eq("overall")] if len(self.layers) else None
        return replace(
            self,
            answers=self.answers.iloc[0:0].copy(),  # a copy: a view would keep the whole
            indicators=self.indicators.iloc[0:0].copy(),
            dimensions=self.dimensions.iloc[0:0].copy(),
            layers=self.layers if layers is None else layers.copy(),
            parts=None,
        )

    def with_summary_of(self, kept: list[ReportTables]) -> ReportTables:
        """These tables with the scores, layers and recipes of the parts ``kept`` (``kept`` of
        each part ``in_parts`` gave); unchanged when they are whole."""
        if self.parts is None:
            return self

        def joined(name: str) -> pd.DataFrame:
            found = [getattr(p, name) for p in kept if len(getattr(p, name))]
            return pd.concat(found, ignore_index=True) if found else getattr(self, name)

        recipes = {r["fingerprint"]: r for p in kept for r in p.recipes}
        return replace(
            self,
            overall=joined("overall"),
            goals=joined("goals"),
            layers=joined("layers"),
            recipes=sorted(recipes.values(), key=lambda r: r["edition_id"]),
            parts=None,
        )

    def edition_titles(self, edition_id: str) -> dict[str, str]:
        """Node id → title in one edition's words."""
        return {
            node: title for (edition, node), title in self.titles.items() if edition == edition_id
        }

    def titles_of(self, frame: pd.DataFrame, key: str) -> list[str]:
        """The title of each row's node (column ``key``), in the words of the edition of the
        row's own assessment (column ``assessment_id``)."""
        editions = dict(
            zip(self.assessments["assessment_id"], self.assessments["edition_id"], strict=True)
        )
        return [
            self.titles.get((editions.get(assessment_id), node), "")
            for assessment_id, node in zip(frame["assessment_id"], frame[key], strict=True)
        ]

    def heading_title(self, node_id: str) -> str:
        """A node named in a column heading shared by assessments of several editions: in the
        words of the latest year's edition, or else of the one before."""
        ordered = self.assessments.sort_values(["year", "edition_id"])["edition_id"]
        for edition_id in reversed(list(dict.fromkeys(ordered))):
            if (edition_id, node_id) in self.titles:
                return self.titles[(edition_id, node_id)]
        return node_id

    @property
    def has_demo(self) -> bool:
        """True when any assessment in scope is demo data."""
        return bool(self.assessments["is_demo"].any()) if len(self.assessments) else False
