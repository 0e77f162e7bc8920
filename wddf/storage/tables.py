"""SQLAlchemy 2 tables. The database is the source of truth for everything a user saves."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from wddf.domain import CONSENSUS

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (needed by SQLite batch migrations)."""

    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(ForeignKey("countries.iso3"), nullable=True)
    group: Mapped[str | None] = mapped_column(String(40), nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    language: Mapped[str | None] = mapped_column(String(5), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # failed sign-ins from every address since the last slow-down or success, and until when
    # the account is slowed down (``sessions.sign_in``), and how many slow-downs in a row
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    slowdowns: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SignInFailure(Base):
    """Failed sign-ins to one account from one client address, and the lock they earned: the
    owner elsewhere is not locked out by them."""

    __tablename__ = "sign_in_failures"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class OidcIdentity(Base):
    __tablename__ = "oidc_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))


class AuthSession(Base):
    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Country(Base):
    __tablename__ = "countries"
    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    language: Mapped[str] = mapped_column(String(5), default="en")
    region: Mapped[str] = mapped_column(String(80), default="")
    # the country's own rule: no submission before the validation workshop's outcome is noted
    requires_workshop: Mapped[bool] = mapped_column(Boolean, default=False)


class Assessment(Base):
    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("country", "year", "edition_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country: Mapped[str] = mapped_column(ForeignKey("countries.iso3"))
    year: Mapped[int] = mapped_column(Integer)
    edition_id: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("assessment_id", "dimension_id", "group"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    dimension_id: Mapped[str] = mapped_column(String(40))
    group: Mapped[str] = mapped_column(String(40), default=CONSENSUS)
    grade: Mapped[str | None] = mapped_column(String(2), nullable=True)
    justification: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[str | None] = mapped_column(String(10), nullable=True)
    carried_over: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    row_version: Mapped[int] = mapped_column(Integer, default=1)


class EvidenceFile(Base):
    __tablename__ = "evidence_files"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    dimension_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReviewComment(Base):
    __tablename__ = "review_comments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    dimension_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)


class ActionItem(Base):
    """A reform of the policy priority matrix; ``owner`` is the responsible institution, and the
    dimensions it addresses are its ``ActionItemDimension`` rows."""

    __tablename__ = "action_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    target_grade: Mapped[str | None] = mapped_column(String(2), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    priority: Mapped[int | None] = mapped_column(Integer, nullable=True)
    partners: Mapped[str] = mapped_column(String(400), default="")
    estimated_cost: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # whole units
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)  # ISO 4217
    timeframe: Mapped[str | None] = mapped_column(String(10), nullable=True)
    progress: Mapped[str] = mapped_column(Text, default="")  # evidence of progress
    dimensions: Mapped[list[ActionItemDimension]] = relationship(
        order_by="ActionItemDimension.position", lazy="selectin", cascade="all, delete-orphan"
    )

    @property
    def dimension_ids(self) -> list[str]:
        """The dimensions the action addresses, in the order they were given."""
        return [link.dimension_id for link in self.dimensions]


class ActionItemDimension(Base):
    """One dimension a reform of the matrix addresses (one or more per reform, at any grade)."""

    __tablename__ = "action_item_dimensions"
    item_id: Mapped[int] = mapped_column(
        ForeignKey("action_items.id", ondelete="CASCADE"), primary_key=True
    )
    dimension_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class EditionRecord(Base):
    """An installed questionnaire edition: its YAML text, served to every replica from here."""

    __tablename__ = "editions"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    version: Mapped[str] = mapped_column(String(40))
    checksum: Mapped[str] = mapped_column(String(64))  # sha256 of yaml_text, hex
    yaml_text: Mapped[str] = mapped_column(Text)
    installed_by: Mapped[str] = mapped_column(String(80))
    installed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ContinuityRevisionRecord(Base):
    """An installed revision of an edition's continuity claims: its YAML text and checksum."""

    __tablename__ = "continuity_revisions"
    edition_id: Mapped[str] = mapped_column(ForeignKey("editions.id"), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    checksum: Mapped[str] = mapped_column(String(64))  # sha256 of yaml_text, hex
    yaml_text: Mapped[str] = mapped_column(Text)
    installed_by: Mapped[str] = mapped_column(String(80))
    installed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Assignment(Base):
    """A goal or an indicator of an assessment given to one person (an investigator who
    researches it, or a panelist who grades it), with a due date."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("assessment_id", "node_id", "user_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    node_id: Mapped[str] = mapped_column(String(40))  # a goal (WD3) or an indicator (WD3.2)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    task: Mapped[str] = mapped_column(String(20))  # domain.ASSIGNMENT_TASKS
    due_on: Mapped[date] = mapped_column(Date)
    assigned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BackgroundReport(Base):
    """An investigator's background report on one goal of an assessment: the text and its
    citations, versioned like an answer (every save audited, a stale version refused)."""

    __tablename__ = "background_reports"
    __table_args__ = (UniqueConstraint("assessment_id", "goal_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    goal_id: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text, default="")
    citations: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    row_version: Mapped[int] = mapped_column(Integer, default=1)


class SectorFigure(Base):
    """One item of an assessment's sector data sheet (``domain.SECTOR_ITEMS``): a figure
    (``amount``) or a statement (``text``), its source and year, versioned like an answer."""

    __tablename__ = "sector_data"
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[str] = mapped_column(String(40), primary_key=True)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    row_version: Mapped[int] = mapped_column(Integer, default=1)


class Panel(Base):
    """A thematic multi-stakeholder panel of an assessment: its name and the goals it covers
    (goal ids separated by spaces)."""

    __tablename__ = "panels"
    __table_args__ = (UniqueConstraint("assessment_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    goals: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    members: Mapped[list[PanelMember]] = relationship(
        order_by="PanelMember.id", lazy="selectin", viewonly=True
    )
    sessions: Mapped[list[PanelSession]] = relationship(
        order_by="(PanelSession.held_on, PanelSession.id)", lazy="selectin", viewonly=True
    )


class PanelMember(Base):
    """A member of a panel, with their stakeholder group; an account of the tool or not."""

    __tablename__ = "panel_members"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    name: Mapped[str] = mapped_column(String(200))
    institution: Mapped[str] = mapped_column(String(200), default="")
    group: Mapped[str] = mapped_column(String(40))


class PanelSession(Base):
    """A meeting of a panel: when and where, the dimensions discussed (ids separated by
    spaces), the decisions and the minutes."""

    __tablename__ = "panel_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id", ondelete="CASCADE"))
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    dimensions: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attendees: Mapped[list[SessionAttendee]] = relationship(
        order_by="SessionAttendee.id", lazy="selectin", viewonly=True
    )
    notes: Mapped[list[SessionNote]] = relationship(
        order_by="SessionNote.id", lazy="selectin", viewonly=True
    )


class SessionAttendee(Base):
    """Who attended a session: a member of the panel, or a guest named here."""

    __tablename__ = "session_attendees"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("panel_sessions.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("panel_members.id", ondelete="CASCADE"), nullable=True
    )
    guest: Mapped[str] = mapped_column(String(200), default="")
    guest_institution: Mapped[str] = mapped_column(String(200), default="")


class SessionNote(Base):
    """A panel member's own note on a session; only its author changes it."""

    __tablename__ = "session_notes"
    __table_args__ = (UniqueConstraint("session_id", "author_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("panel_sessions.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class GradeChangeLink(Base):
    """An audited grade change linked to the panel session or the validation workshop where it
    was agreed (one of the two), with the reason the focal point confirmed for a workshop's."""

    __tablename__ = "grade_change_links"
    __table_args__ = (UniqueConstraint("audit_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_log.id"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("panel_sessions.id", ondelete="CASCADE"), nullable=True
    )
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), nullable=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")


class Workshop(Base):
    """The national technical validation workshop of an assessment, and its outcome."""

    __tablename__ = "workshops"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), unique=True
    )
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    participants: Mapped[list[WorkshopParticipant]] = relationship(
        order_by="WorkshopParticipant.id", lazy="selectin", cascade="all, delete-orphan"
    )


class WorkshopParticipant(Base):
    """A participant of the workshop, by institution and stakeholder group."""

    __tablename__ = "workshop_participants"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    institution: Mapped[str] = mapped_column(String(200), default="")
    group: Mapped[str] = mapped_column(String(40))


class Notice(Base):
    """Something a person is told (``domain.Notice``): shown in the app under "what's new", and
    mailed to them unless they turned that kind off. ``key`` names the event, so that it is
    never told twice; ``params`` (JSON) fill its message."""

    __tablename__ = "notices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), nullable=True
    )
    params: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class OutgoingMail(Base):
    """A notice waiting to be mailed, or mailed: the outbox. A sender claims a row until
    ``claimed_until`` before sending it, so that two senders never send it both; a failure is
    tried again after ``send_after``, later each time."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(
        ForeignKey("notices.id", ondelete="CASCADE"), unique=True
    )
    address: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    send_after: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    given_up: Mapped[bool] = mapped_column(Boolean, default=False)


class MailOptOut(Base):
    """A kind of notice a person does not want mailed (they still see it in the app)."""

    __tablename__ = "mail_opt_outs"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
