"""UI catalogues in English, French and Portuguese, and ``t()`` to look keys up."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

LANGUAGES = ("en", "fr", "pt")
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "pt": "Português"}
CATALOGUE_DIR = Path(__file__).parent


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All UI strings of one language, read once per process (immutable reference data)."""
    return yaml.safe_load((CATALOGUE_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))


def t(key: str, lang: str = "en", **params: object) -> str:
    """The UI text for ``key`` in ``lang``, with ``{params}`` filled in.

    A key missing in a language raises ``KeyError``: the catalogue test keeps all three complete.
    """
    text = catalogue(lang if lang in LANGUAGES else "en")[key]
    return text.format(**params) if params else text


def pick_language(requested: str | None, browser_locale: str | None, default: str = "en") -> str:
    """The UI language: an explicit choice, else the browser's locale, else the default."""
    for candidate in (requested, (browser_locale or "")[:2].lower()):
        if candidate in LANGUAGES:
            return candidate
    return default
