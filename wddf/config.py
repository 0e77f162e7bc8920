"""Settings from the environment, all prefixed ``WDDF_``."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
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
    base_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^/\s?#]+/?$",
        description="The address users type (https://wddf.example.org): the app then answers only "
        "that host, and takes form posts and websockets only from pages of that exact origin.",
    )
    trusted_proxies: str = Field(
        default="127.0.0.1,::1",
        pattern=r"^[0-9A-Fa-f.:/, ]*$",
        description="Addresses of the reverse proxies whose X-Forwarded-For the app's server "
        "believes (comma-separated; empty: none). The shipped nginx runs on the same host and "
        "overwrites that header with the address it sees, so no client can write it.",
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
    smtp_url: SecretStr | None = Field(
        default=None,
        description="The mail relay notices are sent through: smtp://user:password@host:587 "
        "(STARTTLS when the relay offers it; ?starttls=required to insist) or "
        "smtps://user:password@host:465; unset: nothing is mailed (notices still show in the "
        "app). Needs WDDF_BASE_URL for the links (never printed).",
    )
    mail_from: str = Field(
        default="WDDF <wddf@localhost>",
        max_length=200,
        description="The sender of the notices mailed (the relay may require its own domain).",
    )

    @model_validator(mode="after")
    def _mail_needs_links(self) -> Settings:
        if self.smtp_url is not None and not self.base_url:
            raise ValueError("WDDF_SMTP_URL needs WDDF_BASE_URL: every e-mail links into the app")
        return self


def _reveal(secret: SecretStr | None) -> str | None:
    """The value of a secret, for the one place that hands it to Streamlit."""
    return secret.get_secret_value() if secret is not None else None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings, read once per process."""
    return Settings()


# The variable by which the app's server (uvicorn, under Streamlit) learns whose X-Forwarded-For
# to believe. It is read when the server starts, before ``app.py``: the launchers (``bin/app``,
# the systemd unit, the test servers) set it from ``WDDF_TRUSTED_PROXIES``.
SERVER_TRUST_VARIABLE = "FORWARDED_ALLOW_IPS"
SERVER_TRUST_DEFAULT = "127.0.0.1,::1"  # uvicorn's own default


def server_trust(settings: Settings | None = None) -> dict[str, str]:
    """The environment that makes the app's server believe exactly ``WDDF_TRUSTED_PROXIES``."""
    return {SERVER_TRUST_VARIABLE: (settings or get_settings()).trusted_proxies}


def check_proxy_trust() -> None:
    """Refuse to start when the server believes other proxies than ``WDDF_TRUSTED_PROXIES``
    says (it was started without the launcher's environment): a forged X-Forwarded-For would
    otherwise count as the client's address."""
    wanted = _addresses(get_settings().trusted_proxies)
    believed = _addresses(os.environ.get(SERVER_TRUST_VARIABLE, SERVER_TRUST_DEFAULT))
    if wanted != believed:
        raise SystemExit(
            f"WDDF_TRUSTED_PROXIES is {sorted(wanted)} but the server believes "
            f"{SERVER_TRUST_VARIABLE}={sorted(believed)}: start it with bin/app, or set "
            f"{SERVER_TRUST_VARIABLE} to the same addresses."
        )


def _addresses(text: str) -> frozenset[str]:
    return frozenset(part.strip() for part in text.split(",") if part.strip())
