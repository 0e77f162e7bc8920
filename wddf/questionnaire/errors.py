"""The catalogue of questionnaire problems: every error and warning has a code and a place.

Messages exist in every UI language. A problem is formatted as
``<location>: <message>``, e.g. ``goals[2].indicators[0].dimensions[3].statements.C.fr: missing``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


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
    SAME_TEXT_IN_LANGUAGES = "W001"
    NA_HINT_UNUSED = "W002"
    CONTINUES_UNKNOWN_EDITION = "W003"
    UNDEFINED_QUANTIFIER = "W004"
    D_STATEMENT_NOT_KNOWN = "W005"


MESSAGES: dict[Code, dict[str, str]] = {
    Code.YAML_SYNTAX: {
        "en": "the YAML cannot be read: {detail}",
        "fr": "le YAML est illisible : {detail}",
        "pt": "o YAML não pode ser lido: {detail}",
    },
    Code.NOT_A_MAPPING: {
        "en": "an edition must be a mapping of keys to values",
        "fr": "une édition doit être un dictionnaire de clés et de valeurs",
        "pt": "uma edição deve ser um mapeamento de chaves e valores",
    },
    Code.MISSING: {"en": "missing", "fr": "manquant", "pt": "em falta"},
    Code.UNKNOWN_KEY: {
        "en": "unknown key{suggestion}",
        "fr": "clé inconnue{suggestion}",
        "pt": "chave desconhecida{suggestion}",
    },
    Code.DUPLICATE_KEY: {
        "en": "key given twice (first on line {first_line})",
        "fr": "clé donnée deux fois (première fois ligne {first_line})",
        "pt": "chave repetida (primeira vez na linha {first_line})",
    },
    Code.INVALID_VALUE: {
        "en": "invalid value: {detail}",
        "fr": "valeur non valide : {detail}",
        "pt": "valor inválido: {detail}",
    },
    Code.BAD_FORMAT: {
        "en": "{value!r} does not have the expected form {expected}",
        "fr": "{value!r} n'a pas la forme attendue {expected}",
        "pt": "{value!r} não tem a forma esperada {expected}",
    },
    Code.BAD_CHOICE: {
        "en": "{value!r} is not one of {expected}",
        "fr": "{value!r} ne fait pas partie de {expected}",
        "pt": "{value!r} não é um de {expected}",
    },
    Code.NEGATIVE_WEIGHT: {
        "en": "a weight must be 0 or more, not {value}",
        "fr": "un poids doit être supérieur ou égal à 0, et non {value}",
        "pt": "um peso deve ser 0 ou mais, não {value}",
    },
    Code.EMPTY_LIST: {
        "en": "at least one entry is needed",
        "fr": "il faut au moins un élément",
        "pt": "é necessário pelo menos um elemento",
    },
    Code.DUPLICATE_ID: {
        "en": "id {id} is used twice (first at {first})",
        "fr": "l'identifiant {id} est utilisé deux fois (d'abord à {first})",
        "pt": "o identificador {id} é usado duas vezes (primeiro em {first})",
    },
    Code.ID_PREFIX: {
        "en": "id {id} must be {parent} followed by .<number>",
        "fr": "l'identifiant {id} doit être {parent} suivi de .<numéro>",
        "pt": "o identificador {id} deve ser {parent} seguido de .<número>",
    },
    Code.LANGUAGE_MISSING: {"en": "missing", "fr": "manquant", "pt": "em falta"},
    Code.LANGUAGE_UNDECLARED: {
        "en": "language {lang} is not among the edition's languages {languages}",
        "fr": "la langue {lang} ne fait pas partie des langues de l'édition {languages}",
        "pt": "a língua {lang} não está entre as línguas da edição {languages}",
    },
    Code.NA_HINT_MISSING: {
        "en": "na_allowed is true, so say when NA is legitimate in na_hint",
        "fr": "na_allowed est vrai : indiquez dans na_hint quand NA est légitime",
        "pt": "na_allowed é verdadeiro: indique em na_hint quando NA é legítimo",
    },
    Code.CONTINUES_ITSELF: {
        "en": "a dimension cannot continue its own edition {edition}",
        "fr": "une dimension ne peut pas prolonger sa propre édition {edition}",
        "pt": "uma dimensão não pode dar continuidade à sua própria edição {edition}",
    },
    Code.SCHEMA_VERSION_UNKNOWN: {
        "en": "schema_version {value!r} is not one this tool reads ({known})",
        "fr": "schema_version {value!r} n'est pas une version que cet outil sait lire ({known})",
        "pt": "schema_version {value!r} não é uma versão que esta ferramenta saiba ler ({known})",
    },
    Code.CONTINUES_UNKNOWN_DIMENSION: {
        "en": "edition {edition} has no dimension {dimension}",
        "fr": "l'édition {edition} n'a pas de dimension {dimension}",
        "pt": "a edição {edition} não tem a dimensão {dimension}",
    },
    Code.CONTINUES_UNKNOWN_EDITION: {
        "en": "edition {edition} is not known here, so dimension {dimension} cannot be checked",
        "fr": "l'édition {edition} n'est pas connue ici : la dimension {dimension} ne peut pas "
        "être vérifiée",
        "pt": "a edição {edition} não é conhecida aqui: a dimensão {dimension} não pode ser "
        "verificada",
    },
    Code.UNDEFINED_QUANTIFIER: {
        "en": "{word!r} is a word of proportion the edition's quantifiers do not define "
        "(defined: {defined})",
        "fr": "{word!r} est un mot de proportion que les quantificateurs de l'édition ne "
        "définissent pas (définis : {defined})",
        "pt": "{word!r} é uma palavra de proporção que os quantificadores da edição não "
        "definem (definidos: {defined})",
    },
    Code.D_STATEMENT_NOT_KNOWN: {
        "en": "a D statement must describe a fact, not missing information ({word!r}): "
        "missing information is graded D*",
        "fr": "un énoncé D doit décrire un fait, non une information manquante ({word!r}) : "
        "l'information manquante est notée D*",
        "pt": "um enunciado D deve descrever um facto, não informação em falta ({word!r}): "
        "a informação em falta classifica-se D*",
    },
    Code.MULTILINE_ITEM: {
        "en": "an evidence item must fit on one line",
        "fr": "une source de preuve doit tenir sur une ligne",
        "pt": "uma fonte de evidência deve caber numa linha",
    },
    Code.WORKBOOK_UNREADABLE: {
        "en": "not a readable .xlsx workbook: {detail}",
        "fr": "classeur .xlsx illisible : {detail}",
        "pt": "livro .xlsx ilegível: {detail}",
    },
    Code.SHEET_MISSING: {
        "en": "sheet {sheet} is missing",
        "fr": "la feuille {sheet} est absente",
        "pt": "a folha {sheet} está em falta",
    },
    Code.COLUMN_MISSING: {
        "en": "column {column} is missing from the header row",
        "fr": "la colonne {column} manque dans la ligne d'en-tête",
        "pt": "a coluna {column} falta na linha de cabeçalho",
    },
    Code.ROW_ORPHAN: {
        "en": "parent {parent} is not defined on sheet {sheet}",
        "fr": "le parent {parent} n'est pas défini dans la feuille {sheet}",
        "pt": "o pai {parent} não está definido na folha {sheet}",
    },
    Code.SAME_TEXT_IN_LANGUAGES: {
        "en": "the same text in {languages}: is a translation missing?",
        "fr": "le même texte en {languages} : manque-t-il une traduction ?",
        "pt": "o mesmo texto em {languages}: falta uma tradução?",
    },
    Code.NA_HINT_UNUSED: {
        "en": "na_hint is given but na_allowed is false",
        "fr": "na_hint est donné mais na_allowed est faux",
        "pt": "na_hint é dado mas na_allowed é falso",
    },
}

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

    @property
    def is_warning(self) -> bool:
        """Warnings start with W; they do not stop an edition from loading."""
        return self.code.value.startswith("W")

    def message(self, lang: str = "en") -> str:
        """The message alone, in ``lang`` (English if that language has none)."""
        templates = MESSAGES[self.code]
        params = dict(self.params)
        if "suggestion" in params:
            hint = params["suggestion"]
            params["suggestion"] = (
                SUGGESTION.get(lang, SUGGESTION["en"]).format(hint) if hint else ""
            )
        return templates.get(lang, templates["en"]).format(**params)

    def format(self, lang: str = "en") -> str:
        """``location (line N): message`` with the code, ready for stderr or the UI."""
        where = self.location or "<edition>"
        if self.line is not None:
            where += f" ({LINE.get(lang, LINE['en']).format(self.line)})"
        return f"{where}: {self.message(lang)} [{self.code.value}]"
