"""Questionnaire editions: schema, loading with located errors, tables, Excel layout."""

from wddf.questionnaire.errors import Code, Problem
from wddf.questionnaire.loader import LoadResult, load_questionnaire
from wddf.questionnaire.schema import Edition, edition_json_schema
from wddf.questionnaire.structure import flat_table, structure_table

__all__ = [
    "Code",
    "Edition",
    "LoadResult",
    "Problem",
    "edition_json_schema",
    "flat_table",
    "load_questionnaire",
    "structure_table",
]
