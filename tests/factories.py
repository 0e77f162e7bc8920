"""Small editions written inline, so tests say exactly what they check."""

from __future__ import annotations

import copy
from typing import Any

LANGS = ["en", "fr", "pt"]


def text(label: str) -> dict[str, str]:
    """A localised text with a distinct value per language."""
    return {"en": f"{label} (en)", "fr": f"{label} (fr)", "pt": f"{label} (pt)"}


def dimension(dim_id: str, layer: str = "law", **extra: Any) -> dict[str, Any]:
    """A valid dimension."""
    return {
        "id": dim_id,
        "layer": layer,
        "title": text(f"title {dim_id}"),
        "question": text(f"question {dim_id}"),
        "statements": {key: text(f"statement {key} {dim_id}") for key in "ABCD"},
        "guidance": text(f"guidance {dim_id}"),
        "evidence": [text(f"evidence {dim_id}")],
        **extra,
    }


def tiny_edition(edition_id: str = "tiny-1") -> dict[str, Any]:
    """A valid edition: two goals, three indicators, six dimensions of mixed layers."""

    def indicator(ind_id: str, layers: list[str], method: str = "M2") -> dict[str, Any]:
        dims = [dimension(f"{ind_id}.{n}", layer) for n, layer in enumerate(layers, start=1)]
        return {
            "id": ind_id,
            "method": method,
            "title": text(f"indicator {ind_id}"),
            "dimensions": dims,
        }

    return {
        "id": edition_id,
        "version": "1",
        "schema_version": "1",
        "languages": list(LANGS),
        "title": text("tiny edition"),
        "source_note": text("written for tests"),
        "goals": [
            {
                "id": "WD1",
                "title": text("goal 1"),
                "description": text("goal 1 description"),
                "indicators": [
                    indicator("WD1.1", ["law", "policy"]),
                    indicator("WD1.2", ["practice", "practice"], method="M1"),
                ],
            },
            {
                "id": "WD2",
                "title": text("goal 2"),
                "description": text("goal 2 description"),
                "indicators": [indicator("WD2.1", ["law", "policy"])],
            },
        ],
    }


def edited(
    data: dict[str, Any], path: str, value: Any = ..., delete: bool = False
) -> dict[str, Any]:
    """A deep copy of ``data`` with the value at a dotted path (``goals.0.id``) set or deleted."""
    data = copy.deepcopy(data)
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    key: Any = int(last) if isinstance(node, list) else last
    if delete:
        del node[key]
    else:
        node[key] = value
    return data
