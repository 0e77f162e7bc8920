"""Entry point of ``streamlit run app.py``: the Streamlit script plus the sign-in routes."""

import streamlit as st
from starlette.middleware import Middleware

from wddf.config import check_proxy_trust, get_settings
from wddf.ui.compression import StaticCompression
from wddf.ui.database import lifespan
from wddf.ui.page_words import PageLanguage, words_routes
from wddf.ui.routes import auth_routes
from wddf.ui.site import SiteGuard

check_proxy_trust()
app = st.App(
    "wddf/ui/script.py",
    routes=[*auth_routes(), *words_routes()],
    secrets=get_settings().oidc_secrets(),
    lifespan=lifespan,
    middleware=[Middleware(SiteGuard), Middleware(PageLanguage), Middleware(StaticCompression)],
)
