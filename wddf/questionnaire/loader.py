"""Load and validate an edition from YAML text, a file path or plain data.

``load_questionnaire`` does no I/O beyond reading the source it is given and never
raises on bad input: it returns a :class:`LoadResult` whose ``errors`` name every
problem with its location, and whose ``edition`` is ``None`` unless there are none.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from wddf.questionnaire.checks import Known, check_structure, path_str
from wddf.questionnaire.errors import Code, Problem
from wddf.questionnaire.schema import Edition

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# libyaml's emitter writes the same text as the pure-Python one for an edition, ten times faster
SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

PYDANTIC_CODES = {
    "missing": Code.MISSING,
    "extra_forbidden": Code.UNKNOWN_KEY,
    "greater_than_equal": Code.NEGATIVE_WEIGHT,
    "too_short": Code.EMPTY_LIST,
    "string_too_short": Code.MISSING,
    "string_pattern_mismatch": Code.BAD_FORMAT,
    "enum": Code.BAD_CHOICE,
}


@dataclass
class LoadResult:
    """What loading produced: the edition when valid, and every problem found."""

    edition: Edition | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the edition loaded with no error (warnings are allowed)."""
        return self.edition is not None and not self.errors

    def report(self, lang: str = "en") -> str:
        """Every error, then every warning, one per line."""
        return "\n".join(p.format(lang) for p in [*self.errors, *self.warnings])


def _line_map(node: yaml.Node, path: tuple = (), out: dict | None = None) -> dict:
    """Map each YAML path to its 1-based line; record keys given twice."""
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            if (*path, key) in out and path_str((*path, key)) not in out.setdefault("__dups__", {}):
                first = out[(*path, key)]
                out["__dups__"][path_str((*path, key))] = (key_node.start_mark.line + 1, first)
            out[(*path, key)] = key_node.start_mark.line + 1
            _line_map(value_node, (*path, key), out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, (*path, index), out)
    return out


# Bounds of an edition's YAML, far above any real one (wddf-1.1: 0.3 MB, 8,067 values, 10
# levels): an upload beyond them is refused before anything is built from it.
MAX_YAML_CHARS = 2_000_000
MAX_YAML_VALUES = 100_000
MAX_YAML_DEPTH = 30
TOO_BIG = Problem(
    Code.YAML_TOO_BIG, "", {"limit_values": MAX_YAML_VALUES, "limit_depth": MAX_YAML_DEPTH}
)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _within_bounds(root: yaml.Node) -> bool:
    """Whether the composed document, once its aliases are expanded, holds at most
    ``MAX_YAML_VALUES`` values and ``MAX_YAML_DEPTH`` levels. Worked out on the node graph
    (each shared node once, without expanding it), so an alias bomb costs nothing to refuse."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in size:
            continue
        children = _children(node)
        if not children_done:
            if key in open_nodes:  # a node inside itself: endless once expanded
                return False
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in size)
            continue
        open_nodes.discard(key)
        size[key] = 1 + sum(size[id(child)] for child in children)
        depth[key] = 1 + max((depth[id(child)] for child in children), default=0)
        if size[key] > MAX_YAML_VALUES or depth[key] > MAX_YAML_DEPTH:
            return False
    return True


def parse_yaml(text: str) -> tuple[Any, dict, list[Problem]]:
    """Parse YAML into data, a path→line map and duplicate-key problems; a text beyond an
    edition's bounds is refused before anything is built from it. Every uploaded YAML the tool
    reads (editions, continuity revisions) is parsed here."""
    if len(text) > MAX_YAML_CHARS:
        return None, {}, [Problem(Code.YAML_TOO_LONG, "", {"limit_mb": MAX_YAML_CHARS // 10**6})]
    loader = SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is not None and not _within_bounds(root):
            return None, {}, [TOO_BIG]
        data = loader.construct_document(root) if root is not None else None
    except RecursionError:
        return None, {}, [TOO_BIG]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        detail = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 1 if mark is not None else None
        return None, {}, [Problem(Code.YAML_SYNTAX, "", {"detail": detail}, line)]
    finally:
        loader.dispose()
    lines = _line_map(root) if root is not None else {}
    dups = [
        Problem(Code.DUPLICATE_KEY, where, {"first_line": first}, line)
        for where, (line, first) in lines.pop("__dups__", {}).items()
    ]
    return data, lines, dups


def _model_fields_at(loc: tuple) -> list[str]:
    """The field names allowed at the parent of ``loc``, for "did you mean" hints."""
    model: type[BaseModel] | None = Edition
    for part in loc[:-1]:
        if isinstance(part, int) or model is None:
            continue
        annotation = model.model_fields.get(part)
        model = None
        if annotation is not None:
            for candidate in _models_in(annotation.annotation):
                model = candidate
    return list(model.model_fields) if model is not None else []


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models mentioned in a type annotation (list[Goal] → [Goal])."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models_in(arg)]


def _from_validation_error(exc: ValidationError) -> list[Problem]:
    """Turn pydantic's errors into catalogue problems with YAML paths."""
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        code = PYDANTIC_CODES.get(err["type"], Code.INVALID_VALUE)
        params: dict[str, Any] = {"detail": err["msg"], "value": err.get("input")}
        ctx = err.get("ctx") or {}
        params["expected"] = ctx.get("pattern") or ctx.get("expected") or ""
        if code is Code.UNKNOWN_KEY:
            close = difflib.get_close_matches(str(loc[-1]), _model_fields_at(loc), n=1)
            params["suggestion"] = close[0] if close else ""
        problems.append(Problem(code, path_str(loc), params))
    return problems


