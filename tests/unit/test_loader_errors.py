"""Broken editions are refused whole, each problem with its code and its place."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.factories import dimension, edited, text, tiny_edition
from wddf.questionnaire import Code, load_questionnaire

D0 = "goals.0.indicators.0.dimensions.0"
D0_LOC = "goals[0].indicators[0].dimensions[0]"

BROKEN = [
    pytest.param(
        edited(tiny_edition(), f"{D0}.statements.C.fr", delete=True),
        Code.LANGUAGE_MISSING,
        f"{D0_LOC}.statements.C.fr",
        id="statement-lang",
    ),
    pytest.param(
        edited(tiny_edition(), f"{D0}.statements.C", delete=True),
        Code.MISSING,
        f"{D0_LOC}.statements.C",
        id="three-statements",
    ),
    pytest.param(
        edited(tiny_edition(), f"{D0}.statements.E", text("fifth")),
        Code.UNKNOWN_KEY,
        f"{D0_LOC}.statements.E",
        id="five-statements",
    ),
    pytest.param(
        edited(tiny_edition(), f"{D0}.questoin", text("typo")),
        Code.UNKNOWN_KEY,
        f"{D0_LOC}.questoin",
        id="misspelled-key",
    ),
    pytest.param(
        edited(tiny_edition(), f"{D0}.id", "WD1.1.2"),
        Code.DUPLICATE_ID,
        "goals[0].indicators[0].dimensions[1].id",
        id="duplicate-id",
    ),
    pytest.param(
        edited(tiny_edition(), f"{D0}.id", "WD2.1.9"),
        Code.ID_PREFIX,
        f"{D0_LOC}.id",
        id="wrong-prefix",
    ),
    pytest.param(
        edited(tiny_edition(), "goals.1.id", "G2"),
        Code.BAD_FORMAT,
        "goals[1].id",
        id="goal-id-form",
    ),
    pytest.param(
        edited(tiny_edition(), f"{D0}.weight", -1),
        Code.NEGATIVE_WEIGHT,
        f"{D0_LOC}.weight",
        id="negative-weight",
    ),
    pytest.param(
        edited(tiny_edition(), "goals.0.indicators.0.dimensions", []),
        Code.EMPTY_LIST,
        "goals[0].indicators[0].dimensions",
        id="no-dimension",
    ),
    pytest.param(
        edited(tiny_edition(), f"{D0}.layer", "custom"),
        Code.BAD_CHOICE,
        f"{D0_LOC}.layer",
        id="unknown-layer",
    ),
    pytest.param(
        edited(tiny_edition(), "goals.0.indicators.0.method", "M3"),
        Code.BAD_CHOICE,
        "goals[0].indicators[0].method",
        id="unknown-method",
    ),
    pytest.param(
        edited(tiny_edition(), "goals.0.title.de", "Ziel"),
        Code.LANGUAGE_UNDECLARED,
        "goals[0].title.de",
        id="undeclared-language",
    ),
    pytest.param(
        edited(tiny_edition(), f"{D0}.guidance.pt", ""),
        Code.MISSING,
        f"{D0_LOC}.guidance.pt",
        id="empty-text",
    ),
    pytest.param(
        edited(tiny_edition(), f"{D0}.na_allowed", True),
        Code.NA_HINT_MISSING,
        f"{D0_LOC}.na_hint",
        id="na-without-hint",
    ),
    pytest.param(
        edited(
            tiny_edition(),
            f"{D0}.continues",
            {"edition": "tiny-1", "dimension": "WD1.1.1", "comparability": "full"},
        ),
        Code.CONTINUES_ITSELF,
        f"{D0_LOC}.continues.edition",
        id="continues-itself",
    ),
    pytest.param(
        edited(
            tiny_edition(),
            f"{D0}.continues",
            {"edition": "old", "dimension": "WD1.1.1", "comparability": "same"},
        ),
        Code.BAD_CHOICE,
        f"{D0_LOC}.continues.comparability",
        id="bad-comparability",
    ),
    pytest.param(
        edited(tiny_edition(), "source_note", delete=True),
        Code.MISSING,
        "source_note",
        id="no-source-note",
    ),
    pytest.param(["a", "list"], Code.NOT_A_MAPPING, "", id="not-a-mapping"),
    pytest.param(  # PEFA's M2 tables stop at four dimensions
        edited(
            tiny_edition(),
            "goals.0.indicators.0.dimensions",
            [dimension(f"WD1.1.{n}") for n in range(1, 6)],
        ),
        Code.M2_BEYOND_TABLE,
        "goals[0].indicators[0].method",
        id="m2-over-five-dimensions",
    ),
]


@pytest.mark.parametrize(("data", "code", "location"), BROKEN)
def test_broken_edition_is_refused_with_a_located_error(data, code, location):
    result = load_questionnaire(data) if isinstance(data, dict) else load_questionnaire(str(data))
    assert result.edition is None
    assert (code, location) in {(p.code, p.location) for p in result.errors}, result.report()


def test_tiny_edition_is_valid():
    result = load_questionnaire(tiny_edition())
    assert result.ok, result.report()
    assert [d.id for _, _, d in result.edition.dimensions()][:2] == ["WD1.1.1", "WD1.1.2"]


def test_every_problem_is_reported_not_only_the_first():
    data = edited(tiny_edition(), f"{D0}.statements.C.fr", delete=True)
    data = edited(data, "goals.1.indicators.0.dimensions.1.weight", -2)
    data = edited(data, "goals.0.indicators.1.dimensions.0.layer", "rules")
    codes = sorted(p.code.value for p in load_questionnaire(data).errors)
    assert codes == sorted([Code.LANGUAGE_MISSING, Code.NEGATIVE_WEIGHT, Code.BAD_CHOICE])


def test_misspelled_key_suggests_the_right_one():
    data = edited(tiny_edition(), f"{D0}.guidnace", text("typo"))
    [problem] = [p for p in load_questionnaire(data).errors if p.code is Code.UNKNOWN_KEY]
    assert "did you mean guidance?" in problem.format("en")
    assert "vouliez-vous dire guidance ?" in problem.format("fr")


def test_broken_yaml_names_its_line():
    result = load_questionnaire("id: x\ngoals:\n  - id: WD1\n    title: [unclosed\n")
    [problem] = result.errors
    assert problem.code is Code.YAML_SYNTAX
    assert problem.line is not None and problem.line >= 4
    assert f"line {problem.line}" in problem.format()


def test_errors_in_yaml_text_carry_the_line_of_their_place():
    yaml_text = "\n".join(
        [
            "id: tiny",
            "version: '1'",
            "schema_version: '1'",
            "languages: [en]",
            "title: {en: T}",
            "source_note: {en: S}",
            "goals:",
            "  - id: WD1",
            "    title: {en: G}",
            "    description: {en: D}",
            "    weight: -3",
            "    indicators: []",
        ]
    )
    errors = {p.location: p for p in load_questionnaire(yaml_text).errors}
    assert errors["goals[0].weight"].line == 11
    assert errors["goals[0].indicators"].line == 12


def test_a_key_given_twice_is_refused():
    result = load_questionnaire("id: a\nid: b\n")
    dup = [p for p in result.errors if p.code is Code.DUPLICATE_KEY]
    assert dup and dup[0].location == "id" and dup[0].line == 2


def test_identical_texts_across_languages_warn_but_load():
    same = "A long text that nobody translated into the other languages."
    data = edited(tiny_edition(), f"{D0}.guidance", {"en": same, "fr": same, "pt": "traduzido"})
    result = load_questionnaire(data)
    assert result.ok
    assert [(w.code, w.location) for w in result.warnings] == [
        (Code.SAME_TEXT_IN_LANGUAGES, f"{D0_LOC}.guidance")
    ]


def test_a_national_adaptation_may_continue_an_earlier_edition():
    data = tiny_edition("sle-2027")
    data["goals"][0]["indicators"][0]["dimensions"][0] = dimension(
        "WD1.1.1",
        continues={"edition": "wddf-1.0", "dimension": "WD1.1.1", "comparability": "partial"},
    )
    result = load_questionnaire(data)
    assert result.ok, result.report()
    dim = result.edition.goals[0].indicators[0].dimensions[0]
    assert (dim.continues.edition, dim.continues.comparability.value) == ("wddf-1.0", "partial")


def test_an_unknown_schema_version_is_refused_with_its_line_in_every_language():
    yaml_text = "id: tiny\nversion: '1'\nschema_version: '9'\nlanguages: [en]\n"
    result = load_questionnaire(yaml_text)
    problem = next(p for p in result.errors if p.code is Code.SCHEMA_VERSION_UNKNOWN)
    assert (problem.location, problem.line) == ("schema_version", 3)
    assert "'9' is not one this tool reads (1, 2)" in problem.format("en")
    assert "n'est pas une version que cet outil sait lire" in problem.format("fr")
    assert "não é uma versão que esta ferramenta saiba ler" in problem.format("pt")


def _continuing(dimension_id: str, edition: str = "wddf-1.0") -> dict:
    data = tiny_edition("sle-2027")
    data["goals"][0]["indicators"][0]["dimensions"][0] = dimension(
        "WD1.1.1",
        continues={"edition": edition, "dimension": dimension_id, "comparability": "full"},
    )
    return data


def test_a_continues_naming_a_dimension_its_edition_lacks_is_refused(shipped_edition):
    known = {"wddf-1.0": frozenset(shipped_edition.dimension_index)}
    assert load_questionnaire(_continuing("WD1.1.1"), known).ok
    result = load_questionnaire(_continuing("WD1.9.9"), known)
    assert not result.ok
    (problem,) = result.errors
    assert problem.code is Code.CONTINUES_UNKNOWN_DIMENSION
    assert problem.location == f"{D0_LOC}.continues.dimension"
    assert "edition wddf-1.0 has no dimension WD1.9.9" in problem.format("en")
    assert "l'édition wddf-1.0 n'a pas de dimension WD1.9.9" in problem.format("fr")


def test_a_continues_naming_an_edition_not_known_here_is_warned_about(shipped_edition):
    known = {"wddf-1.0": frozenset(shipped_edition.dimension_index)}
    result = load_questionnaire(_continuing("WD1.1.1", "wddf-0.9"), known)
    assert result.ok
    assert [(w.code, w.location) for w in result.warnings] == [
        (Code.CONTINUES_UNKNOWN_EDITION, f"{D0_LOC}.continues.edition")
    ]


def _schema_2(**texts: dict) -> dict:
    data = tiny_edition()
    data["schema_version"] = "2"
    data["quantifiers"] = [
        {
            "term": {"en": "most", "fr": "la plupart", "pt": "a maior parte"},
            "meaning": {"en": "75 % or more", "fr": "75 % ou plus", "pt": "75 % ou mais"},
        }
    ]
    for path, value in texts.items():
        data = edited(data, f"{D0}.{path.replace('__', '.')}", value)
    return data


def test_quantifiers_the_edition_does_not_define_are_warned_about_where_they_are():
    assert load_questionnaire(_schema_2()).warnings == []
    defined = {
        "en": "Most sites keep records.",
        "fr": "La plupart des sites.",
        "pt": "A maior parte.",
    }
    assert load_questionnaire(_schema_2(statements__B=defined)).warnings == []
    vague = {"en": "Many sites keep records.", "fr": "Plusieurs sites.", "pt": "Vários locais."}
    result = load_questionnaire(_schema_2(statements__B=vague))
    assert result.ok
    found = {(w.code, w.location, w.params["word"]) for w in result.warnings}
    assert found == {
        (Code.UNDEFINED_QUANTIFIER, f"{D0_LOC}.statements.B.en", "many"),
        (Code.UNDEFINED_QUANTIFIER, f"{D0_LOC}.statements.B.fr", "plusieurs"),
        (Code.UNDEFINED_QUANTIFIER, f"{D0_LOC}.statements.B.pt", "vários"),
    }
    assert "(defined: most)" in result.warnings[0].format("en")


def test_a_d_statement_that_describes_missing_information_is_warned_about():
    folded = {
        "en": "Nothing is recorded, or the figure is not known.",
        "fr": "Rien n'est enregistré, ou le chiffre est inconnu.",
        "pt": "Nada é registado, ou o valor é desconhecido.",
    }
    result = load_questionnaire(_schema_2(statements__D=folded))
    assert {(w.code, w.location) for w in result.warnings} == {
        (Code.D_STATEMENT_NOT_KNOWN, f"{D0_LOC}.statements.D.{lang}") for lang in ("en", "fr", "pt")
    }
    assert "missing information is graded D*" in result.warnings[0].format("en")
    # the same words outside a D statement, or in a schema 1 edition, are not this problem
    assert load_questionnaire(_schema_2(statements__C=folded)).warnings == []
    assert load_questionnaire(edited(tiny_edition(), f"{D0}.statements.D", folded)).warnings == []


def test_an_edition_is_written_as_the_same_text_by_either_yaml_emitter():
    """Stored texts are checksummed: the fast emitter must write what the plain one writes."""
    import yaml

    from tests.conftest import shipped_editions
    from wddf.questionnaire.loader import dump_edition

    for edition in shipped_editions().values():
        data = edition.model_dump(mode="json", exclude_none=True)
        plain = yaml.dump(data, allow_unicode=True, sort_keys=False, width=100)
        assert dump_edition(edition) == plain


def _alias_bomb(levels: int) -> str:
    """The "billion laughs": each level a list of nine aliases of the one before."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels + 1):
        lines.append(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]")
    return "\n".join(lines)


