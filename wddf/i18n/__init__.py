"""UI catalogues in English, French and Portuguese, and ``t()`` to look keys up.

A message may hold plural forms in ICU's syntax, ``{count, plural, one {# item} other {# items}}``:
the form is chosen by the language's CLDR plural rules (Babel), and ``#`` is the count written
the language's way. Numbers for people go through ``number`` and ``percent``.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LANGUAGES = ("en", "fr", "pt")
FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, where installed
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "pt": "Português"}
CATALOGUE_DIR = Path(__file__).parent
BABEL_LOCALES = {"en": "en", "fr": "fr", "pt": "pt_PT"}  # Portuguese as written in Angola
# {name, plural, one {…} other {…}}: the forms hold no braces of their own.
PLURAL = re.compile(r"\{(\w+), plural,((?:\s*=?\w+\s*\{[^{}]*\})+)\s*\}")
PLURAL_FORM = re.compile(r"(=?\w+)\s*\{([^{}]*)\}")  # a CLDR category, or =N for exactly N


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All UI strings of one language, read once per process (immutable reference data)."""
    return yaml.load(
        (CATALOGUE_DIR / f"{lang}.yaml").read_text(encoding="utf-8"), Loader=FAST_SAFE_LOADER
    )


@cache
def babel_locale(lang: str) -> Locale:
    """The Babel locale of a UI language."""
    return Locale.parse(BABEL_LOCALES.get(lang, "en"))


def number(value: float | None, lang: str, digits: int = 1) -> str:
    """A number written the language's way with ``digits`` decimals (37,8 in French), or a dash."""
    if value is None or value != value:  # None or NaN
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=babel_locale(lang))


def money(amount: int | None, currency: str | None, lang: str) -> str:
    """A whole amount with its ISO currency code, written the language's way (250 000 USD in
    French), or a dash."""
    if amount is None or amount != amount:
        return "–"
    return f"{number(amount, lang, 0)} {currency or ''}".strip()


def day(value: date, lang: str) -> str:
    """A date written out the language's way (12 March 2024, 12 mars 2024, 12 de março de
    2024)."""
    return format_date(value, format="long", locale=babel_locale(lang))


def percent(value: float | None, lang: str) -> str:
    """A share (0–1) as a whole percentage written the language's way (80 %), or a dash."""
    if value is None or value != value:
        return "–"
    return format_percent(value, locale=babel_locale(lang))


def separators(lang: str) -> str:
    """The decimal and thousands separators of ``lang``, as Plotly's ``separators`` takes them."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_decimal_symbol(babel_locale(lang)) + get_group_symbol(babel_locale(lang))


def _plurals(text: str, lang: str, params: dict[str, object]) -> str:
    """Replace each plural block by the form the count takes in ``lang``."""

    def choose(match: re.Match) -> str:
        count = params[match.group(1)]
        forms = dict(PLURAL_FORM.findall(match.group(2)))
        form = (
            babel_locale(lang).plural_form(abs(count))
            if isinstance(count, int | float)
            else "other"
        )
        chosen = forms.get(f"={count}", forms.get(form, forms["other"]))
        shown = (
            format_decimal(count, locale=babel_locale(lang)) if isinstance(count, int) else count
        )
        return chosen.replace("#", str(shown)).replace("{", "{{").replace("}", "}}")

    return PLURAL.sub(choose, text)


def t(key: str, lang: str = "en", **params: object) -> str:
    """The UI text for ``key`` in ``lang``, with ``{params}`` filled in and plural forms chosen.

    A key missing in a language raises ``KeyError``: the catalogue test keeps all three complete.
    """
    return render(catalogue(lang if lang in LANGUAGES else "en")[key], lang, **params)


def render(template: str, lang: str, /, **params: object) -> str:
    """A message template of ``lang`` with ``{params}`` filled in and plural forms chosen."""
    if not params:
        return template
    return _plurals(template, lang, params).format(**params)


def placeholders(text: str) -> set[str]:
    """The names a message takes: its ``{name}`` fields and the counts of its plural blocks."""
    import string

    names = {match.group(1) for match in PLURAL.finditer(text)}
    rest = PLURAL.sub("", text)
    return names | {name for _, name, _, _ in string.Formatter().parse(rest) if name}


def pick_language(requested: str | None, browser_locale: str | None, default: str = "en") -> str:
    """The UI language: an explicit choice, else the browser's locale, else the default."""
    for candidate in (requested, (browser_locale or "")[:2].lower()):
        if candidate in LANGUAGES:
            return candidate
    return default
