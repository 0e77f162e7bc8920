"""``wddf export``: the donor workbook (.xlsx) or the tidy data package (.zip)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_INVALID = 0, 2


def run_export(args: argparse.Namespace) -> int:
    from wddf.commands.common import UnknownUserError, acting_session
    from wddf.services.documents import reports

    output = Path(args.output)
    if output.suffix.lower() not in (".xlsx", ".zip"):
        message = "error: the output ends in .xlsx (donor workbook) or .zip (data package)"
        print(message, file=sys.stderr)
        return EXIT_INVALID
    workbook = output.suffix.lower() == ".xlsx"
    write = reports.donor_workbook if workbook else reports.data_package
    country = None if args.all else args.country
    try:
        with acting_session(args.user) as (session, actor):
            content = write(session, actor, args.lang, country, args.year)
    except UnknownUserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    output.write_bytes(content)
    print(f"wrote {output}")
    return EXIT_OK


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``export`` on the command tree."""
    p = commands.add_parser("export", help="donor workbook (.xlsx) or tidy data package (.zip)")
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("--all", action="store_true", help="every country")
    scope.add_argument("--country", help="ISO3 code of one country")
    p.add_argument("--year", type=int, help="one year only")
    p.add_argument("--lang", default="en", choices=["en", "fr", "pt"])
    p.add_argument("--user", help="export as this user; the role sets the scope (donor: published)")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=run_export)
