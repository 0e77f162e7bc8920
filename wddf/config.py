"""Settings from the environment, all prefixed ``WDDF_``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every setting the tool reads; each is documented in the README."""

    model_config = SettingsConfigDict(env_prefix="WDDF_", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'data' / 'wddf.sqlite3'}",
        description="SQLAlchemy URL; a SQLite file under ./data/ by default.",
    )
    auth: Literal["local", "oidc"] = Field(default="local", description="How users sign in.")
    questionnaires_dir: Path = Field(
        default=PROJECT_ROOT / "questionnaires",
        description="Folder of questionnaire editions (*.yaml).",
    )
    default_edition: str | None = Field(
        default=None, description="Edition id used when none is named; the newest by default."
    )
    evidence_max_bytes: int = Field(
        default=20_000_000, gt=0, description="Largest evidence file accepted, in bytes."
    )
    default_language: Literal["en", "fr", "pt"] = Field(
        default="en", description="Language when the browser's locale is not en, fr or pt."
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings, read once per process."""
    return Settings()
