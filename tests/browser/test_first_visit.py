"""A first visit carries few bytes: Streamlit's static files go compressed (Brotli, else gzip)
when the browser accepts it, the same bytes once unpacked, and are kept by the browser."""

from __future__ import annotations

import gzip
import re

import brotli
import httpx
import pytest

pytestmark = pytest.mark.browser


def _main_script(base: str) -> str:
    page = httpx.get(f"{base}/").text
    return re.search(r'src="\.?/?(static/js/index\.[^"]+\.js)"', page).group(1)


@pytest.mark.parametrize(
    ("accepted", "encoding", "unpack"),
    [("gzip, deflate, br, zstd", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress)],
)
def test_streamlits_scripts_go_compressed_and_unpack_to_the_same_bytes(
    app_url, accepted, encoding, unpack
):
    path = _main_script(app_url)
    plain = httpx.get(f"{app_url}/{path}", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    for _ in range(2):  # made once, then kept
        with httpx.stream(
            "GET", f"{app_url}/{path}", headers={"Accept-Encoding": accepted}
        ) as packed:
            raw = b"".join(packed.iter_raw())  # the bytes on the wire
            assert packed.headers["content-encoding"] == encoding
            assert "accept-encoding" in packed.headers["vary"].lower()
            assert "immutable" in packed.headers["cache-control"]  # kept for a year
        assert unpack(raw) == plain.content
        assert len(raw) < len(plain.content) / 3


@pytest.mark.parametrize(
    ("address", "browser_says", "lang"),
    [("/?lang=pt", "fr-FR,fr;q=0.9", "pt"), ("/review", "fr-FR,fr;q=0.9", "fr"), ("/", "en", "en")],
)
def test_the_page_says_its_language_and_that_it_is_loading_before_the_scripts_arrive(
    app_url, address, browser_says, lang
):
    from wddf.i18n import t

    page = httpx.get(f"{app_url}{address}", headers={"Accept-Language": browser_says}).text
    assert f'<html lang="{lang}"' in page
    assert t("app.loading", lang).replace("'", "&#x27;") in page
    assert '<script src="/wddf/words.js?v=' in page


def test_a_page_below_the_root_connects_at_once_without_probing_its_own_path(app_url, browser):
    """A page at ``/questionnaire`` opens its websocket at the root straight away: Streamlit's
    frontend would otherwise ask ``/questionnaire/_stcore/health`` first, be refused and wait,
    a round trip and more over a field link."""
    from playwright.sync_api import expect

    page = browser.new_page()
    try:
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        sockets: list[str] = []
        page.on("websocket", lambda socket: sockets.append(socket.url))
        page.goto(f"{app_url}/questionnaire?lang=en")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert sockets == [f"{app_url.replace('http', 'ws', 1)}/_stcore/stream"]
        assert not [url for url in asked if "/questionnaire/_stcore/" in url]
    finally:
        page.close()
