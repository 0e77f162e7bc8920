"""``wddf workflow ACTION``: take one workflow step as a named user, for operators."""

from __future__ import annotations

import argparse

from wddf.domain import Action

EXIT_OK = 0


def run(args: argparse.Namespace) -> int:
    """Take the step; a refusal (``ServiceError``) or an unknown user is reported by ``cli.main``
    with exit 2, and nothing is changed."""
    from wddf.commands.common import acting_session
    from wddf.services.review import workflow

    with acting_session(args.user) as (session, actor):
        done = workflow.transition(
            session, actor, args.assessment, Action(args.action), args.comment
        )
        status = done.status
    print(f"assessment {args.assessment}: {args.action} done, now {status}")
    return EXIT_OK


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``workflow`` on the command tree."""
    p = commands.add_parser(
        "workflow", help="take a workflow step (submit, review, return, validate, publish, reopen)"
    )
    p.add_argument("action", choices=[a.value for a in Action])
    p.add_argument("--assessment", type=int, required=True, help="the assessment's id")
    p.add_argument("--user", required=True, help="the user who takes the step (their role applies)")
    p.add_argument("--comment", default="", help="the reason (required to return or reopen)")
    p.add_argument("--lang", default="en", choices=["en", "fr", "pt"], help="language of refusals")
    p.set_defaults(func=run)
