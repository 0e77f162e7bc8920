"""Score results cut per assessment, by the key columns the caller scored them with.

Pure pandas, no I/O, no charts: every figure a page draws comes from ``scoring/``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.engine import ScoreResult


def one(result: ScoreResult, *key: object) -> ScoreResult:
    """The part of ``result`` that belongs to one assessment, named by the values of its key
    columns (``result.keys``)."""

    def pick(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        if frame is None:
            return None
        chosen = np.ones(len(frame), dtype=bool)
        for name, value in zip(result.keys, key, strict=True):
            chosen &= frame[name].astype(object).eq(value).to_numpy()
        return frame[chosen].reset_index(drop=True)

    return ScoreResult(
        dimensions=pick(result.dimensions),
        indicators=pick(result.indicators),
        goals=pick(result.goals),
        overall=pick(result.overall),
        layers=pick(result.layers),
        recipe=result.recipe,
        keys=result.keys,
    )


def split(result: ScoreResult) -> dict[tuple, ScoreResult]:
    """``result`` cut into one score result per assessment, by the tuple of its key values:
    ``one`` for each, in one pass over each level instead of one per assessment."""
    names = ("dimensions", "indicators", "goals", "overall", "layers")
    keys = list(result.keys)
    grouped = {}
    for name in names:
        frame = getattr(result, name)
        if frame is None:
            continue
        keyed = frame.astype({k: object for k in keys if frame[k].dtype.name == "category"})
        grouped[name] = {
            _plain_key(key): part.reset_index(drop=True)
            for key, part in keyed.groupby(keys, sort=False)
        }
    found = set(grouped.get("overall", {})) | set(grouped.get("dimensions", {}))
    return {
        key: ScoreResult(
            **{
                name: (
                    None
                    if getattr(result, name) is None
                    else grouped[name].get(key, getattr(result, name).iloc[0:0])
                )
                for name in names
            },
            recipe=result.recipe,
            keys=result.keys,
        )
        for key in found
    }


def _plain_key(key: object) -> tuple:
    """A group's key as a tuple of plain Python values (``2024``, not ``numpy.int64(2024)``)."""
    values = key if isinstance(key, tuple) else (key,)
    return tuple(v.item() if isinstance(v, np.generic) else v for v in values)
