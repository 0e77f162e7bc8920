"""Streamlit's own words in the user's language, and the page's ``lang``.

Streamlit offers no setting for the words its frontend writes itself (the file uploader's "Drag
and drop file here", "Select all", the "Connecting" status) nor for ``<html lang>``. So:

- ``PageLanguage``, a middleware, gives the app's HTML page the language the address asks for
  (``?lang=``, else the browser's), says in it that the app is loading until the app draws
  itself, tells Streamlit's frontend where its server is (``server_hint``), and loads
  ``/wddf/words.js``;
- ``words.js`` puts each of Streamlit's English words (``STREAMLIT_WORDS``) in the language of the
  address (which the language switch keeps), as the page changes; keeps ``<html lang>`` in step;
  says "still drawing" while Streamlit shows placeholders for elements not drawn yet; and warns
  before a refresh or a closed tab would lose text typed and not yet sent.

The words are catalogue keys (``streamlit.*``), so the catalogue test keeps all three complete.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from functools import cache
from html import escape

from starlette.datastructures import Headers, MutableHeaders, QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit import config

from wddf.config import get_settings
from wddf.i18n import LANGUAGES, pick_language, t

WORDS_PATH = "/wddf/words.js"
# Streamlit's own English (as its frontend writes it) → the catalogue key that says it.
STREAMLIT_WORDS = {
    "Drag and drop file here": "streamlit.drop_file",
    "Drag and drop files here": "streamlit.drop_files",
    "Drag and drop a file here": "streamlit.drop_file",
    "Browse files": "streamlit.browse",
    "Upload": "streamlit.upload",
    "Select all": "streamlit.select_all",
    "Clear all": "streamlit.clear_all",
    "Choose an option": "streamlit.choose",
    "Choose options": "streamlit.choose_many",
    "No results": "streamlit.no_results",
    "YYYY/MM/DD": "streamlit.date_format",
    "dd / mm / yyyy": "streamlit.date_placeholder",
    "Connecting": "streamlit.connecting",
    "Connecting to Streamlit server": "streamlit.connecting",
    "Error": "streamlit.link_down",
    "Unable to connect to Streamlit server": "streamlit.link_down",
    "Connection error": "streamlit.link_down",
    "Streamlit server is not responding. Are you connected to the internet?": (
        "streamlit.not_responding"
    ),
    "Running...": "streamlit.running",
    "Stop": "streamlit.stop",
    "Open": "streamlit.open",
    "Close": "streamlit.close",
}
# "25MB per file": the size stays, the words change.
PER_FILE_KEY = "streamlit.per_file"

SCRIPT = r"""(() => {
  const WORDS = %(words)s;
  const PER_FILE = %(per_file)s;
  const ATTRIBUTES = ["placeholder", "aria-label", "title"];
  const language = () => {
    const asked = new URLSearchParams(location.search).get("lang");
    return asked in PER_FILE ? asked : document.documentElement.lang in PER_FILE
      ? document.documentElement.lang : "en";
  };
  // each word as Streamlit writes it or as any language says it → the word in every language
  const KNOWN = {};
  for (const [english, words] of Object.entries(WORDS)) {
    for (const text of [english, ...Object.values(words)]) KNOWN[text] = words;
  }
  const escaped = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const SIZES = ["{size} per file", ...Object.values(PER_FILE)].map((pattern) =>
    new RegExp("^" + escaped(pattern).replace("\\{size\\}", "(\\S+)") + "$"));
  const said = (text, lang) => {
    const trimmed = text.trim();
    const words = KNOWN[trimmed];
    if (words) return text.replace(trimmed, words[lang]);
    for (const pattern of SIZES) {
      const size = pattern.exec(trimmed);
      if (size) return PER_FILE[lang].replace("{size}", size[1]);
    }
    return null;
  };
  // While Streamlit still shows placeholders for elements it has not drawn yet, say so: the
  // app's own "running" mark may already be gone.
  const DRAWING = %(drawing)s;
  const SKELETONS = '[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]';
  const drawing = (lang) => {
    const busy = document.querySelector(SKELETONS) !== null;
    let note = document.getElementById("wddf-drawing");
    if (!busy) { if (note) note.remove(); return; }
    if (!note) {
      note = document.createElement("div");
      note.id = "wddf-drawing";
      note.setAttribute("role", "status");
      note.style.cssText = "position:fixed;right:1rem;bottom:1rem;z-index:1000;" +
        "pointer-events:none;" +
        "padding:.4rem .8rem;border-radius:.5rem;background:#1F4E79;color:#FFFFFF;" +
        "font:14px sans-serif";
      document.body.appendChild(note);
    }
    if (note.textContent !== DRAWING[lang]) note.textContent = DRAWING[lang];
  };
  const translate = () => {
    const lang = language();
    if (document.documentElement.lang !== lang) document.documentElement.lang = lang;
    drawing(lang);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const shown = said(node.nodeValue, lang);
      if (shown !== null && shown !== node.nodeValue) node.nodeValue = shown;
    }
    for (const name of ATTRIBUTES) {
      for (const element of document.body.querySelectorAll(`[${name}]`)) {
        const shown = said(element.getAttribute(name), lang);
        if (shown !== null && shown !== element.getAttribute(name)) {
          element.setAttribute(name, shown);
        }
      }
    }
  };
  let queued = false;
  const soon = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; translate(); });
  };
  const start = () => {
    translate();
    new MutationObserver(soon).observe(document.body, {
      subtree: true, childList: true, characterData: true, attributes: true,
      attributeFilter: ATTRIBUTES,
    });
  };
  if (document.body) start(); else addEventListener("DOMContentLoaded", start);
  // Text typed in a field and not yet sent (it goes when the field is left) is not lost to a
  // refresh or a closed tab without the browser's own warning.
  let typing = null;
  addEventListener("input", (event) => {
    if (event.target.matches("textarea, input[type=text], input:not([type])")) {
      typing = event.target;
    }
  }, true);
  addEventListener("blur", (event) => { if (event.target === typing) typing = null; }, true);
  addEventListener("beforeunload", (event) => {
    if (typing !== null && typing.isConnected) { event.preventDefault(); event.returnValue = ""; }
  });
})();
"""


@cache
def script() -> str:
    """``words.js``: every word in every language, chosen in the browser."""
    words = {
        english: {lang: t(key, lang) for lang in LANGUAGES}
        for english, key in STREAMLIT_WORDS.items()
    }
    per_file = {lang: t(PER_FILE_KEY, lang, size="{size}") for lang in LANGUAGES}
    drawing = {lang: t("app.drawing", lang) for lang in LANGUAGES}
    return SCRIPT % {
        "words": json.dumps(words, ensure_ascii=False),
        "per_file": json.dumps(per_file, ensure_ascii=False),
        "drawing": json.dumps(drawing, ensure_ascii=False),
    }


@cache
def _version() -> str:
    return hashlib.sha256(script().encode()).hexdigest()[:12]


async def words_js(_request: Request) -> Response:
    """``/wddf/words.js``, kept by browsers for a year under its content's hash."""
    return Response(
        script(),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


def words_routes() -> list[Route]:
    return [Route(WORDS_PATH, words_js, methods=["GET"])]


# Paths whose answers are never the app's page.
NOT_THE_PAGE = ("/_stcore", "/static", "/wddf/", "/component", "/media", "/app/static", "/~/")


class PageLanguage:
    """ASGI middleware: the app's HTML page says its language (``<html lang>``) and loads the
    script that puts Streamlit's own words in it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope["method"] != "GET" or path.startswith(NOT_THE_PAGE):
            await self.app(scope, receive, send)
            return
        lang = pick_language(
            QueryParams(scope.get("query_string", b"").decode("latin-1")).get("lang"),
            Headers(scope=scope).get("accept-language", ""),
            get_settings().default_language,
        )
        started: dict[str, Message] = {}
        body: list[bytes] = []

        async def rewrite(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                is_page = headers.get("content-type", "").startswith("text/html")
                if not is_page or headers.get("content-encoding", "gzip") != "gzip":
                    started["pass"] = message
                    await send(message)
                    return
                started["page"] = message
                return
            if "pass" in started:
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            start = started["page"]
            headers = MutableHeaders(raw=list(start["headers"]))
            packed = headers.get("content-encoding") == "gzip"
            raw = gzip.decompress(b"".join(body)) if packed else b"".join(body)
            page = _with_language(raw.decode("utf-8"), lang).encode("utf-8")
            page = gzip.compress(page) if packed else page
            headers["content-length"] = str(len(page))
            for validator in ("etag", "last-modified"):  # the page differs by language
                if validator in headers:
                    del headers[validator]
            await send({**start, "headers": headers.raw})
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, rewrite)


# Shown, in the reader's language, until Streamlit's scripts have arrived and draw the app (over
# a field link, that takes a while): React replaces what the root holds.
LOADING = (
    '<div id="root"><p role="status" style="font-family:sans-serif;margin:3rem;color:#1A1A1A">'
    "{text}</p></div>"
)


@cache
def server_hint() -> str:
    """A script that tells Streamlit's frontend where its server is, and the server's host
    settings, before it asks. Without it, the frontend of a page at ``/entry`` first probes
    ``/entry/_stcore/health``, is refused, waits, then probes the root, and opens its websocket
    only after a health check and a host-config answer: three to four round trips before the
    first message, about a second over a 3G link. With it, the websocket opens at once at the
    root, and the same checks run beside it (Streamlit's ``enableBypass``); their answers still
    replace what the hint said. The host settings are those ``/_stcore/host-config`` answers."""
    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    host = {
        "allowedOrigins": list(config.get_option("client.allowedOrigins")),
        "useExternalAuthToken": False,
        "enableCustomParentMessages": False,
        "enforceDownloadInNewTab": False,
        "metricsUrl": "",
        "blockErrorDialogs": False,
        "resourceCrossOriginMode": None,
    }
    where, settings = (
        json.dumps(value).replace("</", "<\\/")  # nothing in it can close the script
        for value in (f"/{base}/" if base else "/", host)
    )
    return (
        f"<script>window.__streamlit={{BACKEND_BASE_URL:new URL({where},location.href).href,"
        f"HOST_CONFIG:{settings}}};</script>"
    )


def _with_language(page: str, lang: str) -> str:
    """The app's page with ``lang``, a word while it loads, where its server is, and the words
    script."""
    page = page.replace('<html lang="en"', f'<html lang="{lang}"', 1)
    waiting = LOADING.format(text=escape(t("app.loading", lang)))
    page = page.replace('<div id="root"></div>', waiting, 1)
    tag = f'<script src="{WORDS_PATH}?v={_version()}"></script>'
    return page.replace("</head>", f"{server_hint()}{tag}</head>", 1)
