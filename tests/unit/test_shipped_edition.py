"""The shipped edition is valid, complete in three languages and covers the Declaration."""

from __future__ import annotations

import json
from collections import Counter

from tests.conftest import ROOT, SHIPPED
from wddf.questionnaire import edition_json_schema, load_questionnaire, structure_table

# Each theme of "What the Declaration's goals cover", with words that must appear in the
# English text of some dimension (question, statements or guidance) of the shipped edition.
THEMES = {
    "legal recognition": ["recognise artisanal"],
    "licensing of diggers and cooperatives": ["licence", "cooperative"],
    "traders, collectors and buying offices": ["collectors", "buying"],
    "land rights and customary tenure": ["customary"],
    "mining and land law in harmony": ["land law"],
    "artisanal zones and claim registry": ["artisanal zone", "claim registry"],
    "conflicts with communities and large-scale operators": ["large-scale"],
    "production recorded and chain of custody": ["recorded at the site", "each buyer"],
    "registers and reconciliation with exports": ["register", "reconcil"],
    "statistics and KP reporting": ["KP"],
    "smuggling deterred, agents with means": ["smuggling", "mining agents"],
    "price information and valuation": ["reference prices", "value rough diamonds"],
    "access to legal buyers": ["licensed buying points"],
    "fiscal regime": ["tax"],
    "transparent revenues": ["revenues"],
    "finance, equipment, extension": ["credit", "equipment", "extension"],
    "health and safety": ["safety"],
    "child labour": ["children"],
    "security forces": ["security forces"],
    "grievance mechanisms": ["grievance"],
    "women's participation": ["women"],
    "environment and rehabilitation": ["rehabilitat", "fund"],
    "productive reuse of land": ["fish"],
    "complementary livelihoods and community share": ["livelihood", "community share"],
    "unit, coordination, multi-stakeholder forum": ["unit", "ministries", "civil society"],
    "capacity, donors, regional cooperation, WGAAP": ["capacity", "donor", "neighbour", "WGAAP"],
}


def test_shipped_edition_loads_without_error_or_warning():
    result = load_questionnaire(SHIPPED)
    assert result.ok, result.report()
    assert result.warnings == [], result.report()


def test_shipped_edition_is_large_enough(shipped_edition):
    table = structure_table(shipped_edition)
    assert len(shipped_edition.goals) >= 8
    assert table["indicator_id"].nunique() >= 20
    assert len(table) >= 60
    assert table.groupby("indicator_id").size().between(2, 4).all()


def test_every_goal_mixes_law_policy_and_practice(shipped_edition):
    layers = structure_table(shipped_edition).groupby("goal_id")["layer"].agg(set)
    assert all(found == {"law", "policy", "practice"} for found in layers), layers


def test_every_text_is_in_english_french_and_portuguese(shipped_edition):
    assert shipped_edition.languages == ["en", "fr", "pt"]
    for _, _, dim in shipped_edition.dimensions():
        texts = [dim.title, dim.question, dim.guidance, *dim.evidence]
        texts += [getattr(dim.statements, k) for k in "ABCD"]
        for text in texts:
            assert set(text) == {"en", "fr", "pt"} and all(v.strip() for v in text.values())
            assert len(set(text.values())) == 3, f"{dim.id}: a text is not translated: {text}"


def test_na_is_allowed_only_with_a_hint(shipped_edition):
    allowed = [d for _, _, d in shipped_edition.dimensions() if d.na_allowed]
    assert allowed and all(d.na_hint for d in allowed)


def test_statements_are_distinct_within_each_dimension(shipped_edition):
    for _, _, dim in shipped_edition.dimensions():
        english = [getattr(dim.statements, k)["en"] for k in "ABCD"]
        assert len(set(english)) == 4, dim.id


def test_b_and_c_can_be_told_apart(shipped_edition):
    """Either B and C are thresholds of a figure, or the guidance says what separates them."""
    for _, _, dim in shipped_edition.dimensions():
        b_and_c = dim.statements.B["en"] + dim.statements.C["en"]
        thresholds = any(ch.isdigit() for ch in b_and_c)
        assert thresholds or "differ" in dim.guidance["en"], dim.id


def test_every_theme_of_the_declaration_is_covered(shipped_edition):
    corpus = " ".join(
        " ".join(
            [d.question["en"], d.guidance["en"], *(getattr(d.statements, k)["en"] for k in "ABCD")]
        )
        for _, _, d in shipped_edition.dimensions()
    ).lower()
    missing = {
        theme: [w for w in words if w.lower() not in corpus] for theme, words in THEMES.items()
    }
    assert not {k: v for k, v in missing.items() if v}


def test_source_note_says_it_is_not_the_official_text(shipped_edition):
    assert "not the official 2013" in shipped_edition.source_note["en"]
    assert "pas le texte officiel" in shipped_edition.source_note["fr"]
    assert "não é o texto oficial" in shipped_edition.source_note["pt"].lower()


def test_file_name_carries_the_version(shipped_edition):
    assert SHIPPED.name == f"wddf-{shipped_edition.version}.yaml"


def test_committed_json_schema_is_fresh():
    committed = json.loads((ROOT / "questionnaires" / "edition.schema.json").read_text("utf-8"))
    assert committed == edition_json_schema(), (
        "questionnaires/edition.schema.json is stale: run `python -m wddf questionnaire schema`"
    )


def test_weights_default_to_one(shipped_edition):
    table = structure_table(shipped_edition)
    weights = Counter(
        table[["dimension_weight", "indicator_weight", "goal_weight"]].to_numpy().ravel()
    )
    assert weights == Counter({1.0: 3 * len(table)})
