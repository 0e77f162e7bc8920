"""Structural checks that span the tree: ids, prefixes, languages, NA hints, the schema
version, continuity with earlier editions, and (from schema version 2) the wording rules:
defined quantifiers, and D statements that describe facts.

They walk the raw data rather than the validated model, so that they still report
what they can when the models have refused other parts of the same file.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from wddf.questionnaire.errors import Code, Problem
from wddf.questionnaire.schema import SCHEMA_VERSIONS

Path = tuple[str | int, ...]
# Edition id → its dimension ids: the editions a ``continues`` may name.
Known = Mapping[str, Collection[str]]

EDITION_TEXTS = ("title", "source_note", "notes")
GOAL_TEXTS = ("title", "description")
INDICATOR_TEXTS = ("title",)
DIMENSION_TEXTS = ("title", "question", "guidance", "na_hint")
STATEMENT_KEYS = ("A", "B", "C", "D")


def path_str(path: Path) -> str:
    """``('goals', 2, 'title', 'fr')`` → ``goals[2].title.fr``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _items(value: Any) -> list[tuple[int, dict]]:
    """The mapping entries of a list, with their positions; anything else yields nothing."""
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)]


def iter_nodes(data: dict) -> Iterator[tuple[str, Path, dict, str | None]]:
    """Every goal, indicator and dimension as (level, path, node, parent id)."""
    for gi, goal in _items(data.get("goals")):
        yield "goal", ("goals", gi), goal, None
        for ii, ind in _items(goal.get("indicators")):
            ipath: Path = ("goals", gi, "indicators", ii)
            yield "indicator", ipath, ind, goal.get("id")
            for di, dim in _items(ind.get("dimensions")):
                yield "dimension", (*ipath, "dimensions", di), dim, ind.get("id")


def iter_texts(data: dict) -> Iterator[tuple[Path, Any]]:
    """Every localised text of an edition, with its path."""
    for key in EDITION_TEXTS:
        if data.get(key) is not None:
            yield (key,), data[key]
    for qi, quantifier in _items(data.get("quantifiers")):
        for key in ("term", "meaning"):
            if key in quantifier:
                yield ("quantifiers", qi, key), quantifier[key]
    texts_by_level = {
        "goal": GOAL_TEXTS,
        "indicator": INDICATOR_TEXTS,
        "dimension": DIMENSION_TEXTS,
    }
    for level, path, node, _parent in iter_nodes(data):
        for key in texts_by_level[level]:
            if node.get(key) is not None:
                yield (*path, key), node[key]
        if level != "dimension":
            continue
        statements = node.get("statements")
        if isinstance(statements, dict):
            for key in STATEMENT_KEYS:
                if key in statements:
                    yield (*path, "statements", key), statements[key]
        evidence = node.get("evidence")
        if isinstance(evidence, list):
            for ei, item in enumerate(evidence):
                yield (*path, "evidence", ei), item


def check_ids(data: dict) -> list[Problem]:
    """Ids are unique across the tree and each extends its parent's id by ``.<number>``."""
    problems: list[Problem] = []
    first_seen: dict[str, str] = {}
    for level, path, node, parent in iter_nodes(data):
        node_id = node.get("id")
        if not isinstance(node_id, str):
            continue
        where = path_str((*path, "id"))
        if node_id in first_seen:
            problems.append(
                Problem(Code.DUPLICATE_ID, where, {"id": node_id, "first": first_seen[node_id]})
            )
        else:
            first_seen[node_id] = where
        prefix_ok = not isinstance(parent, str) or re.fullmatch(
            re.escape(parent) + r"\.\d+", node_id
        )
        if level != "goal" and not prefix_ok:
            problems.append(Problem(Code.ID_PREFIX, where, {"id": node_id, "parent": parent}))
    return problems


def check_languages(data: dict) -> list[Problem]:
    """Every text has every declared language, and no other."""
    languages = data.get("languages")
    if not isinstance(languages, list) or not languages:
        return []
    declared = [lang for lang in languages if isinstance(lang, str)]
    problems: list[Problem] = []
    for path, text in iter_texts(data):
        if not isinstance(text, dict):
            continue
        for lang in declared:
            if lang not in text:
                problems.append(Problem(Code.LANGUAGE_MISSING, path_str((*path, lang))))
        for lang in text:
            if lang not in declared:
                problems.append(
                    Problem(
                        Code.LANGUAGE_UNDECLARED,
                        path_str((*path, str(lang))),
                        {"lang": lang, "languages": ", ".join(declared)},
                    )
                )
    return problems


