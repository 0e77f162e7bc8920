"""The process pages in AppTest: a focal point assigns a goal and the panelist sees it as theirs;
reviewers read the board without its forms; a session is recorded and a member writes a note;
the workshop's page shows its record and the country's requirement."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from tests.app.conftest import app_for, fresh_draft
from tests.conftest import shipped_editions
from wddf.domain import assessment_window
from wddf.errors import ErrorCode, Invalid
from wddf.services.actor import SYSTEM
from wddf.services.answers import evidence
from wddf.services.process import assignments, background, panels, sector_data
from wddf.services.process import workshop as workshops
from wddf.services.process.workshop import Participant
from wddf.storage.tables import Assessment, Country, PanelSession, SessionNote


def _draft(app_db, focal) -> tuple[int, date]:
    """A new draft, and a day in its window (process dates fall in it)."""
    aid = fresh_draft(app_db, focal)
    with app_db.session() as session:
        return aid, date(session.get(Assessment, aid).year, 3, 12)


def test_a_goal_assigned_in_french_is_the_panelists_own(app_db, app_people):
    aid = fresh_draft(app_db, app_people["focal"])
    at = app_for(app_people["focal"], "fr", page="assignments", assessment=str(aid))
    assert not at.exception
    at.selectbox(key="assign-node").set_value("WD2")
    at.multiselect(key="assign-people").set_value([app_people["panelist"].id])
    at.selectbox(key="assign-task").set_value("panelist")
    at.button(key="FormSubmitter:assign-form-Affecter").click().run()
    assert not at.exception and not at.error
    assert any("1 affectation enregistrée." in s.value for s in at.success)
    assert any("Pas commencée (1)" in m.value for m in at.markdown)
    mine = app_for(app_people["panelist"], "pt", page="assignments")
    [line] = [m.value for m in mine.markdown if m.value.startswith("**WD2 · ")]
    assert "classificar como membro de painel, até " in line
    total = sum(1 for g, _, _ in shipped_editions()["wddf-1.0"].dimensions() if g.id == "WD2")
    assert line.endswith(f"0 de {total} classificadas · Não iniciada")
    reviewer = app_for(app_people["reviewer"], "en", page="assignments", assessment=str(aid))
    assert not reviewer.exception
    assert not [f for f in reviewer.get("form") if f.proto.form_id.startswith("assign")]


def test_a_session_is_recorded_and_a_member_writes_a_note(app_db, app_people):
    aid, day = _draft(app_db, app_people["focal"])
    with app_db.session() as session:
        panel = panels.create(session, SYSTEM, aid, "Trade and exports", ["WD3"])
        panels.add_member(
            session, SYSTEM, panel.id, "", "civil_society", "CSO", app_people["panelist"].id
        )
    at = app_for(app_people["focal"], "en", page="panels", assessment=str(aid))
    assert not at.exception
    at.date_input(key=f"session-date-{panel.id}").set_value(day)
    at.text_input(key=f"session-place-{panel.id}").set_value("Kenema")
    at.text_area(key=f"session-guests-{panel.id}").set_value("[J. Sesay](http://evil.example), X")
    at.multiselect(key=f"session-dims-{panel.id}").set_value(["WD3.1.1"])
    at.button(key=f"FormSubmitter:session-{panel.id}-Record the session").click().run()
    assert not at.exception and not at.error
    with app_db.session() as session:
        held = session.scalar(select(PanelSession).where(PanelSession.panel_id == panel.id))
        assert (held.place, held.dimensions) == ("Kenema", "WD3.1.1")
    present = [m.value for m in at.markdown if m.value.startswith("Present:")]
    assert present and "\\[J\\. Sesay\\]\\(http" in present[0]  # typed markup stays text
    member = app_for(app_people["panelist"], "en", page="panels", assessment=str(aid))
    member.text_area(key=f"note-body-{held.id}").set_value("Customs data were missing.")
    member.button(key=f"FormSubmitter:note-{held.id}-Save my note").click().run()
    assert not member.exception and not member.error
    with app_db.session() as session:
        [note] = session.scalars(select(SessionNote).where(SessionNote.session_id == held.id))
    assert note.body == "Customs data were missing."
    focal = app_for(app_people["focal"], "en", page="panels", assessment=str(aid))
    assert not [t for t in focal.text_area if t.key == f"note-body-{held.id}"]


def test_the_workshop_page_shows_the_record_and_the_requirement(app_db, app_people):
    aid, day = _draft(app_db, app_people["focal"])
    with app_db.session() as session:
        given = [Participant("F. Bangura", "Ministry of Mines", "government")]
        made = workshops.record(session, SYSTEM, aid, day, given, "Freetown", "Endorsed")
        workshops.confirm(session, SYSTEM, aid, {}, made.recorded_at)  # no grade changed that day
    at = app_for(app_people["focal"], "fr", page="workshop", assessment=str(aid))
    assert not at.exception
    assert any("Résultat confirmé" in s.value for s in at.success)
    assert "F. Bangura" in at.dataframe[0].value.iloc[:, 0].tolist()
    toggle = at.toggle(key="workshop-required")
    toggle.set_value(True).run()
    assert not at.exception and not at.error
    with app_db.session() as session:
        assert session.get(Country, "SLE").requires_workshop
        workshops.set_required(session, SYSTEM, "SLE", False)


def test_the_profile_says_where_a_grade_was_agreed_and_agreement_filters_by_session(
    app_db, app_people
):
    """A grade changed on a session's day is "agreed at the panel session of …" on the profile;
    the agreement page narrows to that session's dimensions."""
    from wddf.services import audit
    from wddf.services.answer_rules import AnswerInput
    from wddf.services.answers import assessments
    from wddf.services.process.panels import SessionRecord

    today = audit.now().date()
    admin = app_people["admin"]
    with app_db.session() as session:
        aid = assessments.create(session, admin, "GIN", today.year, "wddf-1.0").id
        for dimension_id, grades in (("WD1.1.1", ("A", "D")), ("WD2.1.1", ("B", "C"))):
            for group, grade in zip(("government", "industry"), grades, strict=True):
                given = AnswerInput(dimension_id, grade, "seen", group=group)
                assessments.save_answer(session, admin, aid, given, 0)
            assessments.save_answer(session, admin, aid, AnswerInput(dimension_id, "B"), 0)
        panel = panels.create(session, admin, aid, "Legal", ["WD1"])
        held = panels.record_session(
            session, admin, panel.id, SessionRecord(today, "Conakry", dimensions=["WD1.1.1"])
        )
    profile = app_for(app_people["admin"], "en", page="profile", assessment=str(aid))
    assert not profile.exception
    said = [t for d in profile.dataframe for t in d.value.get("Where it was agreed", [])]
    assert any(s.startswith("agreed at the panel session of") and "(Legal)" in s for s in said)
    at = app_for(app_people["admin"], "en", page="agreement", assessment=str(aid))
    assert not at.exception
    at.selectbox(key="agreement-panel").set_value(panel.id).run()
    at.selectbox(key="agreement-session").set_value(held.id).run()
    shown = [d.value for d in at.dataframe if "Dimension" in d.value.columns]
    assert [v.split(" · ")[0] for v in shown[-1]["Dimension"]] == ["WD1.1.1"]


