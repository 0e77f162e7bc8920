"""``wddf db upgrade``, ``backup``, ``restore``, ``users add``, ``users email``, ``demo load`` and
``demo unload``.

Services are imported when a command runs, so that other commands start fast.
"""

from __future__ import annotations

import argparse
import sys

from wddf.config import get_settings
from wddf.domain import Role

EXIT_OK, EXIT_INVALID = 0, 2


def run_upgrade(args: argparse.Namespace) -> int:
    from wddf.errors import ServiceError
    from wddf.services.editions import prepare_database

    try:
        prepare_database(get_settings().database_url)
    except ServiceError as exc:
        print(f"refused: {exc.message('en')}", file=sys.stderr)
        return EXIT_INVALID
    print("database is at the newest schema, with the editions of the questionnaires folder")
    return EXIT_OK


def run_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from wddf.storage.backup import BackupError, backup

    try:
        summary = backup(get_settings().database_url, Path(args.output))
    except BackupError as exc:
        print(f"backup refused: {exc}", file=sys.stderr)
        return EXIT_INVALID
    print(
        f"wrote {args.output}: {summary.total} rows in {len(summary.rows)} tables, "
        f"schema {summary.revision}"
    )
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from wddf.storage.backup import BackupError, restore

    try:
        summary = restore(get_settings().database_url, Path(args.file), dry_run=args.dry_run)
    except BackupError as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return EXIT_INVALID
    if not args.dry_run:  # a backup from an older version may lack today's editions
        from wddf.services.editions import prepare_database

        prepare_database(get_settings().database_url, migrate=False)
    done = "checked (dry run, nothing replaced)" if args.dry_run else "restored"
    print(f"{args.file}: {done}, {summary.total} rows in {len(summary.rows)} tables")
    return EXIT_OK


def run_users_add(args: argparse.Namespace) -> int:
    from wddf.errors import ServiceError
    from wddf.services import accounts
    from wddf.services.actor import SYSTEM
    from wddf.storage.db import Database

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    db = Database(get_settings().database_url)
    try:
        with db.session() as session:
            user = accounts.create_user(
                session,
                SYSTEM,
                args.name,
                Role(args.role),
                password,
                country=args.country,
                group=args.group,
                email=args.email,
            )
    except ServiceError as exc:
        print(f"refused: {exc.message('en')}", file=sys.stderr)
        return EXIT_INVALID
    finally:
        db.dispose()
    print(f"created {user.username} ({user.role.value})")
    return EXIT_OK


def run_users_email(args: argparse.Namespace) -> int:
    """Set or clear (an empty address) where a user's notices are mailed."""
    from sqlalchemy import select

    from wddf.commands.common import acting_session
    from wddf.services import accounts
    from wddf.storage.tables import User

    with acting_session(None) as (session, actor):
        user = session.scalar(select(User).where(User.username == args.name))
        if user is None:
            print(f"error: no user named {args.name}", file=sys.stderr)
            return EXIT_INVALID
        accounts.set_email(session, actor, user.id, args.address)
    print(f"{args.name}: e-mail {'set' if args.address.strip() else 'cleared'}")
    return EXIT_OK


def run_demo_load(args: argparse.Namespace) -> int:
    from wddf.services.actor import SYSTEM
    from wddf.services.answers import demo
    from wddf.storage.db import Database

    db = Database(get_settings().database_url)
    try:
        with db.session() as session:
            report = demo.load(session, SYSTEM, args.countries, args.years, args.seed)
    finally:
        db.dispose()
    print(
        f"demo data: {report.assessments} assessments, {report.answers} answers "
        f"({report.skipped} already there)"
    )
    return EXIT_OK


def run_demo_unload(args: argparse.Namespace) -> int:
    from wddf.services.actor import SYSTEM
    from wddf.services.answers import demo
    from wddf.storage.db import Database

    db = Database(get_settings().database_url)
    try:
        with db.session() as session:
            removed = demo.unload(session, SYSTEM)
    finally:
        db.dispose()
    print(f"demo data removed: {removed} assessments, and the demo account")
    return EXIT_OK


def add_parsers(commands: argparse._SubParsersAction) -> None:
    """Register ``db``, ``users`` and ``demo`` on the command tree."""
    db = commands.add_parser("db", help="the database").add_subparsers(dest="action", required=True)
    db.add_parser("upgrade", help="migrate to the newest schema").set_defaults(func=run_upgrade)
    saving = commands.add_parser("backup", help="write a consistent backup of the database")
    saving.add_argument("-o", "--output", required=True, help="the backup file to write (.zip)")
    saving.set_defaults(func=run_backup)
    putting = commands.add_parser(
        "restore", help="replace the database with a backup, checked first"
    )
    putting.add_argument("file", help="a file written by `backup`")
    putting.add_argument("--dry-run", action="store_true", help="check everything, replace nothing")
    putting.set_defaults(func=run_restore)
    users = commands.add_parser("users", help="accounts").add_subparsers(
        dest="action", required=True
    )
    add = users.add_parser("add", help="create an account")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--country", help="ISO3 code, for focal points and panelists")
    add.add_argument("--group", help="stakeholder group, for panelists")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.add_argument("--email", help="where the account's notices are mailed")
    add.set_defaults(func=run_users_add)
    email = users.add_parser("email", help="set (or clear, with '') where notices are mailed")
    email.add_argument("name")
    email.add_argument("address")
    email.set_defaults(func=run_users_email)
    demo_cmd = commands.add_parser("demo", help="demo data").add_subparsers(
        dest="action", required=True
    )
    load = demo_cmd.add_parser("load", help="write fictitious, flagged demo assessments")
    load.add_argument("--countries", type=int, default=8)
    load.add_argument("--years", type=int, default=4)
    load.add_argument("--seed", type=int, default=0)
    load.set_defaults(func=run_demo_load)
    unload = demo_cmd.add_parser("unload", help="remove every demo row, and nothing else")
    unload.set_defaults(func=run_demo_unload)
