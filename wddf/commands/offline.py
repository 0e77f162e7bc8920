"""``wddf template`` and ``wddf import``: the offline questionnaire and its import."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_INVALID = 0, 2


def run_template(args: argparse.Namespace) -> int:
    from wddf.commands.common import UnknownUserError, acting_session
    from wddf.errors import ServiceError
    from wddf.services.answers import offline

    scope = (args.country, args.year, args.lang, args.edition)
    try:
        with acting_session(args.user) as (session, actor):
            content = offline.template(session, actor, *scope)
    except (UnknownUserError, ServiceError) as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return EXIT_INVALID
    Path(args.output).write_bytes(content)
    print(f"wrote {args.output}")
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    from wddf.commands.common import UnknownUserError, acting_session
    from wddf.services.answers import offline

    content = Path(args.path).read_bytes()
    try:
        with acting_session(args.user) as (session, actor):
            take_file = [d.strip() for d in (args.take_file or "").split(",") if d.strip()]
            report = offline.import_workbook(
                session, actor, content, args.dry_run, args.lang, take_file
            )
    except UnknownUserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    for problem in report.problems:
        print(f"{args.path}: {problem}", file=sys.stderr)
    if report.problems:
        count = len(report.problems)
        print(f"{args.path}: refused, {count} problem(s); nothing changed", file=sys.stderr)
        return EXIT_INVALID
    for change in report.changes:
        print(f"{change['dimension']}: {change['before'] or '—'} → {change['after'] or '—'}")
    for conflict in report.conflicts:
        side = "took the file's" if conflict["taken"] else "kept the app's"
        shown = f"file {conflict['file'] or '—'}, app {conflict['app'] or '—'}"
        print(
            f"{conflict['dimension']}: changed in the app since the file was made ({shown}); {side}"
        )
    verb = "would change" if args.dry_run else "changed"
    print(f"{verb} {len(report.changes)} answer(s) of assessment {report.assessment_id}")
    return EXIT_OK


def add_parsers(commands: argparse._SubParsersAction) -> None:
    """Register ``template`` and ``import`` on the command tree."""
    p = commands.add_parser("template", help="the offline questionnaire (.xlsx), answers filled in")
    p.add_argument("--country", required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--lang", default="en", choices=["en", "fr", "pt"])
    p.add_argument("--edition")
    p.add_argument("--user", help="as this user (their access applies); the operator by default")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=run_template)
    p = commands.add_parser("import", help="import a filled-in offline questionnaire")
    p.add_argument("path")
    p.add_argument("--user", required=True, help="the user the answers are saved as")
    p.add_argument("--dry-run", action="store_true", help="check, show the changes, write nothing")
    p.add_argument("--lang", default="en", choices=["en", "fr", "pt"], help="language of problems")
    p.add_argument(
        "--take-file",
        metavar="IDS",
        help="dimensions (comma-separated) whose conflicts take the file's answer; "
        "by default a conflict keeps the app's",
    )
    p.set_defaults(func=run_import)