def test_the_background_report_is_written_above_the_goal_and_read_by_its_graders(
    app_db, app_people
):
    aid, _ = _draft(app_db, app_people["focal"])
    at = app_for(app_people["focal"], "fr", page="entry", assessment=str(aid))
    at.text_area(key=f"bg-body-{aid}-WD1").set_value("Premier paragraphe.\n\nSecond paragraphe.")
    at.text_area(key=f"bg-citations-{aid}-WD1").set_value("Code minier, art. 12")
    at.button(key="FormSubmitter:bg-form-WD1-Enregistrer le rapport").click().run()
    assert not at.exception and not at.error
    assert any(s.value == "Rapport de fond enregistré." for s in at.success)
    reader = app_for(app_people["panelist"], "en", page="entry", assessment=str(aid))
    assert not reader.exception
    shown = [m.value for m in reader.markdown]
    assert "Second paragraphe\\." in shown and "- Code minier, art\\. 12" in shown
    assert not [t for t in reader.text_area if t.key == f"bg-body-{aid}-WD1"]  # not theirs


def test_a_submitted_assessments_process_pages_are_read_only_and_say_why_in_french(
    app_db, app_people
):
    aid, day = _draft(app_db, app_people["focal"])
    with app_db.session() as session:
        panel = panels.create(session, SYSTEM, aid, "Social", ["WD7"])
        panels.add_member(session, SYSTEM, panel.id, "", "industry", "", app_people["panelist"].id)
        held = panels.record_session(session, SYSTEM, panel.id, panels.SessionRecord(day, "Bo"))
        session.execute(update(Assessment).where(Assessment.id == aid).values(status="submitted"))
    locked = "Cette évaluation est soumise : ses panels, séances, atelier et affectations restent"
    for page in ("panels", "workshop", "assignments"):
        at = app_for(app_people["focal"], "fr", page=page, assessment=str(aid))
        assert not at.exception
        assert any(i.value.startswith(locked) for i in at.info), page
        assert not at.get("form"), page  # nothing to fill in
        if page == "workshop":  # the country's own setting is not the assessment's record
            assert at.toggle(key="workshop-required")
    member = app_for(app_people["panelist"], "fr", page="panels", assessment=str(aid))
    assert "Bo" in " ".join(m.value for m in member.markdown)
    assert not [t for t in member.text_area if t.key == f"note-body-{held.id}"]
    assert not any(i.value.startswith(locked) for i in member.info)  # not theirs to change


