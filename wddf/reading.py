"""Reading what people type, exactly, in their language, or refusing it.

A number is read with the grouping and decimal marks of the reader's language (Babel's CLDR
data: ``1,250,000.50`` in English, ``1 250 000,50`` in French and Portuguese; any space is a
grouping mark). Anything else is refused with a translated message naming the field: a letter,
an exponent or a sign, a mark in the wrong place, and a point in French or Portuguese, where it
could mean either mark. Nothing is ever multiplied, truncated or rounded silently.
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import NumberFormatError, get_group_symbol, parse_decimal

from wddf.errors import ErrorCode, Invalid
from wddf.i18n import BABEL_LOCALES
from wddf.i18n import number as written

NUMBER_TEXT = re.compile(r"[0-9][0-9 \u00a0\u202f\u2009.,]*")
SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
EXAMPLE = Decimal("1250000")


def shown(text: str) -> str:
    """What the user typed, as a message may quote it: 40 characters at most, and a mark in place
    of anything that does not print."""
    return "".join(c if c.isprintable() else "\ufffd" for c in text[:40])


def number(text: str, lang: str, field: str) -> Decimal:
    """The non-negative number ``text`` says in ``lang``; ``Invalid(unreadable_number)``
    naming ``field`` otherwise."""
    locale = BABEL_LOCALES.get(lang, "en")
    given = text.strip()
    refused = Invalid(
        ErrorCode.UNREADABLE_NUMBER,
        field=field,
        text=shown(given),
        example=written(EXAMPLE, lang, 0),
    )
    if not NUMBER_TEXT.fullmatch(given) or (lang != "en" and "." in given):
        raise refused
    grouped = SPACES.sub(get_group_symbol(locale), given)
    try:
        return parse_decimal(grouped, locale=locale, strict=True)
    except NumberFormatError:
        raise refused from None


def whole_amount(text: str, lang: str, field: str) -> int | None:
    """A whole amount (an estimated cost in units of its currency) typed in ``lang``; None when
    nothing is typed. A fraction is refused (``not_whole``), never rounded away."""
    if not text.strip():
        return None
    value = number(text, lang, field)
    if value != value.to_integral_value():
        raise Invalid(ErrorCode.NOT_WHOLE, field=field, text=shown(text.strip()))
    return int(value)
