"""Edition wddf-1.1: complete in three languages, the Declaration's KP core covered, statements a
panel can tell apart, D for facts and D* for missing information, and continuity with 1.0."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.conftest import EDITION_1_1, shipped, shipped_editions
from wddf.questionnaire import load_questionnaire, structure_table
from wddf.questionnaire.checks import iter_texts

LANGS = ("en", "fr", "pt")


@pytest.fixture(scope="module")
def edition():
    return shipped_editions()["wddf-1.1"]


def dimension_texts(dim, lang: str) -> str:
    parts = [dim.title, dim.question, dim.guidance, *dim.statements.model_dump().values()]
    return " ".join(p[lang] for p in parts)


def test_it_loads_without_error_or_warning_checked_against_1_0():
    known = {"wddf-1.0": frozenset(shipped().dimension_index)}
    result = load_questionnaire(EDITION_1_1, known)
    assert result.ok, result.report()
    assert result.warnings == [], result.report()


def test_every_text_exists_in_english_french_and_portuguese(edition):
    data = edition.model_dump(mode="json", exclude_none=True)
    texts = list(iter_texts(data))
    assert len(texts) > 85 * 8
    for path, text in texts:
        assert set(text) == set(LANGS), path
        assert all(len(text[lang].strip()) > 1 for lang in LANGS), path


def test_it_is_large_enough_and_some_indicators_have_four_dimensions(edition):
    table = structure_table(edition)
    sizes = table.groupby("indicator_id").size()
    assert len(table) >= 75 and len(sizes) >= 26
    assert sizes.between(2, 4).all() and (sizes == 4).sum() >= 3
    layers = table.groupby("goal_id")["layer"].agg(set)
    assert all(found == {"law", "policy", "practice"} for found in layers), layers


# Each theme the review found missing or thin, with words that must appear in the English text
# of at least ``n`` dimensions.
THEMES = {
    "valuation of exports by a government or independent valuer": (["valuer"], 2),
    "sealing of export parcels": (["sealed"], 2),
    "KP certificates checked": (["certificate"], 2),
    "armed groups at sites": (["armed group"], 2),
    "illegal taxation": (["illegal levy", "illegal levies"], 2),
    "forced labour and debt bondage under financiers": (["debt bondage", "financier"], 2),
    "a practice check of the register of diggers": (["register of diggers"], 1),
    "a census of miners": (["census"], 1),
    "published production statistics": (["production figures"], 1),
    "KP statistics on time": (["submitted on time", "deadlines"], 1),
    "exporters": (["exporter"], 3),
    "a geo-referenced inventory of sites": (["inventory"], 1),
    "gender": (["women"], 4),
    "regional cooperation": (["neighbouring producer"], 1),
    "reporting to WGAAP": (["WGAAP"], 1),
}


@pytest.mark.parametrize("theme", THEMES)
def test_each_theme_the_review_found_missing_is_covered(edition, theme):
    words, at_least = THEMES[theme]
    found = [
        d.id
        for _, _, d in edition.dimensions()
        if any(w.lower() in dimension_texts(d, "en").lower() for w in words)
    ]
    assert len(found) >= at_least, (theme, found)


def test_regional_cooperation_and_wgaap_are_two_dimensions_not_one(edition):
    about = lambda word: {  # noqa: E731
        d.id for _, _, d in edition.dimensions() if word in d.question["en"]
    }
    assert about("neighbouring producers") and about("WGAAP")
    assert not about("neighbouring producers") & about("WGAAP")


# What a D statement must never say, in each language: missing information is D*, not D.
NOT_KNOWN = {
    "en": ["not known", "unknown", "no information", "no data"],
    "fr": ["pas connu", "inconnu", "aucune information", "aucune donnée", "pas de données"],
    "pt": ["desconhecid", "não se sabe", "nenhuma informação", "sem informação", "sem dados"],
}


@pytest.mark.parametrize("lang", LANGS)
def test_no_d_statement_describes_missing_information(edition, lang):
    for _, _, dim in edition.dimensions():
        statement = dim.statements.D[lang].lower()
        assert not [w for w in NOT_KNOWN[lang] if w in statement], (dim.id, statement)


@pytest.mark.parametrize("lang", LANGS)
def test_every_guidance_says_when_to_use_d_star_and_na(edition, lang):
    for _, _, dim in edition.dimensions():
        guidance = dim.guidance[lang]
        assert "D*" in guidance and "NA" in guidance, (dim.id, lang)


def test_quantifiers_are_defined_once_with_pefas_thresholds(edition):
    meanings = {q.term["en"].split(" / ")[0]: q.meaning["en"] for q in edition.quantifiers}
    assert meanings == {
        "all": "90 % or more",
        "most": "75 % or more",
        "majority": "50 % or more",
        "some": "25 % or more",
    }
    for lang in LANGS:
        assert "D*" in edition.notes[lang] and "PEFA" in edition.notes[lang]
    vague = re.compile(r"\b(many|few|several|main|major)\b", re.IGNORECASE)
    for _, _, dim in edition.dimensions():
        assert not vague.search(dimension_texts(dim, "en")), dim.id


def test_french_speaks_as_francophone_producers_do(edition):
    for _, _, dim in edition.dimensions():
        fr = dimension_texts(dim, "fr")
        for calque in ("droit à payer", "sites vus", "canal de plainte", "district"):
            assert calque not in fr, (dim.id, calque)
        assert not re.search(r"\bPK\b", fr), dim.id
        if "WGAAP" in dim.question["fr"]:
            assert "Groupe de travail" in dim.question["fr"]
    assert "zone de production" in edition.notes["fr"]


def test_portuguese_keeps_to_the_european_norm(edition):
    assert "norma europeia" in edition.notes["pt"] and "Angola" in edition.notes["pt"]
    for _, _, dim in edition.dimensions():
        pt = dimension_texts(dim, "pt")
        for mixed in ("para indivíduos", "queixa", "distrito", "registro", "time ", "trabalhando"):
            assert mixed not in pt, (dim.id, mixed)


def test_the_two_rewritten_dimensions_give_the_cases_the_review_found_a_place(edition):
    licence = edition.dimension_index["WD1.2.1"]
    assert "fixed-fee card" in licence.statements.B["en"]
    plan = edition.dimension_index["WD7.1.2"]
    assert "without a budget line" in plan.statements.C["en"]
    children = edition.dimension_index["WD7.2.3"]
    assert (
        "working" in children.question["en"] and "not children present" in children.guidance["en"]
    )


def test_every_1_0_dimension_is_continued_and_every_continuation_is_real(edition):
    old = shipped()
    continued = Counter()
    for _, _, dim in edition.dimensions():
        if dim.continues is not None:
            assert dim.continues.edition == "wddf-1.0"
            assert dim.continues.dimension in old.dimension_index, dim.id
            continued[dim.continues.dimension] += 1
    assert set(continued) == set(old.dimension_index)
    kinds = Counter(
        d.continues.comparability.value for _, _, d in edition.dimensions() if d.continues
    )
    assert kinds["full"] > 40 and kinds["partial"] >= 5