def check_dimensions(data: dict) -> list[Problem]:
    """NA hints, continuity and one-line evidence items."""
    problems: list[Problem] = []
    edition_id = data.get("id")
    for level, path, node, _parent in iter_nodes(data):
        if level != "dimension":
            continue
        if node.get("na_allowed") is True and not node.get("na_hint"):
            problems.append(Problem(Code.NA_HINT_MISSING, path_str((*path, "na_hint"))))
        if node.get("na_allowed") is not True and node.get("na_hint"):
            problems.append(Problem(Code.NA_HINT_UNUSED, path_str((*path, "na_hint"))))
        continues = node.get("continues")
        if isinstance(continues, dict) and continues.get("edition") == edition_id:
            problems.append(
                Problem(
                    Code.CONTINUES_ITSELF,
                    path_str((*path, "continues", "edition")),
                    {"edition": edition_id},
                )
            )
        for ei, item in _items(node.get("evidence")):
            for lang, text in item.items():
                if isinstance(text, str) and "\n" in text.strip():
                    problems.append(
                        Problem(Code.MULTILINE_ITEM, path_str((*path, "evidence", ei, lang)))
                    )
    return problems


PEFA_M2_MOST = 4  # PEFA's M2 conversion tables stop at four dimensions


def check_methods(data: dict) -> list[Problem]:
    """An averaging (M2) indicator has at most four dimensions: PEFA gives no table beyond."""
    problems: list[Problem] = []
    for level, path, node, _parent in iter_nodes(data):
        if level != "indicator" or node.get("method", "M2") != "M2":
            continue
        count = len(_items(node.get("dimensions")))
        if count > PEFA_M2_MOST:
            where = path_str((*path, "method"))
            params = {"indicator": node.get("id"), "count": count, "most": PEFA_M2_MOST}
            problems.append(Problem(Code.M2_BEYOND_TABLE, where, params))
    return problems


def check_translations(data: dict) -> list[Problem]:
    """Warn where a longer text is identical in two languages: likely untranslated."""
    problems: list[Problem] = []
    for path, text in iter_texts(data):
        if not isinstance(text, dict):
            continue
        by_value: dict[str, list[str]] = {}
        for lang, value in text.items():
            if isinstance(value, str) and len(value) > 40:
                by_value.setdefault(value.strip(), []).append(str(lang))
        for langs in by_value.values():
            if len(langs) > 1:
                problems.append(
                    Problem(
                        Code.SAME_TEXT_IN_LANGUAGES, path_str(path), {"languages": ", ".join(langs)}
                    )
                )
    return problems


# Words of proportion that a statement may use only with a meaning the edition defines.
PROPORTION_WORDS = {
    "en": ("most", "majority", "some", "many", "few", "several", "main", "major", "minority"),
    "fr": ("la plupart", "majorité", "certains", "certaines", "quelques", "plusieurs",
           "nombreux", "nombreuses", "principal", "principale", "principaux", "principales",
           "minorité"),
    "pt": ("a maior parte", "maior parte", "maioria", "alguns", "algumas", "vários", "várias",
           "muitos", "muitas", "poucos", "poucas", "principal", "principais", "minoria"),
}  # fmt: skip
# What a D statement must not say: missing information is graded D*, never D.
NOT_KNOWN_WORDS = {
    "en": ("not known", "unknown", "no information", "no data", "cannot be established"),
    "fr": ("inconnu", "pas connu", "non connu", "aucune information", "aucune donnée",
           "pas d'information", "pas de données"),
    "pt": ("desconhecid", "não se sabe", "não é conhecid", "nenhuma informação",
           "sem informação", "sem dados", "não há dados"),
}  # fmt: skip


