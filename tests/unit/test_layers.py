"""The layers of DESIGN.md, read off the code: every import (inside functions and under
``TYPE_CHECKING`` too) runs down a floor or stays on its own, and no modules import each other
in a circle. ``bench/`` stands alone: it imports no test."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

PACKAGES = ("wddf", "scoring", "exports", "bench")
SERVICE_ROOMS = ("answers", "review", "process", "scores", "documents", "accounts")
# Floors, lowest first; a module may import its own floor and those below. The longest prefix
# of a module's name says its floor.
FLOORS = {
    "wddf": 1,  # the package itself: its version
    "scoring": 0,
    "exports": 0,
    "wddf.domain": 1,
    "wddf.config": 1,
    "wddf.i18n": 1,
    "wddf.textpolicy": 1,
    "wddf.problems": 1,
    "wddf.errors": 1,
    "wddf.reading": 1,
    "wddf.questionnaire": 2,
    "wddf.storage": 2,
    "wddf.services": 3,  # the hall: rooms import it, it imports no room
    **{f"wddf.services.{room}": 3.5 for room in SERVICE_ROOMS},
    "wddf.ui": 4,
    "wddf.cli": 4,
    "wddf.commands": 4,
    "wddf.__main__": 4,
    "wddf.testing": 4,
    "bench": 5,
}


def modules() -> dict[str, Path]:
    """Every module of ours, by dotted name."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imported(path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The modules of ours that ``path`` imports, anywhere in it."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # ``from package import module`` depends on that module; ``from module import name``
            # on the module
            names = [
                f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in known
                else node.module
                for alias in node.names
            ]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name:
                yield name


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: set(imported(path, known)) - {name} for name, path in known.items()}


def floor(module: str) -> float | None:
    prefixes = [p for p in FLOORS if module == p or module.startswith(p + ".")]
    return FLOORS[max(prefixes, key=len)] if prefixes else None


def test_every_module_has_a_floor():
    assert [m for m in modules() if floor(m) is None] == []


def test_services_are_in_the_hall_or_a_named_room():
    rooms = {p.name for p in (ROOT / "wddf" / "services").iterdir() if p.is_dir()}
    assert rooms - {"__pycache__"} == set(SERVICE_ROOMS)


def test_no_import_runs_up_a_floor():
    upward = [
        (module, target)
        for module, targets in graph().items()
        for target in targets
        if floor(target) > floor(module)
    ]
    assert upward == []


def test_no_modules_import_each_other_in_a_circle():
    edges = graph()
    circles, state = [], {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges.get(module, ())):
            if state.get(target) == "open":
                circles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_benchmarks_import_no_test():
    bench = [
        path.name
        for path in (ROOT / "bench").glob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom | ast.Import)
        and any(
            (getattr(node, "module", None) or alias.name).split(".")[0] == "tests"
            for alias in node.names
        )
    ]
    assert bench == []


def test_pages_and_their_components_read_plain_data_never_the_storage():
    """Pages show what services give them (``services.records.Record`` and other plain values);
    only the app's plumbing (``wddf/ui/*.py``: context, database, routes) holds the database."""
    edges = graph()
    reaching = sorted(
        (module, target)
        for module, targets in edges.items()
        if module.startswith(("wddf.ui.app_pages", "wddf.ui.components"))
        for target in targets
        if target.startswith("wddf.storage")
    )
    assert reaching == []
