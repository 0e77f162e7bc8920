"""Sign-in through an OpenID Connect provider: identities tied to accounts by issuer and subject."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from wddf.services import audit
from wddf.services.accounts.placement import account_for_admin
from wddf.services.actor import Actor, actor_of
from wddf.storage.tables import OidcIdentity, User


def link_oidc(session: Session, actor: Actor, user_id: int, issuer: str, subject: str) -> None:
    """An admin ties an OIDC identity (issuer + subject) to an account."""
    account_for_admin(session, actor, user_id)
    session.add(OidcIdentity(user_id=user_id, issuer=issuer, subject=subject))
    audit.record(session, actor.id, "user", str(user_id), "link_oidc", None, {"issuer": issuer})


def actor_for_oidc(session: Session, issuer: str, subject: str) -> Actor | None:
    """The account of an OIDC identity, by issuer and subject only, never by e-mail."""
    identity = session.scalar(
        select(OidcIdentity).where(OidcIdentity.issuer == issuer, OidcIdentity.subject == subject)
    )
    user = session.get(User, identity.user_id) if identity else None
    return actor_of(user) if user and user.active else None
