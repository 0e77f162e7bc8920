"""Edition wddf-1.2: continues 1.1 dimension by dimension, D as PEFA's residual, PEFA's "a few",
the domain review's rewrites and missing themes, the KP told apart from the KPCS, and the right
words in French and Portuguese."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.conftest import ROOT, shipped_editions
from tests.unit.test_edition_1_1 import NOT_KNOWN, dimension_texts
from wddf.questionnaire import load_questionnaire
from wddf.questionnaire.checks import PEFA_M2_MOST, iter_texts

LANGS = ("en", "fr", "pt")
EDITION_1_2 = ROOT / "questionnaires" / "wddf-1.2.yaml"
RESIDUAL = {
    "en": "Less than required for C; for example: ",
    "fr": "En deçà de ce qu'exige C ; par exemple : ",
    "pt": "Aquém do exigido para C; por exemplo: ",
}
NEW_IN_1_2 = {"WD1.2.4", "WD3.3.4", "WD3.4.5", "WD6.2.3", "WD7.1.4", "WD7.4.5", "WD8.1.4",
              "WD9.2.3", "WD9.3.3"}  # fmt: skip


@pytest.fixture(scope="module")
def edition():
    return shipped_editions()["wddf-1.2"]


@pytest.fixture(scope="module")
def before():
    return shipped_editions()["wddf-1.1"]


def test_it_loads_without_error_or_warning_checked_against_1_0_and_1_1():
    editions = shipped_editions()
    known = {e: frozenset(editions[e].dimension_index) for e in ("wddf-1.0", "wddf-1.1")}
    result = load_questionnaire(EDITION_1_2, known)
    assert result.ok, result.report()
    assert result.warnings == [], result.report()


def test_every_text_exists_in_english_french_and_portuguese(edition):
    texts = list(iter_texts(edition.model_dump(mode="json", exclude_none=True)))
    assert len(texts) > 94 * 8
    for path, text in texts:
        assert set(text) == set(LANGS), path
        assert all(len(text[lang].strip()) > 1 for lang in LANGS), path


def test_averaged_indicators_stay_within_pefas_table(edition):
    for goal in edition.goals:
        for indicator in goal.indicators:
            if indicator.method.value == "M2":
                assert len(indicator.dimensions) <= PEFA_M2_MOST, indicator.id


def test_every_1_1_dimension_is_continued_once_and_the_new_ones_are_new(edition, before):
    continued = Counter()
    for _, _, dim in edition.dimensions():
        if dim.id in NEW_IN_1_2:
            assert dim.continues is None, dim.id
            continue
        assert dim.continues.edition == "wddf-1.1" and dim.continues.dimension == dim.id
        continued[dim.id] += 1
    assert set(continued) == set(before.dimension_index) and max(continued.values()) == 1
    assert set(edition.dimension_index) - set(before.dimension_index) == NEW_IN_1_2


def test_a_dimension_whose_question_or_grades_changed_claims_only_partial_continuity(
    edition, before
):
    for _, _, dim in edition.dimensions():
        if dim.continues is None:
            continue
        old = before.dimension_index[dim.id]
        changed = dim.question["en"] != old.question["en"] or any(
            getattr(dim.statements, g)["en"] != getattr(old.statements, g)["en"] for g in "ABC"
        )  # in English: the other languages changed words (garimpeiro, GTPAA), not grades
        expected = "partial" if changed else "full"
        assert dim.continues.comparability.value == expected, dim.id
    assert edition.dimension_index["WD6.3.3"].continues.comparability.value == "partial"


@pytest.mark.parametrize("lang", LANGS)
def test_d_is_the_residual_with_an_example_in_every_dimension(edition, lang):
    for _, _, dim in edition.dimensions():
        statement = dim.statements.D[lang]
        assert statement.startswith(RESIDUAL[lang]), (dim.id, statement)
        example = statement.removeprefix(RESIDUAL[lang])
        assert len(example) > 20 and not [w for w in NOT_KNOWN[lang] if w in example.lower()]
    assert edition.notes[lang].count("PEFA") >= 2


@pytest.mark.parametrize("lang", LANGS)
def test_every_guidance_says_when_to_use_d_star_and_na(edition, lang):
    for _, _, dim in edition.dimensions():
        assert "D*" in dim.guidance[lang] and "NA" in dim.guidance[lang], (dim.id, lang)


def test_a_few_is_pefas_and_is_used(edition):
    meanings = {q.term["en"]: q.meaning["en"] for q in edition.quantifiers}
    assert meanings["a few"] == "more than 10 % but under 25 %"
    assert meanings["some"] == "25 % or more"
    used = [d.id for _, _, d in edition.dimensions() if "a few" in dimension_texts(d, "en").lower()]
    assert len(used) >= 2, used


def test_the_two_rewrites_give_every_case_a_statement(edition):
    women = edition.dimension_index["WD6.3.3"]
    assert "same share or pay" in women.question["en"]
    grades = [women.statements.A["en"], women.statements.B["en"], women.statements.C["en"]]
    assert ["90 %" in grades[0], "75 %" in grades[1], "50 %" in grades[2]] == [True] * 3
    assert "at least ten sites" in women.guidance["en"] and "by women" in women.guidance["en"]
    assert "en vertu du règlement du site" in women.statements.D["fr"]
    assert "recebem menos" in women.statements.D["pt"]
    plan = edition.dimension_index["WD9.2.1"]
    assert "set against it" in plan.statements.A["en"]
    assert "funded by the state or by donors" in plan.statements.C["en"]
    assert "mis en regard du plan" in plan.statements.A["fr"]
    assert "confrontado com o plano" in plan.statements.A["pt"]


def test_the_reviews_smaller_fixes(edition):
    dims = edition.dimension_index
    assert "without naming the institution" in dims["WD1.1.2"].statements.C["en"]
    licensed = dims["WD1.1.3"].statements
    assert licensed.A["en"].startswith("75 % or more")
    assert licensed.B["en"].startswith("50 % or more but under 75 %")
    assert "older estimate, or none, gives D*" in dims["WD1.1.3"].guidance["en"]
    assert "customary rights holders" in dims["WD2.1.2"].question["en"]
    assert "at random" in dims["WD3.1.3"].guidance["en"]
    assert "public and private" in dims["WD7.4.1"].question["en"]
    assert "Voluntary Principles" in dims["WD7.4.1"].guidance["en"]
    assert "customs, the KP authority" in dims["WD9.1.2"].question["en"]
    assert "at least once" in dims["WD9.1.2"].statements.B["en"]
    assert "with no mechanism, the grade is D" in dims["WD7.5.2"].guidance["en"]


# Each theme the review found missing in 1.1, with words that must appear in the English text
# of at least one dimension.
THEMES = {
    "follow-up of KP review-visit recommendations": "review visit",
    "technical-assistance needs": "technical-assistance needs",
    "health at sites": "health post",
    "environment beyond rehabilitation": "protected area",
    "abuses by security forces in practice": "abuse",
    "private security and the Voluntary Principles": "private security",
    "access to finance in practice": "obtained credit or equipment",
    "land-border and customs controls": "land-border",
    "customs and the KP authority in coordination": "customs and the KP authority",
    "the licence holder versus the worker": "licence holder",
}


@pytest.mark.parametrize("theme", THEMES)
def test_each_theme_the_review_found_missing_is_covered(edition, before, theme):
    word = THEMES[theme].lower()
    found = {d.id for _, _, d in edition.dimensions() if word in dimension_texts(d, "en").lower()}
    missing_before = {
        d.id for _, _, d in before.dimensions() if word in dimension_texts(d, "en").lower()
    }
    assert found - missing_before, (theme, found)


def test_the_kp_is_told_apart_from_the_kpcs_and_recommendations_from_requirements(edition):
    assert "the Kimberley Process Certification Scheme (KPCS) is the scheme" in edition.notes["en"]
    for _, _, dim in edition.dimensions():
        assert "must have these controls" not in dim.guidance["en"], dim.id
    recommended = ("WD3.1.1", "WD3.1.3", "WD3.2.1", "WD3.4.2")
    for dim_id in recommended:
        assert "recommends" in edition.dimension_index[dim_id].guidance["en"], dim_id
    assert "requires" in edition.dimension_index["WD3.4.4"].guidance["en"]
    statistics = edition.dimension_index["WD3.5.3"]
    assert "quarterly trade data" in statistics.statements.A["en"]
    assert "half-yearly production data" in statistics.statements.A["en"]
    assert "Annex III" in statistics.statements.A["en"]


def test_french_names_wgaap_as_the_kp_does(edition):
    assert (
        "Groupe de travail sur la production artisanale et alluviale (GTPAA)"
        in (edition.notes["fr"])
    )
    for _, _, dim in edition.dimensions():
        fr = dimension_texts(dim, "fr")
        assert "WGAAP" not in fr, dim.id
        assert not re.search(r"\bPK\b", fr), dim.id
    reported = edition.dimension_index["WD9.3.2"].question["fr"]
    assert "production artisanale et alluviale (GTPAA)" in reported


def test_portuguese_claims_the_spelling_it_uses_and_says_indemnity(edition):
    notes = edition.notes["pt"]
    assert "Acordo Ortográfico de 1990" in notes and "projecto, actas" in notes
    text = " ".join(dimension_texts(d, "pt") for _, _, d in edition.dimensions())
    assert "garimpeiro" not in text.lower() and "compensação" not in text
    assert "indemnização" in text and "mineiros artesanais" in text
    for spelling in ("projeto", "atas", "ativo"):  # as the notes claim, not Angola's
        assert re.search(rf"\b{spelling}", text), spelling
