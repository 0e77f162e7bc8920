"""Fictitious demo assessments, clearly flagged, with realistic variation and progress."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from wddf.domain import CONSENSUS, STAKEHOLDER_GROUPS, STRONG_GRADES, Group, Role, Status
from wddf.errors import NotAllowed
from wddf.i18n import t
from wddf.services import audit
from wddf.services.actor import Actor
from wddf.services.answers.assessments import new_row
from wddf.services.countries import working_language
from wddf.services.editions import all_editions, newest_edition_id
from wddf.storage.tables import (
    ActionItem,
    ActionItemDimension,
    Answer,
    Assessment,
    AuditEntry,
    Country,
    Panel,
    PanelMember,
    PanelSession,
    SectorFigure,
    SessionAttendee,
    User,
    Workshop,
    WorkshopParticipant,
)

DEMO_USER = "demo-data"
# The justification of every demo answer, the decisions of its sessions and its workshop's
# outcome: a mark that reads as sample text in each language of the tool.
DEMO_NOTE = "DEMO · fictitious · fictif · fictício"
# Ordered so that any first N mixes English, French and Portuguese-speaking countries.
DEMO_ORDER = [
    "SLE",
    "COD",
    "AGO",
    "GUY",
    "CAF",
    "LBR",
    "CIV",
    "BRA",
    "GHA",
    "GIN",
    "ZWE",
    "COG",
    "ZAF",
    "CMR",
    "TZA",
    "TGO",
    "VEN",
]
GRADES_BY_LEVEL = ["D", "C", "B", "A"]


@dataclass(frozen=True)
class DemoReport:
    """What ``demo load`` wrote."""

    assessments: int
    answers: int
    skipped: int


def _demo_user(session: Session) -> User:
    user = session.scalar(select(User).where(User.username == DEMO_USER))
    if user is None:
        user = User(
            username=DEMO_USER,
            display_name="Demo data",
            role=Role.ADMIN.value,
            active=False,
            password_hash=None,
            failed_logins=0,
            created_at=audit.now(),
        )
        session.add(user)
        session.flush()
    return user


def _grade(rng: random.Random, level: float, layer: str, na_allowed: bool) -> str:
    """A grade around ``level`` (0–3); practice lags law, as it usually does."""
    if na_allowed and rng.random() < 0.15:
        return "NA"
    shift = {"law": 0.5, "policy": 0.0, "practice": -0.6}[layer]
    value = min(3, max(0, round(level + shift + rng.gauss(0, 0.7))))
    if value == 0 and rng.random() < 0.3:
        return "D*"
    return GRADES_BY_LEVEL[value]


@dataclass(frozen=True)
class DemoTexts:
    """The sample texts of a demo country, in its working language, each marked as demo."""

    sources: tuple[str, ...]  # with {n}
    reforms: tuple[tuple[str, str, str], ...]  # action, owner, timeframe
    partners: tuple[str, ...]
    lang: str

    def __call__(self, key: str, **params: object) -> str:
        """Any other ``demo.<key>`` text in this language."""
        return t(f"demo.{key}", self.lang, **params)


TIMEFRAMES = ("short", "medium", "long", "short")


def demo_texts(country: str) -> DemoTexts:
    """What a demo assessment of ``country`` says, in the country's working language (as its
    officials would write it), from the ``demo.*`` keys of the catalogue."""
    lang = working_language(country)
    return DemoTexts(
        sources=tuple(t(f"demo.source.{n}", lang) for n in range(1, 5)),
        reforms=tuple(
            (t(f"demo.reform.{n}", lang), t(f"demo.owner.{n}", lang), TIMEFRAMES[n - 1])
            for n in range(1, 5)
        ),
        partners=tuple(t(f"demo.partner.{n}", lang) for n in range(1, 4)),
        lang=lang,
    )


def _evidence(rng: random.Random, grade: str, texts: DemoTexts) -> str:
    """A fictitious citation: most A and B grades cite one, fewer of the others do."""
    if rng.random() < (0.85 if grade in STRONG_GRADES else 0.4):
        return rng.choice(texts.sources).format(n=rng.randint(1, 60))
    return ""


def _answers(
    rng: random.Random,
    level: float,
    dims: list,
    assessment_id: int,
    user_id: int,
    texts: DemoTexts,
) -> list[Answer]:
    """Consensus grades for every dimension; two to four stakeholder groups' own grades for about
    one dimension in four, so that panel agreement has something to show."""
    moment = audit.now()
    groups = [g.value for g in Group if g is not Group.CONSENSUS]

    def answer(dimension_id: str, group: str, grade: str, confidence: str) -> Answer:
        return Answer(
            assessment_id=assessment_id,
            dimension_id=dimension_id,
            group=group,
            grade=grade,
            justification=DEMO_NOTE,
            evidence=_evidence(rng, grade, texts),
            confidence=confidence,
            carried_over=False,
            updated_by=user_id,
            updated_at=moment,
            row_version=1,
        )

    rows = []
    for dim in dims:
        rows.append(
            answer(dim.id, CONSENSUS, _grade(rng, level, dim.layer.value, dim.na_allowed), "medium")
        )
        if rng.random() < 0.25:
            for group in rng.sample(groups, rng.randint(2, 4)):
                rows.append(
                    answer(dim.id, group, _grade(rng, level, dim.layer.value, False), "low")
                )
    return rows


def _sector(rng: random.Random, assessment: Assessment) -> list[SectorFigure]:
    """A plausible sector data sheet for the year before the assessment's, every source the demo
    mark, and the KP focal point named as fictitious."""
    diggers = rng.randint(20, 300) * 1000
    carats = rng.randint(50, 700) * 1000 + rng.randint(0, 99) / 100
    price = rng.randint(80, 300)
    exported = round(carats * rng.uniform(0.6, 0.95), 2)
    amounts = {
        "diggers_total": diggers,
        "diggers_women": round(diggers * rng.uniform(0.1, 0.4)),
        "producing_areas": rng.randint(3, 15),
        "active_sites": rng.randint(50, 800),
        "production_carats": carats,
        "production_usd": round(carats * price, 2),
        "exports_carats": exported,
        "exports_usd": round(exported * price * rng.uniform(1.0, 1.2), 2),
        "kp_certificates": rng.randint(50, 400),
        "licensed_buyers": rng.randint(20, 300),
        "licensed_exporters": rng.randint(3, 30),
    }
    made = [
        SectorFigure(item=key, amount=Decimal(str(value)), text="", source=DEMO_NOTE,
                     year=assessment.year - 1)
        for key, value in amounts.items()
    ]  # fmt: skip
    made.append(SectorFigure(item="kp_focal_point", amount=None, text=DEMO_NOTE, source=""))
    for row in made:
        row.assessment_id, row.updated_at, row.row_version = assessment.id, audit.now(), 1
    return made


def _matrix(
    rng: random.Random, rows: list[Answer], assessment_id: int, texts: DemoTexts
) -> list[ActionItem]:
    """Two or three reforms of the policy priority matrix, each on one to three of the weakest
    consensus grades (D, D* or C), so that the matrix has something to show."""
    weak = sorted(
        {r.dimension_id for r in rows if r.group == CONSENSUS and r.grade in ("D", "D*", "C")}
    )
    items = []
    for priority, (action, owner, timeframe) in enumerate(rng.sample(texts.reforms, 3), start=1):
        if not weak or (priority == 3 and rng.random() < 0.5):
            break
        chosen = rng.sample(weak, min(len(weak), rng.randint(1, 3)))
        items.append(
            ActionItem(
                assessment_id=assessment_id,
                action=action,
                owner=owner,
                status=rng.choice(("open", "in_progress", "done")),
                target_grade="B",
                priority=priority,
                partners=rng.choice(texts.partners),
                estimated_cost=rng.randint(2, 60) * 10_000,
                currency="USD",
                timeframe=timeframe,
                progress="",
                created_at=audit.now(),
                dimensions=[
                    ActionItemDimension(dimension_id=d, position=n) for n, d in enumerate(chosen)
                ],
            )
        )
    return items


def _process(
    session: Session,
    rng: random.Random,
    assessment: Assessment,
    goals: list[str],
    texts: DemoTexts,
) -> None:
    """Two thematic panels (each with three members and one session), and a confirmed
    validation workshop with participants: what the country report's process section shows."""
    moment = audit.now()
    for number, covered in enumerate((goals[: len(goals) // 2], goals[len(goals) // 2 :]), 1):
        panel = Panel(
            assessment_id=assessment.id, name=texts("panel", number=number), created_at=moment
        )
        panel.goals = " ".join(covered)
        session.add(panel)
        session.flush()
        members = [
            PanelMember(
                panel_id=panel.id, name=texts("member", number=f"{number}.{n}"), group=group
            )
            for n, group in enumerate(rng.sample(STAKEHOLDER_GROUPS, 3), start=1)
        ]
        session.add_all(members)
        held = PanelSession(panel_id=panel.id, held_on=date(assessment.year, 3, 10 + number))
        held.place, held.decisions, held.recorded_at = texts("place"), DEMO_NOTE, moment
        session.add(held)
        session.flush()
        session.add_all(SessionAttendee(session_id=held.id, member_id=m.id) for m in members)
    workshop = Workshop(
        assessment_id=assessment.id, held_on=date(assessment.year, 5, 2), place=texts("place")
    )
    workshop.outcome, workshop.confirmed_at, workshop.recorded_at = DEMO_NOTE, moment, moment
    workshop.participants = [
        WorkshopParticipant(
            name=texts("participant", number=n), institution=texts("institution"), group=group
        )
        for n, group in enumerate(STAKEHOLDER_GROUPS, start=1)
    ]
    session.add(workshop)


def _status(year_index: int, n_years: int) -> str:
    if year_index == n_years - 1:
        return Status.DRAFT.value
    if year_index == n_years - 2:
        return Status.SUBMITTED.value
    return Status.PUBLISHED.value


def load(
    session: Session,
    actor: Actor,
    countries: int = 8,
    years: int = 4,
    seed: int = 0,
    last_year: int = 2025,
) -> DemoReport:
    """Write ``countries`` × ``years`` demo assessments (kept if there) of the newest edition.
    Where older editions are installed, every other country (the first included) walks through
    them: its last year uses the newest edition, the year before the one before it, and so on
    back to the oldest, so that progress across each edition change has something to show."""
    if not actor.is_admin:
        raise NotAllowed()
    rng = random.Random(seed)
    installed = all_editions(session)
    newest = newest_edition_id(session)
    walk = [e for e in installed if e != newest] + [newest]  # oldest first, newest last
    dims = {e: [d for _, _, d in installed[e].dimensions()] for e in installed}
    user = _demo_user(session)
    known = {c.iso3 for c in session.scalars(select(Country))}
    chosen = [c for c in DEMO_ORDER if c in known][:countries]
    made = answered = skipped = 0
    for number, country in enumerate(chosen):
        texts = demo_texts(country)
        level = rng.uniform(0.3, 1.6)
        switches = len(walk) > 1 and number % 2 == 0
        for index, year in enumerate(range(last_year - years + 1, last_year + 1)):
            level = min(2.8, level + rng.uniform(-0.05, 0.3))
            edition_id = walk[max(0, len(walk) - 1 - (last_year - year))] if switches else newest
            exists = select(Assessment.id).where(
                Assessment.country == country,
                Assessment.year == year,
            )
            if session.scalar(exists):
                skipped += 1
                continue
            assessment = new_row(country, year, edition_id, _status(index, years), is_demo=True)
            session.add(assessment)
            session.flush()
            rows = _answers(rng, level, dims[edition_id], assessment.id, user.id, texts)
            session.add_all(rows)
            # their own random source, so that the answers stay what they were before them
            own = random.Random(f"{seed}-{country}-{year}")
            session.add_all(_matrix(own, rows, assessment.id, texts))
            session.add_all(_sector(random.Random(f"{seed}-{country}-{year}-sector"), assessment))
            if assessment.status != Status.DRAFT.value:
                goals = [g.id for g in installed[edition_id].goals]
                _process(session, own, assessment, goals, texts)
            audit.record(
                session,
                actor.id,
                "assessment",
                str(assessment.id),
                "demo_load",
                None,
                {"country": country, "year": year, "answers": len(rows)},
            )
            made, answered = made + 1, answered + len(rows)
    return DemoReport(made, answered, skipped)


def count(session: Session, actor: Actor) -> int:
    """How many demo assessments there are (administrators only)."""
    if not actor.is_admin:
        raise NotAllowed()
    query = select(func.count()).select_from(Assessment).where(Assessment.is_demo.is_(True))
    return session.scalar(query) or 0


def unload(session: Session, actor: Actor) -> int:
    """Remove every demo row, and nothing else, in the caller's one unit of work: the demo
    assessments with all that hangs on them (answers, evidence, comments, the priority matrix,
    assignments, background reports, panels, the workshop, the sector data sheet), the audit
    entries about them, the demo account and what it wrote in the audit log. Administrators
    only; the removal itself is audited. Returns how many assessments were removed."""
    removed = count(session, actor)
    ids = [str(i) for i in session.scalars(select(Assessment.id).where(Assessment.is_demo))]
    keyed = ["answer", "background_report", "sector_data"]  # audit entries keyed "<id>:…"
    keyed_by_assessment = AuditEntry.entity.in_(keyed)
    about_demo = or_(
        and_(AuditEntry.entity == "assessment", AuditEntry.entity_id.in_(ids)),
        *(
            and_(keyed_by_assessment, AuditEntry.entity_id.startswith(f"{i}:", autoescape=True))
            for i in ids
        ),
    )
    if ids:
        session.execute(delete(AuditEntry).where(about_demo))
    session.execute(delete(Assessment).where(Assessment.is_demo.is_(True)))  # cascades
    user = session.scalar(select(User).where(User.username == DEMO_USER))
    if user is not None:
        session.execute(delete(AuditEntry).where(AuditEntry.user_id == user.id))
        session.execute(delete(User).where(User.id == user.id))
    audit.record(session, actor.id, "demo", "all", "unload", None, {"assessments": removed})
    return removed
