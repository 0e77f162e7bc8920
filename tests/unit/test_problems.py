"""One catalogue of problems (``wddf/problems.yaml``): every code a service, a file reader or the
questionnaire loader can produce has its parameters and its message in English, French and
Portuguese, and a problem outside the catalogue, or with other parameters, cannot be made."""

from __future__ import annotations

import ast
import re

import pytest

from scoring import validate
from tests.conftest import ROOT
from wddf import problems
from wddf.errors import ErrorCode, Invalid
from wddf.i18n import LANGUAGES, placeholders
from wddf.problems import Problem
from wddf.questionnaire.errors import Code

# Messages rightly the same in another language: a technical detail passed through.
SAME_IN_EVERY_LANGUAGE = {"backup.bad_value"}


def _codes_made_by(path, family: str, maker: str) -> set[str]:
    """The codes of ``family`` that ``path`` makes by calling ``maker`` with the code as its first
    string argument."""
    first = r'(?:f?"[^"]*"|[\w.\[\]]+(?:\([^()]*\))?)'  # a string, a name, a call of one
    pattern = rf'{maker}\(\s*(?:{first},\s*)?"(\w+)"'
    return {f"{family}.{code}" for code in re.findall(pattern, path.read_text("utf-8"))}


def every_code() -> set[str]:
    """Every code the code can produce, read off the code itself."""
    codes = {str(c) for c in ErrorCode} | {c.value for c in Code}
    codes |= _codes_made_by(ROOT / "exports" / "offline.py", "offline", "Problem")
    codes |= _codes_made_by(
        ROOT / "wddf" / "services" / "answers" / "offline.py", "offline", "_problem"
    )
    codes |= _codes_made_by(ROOT / "wddf" / "storage" / "backup.py", "backup", "BackupError")
    return codes | {f"answers.{code}" for code in validate.CODES}


def test_every_code_the_code_makes_is_catalogued_and_every_entry_is_used():
    made = every_code()
    catalogued = set(problems.entries())
    assert made - catalogued == set()
    assert catalogued - made == set()


@pytest.mark.parametrize("code", sorted(problems.entries()))
def test_every_code_has_its_three_messages_with_its_parameters(code):
    entry = problems.entries()[code]
    for lang in LANGUAGES:
        assert entry.get(lang, "").strip(), f"{code} has no {lang} message"
        assert placeholders(entry[lang]) == entry["parameters"], (code, lang)
    if code not in SAME_IN_EVERY_LANGUAGE:
        assert entry["fr"] != entry["en"] and entry["pt"] != entry["en"], code


def test_the_catalogue_has_no_other_keys():
    for code, entry in problems.entries().items():
        assert set(entry) <= {"parameters", *LANGUAGES}, code


def test_a_problem_outside_the_catalogue_or_with_other_parameters_cannot_be_made():
    with pytest.raises(ValueError):
        Invalid("made_up_code")
    with pytest.raises(ValueError):
        Problem("offline.made_up")
    with pytest.raises(TypeError):
        Invalid(ErrorCode.BAD_YEAR, year=1999)  # low and high are missing
    with pytest.raises(TypeError):
        Problem("offline.bad_grade", {"grade": "E", "extra": 1})
    refusal = Invalid(ErrorCode.BAD_YEAR, year=1999, low=2000, high=2100)
    assert refusal.message("fr") == "L'année doit être comprise entre 2000 et 2100, et non 1999."


def test_a_problem_reads_in_the_readers_language_with_codes_shown_by_name():
    refusal = Invalid(ErrorCode.TEXT_TOO_LONG, field="justification", limit=10)
    assert refusal.message("pt") == (
        "Justificação: o texto tem mais de 10 caracteres. Nada foi guardado."
    )
    located = Problem("offline.bad_grade", {"grade": "E"}, "WD1!C7").located("fr")
    assert located == "WD1!C7: E n'est pas l'une des notes A B C D D* NA."


def test_no_catalogued_message_is_left_in_the_ui_catalogues():
    ui = (ROOT / "wddf" / "i18n" / "en.yaml").read_text("utf-8")
    assert not re.search(r"^(error|offline\.problem)\.", ui, flags=re.M)


def test_the_catalogue_is_read_by_the_ground_floor_only():
    """``problems`` imports nothing above ``i18n``: every floor may use it."""
    tree = ast.parse((ROOT / "wddf" / "problems.py").read_text("utf-8"))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert {m for m in imported if m.startswith("wddf")} == {"wddf.i18n"}
