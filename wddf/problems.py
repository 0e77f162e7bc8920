"""One problem type and one catalogue for everything a person can be refused or warned about.

Every problem has a code of the catalogue (``problems.yaml``: the parameters its message takes
and the message in English, French and Portuguese, in one place per code), the values of those
parameters, and where it is (a sheet and cell, a YAML path, a file and line, a zip member; empty
when the problem is the action itself). Services raise refusals with a code
(``wddf.errors``); readers of files return lists of problems; both are shown through
``message`` in the reader's language.

``scoring/`` and ``exports/`` may not import ``wddf``: their readers return problems of the same
shape (``where``, ``code``, ``params``) with codes of their own family (``answers.*``,
``offline.*``), which ``Problem.of`` takes as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from wddf.i18n import FAST_SAFE_LOADER, LANGUAGES, catalogue, render

CATALOGUE_FILE = Path(__file__).with_name("problems.yaml")
# Parameters whose values are codes shown by their names in the reader's language.
SHOWN_BY_NAME = {
    "field": "field.",
    "action": "workflow.action.",
    "earlier": "workflow.action.",
    "status": "status.",
    "group": "group.",
}


@cache
def entries() -> dict[str, dict[str, Any]]:
    """The catalogue: code → ``parameters`` (a frozenset) and a message per language."""
    raw = yaml.load(CATALOGUE_FILE.read_text(encoding="utf-8"), Loader=FAST_SAFE_LOADER)
    return {
        code: {**entry, "parameters": frozenset(entry.get("parameters", ()))}
        for code, entry in raw.items()
    }


def parameters(code: str) -> frozenset[str]:
    """The parameters the message of ``code`` takes; ``KeyError`` for a code not catalogued."""
    return entries()[str(code)]["parameters"]


def check(code: str, params: Mapping[str, Any]) -> None:
    """Refuse (``ValueError``, ``TypeError``) a code outside the catalogue, or parameters other
    than the ones it declares: such a problem could not be shown."""
    if str(code) not in entries():
        raise ValueError(f"{code!r} is not a code of the problem catalogue")
    expected = parameters(code)
    if set(params) != expected:
        raise TypeError(f"{code} takes {sorted(expected)}, not {sorted(params)}")


def message(code: str, lang: str, params: Mapping[str, Any] | None = None) -> str:
    """The message of ``code`` in ``lang`` (English for a language the tool lacks), with the
    parameters that are codes shown by their names (``SHOWN_BY_NAME``)."""
    entry = entries()[str(code)]
    lang = lang if lang in LANGUAGES else "en"
    shown = dict(params or {})
    for name, prefix in SHOWN_BY_NAME.items():
        key = f"{prefix}{shown.get(name)}"
        if name in shown and key in catalogue(lang):
            shown[name] = catalogue(lang)[key]
    return render(entry[lang], lang, **shown)


@dataclass(frozen=True)
class Problem:
    """One problem: a code of the catalogue, its parameters, and where it is."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)
    where: str = ""

    def __post_init__(self) -> None:
        check(self.code, self.params)

    @classmethod
    def of(cls, found: Any, family: str = "") -> Problem:
        """A problem from a leaf library's own (``where``, ``code``, ``params``), its code in
        ``family`` (``offline``, ``answers``)."""
        code = f"{family}.{found.code}" if family else found.code
        return cls(code, dict(found.params), found.where)

    def message(self, lang: str = "en") -> str:
        """The message alone, in ``lang``."""
        return message(self.code, lang, self.params)

    def located(self, lang: str = "en") -> str:
        """``where: message``, or the message alone when the problem has no place."""
        text = self.message(lang)
        return f"{self.where}: {text}" if self.where else text
