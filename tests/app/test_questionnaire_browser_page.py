"""AppTest: the questionnaire browser renders in every language and follows the chosen goal."""

from __future__ import annotations

import pytest

from tests.app.conftest import app_for
from tests.conftest import shipped_editions


@pytest.mark.parametrize(
    ("lang", "heading", "dimension_title"),
    [
        ("en", "Questionnaire browser", "Artisanal mining defined in the mining law"),
        (
            "fr",
            "Consultation du questionnaire",
            "Exploitation artisanale définie dans le code minier",
        ),
        ("pt", "Consulta do questionário", "Mineração artesanal definida na lei mineira"),
    ],
)
def test_page_renders_in_each_language(app_people, lang, heading, dimension_title):
    at = app_for(app_people["donor"], lang, page="questionnaire")
    assert not at.exception
    assert at.title[0].value == heading
    labels = [e.label for e in at.expander]
    assert any(dimension_title in label.replace("\\", "") for label in labels), labels


def test_goal_in_the_url_is_the_goal_shown(app_people):
    at = app_for(app_people["donor"], "en", page="questionnaire", goal="WD7")
    assert not at.exception
    assert at.header[0].value.replace("\\", "").startswith("WD7 · Safe, humane")
    labels = [e.label.replace("\\", "") for e in at.expander]
    shown = {label.split(" ")[0] for label in labels if label.startswith("WD")}
    newest = shipped_editions()["wddf-1.2"]  # the edition shown by default
    expected = {d.id for i in newest.goals[6].indicators for d in i.dimensions}
    assert shown == expected


def test_choosing_another_goal_updates_the_url(app_people):
    at = app_for(app_people["donor"], "fr", page="questionnaire")
    at.selectbox(key="goal").set_value("WD3").run()
    assert at.query_params["goal"] in (["WD3"], "WD3")
    assert "Contrôles internes" in at.header[0].value


def test_first_start_creates_and_migrates_the_embedded_database(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT
    from wddf.config import get_settings
    from wddf.services import editions
    from wddf.storage.db import Database
    from wddf.storage.migrate import current_revision, head_revision

    url = f"sqlite:///{tmp_path}/fresh/wddf.sqlite3"
    monkeypatch.setenv("WDDF_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        at = AppTest.from_file(str(ROOT / "wddf" / "ui" / "script.py"), default_timeout=30).run()
        assert not at.exception
        assert current_revision(url) == head_revision()
        with Database(url).session() as session:  # the shipped editions are installed
            assert list(editions.all_editions(session)) == list(shipped_editions())
        assert at.title[0].value == "First start: create the administrator"
    finally:
        get_settings.cache_clear()


def test_the_edition_notes_and_its_quantifiers_are_shown_in_the_readers_language(app_people):
    at = app_for(app_people["donor"], "pt", page="questionnaire")
    assert not at.exception
    notes = next(e for e in at.expander if e.label == "Como ler esta edição")
    text = "\n".join(m.value for m in notes.markdown)
    assert (
        "Acordo Ortográfico de 1990" in text and "\n\n\\(2\\) D é a classificação residual" in text
    )
    assert "**Palavras de proporção**" in text and "- **a maior parte** — 75 % ou mais" in text
    assert "- **poucos / poucas** — mais de 10 % mas menos de 25 %" in text
