"""A download on a page: a link to the app's own download route, which checks the session
cookie and makes the file when it is asked for (``wddf.ui.routes.download``).

With ``WDDF_AUTH=oidc`` there is no session cookie of this app, so the file is handed over by a
Streamlit download button instead, made when it is clicked, through the same service.
"""

from __future__ import annotations

import streamlit as st

from wddf.config import get_settings
from wddf.services.documents import downloads
from wddf.ui.context import PageContext
from wddf.ui.routes import download_url


def download(
    ctx: PageContext, label: str, kind: str, key: str, file_name: str, **params: object
) -> None:
    """One download of ``kind`` (see ``services.downloads``) with its ``params``; ``file_name``
    names it where the browser cannot take the name from the route."""
    query = {"lang": ctx.lang, **params}
    if get_settings().auth == "local":
        st.link_button(label, download_url(kind, **query), key=key, icon=":material/download:")
        return

    def content() -> bytes:
        """Made when the button is clicked, not on every rerun."""
        given = {k: str(v) for k, v in query.items() if v is not None}
        with ctx.db.reader() as session:
            return downloads.make(session, ctx.actor, kind, given).content

    st.download_button(label, content, file_name=file_name, key=key)
