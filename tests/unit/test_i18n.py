"""Every UI key exists in English, French and Portuguese, with the same placeholders."""

from __future__ import annotations

import re
import string

import pytest

from tests.conftest import ROOT
from wddf.i18n import LANGUAGES, catalogue, pick_language, t


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogues_have_the_same_keys():
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    assert keys["fr"] == keys["en"] and keys["pt"] == keys["en"]


@pytest.mark.parametrize("lang", ["fr", "pt"])
def test_translations_keep_placeholders_and_are_translated(lang):
    english = catalogue("en")
    for key, text in catalogue(lang).items():
        assert _placeholders(text) == _placeholders(english[key]), key
        assert text.strip(), key


def test_every_key_used_in_the_code_exists():
    used = set()
    for path in (ROOT / "wddf").rglob("*.py"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]*)["']""", path.read_text("utf-8")))
    assert used, "no t() call found"
    prefixes = {key for key in used if key.endswith(".")}
    assert used - prefixes <= set(catalogue("en")), used - prefixes - set(catalogue("en"))
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in catalogue("en")), prefix


def test_every_value_shown_through_a_key_prefix_has_its_key():
    from wddf.domain import Confidence, Role, Status
    from wddf.questionnaire.schema import Layer
    from wddf.services.action_plan import STATUSES

    expected = {f"status.{s.value}" for s in Status} | {f"role.{r.value}" for r in Role}
    expected |= {f"layer.{layer.value}" for layer in Layer} | {
        f"entry.confidence.{c.value}" for c in Confidence
    }
    expected |= {
        f"entry.missing.{p}" for p in ("ungraded", "no_justification", "na_without_reason")
    }
    expected |= {f"insights.flag.{f}" for f in ("strong_no_evidence", "jump_no_new_evidence",
                                                   "na_no_reason")}  # fmt: skip
    expected |= {f"insights.reason.{r}" for r in ("edition", "na", "new_evidence",
                                                   "same_evidence", "none")}  # fmt: skip
    expected |= {f"insights.comparability.{c}" for c in ("full", "partial", "none")}
    expected |= {f"insights.direction.{d}" for d in ("improved", "declined", "unchanged",
                                                      "not_comparable", "not_graded")}  # fmt: skip
    expected |= {f"insights.plan.status.{s}" for s in STATUSES}
    expected |= {f"insights.plan.outcome.{o}" for o in ("met", "not_met", "no_grade")}
    expected |= {f"insights.level.{v}" for v in ("indicator", "goal", "overall")}
    assert expected <= set(catalogue("en")), expected - set(catalogue("en"))


@pytest.mark.parametrize(
    ("requested", "locale", "expected"),
    [("fr", "en-US", "fr"), (None, "pt-BR", "pt"), (None, "de-DE", "en"), ("xx", None, "en")],
)
def test_language_choice_falls_back_from_choice_to_browser_locale(requested, locale, expected):
    assert pick_language(requested, locale) == expected


def test_missing_key_fails_loudly():
    with pytest.raises(KeyError):
        t("no.such.key", "fr")


def test_every_service_error_code_has_a_message():
    raised = set()
    for path in (ROOT / "wddf" / "services").rglob("*.py"):
        source = path.read_text("utf-8")
        raised |= set(
            re.findall(
                r"(?:Invalid|NotAllowed|TransitionRefused|NotFound)\(\s*\"([a-z_]+)\"", source
            )
        )
        raised |= set(re.findall(r"code = \"([a-z_]+)\"", source))
    assert {"conflict", "bad_credentials", "locked_status"} <= raised
    assert {f"error.{code}" for code in raised} <= set(catalogue("en")), raised
