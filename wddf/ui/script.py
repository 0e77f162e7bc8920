"""The Streamlit script that ``app.py`` serves (and that AppTest runs)."""

from wddf.ui.main import run

run()
