"""The WDDF scoring engine: pure pandas in, pandas out. See ``METHOD.md``."""

from scoring.engine import ASSESSMENT, ScoreResult, score
from scoring.grades import CONSENSUS, GRADES, VALUES
from scoring.recipe import METHOD_VERSION, Recipe

__all__ = [
    "ASSESSMENT",
    "CONSENSUS",
    "GRADES",
    "METHOD_VERSION",
    "VALUES",
    "Recipe",
    "ScoreResult",
    "score",
]
