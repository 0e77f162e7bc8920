"""Scoring 1,500 synthetic assessments of the shipped edition, against one plain pandas pass.

The floor (``bench/floor_scoring.py``) reads the same CSV, maps grades to values, joins the
structure and groups by indicator and by goal. The library and the whole ``wddf score``
command are each compared with it, in process and as a command.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from bench.floor_scoring import floor_pass
from bench.timing import best_of, print_table, run_python
from scoring import score
from scoring.validate import check_answers
from wddf.commands.score import read_answers
from wddf.questionnaire import load_questionnaire, structure_table
from wddf.services.editions import SHIPPED

N_COUNTRIES, N_YEARS = 100, 15  # 1,500 assessments


def synthetic_answers(structure: pd.DataFrame, seed: int = 7) -> pd.DataFrame:
    """Every dimension of 1,500 assessments, with grades of every kind (NA where allowed)."""
    rng = np.random.default_rng(seed)
    keys = pd.MultiIndex.from_product(
        [[f"C{i:03d}" for i in range(N_COUNTRIES)], range(2010, 2010 + N_YEARS)],
        names=["country", "year"],
    ).to_frame(index=False)
    rows = keys.merge(structure[["dimension_id", "na_allowed"]], how="cross")
    grades = rng.choice(["A", "B", "C", "D", "D*"], size=len(rows), p=[0.2, 0.3, 0.3, 0.15, 0.05])
    grades = np.where(rows["na_allowed"] & (rng.random(len(rows)) < 0.3), "NA", grades)
    return rows.assign(grade=grades).drop(columns="na_allowed")


def library_pass(path: Path, structure: pd.DataFrame, edition_id: str) -> object:
    """What the library does with the same file: read, validate, score every level."""
    answers, problems = check_answers(read_answers(str(path)), structure)
    assert not problems
    return score(structure, answers, edition_id, layers=False)


def main() -> list[tuple[str, float, float]]:
    """Measure and print; returns the rows for ``python -m bench``."""
    edition = load_questionnaire(SHIPPED).edition
    structure = structure_table(edition)
    with tempfile.TemporaryDirectory() as tmp:
        path, structure_path = Path(tmp) / "answers.csv", Path(tmp) / "structure.json"
        synthetic_answers(structure).to_csv(path, index=False)
        structure.to_json(structure_path)
        floor = best_of(lambda: floor_pass(str(path), structure))
        library = best_of(lambda: library_pass(path, structure, edition.id))
        answers, _ = check_answers(read_answers(str(path)), structure)
        with_layers = best_of(lambda: score(structure, answers, edition.id))
        scoring_only = best_of(lambda: score(structure, answers, edition.id, layers=False))
        floor_args = ["bench/floor_scoring.py", str(path), str(structure_path)]
        floor_cmd = best_of(lambda: run_python(floor_args), 3)
        command = best_of(lambda: run_python(["-m", "wddf", "score", "--answers", str(path)]), 3)
    rows = [
        ("scoring: library, 1,500 assessments", library, floor),
        ("scoring: score() alone, already read", scoring_only, floor),
        ("scoring: score() with law/policy/practice", with_layers, floor),
        ("scoring: `wddf score --format json` command", command, floor_cmd),
    ]
    print_table(rows)
    return rows


if __name__ == "__main__":
    main()
