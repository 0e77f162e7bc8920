"""The pydantic schema of a questionnaire edition: goals > indicators > dimensions.

The models check types and shapes only. Cross-cutting structural rules (unique ids,
id prefixes, every language present) live in :mod:`wddf.questionnaire.checks`, so that
every problem can be reported with its location instead of stopping at the first.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "2"  # the version this tool writes
# The versions it reads: 2 added the edition's ``notes`` and ``quantifiers``, and the wording
# checks that come with them (``checks.check_wording``).
SCHEMA_VERSIONS = ("1", "2")

LocalizedText = Annotated[
    dict[str, Annotated[str, Field(min_length=1)]],
    Field(description="A text in every language of the edition, keyed by language code."),
]
Weight = Annotated[float, Field(ge=0, description="Relative weight; 0 keeps the node unscored.")]


class Strict(BaseModel):
    """Base model: unknown keys are refused, so a misspelled key is never silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Layer(StrEnum):
    """What a dimension asks about: the written law, policy and institutions, or practice."""

    LAW = "law"
    POLICY = "policy"
    PRACTICE = "practice"


class Method(StrEnum):
    """PEFA aggregation of dimension grades into an indicator grade."""

    M1 = "M1"
    M2 = "M2"


class Comparability(StrEnum):
    """How far a dimension can be compared with the one it continues."""

    FULL = "full"
    PARTIAL = "partial"


class Statements(Strict):
    """The four pre-coded performance statements, from good practice (A) to absent (D)."""

    A: LocalizedText
    B: LocalizedText
    C: LocalizedText
    D: LocalizedText


class Continuity(Strict):
    """Declares that a dimension continues one of an earlier edition."""

    edition: str = Field(min_length=1, description="Id of the earlier edition.")
    dimension: str = Field(min_length=1, description="Dimension id in that edition.")
    comparability: Comparability


class Dimension(Strict):
    """One graded item: a question, four statements and what a panel should look at."""

    id: str = Field(pattern=r"^WD\d+\.\d+\.\d+$", examples=["WD3.2.1"])
    layer: Layer
    weight: Weight = 1.0
    title: LocalizedText
    question: LocalizedText
    statements: Statements
    guidance: LocalizedText
    evidence: list[LocalizedText] = Field(min_length=1)
    na_allowed: bool = False
    na_hint: LocalizedText | None = None
    continues: Continuity | None = None


class Indicator(Strict):
    """A group of 2–4 dimensions aggregated with M1 or M2."""

    id: str = Field(pattern=r"^WD\d+\.\d+$", examples=["WD3.2"])
    weight: Weight = 1.0
    method: Method = Method.M2
    title: LocalizedText
    dimensions: list[Dimension] = Field(min_length=1)


class Goal(Strict):
    """A policy goal drawn from the Washington Declaration."""

    id: str = Field(pattern=r"^WD\d+$", examples=["WD3"])
    weight: Weight = 1.0
    title: LocalizedText
    description: LocalizedText
    indicators: list[Indicator] = Field(min_length=1)


class Quantifier(Strict):
    """A word of proportion the edition's statements use, and what it means (as PEFA's "most":
    75 % or more). ``term`` may give several forms in a language, separated by " / "."""

    term: LocalizedText
    meaning: LocalizedText


class Edition(Strict):
    """A versioned questionnaire edition, in one or more languages."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", examples=["wddf-1.0"])
    version: str = Field(min_length=1)
    schema_version: str = Field(pattern=r"^\d+$")
    languages: list[Annotated[str, Field(pattern=r"^[a-z]{2}$")]] = Field(min_length=1)
    title: LocalizedText
    source_note: LocalizedText
    notes: LocalizedText | None = None
    quantifiers: list[Quantifier] | None = None
    goals: list[Goal] = Field(min_length=1)

    def dimensions(self) -> list[tuple[Goal, Indicator, Dimension]]:
        """Every dimension with its parents, in questionnaire order."""
        return [(g, i, d) for g in self.goals for i in g.indicators for d in i.dimensions]

    @cached_property
    def dimension_index(self) -> dict[str, Dimension]:
        """Every dimension by id (worked out once per edition object)."""
        return {d.id: d for _, _, d in self.dimensions()}


class ContinuityLink(Strict):
    """What one dimension continues, as revised: ``continues`` null when it measures something
    else and is compared with nothing."""

    dimension: str = Field(min_length=1)
    continues: Continuity | None


class ContinuityRevision(Strict):
    """A correction of an installed edition's continuity claims, data of its own: an installed
    edition's text is checksummed and never changes, so its links are revised by numbered
    revisions, each installed, audited and applied on top of the ones before."""

    kind: str = Field(pattern=r"^continuity_revision$")
    edition: str = Field(min_length=1)
    revision: int = Field(ge=1)
    note: LocalizedText
    links: list[ContinuityLink] = Field(min_length=1)


def revised(edition: Edition, revisions: list[ContinuityRevision]) -> Edition:
    """``edition`` with the links of ``revisions`` applied in order (a later one wins)."""
    links = {link.dimension: link.continues for r in revisions for link in r.links}
    if not links:
        return edition
    data = edition.model_dump(mode="python", exclude_none=True)
    for goal in data["goals"]:
        for indicator in goal["indicators"]:
            for dimension in indicator["dimensions"]:
                if dimension["id"] in links:
                    given = links[dimension["id"]]
                    dimension.pop("continues", None)
                    if given is not None:
                        dimension["continues"] = given.model_dump(mode="python")
    return Edition.model_validate(data)


def edition_json_schema() -> dict:
    """The JSON Schema of an edition, as committed in ``questionnaires/``."""
    schema = Edition.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"wddf-edition.schema.v{SCHEMA_VERSION}.json"
    return schema
