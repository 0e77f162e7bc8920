"""``wddf score``: validate an answers file, score it, print JSON or tidy CSV."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

import pandas as pd

from scoring import score
from scoring.grades import M2_RULES
from scoring.pefa_m2 import PEFA_M2_RULE
from scoring.report import nested, tidy
from scoring.validate import check_answers
from wddf.commands.common import installed_editions
from wddf.problems import Problem
from wddf.questionnaire import structure_table

EXIT_OK, EXIT_INVALID = 0, 2


def read_answers(path: str) -> pd.DataFrame:
    """The answers file as text: ``NA`` stays the grade NA, never a missing value."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")


def run_score(args: argparse.Namespace) -> int:
    """Refuse a bad file with every bad row on stderr; otherwise print the scores."""
    (edition,) = installed_editions(args.edition or "")
    structure = structure_table(edition)
    try:
        answers = read_answers(args.answers)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        print(f"{args.answers}: not a readable CSV file: {exc}", file=sys.stderr)
        return EXIT_INVALID
    clean, problems = check_answers(answers, structure)
    if problems:
        for problem in problems:
            print(f"{args.answers}: {Problem.of(problem, 'answers').located()}", file=sys.stderr)
        print(
            f"{args.answers}: refused, {len(problems)} problem(s); nothing scored", file=sys.stderr
        )
        return EXIT_INVALID
    result = score(structure, clean, edition.id, m2_rule=args.m2_rule, layers=False)
    if args.format == "json":
        write_json_list(nested(result), sys.stdout)
    else:
        tidy(result).to_csv(sys.stdout, index=False)
    return EXIT_OK


def write_json_list(records: list, out: TextIO) -> None:
    """``json.dumps(records)`` and a newline, written record by record: the same bytes, without
    holding the whole text in memory at once."""
    out.write("[")
    for number, record in enumerate(records):
        out.write((", " if number else "") + json.dumps(record, ensure_ascii=False))
    out.write("]\n")


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``score`` on the command tree."""
    p = commands.add_parser(
        "score", help="score a CSV of answers (country, year, dimension_id, grade)"
    )
    p.add_argument(
        "--answers", required=True, help="CSV file with country, year, dimension_id, grade"
    )
    p.add_argument("--edition", help="edition id; the newest by default")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.add_argument(
        "--m2-rule",
        choices=list(M2_RULES),
        default=PEFA_M2_RULE,
        help="M2 indicator grades by PEFA's printed tables (pefa_2016, the default), the "
        "superseded table (pefa) or the plain mean rounded down (conservative)",
    )
    p.set_defaults(func=run_score)