def _pattern(words: Collection[str], whole: bool) -> re.Pattern[str]:
    """One case-blind pattern for ``words``: whole words, or (``whole=False``) word starts."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    end = r"(?!\w)" if whole else ""
    return re.compile(rf"(?<!\w)({alternatives}){end}", re.IGNORECASE)


PROPORTION_PATTERNS = {lang: _pattern(words, True) for lang, words in PROPORTION_WORDS.items()}
NOT_KNOWN_PATTERNS = {lang: _pattern(words, False) for lang, words in NOT_KNOWN_WORDS.items()}


def _found(patterns: dict[str, re.Pattern[str]], lang: str, text: str) -> list[str]:
    """The words of ``patterns[lang]`` that ``text`` contains, lower-cased, each once."""
    pattern = patterns.get(lang)
    found = pattern.findall(text) if pattern is not None else []
    return list(dict.fromkeys(word.lower() for word in found))


def check_schema_version(data: dict) -> list[Problem]:
    """The schema version is one this tool reads."""
    version = data.get("schema_version")
    if version is None or str(version) in SCHEMA_VERSIONS:
        return []
    params = {"value": str(version), "known": ", ".join(SCHEMA_VERSIONS)}
    return [Problem(Code.SCHEMA_VERSION_UNKNOWN, "schema_version", params)]


def check_continuity(data: dict, known: Known | None) -> list[Problem]:
    """A ``continues`` names a dimension its edition has; an edition not known here is warned
    about (nothing to check against). Without ``known``, nothing is checked."""
    if known is None:
        return []
    problems: list[Problem] = []
    for level, path, node, _parent in iter_nodes(data):
        continues = node.get("continues") if level == "dimension" else None
        if not isinstance(continues, dict) or continues.get("edition") == data.get("id"):
            continue
        edition, dimension = continues.get("edition"), continues.get("dimension")
        params = {"edition": edition, "dimension": dimension}
        if edition not in known:
            where = path_str((*path, "continues", "edition"))
            problems.append(Problem(Code.CONTINUES_UNKNOWN_EDITION, where, params))
        elif dimension not in known[edition]:
            where = path_str((*path, "continues", "dimension"))
            problems.append(Problem(Code.CONTINUES_UNKNOWN_DIMENSION, where, params))
    return problems


def _defined_terms(data: dict) -> dict[str, set[str]]:
    """The quantifier forms the edition defines, lower-cased, by language."""
    terms: dict[str, set[str]] = {}
    for _qi, quantifier in _items(data.get("quantifiers")):
        term = quantifier.get("term")
        for lang, text in term.items() if isinstance(term, dict) else []:
            if isinstance(text, str):
                forms = {f.strip().lower() for f in text.split("/") if f.strip()}
                terms.setdefault(str(lang), set()).update(forms)
    return terms


def check_wording(data: dict) -> list[Problem]:
    """From schema version 2: every word of proportion in a dimension's texts is one the
    edition's quantifiers define, and no D statement describes missing information."""
    if str(data.get("schema_version")) in ("1", "None"):
        return []
    defined = _defined_terms(data)
    problems: list[Problem] = []
    for path, text in iter_texts(data):
        if not isinstance(text, dict) or "goals" not in path[:1]:
            continue
        is_d = path[-2:] == ("statements", "D")
        for lang, value in text.items():
            if not isinstance(value, str):
                continue
            where = path_str((*path, str(lang)))
            terms = defined.get(str(lang), set())
            for word in _found(PROPORTION_PATTERNS, str(lang), value):
                if not any(word in term or term in word for term in terms):
                    params = {"word": word, "defined": ", ".join(sorted(terms)) or "—"}
                    problems.append(Problem(Code.UNDEFINED_QUANTIFIER, where, params))
            for word in _found(NOT_KNOWN_PATTERNS, str(lang), value) if is_d else []:
                problems.append(Problem(Code.D_STATEMENT_NOT_KNOWN, where, {"word": word}))
    return problems


def check_structure(data: dict, known: Known | None = None) -> list[Problem]:
    """All structural checks, errors and warnings together; ``known`` (edition id → dimension
    ids) lets a ``continues`` be checked against the edition it names."""
    return (
        check_schema_version(data)
        + check_ids(data)
        + check_languages(data)
        + check_dimensions(data)
        + check_methods(data)
        + check_continuity(data, known)
        + check_translations(data)
        + check_wording(data)
    )