def _read_source(source: str | bytes | Path | dict) -> tuple[Any, dict, list[Problem]]:
    if isinstance(source, dict):
        return source, {}, []
    if isinstance(source, Path):
        source = source.read_bytes()
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return (
                None,
                {},
                [Problem(Code.YAML_SYNTAX, "", {"detail": f"not UTF-8 ({exc.reason})"})],
            )
    return parse_yaml(source)


def _locate(problem: Problem, lines: dict) -> Problem:
    """Attach the YAML line of the problem's path, or of its nearest known ancestor."""
    where = problem.location
    while problem.line is None and where:
        if where in lines:
            return replace(problem, line=lines[where])
        cut = max(where.rfind("."), where.rfind("["))
        where = where[:cut] if cut > 0 else ""
    return problem


def validate_data(data: Any, known: Known | None = None) -> tuple[Edition | None, list[Problem]]:
    """Validate already-parsed data: the models, then the structural checks (``known``: the
    editions a ``continues`` may name, id → dimension ids)."""
    if not isinstance(data, dict):
        return None, [Problem(Code.NOT_A_MAPPING, "")]
    problems = check_structure(data, known)
    edition = None
    try:
        edition = Edition.model_validate(data)
    except ValidationError as exc:
        problems = _from_validation_error(exc) + problems
    return edition, problems


def load_questionnaire(source: str | bytes | Path | dict, known: Known | None = None) -> LoadResult:
    """Load an edition from YAML text or bytes, a ``Path``, or a dict; never raises on bad input.
    With ``known`` (edition id → dimension ids), each ``continues`` is checked against it."""
    data, lines, problems = _read_source(source)
    edition = None
    unread = (Code.YAML_SYNTAX, Code.YAML_TOO_LONG, Code.YAML_TOO_BIG)
    if not any(p.code in unread for p in problems):
        edition, found = validate_data(data, known)
        problems += found
    by_location = {path_str(path): line for path, line in lines.items()}
    problems = [_locate(p, by_location) for p in problems]
    errors = [p for p in problems if not p.is_warning]
    warnings = [p for p in problems if p.is_warning]
    return LoadResult(edition if not errors else None, errors, warnings)


def dump_edition(edition: Edition) -> str:
    """The edition as YAML text that :func:`load_questionnaire` reads back to an equal edition."""
    data = edition.model_dump(mode="json", exclude_none=True)
    return yaml.dump(data, Dumper=SafeDumper, allow_unicode=True, sort_keys=False, width=100)
