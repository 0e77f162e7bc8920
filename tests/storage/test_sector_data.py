"""The sector data sheet: figures read in the writer's language with their source and year,
statements kept as typed, every change audited, stale saves refused, locked at submission, and
written only by the country's focal point or an admin."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.storage.helpers import new_assessment
from wddf.domain import SECTOR_ITEMS, Status
from wddf.errors import Conflict, ErrorCode, Invalid, NotAllowed, NotFound
from wddf.services.process import sector_data
from wddf.services.process.sector_data import Entry
from wddf.storage.tables import AuditEntry, SectorFigure


def _figure(db, actor, aid: int, item: str) -> sector_data.Figure:
    with db.session() as session:
        return next(f for f in sector_data.sheet(session, actor, aid) if f.item.key == item)


def test_a_focal_point_in_french_enters_figures_read_the_french_way(db, people):
    focal = people["focal"]
    aid = new_assessment(db, focal)
    with db.session() as session:
        assert [f.item.key for f in sector_data.sheet(session, focal, aid)] == [
            i.key for i in SECTOR_ITEMS
        ]
        diggers = Entry("diggers_total", "120 000", "Recensement 2024", "2024")
        assert sector_data.save(session, focal, aid, diggers, 0, "fr") == 1
        carats = Entry("production_carats", "85 432,75", "Rapport du BNEC", "2024")
        sector_data.save(session, focal, aid, carats, 0, "fr")
        plan = Entry("ta_needs", '=HYPERLINK("http://x") formation des agents')
        sector_data.save(session, focal, aid, plan, 0, "fr")
    assert _figure(db, focal, aid, "diggers_total").amount == Decimal("120000")
    carats = _figure(db, focal, aid, "production_carats")
    assert (carats.amount, carats.source, carats.year) == (
        Decimal("85432.75"),
        "Rapport du BNEC",
        2024,
    )
    assert _figure(db, focal, aid, "ta_needs").text.startswith("=HYPERLINK")  # kept as typed
    with db.session() as session:  # a change: audited with before and after
        sector_data.save(
            session,
            focal,
            aid,
            Entry("diggers_total", "125 000", "Recensement 2024", "2024"),
            1,
            "fr",
        )
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "sector_data").order_by(AuditEntry.id)
        ).all()
    last = entries[-1]
    assert last.entity_id == f"{aid}:diggers_total" and last.user_id == focal.id
    assert json.loads(last.old_value)["amount"] == "120000"
    assert json.loads(last.new_value)["amount"] == "125000"


REFUSED = [
    (Entry("diggers_total", "1.250.000", "Recensement", "2024"), ErrorCode.UNREADABLE_NUMBER),
    (Entry("diggers_total", "12,5", "Recensement", "2024"), ErrorCode.NOT_WHOLE),
    (Entry("exports_usd", "10,125", "Douanes", "2024"), ErrorCode.UNREADABLE_NUMBER),
    (Entry("exports_usd", "1 000", "", "2024"), ErrorCode.FIGURE_UNSOURCED),
    (Entry("exports_usd", "1 000", "Douanes", ""), ErrorCode.FIGURE_UNSOURCED),
    (Entry("exports_usd", "1 000", "Douanes", "2031"), ErrorCode.BAD_YEAR),
    (Entry("exports_usd", "1 000", "Douanes", "deux mille"), ErrorCode.BAD_YEAR),
    (Entry("favourite_colour", "bleu"), ErrorCode.UNKNOWN_NODE),
    (Entry("kp_focal_point", "M. \u202eXYZ"), ErrorCode.INVALID),
]


@pytest.mark.parametrize(("entry", "code"), REFUSED)
def test_a_bad_entry_is_refused_naming_the_item_and_nothing_is_written(db, people, entry, code):
    aid = new_assessment(db, people["focal"])
    with pytest.raises((Invalid, NotAllowed)) as refused, db.session() as session:
        sector_data.save(session, people["focal"], aid, entry, 0, "fr")
    assert refused.value.code is code or refused.value.code.value.startswith("text")
    if code in (ErrorCode.NOT_WHOLE, ErrorCode.FIGURE_UNSOURCED):
        assert refused.value.params["field"] in {
            "Creuseurs (total)",
            "Exportations (dollars des États-Unis)",
        }
    with db.session() as session:
        assert session.scalars(select(SectorFigure)).all() == []


def test_a_stale_save_is_refused_with_the_other_persons_figure(db, people):
    aid = new_assessment(db, people["focal"])
    with db.session() as session:
        sector_data.save(
            session,
            people["admin"],
            aid,
            Entry("active_sites", "340", "Inventaire", "2024"),
            0,
            "en",
        )
    with pytest.raises(Conflict) as refused, db.session() as session:
        sector_data.save(
            session,
            people["focal"],
            aid,
            Entry("active_sites", "300", "Inventaire", "2024"),
            0,
            "en",
        )
    assert refused.value.theirs["amount"] == "340" and refused.value.by == "admin"
    assert _figure(db, people["focal"], aid, "active_sites").amount == Decimal("340")


def test_only_the_countrys_focal_point_or_an_admin_writes_and_only_while_open(db, people):
    aid = new_assessment(db, people["focal"])
    entry = Entry("licensed_buyers", "42", "Registre", "2024")
    for stranger in ("other_focal", "panelist", "reviewer", "donor"):  # some may not even see it
        with pytest.raises((NotAllowed, NotFound)), db.session() as session:
            sector_data.save(session, people[stranger], aid, entry, 0, "en")
    submitted = new_assessment(db, people["focal"], year=2023, status=Status.SUBMITTED)
    with pytest.raises(NotAllowed) as locked, db.session() as session:
        sector_data.save(session, people["focal"], submitted, entry, 0, "en")
    assert locked.value.code is ErrorCode.LOCKED_STATUS
    with db.session() as session:
        assert session.scalars(select(SectorFigure)).all() == []
        # the reviewer reads what was entered
        assert len(sector_data.sheet(session, people["reviewer"], submitted)) == len(SECTOR_ITEMS)
