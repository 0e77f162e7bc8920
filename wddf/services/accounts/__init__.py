"""Accounts, in the rooms of their responsibilities; the entry points are named here.

- ``passwords``: argon2id hashing (``hasher``) and the strength rules (``MIN_PASSWORD_LENGTH``).
- ``sessions``: signing in (``sign_in``: the attempt budget, ``THROTTLE``, the lockout) and
  server-side sessions (``resolve_session``, ``session_actor``, ``sign_out``), a person's own
  ``change_password``.
- ``placement``: administering accounts (``create_user``, ``update_user``, ``list_users``,
  ``set_active``, ``reset_password``, ``count_users``, ``set_email``).
- ``oidc``: identities of an OpenID Connect provider (``link_oidc``, ``actor_for_oidc``).
- ``preferences``: what each person chooses (``set_language``, ``language_of``).
"""

from wddf.services.accounts.oidc import actor_for_oidc, link_oidc
from wddf.services.accounts.passwords import MIN_PASSWORD_LENGTH
from wddf.services.accounts.placement import (
    check_email,
    count_users,
    create_user,
    list_users,
    reset_password,
    set_active,
    set_email,
    update_user,
)
from wddf.services.accounts.preferences import email_of, language_of, set_language
from wddf.services.accounts.sessions import (
    ABSOLUTE_EXPIRY,
    GLOBAL_STEP,
    IDLE_EXPIRY,
    MAX_FAILED_LOGINS,
    THROTTLE,
    SignIn,
    change_password,
    resolve_session,
    session_actor,
    sign_in,
    sign_out,
)

__all__ = [
    "ABSOLUTE_EXPIRY",
    "GLOBAL_STEP",
    "IDLE_EXPIRY",
    "MAX_FAILED_LOGINS",
    "MIN_PASSWORD_LENGTH",
    "THROTTLE",
    "SignIn",
    "actor_for_oidc",
    "change_password",
    "check_email",
    "count_users",
    "create_user",
    "email_of",
    "language_of",
    "link_oidc",
    "list_users",
    "reset_password",
    "resolve_session",
    "session_actor",
    "set_active",
    "set_email",
    "set_language",
    "sign_in",
    "sign_out",
    "update_user",
]
