"""What people type is read exactly in their language, or refused with a translated message
naming the field; nothing is multiplied, truncated or rounded silently."""

from __future__ import annotations

import pytest

from wddf import reading
from wddf.errors import ErrorCode, Invalid

READ = [
    ("en", "1,250,000", 1_250_000),
    ("en", "1250000", 1_250_000),
    ("en", "1 250 000", 1_250_000),
    ("fr", "1 250 000", 1_250_000),
    ("fr", "1\u202f250\u202f000", 1_250_000),
    ("fr", "1\u00a0250\u00a0000", 1_250_000),
    ("pt", "1 250 000", 1_250_000),
    ("fr", "400000", 400_000),
    ("en", "", None),
    ("fr", "  ", None),
]
REFUSED = [
    ("fr", "1 250 000,50", ErrorCode.NOT_WHOLE),
    ("en", "1,250,000.50", ErrorCode.NOT_WHOLE),
    ("pt", "12,5", ErrorCode.NOT_WHOLE),
    ("fr", "1.250", ErrorCode.UNREADABLE_NUMBER),  # a point: a decimal or a grouping mark?
    ("pt", "1.250.000", ErrorCode.UNREADABLE_NUMBER),
    ("en", "12,50", ErrorCode.UNREADABLE_NUMBER),  # a comma misplaced for a grouping mark
    ("fr", "1,250,000", ErrorCode.UNREADABLE_NUMBER),
    ("en", "1 25", ErrorCode.UNREADABLE_NUMBER),
    ("en", "1e9", ErrorCode.UNREADABLE_NUMBER),
    ("en", "-5", ErrorCode.UNREADABLE_NUMBER),
    ("fr", "250 000 €", ErrorCode.UNREADABLE_NUMBER),
    ("en", "²", ErrorCode.UNREADABLE_NUMBER),
    ("en", "٣", ErrorCode.UNREADABLE_NUMBER),
]


@pytest.mark.parametrize(("lang", "text", "expected"), READ)
def test_a_whole_amount_is_read_in_the_readers_language(lang, text, expected):
    assert reading.whole_amount(text, lang, "estimated_cost") == expected


@pytest.mark.parametrize(("lang", "text", "code"), REFUSED)
def test_anything_else_is_refused_naming_the_field(lang, text, code):
    with pytest.raises(Invalid) as refused:
        reading.whole_amount(text, lang, "estimated_cost")
    assert refused.value.code is code
    said = refused.value.message(lang)
    assert said.startswith(
        {"en": "Estimated cost", "fr": "Coût estimé", "pt": "Custo estimado"}[lang]
    )


def test_the_refusal_shows_how_the_language_writes_a_number():
    with pytest.raises(Invalid) as refused:
        reading.whole_amount("1.250", "fr", "estimated_cost")
    assert "1\u202f250\u202f000" in refused.value.message("fr")
