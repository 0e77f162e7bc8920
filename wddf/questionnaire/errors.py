"""Questionnaire problems: every error and warning has a code and a place.

The codes' parameters and messages (in every UI language) are their entries in the problem
catalogue, ``wddf/problems.yaml``. A problem is formatted as
``<location>: <message>``, e.g. ``goals[2].indicators[0].dimensions[3].statements.C.fr: missing``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from wddf import problems


class Code(StrEnum):
    """Stable problem codes; tests and users can rely on them."""

    YAML_SYNTAX = "Q001"
    NOT_A_MAPPING = "Q002"
    MISSING = "Q003"
    UNKNOWN_KEY = "Q004"
    DUPLICATE_KEY = "Q005"
    INVALID_VALUE = "Q006"
    BAD_FORMAT = "Q007"
    BAD_CHOICE = "Q008"
    NEGATIVE_WEIGHT = "Q009"
    EMPTY_LIST = "Q010"
    DUPLICATE_ID = "Q011"
    ID_PREFIX = "Q012"
    LANGUAGE_MISSING = "Q013"
    LANGUAGE_UNDECLARED = "Q014"
    NA_HINT_MISSING = "Q015"
    CONTINUES_ITSELF = "Q016"
    MULTILINE_ITEM = "Q017"
    SCHEMA_VERSION_UNKNOWN = "Q018"
    CONTINUES_UNKNOWN_DIMENSION = "Q019"
    WORKBOOK_UNREADABLE = "Q020"
    SHEET_MISSING = "Q021"
    COLUMN_MISSING = "Q022"
    ROW_ORPHAN = "Q023"
    M2_BEYOND_TABLE = "Q024"
    YAML_TOO_LONG = "Q025"
    YAML_TOO_BIG = "Q026"
    SAME_TEXT_IN_LANGUAGES = "W001"
    NA_HINT_UNUSED = "W002"
    CONTINUES_UNKNOWN_EDITION = "W003"
    UNDEFINED_QUANTIFIER = "W004"
    D_STATEMENT_NOT_KNOWN = "W005"


SUGGESTION = {
    "en": " (did you mean {0}?)",
    "fr": " (vouliez-vous dire {0} ?)",
    "pt": " (queria dizer {0}?)",
}
LINE = {"en": "line {0}", "fr": "ligne {0}", "pt": "linha {0}"}


@dataclass(frozen=True)
class Problem:
    """One located problem. ``location`` is a YAML path, or a sheet/cell for a workbook."""

    code: Code
    location: str
    params: dict = field(default_factory=dict, compare=False)
    line: int | None = None

    def __post_init__(self) -> None:
        """Keep the parameters the code's message takes (the loader passes what it found); a
        missing one cannot be shown, and fails here."""
        declared = problems.parameters(self.code.value)
        if not declared <= set(self.params):
            raise TypeError(f"{self.code} takes {sorted(declared)}, not {sorted(self.params)}")
        object.__setattr__(self, "params", {k: self.params[k] for k in declared})

    @property
    def is_warning(self) -> bool:
        """Warnings start with W; they do not stop an edition from loading."""
        return self.code.value.startswith("W")

    def message(self, lang: str = "en") -> str:
        """The message alone, in ``lang`` (English if that language has none)."""
        params = dict(self.params)
        if "suggestion" in params:
            hint = params["suggestion"]
            params["suggestion"] = (
                SUGGESTION.get(lang, SUGGESTION["en"]).format(hint) if hint else ""
            )
        return problems.message(self.code.value, lang, params)

    def format(self, lang: str = "en") -> str:
        """``location (line N): message`` with the code, ready for stderr or the UI."""
        where = self.location or "<edition>"
        if self.line is not None:
            where += f" ({LINE.get(lang, LINE['en']).format(self.line)})"
        return f"{where}: {self.message(lang)} [{self.code.value}]"
