"""What every page receives: the language, the signed-in actor and the database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from wddf.config import get_settings
from wddf.errors import ErrorCode, NotAllowed, ServiceError
from wddf.i18n import t
from wddf.services import accounts
from wddf.services.actor import Actor
from wddf.storage.db import Database
from wddf.ui.components.feedback import acted, note
from wddf.ui.routes import COOKIE


@dataclass(frozen=True)
class PageContext:
    """The per-run facts a page needs; pages never read cookies or settings themselves."""

    lang: str
    actor: Actor | None
    db: Database
    pages: dict[str, Any] = field(default_factory=dict)  # name → st.Page, filled by navigation
    _open: dict[str, Session] = field(default_factory=dict)  # the run's reading session, if open
    # How to find the actor again from the browser's session (None: the actor is given, as in
    # AppTest). A callback that writes asks it again, because the session may have ended since
    # the page was drawn.
    resolve: Callable[[], Actor | None] | None = None

    def acting(self) -> Actor:
        """The actor for a write made now: ``actor`` while the browser's session still stands,
        ``NotAllowed(signed_out)`` once it was revoked, expired or signed out."""
        actor = self.resolve() if self.resolve is not None else self.actor
        if actor is None or self.actor is None or actor.id != self.actor.id:
            raise NotAllowed(ErrorCode.SIGNED_OUT)
        return actor

    @property
    def session(self) -> Session:
        """The run's one session for reads, opened at first use; ``serve`` closes it when the
        page ends, and every ``write()`` closes it so that later reads see the change."""
        if "reads" not in self._open:
            self._open["reads"] = self.db.reader()
        return self._open["reads"]

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work for one change, committed at the end of the block."""
        with self.db.session() as session:
            yield session
        self.end_reads()

    @contextmanager
    def own_reads(self) -> Iterator[None]:
        """A block that closes the reading session it opened (a fragment's own rerun, which
        ``serve`` does not wrap); a session the page had opened stays open."""
        opened = "reads" in self._open
        try:
            yield
        finally:
            if not opened:
                self.end_reads()

    def end_reads(self) -> None:
        """Close the reading session (objects read through it stay usable)."""
        reads = self._open.pop("reads", None)
        if reads is not None:
            reads.close()

    @property
    def evidence_limit_mb(self) -> int:
        """The largest evidence file in whole MB, for the uploader (``WDDF_EVIDENCE_MAX_BYTES``)."""
        return max(1, get_settings().evidence_max_bytes // 1_000_000)

    def link(self, name: str, **query: object) -> tuple[Any, dict[str, str]]:
        """A registered page and the query parameters that open it in this language."""
        return self.pages[name], {"lang": self.lang, **{k: str(v) for k, v in query.items()}}

    def t(self, key: str, **params: object) -> str:
        """Translate ``key`` into the page's language."""
        return t(key, self.lang, **params)

    def error(self, exc: ServiceError) -> None:
        """Show a service error, translated."""
        st.error(exc.message(self.lang))

    @contextmanager
    def attempt(self, where: str | None = None) -> Iterator[Attempt]:
        """The one refusal path of the pages: a change that may be refused.

        A refusal raised in the block (a ``ServiceError``, or the database not answering) ends
        the block with nothing changed and is shown, translated, where the user clicked, or kept
        for ``where`` (a note shown after the rerun, as a callback's must be). A form that is not
        cleared on submit still shows what the user typed; it is drawn anew, empty, after a
        success with ``feedback.acted``. The ``Attempt`` is true when the change went through::

            with ctx.attempt() as done, ctx.write() as session:
                service.change(session, ctx.actor, ...)
            if not done:
                return
        """
        outcome = Attempt()
        try:
            yield outcome
        except ServiceError as exc:
            outcome.refused = exc
        except SQLAlchemyError:
            outcome.refused = ServiceError(ErrorCode.UNAVAILABLE)
        if outcome.refused is None:
            return
        if where is None:
            self.error(outcome.refused)
        else:
            note(where, "error", outcome.refused.message(self.lang))

    def apply(
        self,
        change: Callable[[Session], object],
        where: str,
        text: str,
        form: str | None = None,
    ) -> bool:
        """Run ``change`` in one unit of work (``attempt``, ``write``). A refusal is shown where
        the user clicked, and nothing changed; otherwise ``text`` is kept for ``where`` and the
        page reruns to show the new state. After a submission of ``form`` (drawn under
        ``feedback.form_key``), the form starts its next round, empty, so a second click of that
        submission does nothing. False when refused."""
        with self.attempt() as done, self.write() as session:
            change(session)
        if not done:
            return False
        if form is not None:
            acted(form)
        note(where, "success", text)
        st.rerun()
        return True


@dataclass
class Attempt:
    """What ``PageContext.attempt`` did: true when the change went through, else the refusal."""

    refused: ServiceError | None = None

    def __bool__(self) -> bool:
        return self.refused is None


def oidc_identity() -> tuple[str, str] | None:
    """(issuer, subject) of the identity st.login established, if any."""
    if not st.user.is_logged_in:
        return None
    claims = st.user.to_dict()
    issuer, subject = claims.get("iss"), claims.get("sub")
    return (str(issuer), str(subject)) if issuer and subject else None


def signed_in_actor(db: Database) -> Actor | None:
    """The actor behind the browser's session: with WDDF_AUTH=oidc, the OIDC identity mapped by
    issuer and subject; otherwise the session cookie, checked against the server-side session."""
    if get_settings().auth == "oidc":
        identity = oidc_identity()
        if identity is None:
            return None
        with db.session() as session:
            return accounts.actor_for_oidc(session, *identity)
    token = st.context.cookies.get(COOKIE)
    if not isinstance(token, str) or not token:
        return None
    with db.reader() as session:  # on SQLite, a read does not take the write lock
        actor, due = accounts.session_actor(session, token)
    if not due:
        return actor
    with db.session() as session:
        return accounts.resolve_session(session, token)
