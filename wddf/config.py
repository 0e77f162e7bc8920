"""Settings from the environment, all prefixed ``WDDF_``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
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

    def oidc_secrets(self) -> dict | None:
        """The ``[auth]`` secrets of ``st.login`` built from WDDF_OIDC_* settings, if they are set
        (otherwise ``.streamlit/secrets.toml`` may hold them)."""
        if self.auth != "oidc" or not self.oidc_metadata_url:
            return None
        return {
            "auth": {
                "redirect_uri": self.oidc_redirect_uri,
                "cookie_secret": _reveal(self.cookie_secret),
                "client_id": self.oidc_client_id,
                "client_secret": _reveal(self.oidc_client_secret),
                "server_metadata_url": self.oidc_metadata_url,
            }
        }

    oidc_metadata_url: str | None = Field(
        default=None, description="OIDC discovery URL (…/.well-known/openid-configuration)."
    )
    oidc_client_id: str | None = Field(default=None, description="OIDC client id.")
    oidc_client_secret: SecretStr | None = Field(
        default=None, description="OIDC client secret (never printed)."
    )
    oidc_redirect_uri: str | None = Field(
        default=None, description="The app's URL ending in /oauth2callback, as registered."
    )
    cookie_secret: SecretStr | None = Field(
        default=None,
        description="Secret signing Streamlit's identity cookie; the same on every replica "
        "(never printed).",
    )
    questionnaires_dir: Path = Field(
        default=PROJECT_ROOT / "questionnaires",
        description="Folder of questionnaire editions (*.yaml).",
    )
    default_edition: str | None = Field(
        default=None, description="Edition id used when none is named; the newest by default."
    )
    data_licence: str = Field(
        default="CC-BY-4.0",
        pattern=r"^[A-Za-z0-9.+-]+$",
        description="SPDX id of the licence the data package and the donor workbook declare.",
    )
    data_contact: str | None = Field(
        default=None,
        max_length=200,
        description="Whom to ask about exported data (an office, an e-mail address), named on the "
        "workbook's cover and in the data package; unset: the country's focal point.",
    )
    evidence_max_bytes: int = Field(
        default=20_000_000, gt=0, description="Largest evidence file accepted, in bytes."
    )
    password_hashing: Literal["production", "fast"] = Field(
        default="production",
        description="argon2id cost: the library's recommended parameters, or the cheapest ones "
        "(for test suites only; stored hashes carry their parameters and are renewed at sign-in).",
    )
    separation_of_duties: bool = Field(
        default=True,
        description="The person who submitted an assessment cannot validate it, nor the one who "
        "validated it publish it, unless an administrator overrides with a written reason.",
    )
    sign_in_per_minute: int = Field(
        default=120,
        gt=0,
        description="Sign-in attempts accepted per minute from one client address (per app "
        "process); one account name gets a sixth of that.",
    )
    default_language: Literal["en", "fr", "pt"] = Field(
        default="en", description="Language when the browser's locale is not en, fr or pt."
    )


def _reveal(secret: SecretStr | None) -> str | None:
    """The value of a secret, for the one place that hands it to Streamlit."""
    return secret.get_secret_value() if secret is not None else None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings, read once per process."""
    return Settings()
