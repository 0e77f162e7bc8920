"""Passwords: argon2id hashing (``WDDF_PASSWORD_HASHING``) and the strength rules."""

from __future__ import annotations

from argon2 import PasswordHasher

from wddf.config import get_settings
from wddf.errors import ErrorCode, Invalid

# argon2id with the library's recommended parameters; the cheapest ones for test suites only.
HASHERS = {
    "production": PasswordHasher(),
    "fast": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}
MIN_PASSWORD_LENGTH = 10
COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "password123",
        "123456789",
        "1234567890",
        "qwertyuiop",
        "azertyuiop",
        "letmein123",
        "welcome123",
        "administrator",
        "motdepasse",
        "senha12345",
        "diamonds123",
    }
)


def hasher() -> PasswordHasher:
    """The password hasher chosen by ``WDDF_PASSWORD_HASHING``."""
    return HASHERS[get_settings().password_hashing]


def check_password_strength(password: str, username: str) -> None:
    """Refuse short, common or name-based passwords."""
    lowered = password.lower()
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(ErrorCode.WEAK_PASSWORD_SHORT, minimum=MIN_PASSWORD_LENGTH)
    if lowered in COMMON_PASSWORDS or len(set(password)) < 5:
        raise Invalid(ErrorCode.WEAK_PASSWORD_COMMON)
    if username and username.lower() in lowered:
        raise Invalid(ErrorCode.WEAK_PASSWORD_USERNAME)
