"""``wddf export``: the donor workbook (.xlsx) or the tidy data package (.zip)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import select

from wddf.config import get_settings
from wddf.services import reports
from wddf.services.accounts import to_actor
from wddf.services.actor import SYSTEM, Actor
from wddf.storage.db import Database
from wddf.storage.tables import User

EXIT_OK, EXIT_INVALID = 0, 2


def acting_user(session, name: str | None) -> Actor | None:
    """The named active user (their role scopes what is exported), or the operator."""
    if name is None:
        return SYSTEM
    user = session.scalar(select(User).where(User.username == name, User.active.is_(True)))
    return to_actor(user) if user else None


def run_export(args: argparse.Namespace) -> int:
    output = Path(args.output)
    if output.suffix.lower() not in (".xlsx", ".zip"):
        message = "error: the output ends in .xlsx (donor workbook) or .zip (data package)"
        print(message, file=sys.stderr)
        return EXIT_INVALID
    db = Database(get_settings().database_url)
    try:
        with db.session() as session:
            actor = acting_user(session, args.user)
            if actor is None:
                print(f"error: no active user {args.user!r}", file=sys.stderr)
                return EXIT_INVALID
            workbook = output.suffix.lower() == ".xlsx"
            write = reports.donor_workbook if workbook else reports.data_package
            country = None if args.all else args.country
            content = write(session, actor, args.lang, country, args.year)
    finally:
        db.dispose()
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
