"""The recipe of a score: everything needed to rebuild it, and to compare two of them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from scoring.grades import M2_RULES, VALUES
from scoring.pefa_m2 import PEFA_M2_RULE

# 3: M2 reads PEFA's printed table (``pefa_2016``); 2 read a table derived from a rule of thumb
# (``pefa``), which stored recipes still name and rebuild with.
METHOD_VERSION = "wddf-scoring-3"
# Recipes stored before the M2 rule was named used the conservative rule; their stored form has
# no ``m2_rule``, and a conservative recipe is stored the same way, so its fingerprint is kept.
LEGACY_M2_RULE = "conservative"


@dataclass(frozen=True)
class Recipe:
    """Method version, edition, grade values, every weight, every indicator's method and the
    M2 rule (``pefa_2016``, the default: PEFA's printed table; ``pefa``, the superseded table;
    or ``conservative``)."""

    edition_id: str
    dimension_weights: dict[str, float]
    indicator_weights: dict[str, float]
    goal_weights: dict[str, float]
    indicator_methods: dict[str, str]
    method_version: str = METHOD_VERSION
    grade_values: dict[str, float] = field(default_factory=lambda: dict(VALUES))
    m2_rule: str = PEFA_M2_RULE

    def __post_init__(self) -> None:
        if self.m2_rule not in M2_RULES:
            raise ValueError(f"the M2 rule must be one of {M2_RULES}, not {self.m2_rule!r}")
        values = self.grade_values
        if set(values) != set(VALUES):
            raise ValueError(f"grade values must name exactly {sorted(VALUES)}")
        if not values["A"] > values["B"] > values["C"] > values["D"] or values["D*"] != values["D"]:
            raise ValueError(f"grade values must rank A > B > C > D, with D* = D: {values}")

    def points(self) -> dict[str, float]:
        """Each grade's score on the 0–100 scale: D is 0, A is 100, B and C where their values
        put them (66.67 and 33.33 with the default values)."""
        low, high = self.grade_values["D"], self.grade_values["A"]
        return {g: (v - low) / (high - low) * 100 for g, v in self.grade_values.items()}

    @classmethod
    def from_structure(cls, structure: pd.DataFrame, edition_id: str) -> Recipe:
        """The default recipe read off a structure table."""
        indicators = structure.drop_duplicates("indicator_id").set_index("indicator_id")
        goals = structure.drop_duplicates("goal_id").set_index("goal_id")
        dims = structure.set_index("dimension_id")
        return cls(
            edition_id=edition_id,
            dimension_weights=dims["dimension_weight"].astype(float).to_dict(),
            indicator_weights=indicators["indicator_weight"].astype(float).to_dict(),
            goal_weights=goals["goal_weight"].astype(float).to_dict(),
            indicator_methods=indicators["indicator_method"].astype(str).to_dict(),
        )

    def with_options(
        self,
        weights: dict[str, float] | None = None,
        methods: dict[str, str] | None = None,
        m2_rule: str | None = None,
    ) -> Recipe:
        """A what-if recipe: ``weights`` by any node id (dimension, indicator or goal), ``methods``
        by indicator id, another M2 rule. Unknown ids raise ``KeyError`` rather than being
        ignored."""
        weights, methods = weights or {}, methods or {}
        levels = [self.dimension_weights, self.indicator_weights, self.goal_weights]
        unknown = [k for k in weights if not any(k in level for level in levels)]
        unknown += [k for k in methods if k not in self.indicator_methods]
        if unknown:
            raise KeyError(f"unknown ids in scoring options: {sorted(unknown)}")
        bad = {k: v for k, v in methods.items() if v not in ("M1", "M2")}
        if bad or any(w < 0 for w in weights.values()):
            raise ValueError(f"methods must be M1 or M2 and weights ≥ 0: {bad or weights}")
        pick = lambda level: {k: float(weights.get(k, v)) for k, v in level.items()}  # noqa: E731
        return Recipe(
            edition_id=self.edition_id,
            dimension_weights=pick(self.dimension_weights),
            indicator_weights=pick(self.indicator_weights),
            goal_weights=pick(self.goal_weights),
            indicator_methods={k: methods.get(k, v) for k, v in self.indicator_methods.items()},
            method_version=self.method_version,
            grade_values=dict(self.grade_values),
            m2_rule=m2_rule or self.m2_rule,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data, for storing beside a score (no ``m2_rule`` when it is the legacy rule, so
        that recipes stored before the rule was named keep their fingerprint)."""
        data = asdict(self)
        if data["m2_rule"] == LEGACY_M2_RULE:
            del data["m2_rule"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Recipe:
        """Rebuild a stored recipe; one stored without an M2 rule used the conservative rule."""
        return cls(**{"m2_rule": LEGACY_M2_RULE, **data})

    @property
    def fingerprint(self) -> str:
        """A short hash of the canonical recipe: equal recipes, equal fingerprints."""
        canonical = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    def differences(self, other: Recipe) -> dict[str, tuple[Any, Any]]:
        """What differs between two recipes: ``{"goal_weights.WD3": (1.0, 2.0), ...}``."""
        mine, theirs = asdict(self), asdict(other)
        out: dict[str, tuple[Any, Any]] = {}
        for key in mine:
            if isinstance(mine[key], dict):
                for sub in sorted(set(mine[key]) | set(theirs[key])):
                    if mine[key].get(sub) != theirs[key].get(sub):
                        out[f"{key}.{sub}"] = (mine[key].get(sub), theirs[key].get(sub))
            elif mine[key] != theirs[key]:
                out[key] = (mine[key], theirs[key])
        return out

    def apply(self, structure: pd.DataFrame) -> pd.DataFrame:
        """The structure table with this recipe's weights and methods."""
        return structure.assign(
            dimension_weight=structure.dimension_id.map(self.dimension_weights),
            indicator_weight=structure.indicator_id.map(self.indicator_weights),
            goal_weight=structure.goal_id.map(self.goal_weights),
            indicator_method=structure.indicator_id.map(self.indicator_methods),
        )