def test_a_reviewer_reads_the_goals_background_report_and_its_documents_on_the_review_page(
    app_db, app_people
):
    aid, _ = _draft(app_db, app_people["focal"])
    with app_db.session() as session:
        background.save(
            session, app_people["focal"], aid, "WD1", "Licences are issued late.", "Mines Act", 0
        )
        evidence.add_file(
            session, app_people["focal"], aid, "WD1", "licence-survey.pdf", b"%PDF-1.4\n%x\n"
        )
        session.execute(update(Assessment).where(Assessment.id == aid).values(status="submitted"))
    at = app_for(app_people["reviewer"], "fr", page="review", assessment=str(aid))
    assert not at.exception
    assert at.selectbox(key=f"review-goal-{aid}").value == "WD1"
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert "Licences are issued late\\." in shown and "- Mines Act" in shown
    assert any(s.startswith("📎 licence\\-survey\\.pdf") for s in shown)
    assert not [t for t in at.text_area if t.key.startswith(f"bg-body-{aid}")]  # read only


def test_a_workshop_recorded_again_meanwhile_is_not_overwritten_from_the_page(app_db, app_people):
    aid, day = _draft(app_db, app_people["focal"])
    with app_db.session() as session:
        workshops.record(session, SYSTEM, aid, day, [], "Freetown")
    at = app_for(app_people["focal"], "fr", page="workshop", assessment=str(aid))
    with app_db.session() as session:  # an admin records it again while the page is open
        seen = workshops.of_assessment(session, SYSTEM, aid).recorded_at
        workshops.record(session, SYSTEM, aid, day, [], "Bo", seen=seen)
    [place] = [t for t in at.text_input if t.label == "Lieu"]
    place.set_value("Kenema")
    at.button(key="FormSubmitter:workshop-record-Enregistrer l'atelier").click().run()
    assert not at.exception
    assert any("a de nouveau enregistré l'atelier" in e.value for e in at.error)
    with app_db.session() as session:
        assert workshops.of_assessment(session, SYSTEM, aid).place == "Bo"
    # The form now holds the admin's record; a change made on it is saved.
    [place] = [t for t in at.text_input if t.label == "Lieu"]
    assert place.value == "Bo"
    place.set_value("Kenema")
    at.button(key="FormSubmitter:workshop-record-Enregistrer l'atelier").click().run()
    assert not at.error
    with app_db.session() as session:
        assert workshops.of_assessment(session, SYSTEM, aid).place == "Kenema"


def test_a_due_date_outside_the_window_is_refused_naming_the_window_never_replaced(
    app_db, app_people
):
    aid, inside = _draft(app_db, app_people["focal"])
    outside = date(inside.year + 3, 1, 15)
    first, last = assessment_window(inside.year)
    at = app_for(app_people["focal"], "fr", page="assignments", assessment=str(aid))
    at.selectbox(key="assign-node").set_value("WD2")
    at.multiselect(key="assign-people").set_value([app_people["panelist"].id])
    at.selectbox(key="assign-task").set_value("panelist")
    at.date_input(key="assign-due").set_value(outside)
    at.button(key="FormSubmitter:assign-form-Affecter").click().run()
    refused = Invalid(
        ErrorCode.OUTSIDE_WINDOW,
        day=outside.isoformat(),
        first=first.isoformat(),
        last=last.isoformat(),
    )
    assert [e.value for e in at.error] == [refused.message("fr")]
    with app_db.session() as session:
        assert assignments.board(session, SYSTEM, aid) == []


def test_a_focal_point_in_french_fills_in_the_sector_data_sheet(app_db, app_people):
    """Figures typed the French way are saved with their source and year; a figure without its
    source is refused where it was typed, and nothing is saved; a panel member reads the sheet."""
    aid, day = _draft(app_db, app_people["focal"])
    at = app_for(app_people["focal"], "fr", page="sector", assessment=str(aid))
    assert not at.exception
    name = f"sector-{aid}-production_carats"
    at.text_input(key=f"{name}-value").set_value("85 432,75")
    at.text_input(key=f"{name}-source").set_value("Rapport du BNEC")
    at.text_input(key=f"{name}-year").set_value(str(day.year))
    at.button(key=f"FormSubmitter:{name}-Enregistrer").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("Version 1, enregistrée par app-focal le " in c.value for c in at.caption)
    assert at.text_input(key=f"{name}-value~1").value == "85\u202f432,75"  # the next round
    other = f"sector-{aid}-exports_usd"
    at.text_input(key=f"{other}-value").set_value("1 200 000")
    at.button(key=f"FormSubmitter:{other}-Enregistrer").click().run()
    assert [e.value for e in at.error] == [
        "Exportations (dollars des États-Unis) : un chiffre doit indiquer sa source et l'année "
        "à laquelle il se rapporte. Rien n'a été enregistré."
    ]
    with app_db.session() as session:
        figures = sector_data.sheet(session, app_people["focal"], aid)
    assert [f.item.key for f in figures if not f.is_empty] == ["production_carats"]
    member = app_for(app_people["panelist"], "en", page="sector", assessment=str(aid))
    assert not member.exception and not member.get("form")  # panel members read it
    shown = member.dataframe[0].value
    assert shown.iloc[0].tolist()[:3] == [
        "Artisanal production (carats)",
        "85,432.75",
        "Rapport du BNEC",
    ]
