"""The one policy for text that enters a service: characters, normal form and length.

Every text a user types or uploads passes ``clean(field, value)`` before it is stored:
- line ends become ``\\n``; no other C0 control character (nor DEL), and no C1 control, is
  accepted, only tab and newline, because XML (and so every Excel export) cannot hold them;
- no bidirectional override or isolate (which can make ``fdp.exe`` read as ``exe.pdf``) in a
  name, an id or a file name (``NAME_FIELDS``); in free text only balanced ones, each closed on
  its own line, so that no text reorders what follows it;
- no lone surrogate and no non-character (U+FFFE, U+FFFF), which no encoding can store;
- Unicode NFC, so that the same words are stored the same way;
- at most ``LIMITS[field]`` characters, after normalisation.

A refusal is ``Invalid`` with the field and the place of the first bad character, translated
through the UI catalogue (``field.<name>``); nothing is stored.
"""

from __future__ import annotations

import unicodedata

# The longest text each field accepts, in characters. Short fields match their column's size.
LIMITS: dict[str, int] = {
    "justification": 20_000,
    "evidence": 20_000,
    "comment": 10_000,
    "action": 5_000,
    "owner": 200,
    "partners": 400,
    "progress": 10_000,
    "panel_name": 200,
    "institution": 200,
    "place": 200,
    "decisions": 20_000,
    "minutes": 50_000,
    "outcome": 20_000,
    "background": 100_000,
    "username": 80,
    "email": 254,
    "display_name": 200,
    "file_name": 255,
    "dimension_id": 40,
    "reason": 10_000,
}
ALLOWED_CONTROLS = frozenset("\t\n")
# Fields that name something: no bidirectional control at all.
NAME_FIELDS = frozenset(
    {"username", "display_name", "file_name", "dimension_id", "panel_name", "institution", "place"}
)
OPENERS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c"}
OPENERS |= {"\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}
BIDI_CONTROLS = frozenset(OPENERS) | {"\u202c", "\u2069"}


def _bad_character(value: str) -> int | None:
    """The 1-based position of the first character the policy refuses, or None."""
    for position, char in enumerate(value, start=1):
        code = ord(char)
        if (code < 0x20 and char not in ALLOWED_CONTROLS) or 0x7F <= code <= 0x9F:
            return position
        if 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            return position
    return None


def _unbalanced_bidi(value: str, name: bool) -> int | None:
    """The 1-based position of the first bidirectional control the policy refuses: any in a
    name, and in free text one that closes nothing or is left open at the end of its line."""
    open_at: list[tuple[str, int]] = []  # (the closer awaited, where it was opened)
    for position, char in enumerate(value, start=1):
        if char == "\n" and open_at:
            return open_at[-1][1]
        if char not in BIDI_CONTROLS:
            continue
        if name:
            return position
        if char in OPENERS:
            open_at.append((OPENERS[char], position))
        elif open_at and open_at[-1][0] == char:
            open_at.pop()
        else:
            return position
    return open_at[-1][1] if open_at else None


def normalised(value: str | None) -> str:
    """Line ends unified to ``\\n`` (the form in which text is checked and stored)."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


def violation(field: str, value: str | None) -> tuple[str, dict] | None:
    """Why ``value`` may not be stored as ``field`` (a service error code and its values), or
    None. Pure: storage uses it to check restored rows, services through ``clean``."""
    text = normalised(value)
    position = _bad_character(text)
    if position is not None:
        return "text_control", {"field": field, "position": position}
    position = _unbalanced_bidi(text, field in NAME_FIELDS)
    if position is not None:
        return "text_bidi", {"field": field, "position": position}
    if len(unicodedata.normalize("NFC", text)) > LIMITS[field]:
        return "text_too_long", {"field": field, "limit": LIMITS[field]}
    return None


def clean(field: str, value: str | None) -> str:
    """``value`` as it will be stored (line ends unified, NFC), or ``Invalid`` naming ``field``:
    ``text_control`` with the position of a refused character, or ``text_too_long``."""
    from wddf.errors import ErrorCode, Invalid  # services' catalogue, when refused

    refused = violation(field, value)
    if refused is not None:
        raise Invalid(ErrorCode(refused[0]), **refused[1])
    return unicodedata.normalize("NFC", normalised(value))
