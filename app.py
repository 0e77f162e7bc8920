"""Entry point of ``streamlit run app.py``: it only hands over to the app in ``wddf.ui``."""

from wddf.ui.main import run

run()
