"""Which site a request is for, and whether it comes from a page of it.

With ``WDDF_BASE_URL`` (the address users type, such as ``https://wddf.example.org``), the app
answers only requests for that host, and accepts a form post or a websocket only from a page of
that exact origin (scheme, host and port). Without it, the site is the one the request names in
its ``Host`` header, with the scheme the server saw (the proxy's ``X-Forwarded-Proto`` for a
trusted proxy). ``SiteGuard`` applies the host and websocket rules to everything the app serves,
Streamlit's own routes included; the sign-in routes ask ``same_origin`` for their posts.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from wddf.config import get_settings

DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443"}
# Answered whatever the host: a load balancer or monitor probes each replica by its address.
ANY_HOST_PATHS = ("/_stcore/health", "/healthz")


def origin_of(url: str) -> tuple[str, str] | None:
    """(scheme, host:port) of a URL or an Origin header, default ports left out and names
    lower-cased; ``None`` for anything else (``null``, no host)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    host = parts.hostname.lower()
    host = f"[{host}]" if ":" in host else host
    port = str(parts.port) if parts.port else ""
    if port and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    return scheme, host


def site_of(connection: HTTPConnection) -> tuple[str, str] | None:
    """The origin this request is for: ``WDDF_BASE_URL``'s when set (``None`` when the request
    names another host), else its own ``Host`` with the scheme the server saw."""
    scheme = {"ws": "http", "wss": "https"}.get(connection.url.scheme, connection.url.scheme)
    named = origin_of(f"{scheme}://{connection.headers.get('host', '')}")
    configured = get_settings().base_url
    if not configured:
        return named
    wanted = origin_of(configured)
    if named is None or wanted is None or named[1] != wanted[1]:
        return None
    return wanted


def same_origin(connection: HTTPConnection) -> bool:
    """A post from a page of this site: its ``Origin`` is this site's origin, or, where a browser
    sends no ``Origin``, its ``Referer`` is on it. Neither, or a foreign one, is refused."""
    site = site_of(connection)
    if site is None:
        return False
    origin = connection.headers.get("origin")
    if origin is not None:
        return origin_of(origin) == site
    referer = connection.headers.get("referer")
    return referer is not None and origin_of(referer) == site


class SiteGuard:
    """ASGI middleware: with ``WDDF_BASE_URL`` set, a request for another host is answered 421
    (a forged ``Host`` reaches nothing), and a websocket opens only from a page of the site's
    exact origin (Streamlit's own check also lets in any page on ``localhost``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or not get_settings().base_url:
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        site = site_of(connection)
        if scope["type"] == "http":
            if site is None and not scope["path"].startswith(ANY_HOST_PATHS):
                await PlainTextResponse("Misdirected request", 421)(scope, receive, send)
                return
        else:
            origin = Headers(scope=scope).get("origin")
            if site is None or origin is None or origin_of(origin) != site:
                await send({"type": "websocket.close", "code": 1008})
                return
        await self.app(scope, receive, send)
