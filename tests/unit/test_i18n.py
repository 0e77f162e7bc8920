"""Every UI key exists in English, French and Portuguese, with the same placeholders."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT
from wddf.i18n import LANGUAGES, catalogue, pick_language, placeholders, t


def _placeholders(text: str) -> set[str]:
    return placeholders(text)


def test_catalogues_have_the_same_keys():
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    assert keys["fr"] == keys["en"] and keys["pt"] == keys["en"]


# Texts that are rightly the same as the English one: cognates, letters, symbols.
SAME_AS_ENGLISH = {
    "fr": {
        "nav.questionnaire", "browser.question", "nav.admin", "grade.none", "admin.heading",
        "review.dimension", "review.justification", "export.sheet.dimensions", "export.col.score",
        "export.col.dimension_id", "export.col.justification", "export.col.action",
        "offline.instructions", "offline.col.title",
        "offline.col.question", "offline.col.statement_A", "offline.col.statement_B",
        "offline.col.statement_C", "offline.col.statement_D", "offline.col.justification",
        "insights.score", "insights.plan.dimensions", "insights.plan.action",
        "field.justification", "field.action", "field.dimension_id", "group.consensus",
        "review.field.justification", "admin.edition.version", "admin.edition.dimensions",
        "offline.change.dimension", "export.col.dimensions", "export.col.at",
        "offline.change.justification", "offline.conflict.dimension",
        "field.institution", "panels.institution", "panels.date", "insights.agreement.panel",
        "export.col.panel", "export.col.institution", "report.h.participants",
        "export.col.n_dstar", "export.col.n_na",
        "sector.source", "export.col.source", "export.col.citations", "export.cover.licence",
        "export.cover.contact",
    },
    "pt": {
        "grade.none", "offline.col.statement_A", "review.group_grade",
        "offline.col.statement_B", "offline.col.statement_C", "offline.col.statement_D",
        "export.demo_mark",
    },
}  # fmt: skip


@pytest.mark.parametrize("lang", ["fr", "pt"])
def test_translations_keep_placeholders_and_are_translated(lang):
    english = catalogue("en")
    for key, text in catalogue(lang).items():
        assert _placeholders(text) == _placeholders(english[key]), key
        assert text.strip(), key
        if text == english[key]:
            assert key in SAME_AS_ENGLISH[lang], f"{key} is still in English in {lang}: {text!r}"


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
    from wddf.domain import ANSWER_FIELDS, Action, Confidence, Group, Role, Status
    from wddf.questionnaire.schema import Layer
    from wddf.services.process.action_plan import STATUSES

    expected = {f"status.{s.value}" for s in Status} | {f"role.{r.value}" for r in Role}
    expected |= {f"layer.{layer.value}" for layer in Layer} | {
        f"entry.confidence.{c.value}" for c in Confidence
    }
    expected |= {
        f"entry.missing.{p}"
        for p in ("ungraded", "unconfirmed", "no_justification", "na_without_reason")
    }
    expected |= {f"group.{g.value}" for g in Group}
    expected |= {f"workflow.step.{a.value}" for a in Action} | {"workflow.step.create"}
    expected |= {f"workflow.done.{a.value}" for a in Action}
    expected |= {f"review.field.{f}" for f in (*ANSWER_FIELDS, "files")}
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


def test_every_field_of_the_text_policy_has_a_name_in_every_language():
    from wddf.textpolicy import LIMITS

    for lang in LANGUAGES:
        assert {f"field.{name}" for name in LIMITS} <= set(catalogue(lang)), lang


JARGON = {  # software words and wrong names a reader of the report should never meet
    "fr": ("nœud", "empreinte", "Cadre de diagnostic", "experts en diamants"),
    "pt": ("impressão digital", " nó ", "Aluvial e Artesanal"),
    "en": (" node ",),
}


@pytest.mark.parametrize("lang", ["en", "fr", "pt"])
def test_user_words_carry_no_jargon_and_the_reviewers_do_not_validate(lang):
    """WGAAP does not validate a national self-assessment (in the WDDF, validation is the
    national workshop): the reviewers' last step is named a completed review."""
    texts = catalogue(lang)
    shown = {k: v for k, v in texts.items() if k.startswith(("report.", "export.", "status."))}
    for key, text in shown.items():
        for word in JARGON[lang]:
            assert word.lower() not in text.lower(), (key, word)
    for key in ("status.validated", "workflow.action.validate", "workflow.done.validate"):
        assert "valid" not in texts[key].lower(), key
    assert "GTPAA" in texts["report.title"] if lang == "fr" else "WGAAP" in texts["report.title"]


def test_the_reports_counts_agree_with_their_nouns_and_verbs():
    moved = {"year": 2024, "before": "60,0", "now": "62,5"}
    one = t(
        "report.progress.reading", "fr", improved=1, declined=1, unchanged=1, changed=1, **moved
    )
    many = t(
        "report.progress.reading", "fr", improved=3, declined=2, unchanged=4, changed=2, **moved
    )
    assert "1 dimension a progressé, 1 a reculé, 1 n'a pas changé et 1 a changé" in one
    assert "3 dimensions ont progressé, 2 ont reculé, 4 n'ont pas changé et 2 ont changé" in many
    single = t(
        "report.progress.reading", "en", improved=1, declined=0, unchanged=2, changed=0, **moved
    )
    assert "1 dimension improved," in single
