"""The README says what the code does: every setting with its default, every command."""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT
from wddf.cli import build_parser
from wddf.config import PROJECT_ROOT, Settings

README = (ROOT / "README.md").read_text("utf-8")
DESIGN = (ROOT / "DESIGN.md").read_text("utf-8")


def _table_rows(heading: str, text: str = README, level: str = "##") -> list[list[str]]:
    """The rows of the first table under the heading, as lists of cells."""
    section = text.split(f"{level} {heading}\n", 1)[1].split(f"\n{level} ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def _documented_default(name: str, default: object) -> str:
    """How the README writes a default: unset, a path from the project folder, or the value."""
    if default is None:
        return "unset"
    if name == "database_url":
        return "`./data/`"
    if isinstance(default, Path):
        return f"`./{default.relative_to(PROJECT_ROOT)}`"
    if isinstance(default, bool):
        return str(default).lower()
    return f"`{default}`"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme_with_its_default(name):
    variable = f"WDDF_{name.upper()}"
    rows = [row for row in _table_rows("Configuration") if f"`{variable}`" in row[0]]
    assert rows, f"{variable} is not in the README's configuration table"
    default = Settings.model_fields[name].default
    assert _documented_default(name, default) in rows[0][1], (variable, rows[0][1])


def _commands(parser: argparse.ArgumentParser, prefix: str = "") -> list[str]:
    """Every runnable command of the command tree, e.g. ``questionnaire validate``."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _commands(sub, f"{prefix}{name} ")
    return found or [prefix.strip()]


@pytest.mark.parametrize("command", _commands(build_parser()))
@pytest.mark.parametrize("where", ["README", "DESIGN"])
def test_every_command_is_in_the_command_tables(command, where):
    if where == "README":
        firsts = [row[0] for row in _table_rows("The command line")]
    else:
        firsts = [row[0] for row in _table_rows("Command line", DESIGN, "###")]
    words = command.split()
    leaf = words[-1]
    # rows of a group may leave out the group's name ("validate PATH" under "questionnaire")
    pattern = re.compile(rf"`({re.escape(command)}|{re.escape(leaf)})\b")
    assert any(pattern.search(cell) for cell in firsts), f"`{command}` is not in the {where}"


def test_secrets_are_never_printed():
    settings = Settings(cookie_secret="cookie-s3cret", oidc_client_secret="client-s3cret")
    shown = f"{settings!r} {settings} {settings.model_dump()}"
    assert "cookie-s3cret" not in shown and "client-s3cret" not in shown
    settings = Settings(
        auth="oidc",
        oidc_metadata_url="https://id.example.org/.well-known/openid-configuration",
        cookie_secret="cookie-s3cret",
        oidc_client_secret="client-s3cret",
    )
    given = settings.oidc_secrets()["auth"]
    assert (given["cookie_secret"], given["client_secret"]) == ("cookie-s3cret", "client-s3cret")


SCRIPTS = [ROOT / "app.py", *ROOT.glob("bin/*"), ROOT / ".ci" / "run"]
SOURCES = [
    p for d in ("wddf", "tests", "bench", "scoring", "exports") for p in (ROOT / d).rglob("*.py")
]


def test_every_variable_the_code_reads_is_in_the_readme():
    configuration = " ".join(row[0] for row in _table_rows("Configuration"))
    named = set()
    for path in [*SOURCES, *SCRIPTS]:
        named |= set(re.findall(r"\bWDDF_[A-Z][A-Z0-9_]*[A-Z0-9]\b", path.read_text("utf-8")))
    prefixes = {"WDDF_OIDC"}  # a family named in one row
    missing = sorted(v for v in named - prefixes if f"`{v}`" not in configuration)
    assert missing == []


def _module_level_caches() -> set[str]:
    """``module.name`` of every module-level cache: an ``Lru(...)`` assigned at the top of a
    module, or a function decorated with ``functools.cache``, ``lru_cache`` or a Streamlit
    cache."""
    found = set()
    for path in SOURCES:
        if path.parts[len(ROOT.parts)] in ("tests", "bench"):
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in tree.body:
            module = path.parent.name if path.stem == "__init__" else path.stem
            lru = isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
            if lru and getattr(node.value.func, "id", None) == "Lru":
                found |= {f"{module}.{t.id}" for t in node.targets}
            if isinstance(node, ast.FunctionDef):
                for decorator in node.decorator_list:
                    called = decorator.func if isinstance(decorator, ast.Call) else decorator
                    name = getattr(called, "id", None) or getattr(called, "attr", None)
                    if name in ("cache", "lru_cache", "cache_resource", "cache_data"):
                        found.add(f"{module}.{node.name}")
    return found


def test_design_lists_every_module_level_cache():
    rule = DESIGN.split("7. **Caches", 1)[1].split("\n8. ", 1)[0]
    listed = set(re.findall(r"`(\w+\.\w+)`", rule)) - {"functools.cache"}
    assert _module_level_caches() == listed


def test_the_data_packages_allowed_values_are_the_domains():
    from exports import datapackage
    from scoring.grades import INDICATOR_GRADES
    from wddf.domain import SECTOR_ITEMS, Confidence, Grade, Status

    rules = datapackage.CONSTRAINTS
    assert rules["answers"]["grade"]["enum"] == [g.value for g in Grade]
    assert rules["answers"]["confidence"]["enum"] == [c.value for c in Confidence]
    assert rules["assessments"]["status"]["enum"] == [s.value for s in Status]
    assert list(INDICATOR_GRADES) == datapackage.INDICATOR_GRADES
    assert rules["sector_data"]["item"]["enum"] == [item.key for item in SECTOR_ITEMS]


def test_every_picture_the_readme_shows_is_a_png_in_the_repository():
    pictures = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", README)
    assert len(pictures) >= 4
    for path in pictures:
        assert (ROOT / path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path
