"""``wddf report``: the country report to the WGAAP, as Word (.docx) or PDF."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_INVALID = 0, 2
SUFFIXES = (".docx", ".pdf")


def run(args: argparse.Namespace) -> int:
    """Write the report; a refusal (``ServiceError``) or an unknown user is reported by
    ``cli.main`` with exit 2. Asked for PDF without LibreOffice, it writes the Word file beside
    and says so, with exit 2."""
    from wddf import problems
    from wddf.commands.common import acting_session
    from wddf.services.documents import country_report

    output = Path(args.output)
    suffix = output.suffix.lower()
    if suffix not in SUFFIXES:
        print("error: the output ends in .docx (Word) or .pdf", file=sys.stderr)
        return EXIT_INVALID
    with acting_session(args.user) as (session, actor):
        document = country_report.docx(session, actor, args.country, args.year, args.lang)
    if suffix == ".docx":
        output.write_bytes(document)
    elif country_report.soffice() is None:
        word = output.with_suffix(".docx")
        word.write_bytes(document)
        print(f"{problems.message('pdf_unavailable', args.lang)} → {word}", file=sys.stderr)
        return EXIT_INVALID
    else:
        output.write_bytes(country_report.pdf_of(document))
    print(f"wrote {output}")
    return EXIT_OK


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``report`` on the command tree."""
    p = commands.add_parser("report", help="the country report to the WGAAP (.docx or .pdf)")
    p.add_argument("--country", required=True, help="ISO3 code of the country")
    p.add_argument("--year", type=int, required=True, help="the year assessed")
    p.add_argument("--lang", default="en", choices=["en", "fr", "pt"])
    p.add_argument("--user", help="as this user; the role sets what may be read (donor: published)")
    p.add_argument("-o", "--output", required=True, help="FILE.docx or FILE.pdf")
    p.set_defaults(func=run)
