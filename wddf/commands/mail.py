"""``wddf mail send`` and ``wddf mail outbox``: the notices' e-mails, for operators and timers."""

from __future__ import annotations

import argparse
import sys
from datetime import date

EXIT_OK, EXIT_FAILED = 0, 1


def run_send(args: argparse.Namespace) -> int:
    """Tell today's digest (once a day, whoever runs it first) and send what waits in the
    outbox; exit 1 when a mail failed this round (it is tried again later)."""
    from wddf.commands.common import ready_database
    from wddf.config import get_settings
    from wddf.services import mail
    from wddf.services.process import assignments

    db = ready_database()
    try:
        with db.session() as session:
            told = assignments.tell_digest(session, date.today())
        if get_settings().smtp_url is None:
            print(f"digest: {told} told; WDDF_SMTP_URL is not set: nothing mailed")
            return EXIT_OK
        done = mail.send_waiting(db)
    finally:
        db.dispose()
    print(f"digest: {told} told; sent {done.sent}, failed {done.failed}, given up {done.given_up}")
    return EXIT_FAILED if done.failed else EXIT_OK


def run_outbox(args: argparse.Namespace) -> int:
    """List the mail not sent yet, with the relay's last answer."""
    from wddf.commands.common import acting_session
    from wddf.services import mail

    with acting_session(None) as (session, actor):
        waiting = mail.outbox(session, actor)
    for row in waiting:
        state = "given up" if row.given_up else f"next {row.next_attempt:%Y-%m-%d %H:%M}Z"
        print(
            f"{row.id}\t{row.kind}\t{row.address}\t{row.attempts} tries\t{state}\t{row.last_error}"
        )
    if not waiting:
        print("the outbox is empty", file=sys.stderr)
    return EXIT_OK


def add_parsers(commands: argparse._SubParsersAction) -> None:
    """Register ``mail`` on the command tree."""
    mail_cmd = commands.add_parser("mail", help="the notices' e-mails").add_subparsers(
        dest="action", required=True
    )
    send = mail_cmd.add_parser(
        "send", help="tell today's digest and send the mail that waits (for a timer)"
    )
    send.set_defaults(func=run_send)
    outbox = mail_cmd.add_parser("outbox", help="list the mail not sent, with the relay's answer")
    outbox.set_defaults(func=run_outbox)
