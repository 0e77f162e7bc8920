"""``python -m wddf <command>``: a thin layer over the questionnaire, scoring and services.

The Excel modules (openpyxl) are imported by the commands that need them, to keep start-up short.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from wddf.commands import db as db_commands
from wddf.commands import export as export_command
from wddf.commands import mail as mail_commands
from wddf.commands import offline as offline_commands
from wddf.commands import report as report_command
from wddf.commands import score as score_command
from wddf.commands import workflow as workflow_command
from wddf.commands.common import UnknownUserError, installed_editions
from wddf.errors import ServiceError
from wddf.questionnaire import LoadResult, edition_json_schema, flat_table, load_questionnaire
from wddf.questionnaire.loader import dump_edition

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "questionnaires" / "edition.schema.json"


def sibling_editions(path: Path) -> dict[str, frozenset[str]]:
    """The valid editions in the same folder as ``path`` (itself left out), by id with their
    dimension ids: what its ``continues`` are checked against."""
    known = {}
    for other in sorted(path.resolve().parent.glob("*.yaml")):
        result = load_questionnaire(other) if other != path.resolve() else None
        if result is not None and result.ok and result.edition is not None:
            known[result.edition.id] = frozenset(result.edition.dimension_index)
    return known


def load_any(path: Path) -> LoadResult:
    """Load an edition from a .yaml/.yml or an .xlsx file, checking its ``continues`` against
    the editions beside it."""
    content = path.read_bytes()
    known = sibling_editions(path)
    if path.suffix.lower() == ".xlsx":
        from wddf.questionnaire.excel_reader import read_edition_workbook

        return read_edition_workbook(content, known)
    return load_questionnaire(content, known)


def _report(result: LoadResult, lang: str) -> None:
    for problem in [*result.errors, *result.warnings]:
        print(problem.format(lang), file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    result = load_any(Path(args.path))
    _report(result, args.lang)
    if not result.ok:
        print(f"{args.path}: refused, {len(result.errors)} error(s)", file=sys.stderr)
        return EXIT_INVALID
    edition = result.edition
    n_dims = len(edition.dimensions())
    print(f"{args.path}: valid edition {edition.id} {edition.version}, {n_dims} dimensions")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    for edition in installed_editions():
        print(f"{edition.id}\t{edition.version}\t{','.join(edition.languages)}")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    (edition,) = installed_editions(args.edition or "")
    if args.lang not in edition.languages:
        print(f"{edition.id} has no language {args.lang}", file=sys.stderr)
        return EXIT_INVALID
    table = flat_table(edition, args.lang)
    if args.format == "json":
        records = json.loads(table.to_json(orient="records", force_ascii=False))
        print(json.dumps(records, ensure_ascii=False, indent=1))
    else:
        table = table.assign(evidence=table["evidence"].map(" | ".join))
        sys.stdout.write(table.to_csv(index=False))
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from wddf.questionnaire.excel import edition_to_workbook

    Path(args.output).write_bytes(edition_to_workbook(None))
    print(f"wrote an empty edition workbook to {args.output}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from wddf.questionnaire.excel import edition_to_workbook

    (edition,) = installed_editions(args.edition or "")
    Path(args.output).write_bytes(edition_to_workbook(edition))
    print(f"wrote {edition.id} to {args.output}")
    return EXIT_OK


def cmd_install(args: argparse.Namespace) -> int:
    from wddf.commands.common import acting_session
    from wddf.services import editions

    path = Path(args.path)
    if editions.is_revision(path.read_bytes()):
        return _install_revision(path, args.lang)
    result = load_any(path)
    _report(result, args.lang)
    if not result.ok:
        print(
            f"{args.path}: refused, {len(result.errors)} error(s); nothing installed",
            file=sys.stderr,
        )
        return EXIT_INVALID
    with acting_session(None) as (session, actor):
        edition = editions.install(session, actor, path.name, path.read_bytes())
    print(f"installed {edition.id} {edition.version}")
    return EXIT_OK


def _install_revision(path: Path, lang: str) -> int:
    """Install a continuity revision of an installed edition (exit 2 with the refusal)."""
    from wddf.commands.common import acting_session
    from wddf.errors import ServiceError
    from wddf.services import editions

    try:
        with acting_session(None) as (session, actor):
            revision = editions.install_revision(session, actor, path.read_bytes())
    except ServiceError as exc:
        print(f"{path}: refused: {exc.message(lang)}", file=sys.stderr)
        return EXIT_INVALID
    print(f"installed continuity revision {revision.revision} of {revision.edition}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    text = json.dumps(edition_json_schema(), ensure_ascii=False, indent=2) + "\n"
    Path(args.output).write_text(text, encoding="utf-8")
    print(f"wrote the edition JSON Schema to {args.output}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from wddf.questionnaire.excel_reader import read_edition_workbook

    result = read_edition_workbook(Path(args.path).read_bytes())
    _report(result, args.lang)
    if not result.ok or result.edition is None:
        print(
            f"{args.path}: refused, {len(result.errors)} error(s); nothing written", file=sys.stderr
        )
        return EXIT_INVALID
    Path(args.output).write_text(dump_edition(result.edition), encoding="utf-8")
    print(f"wrote {result.edition.id} to {args.output}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The full command tree."""
    parser = argparse.ArgumentParser(prog="wddf", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    questionnaire = commands.add_parser("questionnaire", help="questionnaire editions")
    q = questionnaire.add_subparsers(dest="action", required=True)
    p = q.add_parser("validate", help="check an edition file (.yaml or .xlsx)")
    p.add_argument("path")
    p.add_argument("--lang", default="en", choices=["en", "fr", "pt"])
    p.set_defaults(func=cmd_validate)
    q.add_parser("list", help="the editions available").set_defaults(func=cmd_list)
    p = q.add_parser("show", help="the flattened structure, one row per dimension")
    p.add_argument("--edition")
    p.add_argument("--lang", default="en")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.set_defaults(func=cmd_show)
    p = q.add_parser("template", help="write an empty edition workbook")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=cmd_template)
    p = q.add_parser("export", help="write an available edition as a workbook")
    p.add_argument("--edition")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=cmd_export)
    p = q.add_parser(
        "install",
        help="validate an edition file, or a continuity revision of an installed edition, and "
        "store it in the database",
    )
    p.add_argument("path")
    p.add_argument("--lang", default="en", choices=["en", "fr", "pt"])
    p.set_defaults(func=cmd_install)
    p = q.add_parser("schema", help="write the JSON Schema of an edition")
    p.add_argument("-o", "--output", default=str(SCHEMA_PATH))
    p.set_defaults(func=cmd_schema)
    p = q.add_parser("import", help="convert an edition workbook to YAML")
    p.add_argument("path")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--lang", default="en", choices=["en", "fr", "pt"])
    p.set_defaults(func=cmd_import)
    score_command.add_parser(commands)
    db_commands.add_parsers(commands)
    export_command.add_parser(commands)
    offline_commands.add_parsers(commands)
    mail_commands.add_parsers(commands)
    workflow_command.add_parser(commands)
    report_command.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return EXIT_OK
    except ServiceError as exc:  # in the command's --lang, where it has one
        from wddf.i18n import LANGUAGES  # Babel: imported only to say a refusal

        lang = getattr(args, "lang", "en")
        print(f"refused: {exc.message(lang if lang in LANGUAGES else 'en')}", file=sys.stderr)
        return EXIT_INVALID
    except UnknownUserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
