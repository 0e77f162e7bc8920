"""Show text that came from data (an edition, a user) as text: never as markup or HTML."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$=:])")


def plain(text: str) -> str:
    """Escape every Markdown-active character so Streamlit shows ``text`` literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