HOSTILE_YAML = [
    pytest.param(_alias_bomb(9), Code.YAML_TOO_BIG, id="alias-bomb"),
    pytest.param("a: &a [*a, *a]", Code.YAML_TOO_BIG, id="alias-in-itself"),
    pytest.param("\n".join(f"k{i}: {i}" for i in range(300_000)), Code.YAML_TOO_LONG, id="long"),
    pytest.param("\n".join(f"k{i}: {i}" for i in range(101_000)), Code.YAML_TOO_BIG, id="wide"),
    pytest.param("a: " + "[" * 60 + "]" * 60, Code.YAML_TOO_BIG, id="deep"),
    pytest.param("a: " + "[" * 1000 + "]" * 1000, None, id="deeper"),
]


@pytest.mark.parametrize(("text", "code"), HOSTILE_YAML)
def test_a_hostile_yaml_is_refused_before_anything_is_built_from_it(text, code):
    """Each is refused with a located, translated problem, never a traceback; the alias bomb
    and the wide file would otherwise take minutes."""
    result = load_questionnaire(text)
    assert result.edition is None and len(result.errors) == 1
    [problem] = result.errors
    if code is not None:
        assert problem.code is code
    assert problem.format("fr")  # said in the reader's language


def test_an_edition_workbook_that_inflates_too_far_is_refused_before_parsing():
    from wddf.questionnaire.excel_reader import read_edition_workbook

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t>x</t></si>" * 3_000_000)
    result = read_edition_workbook(out.getvalue())
    assert result.edition is None
    [problem] = result.errors
    assert problem.code is Code.WORKBOOK_UNREADABLE and "zip_bomb" in problem.format("en")
