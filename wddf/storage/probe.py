"""``python -m wddf.storage.probe URL``: exit 0 when the database at URL answers within 3 s."""

from __future__ import annotations

import sys

from sqlalchemy import create_engine, text


def answers(url: str) -> bool:
    """Whether a connection to ``url`` can be opened and run ``SELECT 1``."""
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure to connect means "no server here"
        return False
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(0 if answers(sys.argv[1]) else 1)
