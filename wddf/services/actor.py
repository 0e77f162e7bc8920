"""The acting user, as every service receives it."""

from __future__ import annotations

from dataclasses import dataclass

from wddf.domain import Role, group_of
from wddf.storage.tables import User


@dataclass(frozen=True)
class Actor:
    """Who is acting: id, name, role, and for country roles their country and group.

    ``SYSTEM`` (id None) is the operator at the command line, who has the database in hand.
    """

    id: int | None
    username: str
    role: Role
    country: str | None = None
    group: str | None = None

    @property
    def is_admin(self) -> bool:
        """Administrators may do everything."""
        return self.role is Role.ADMIN

    @property
    def answer_group(self) -> str:
        """The group this user's grades are saved under (``domain.group_of``)."""
        return group_of(self.role, self.group)


SYSTEM = Actor(id=None, username="system", role=Role.ADMIN)


def actor_of(user: User) -> Actor:
    """The service-level view of a stored account."""
    return Actor(user.id, user.username, Role(user.role), user.country, user.group)
