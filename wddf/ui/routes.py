"""Sign-in, sign-out and download routes served beside Streamlit (``st.App(routes=...)``).

The sign-in form is a plain HTML page: its POST checks the password through the accounts
service and answers with a redirect that sets an ``HttpOnly; SameSite=Lax`` cookie bound to a
server-side session row. The Streamlit script reads that cookie on every run, so a browser
refresh keeps the user signed in. A POST whose ``Origin`` (or, without one, ``Referer``) is not
this site is refused.

Downloads (``/wddf/download/<kind>``) check the same cookie on every request and hand the file
over as an attachment, made at that moment for what that user may read: no URL works without a
live session, and nothing stays reachable once the browser is closed.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from wddf.config import get_settings
from wddf.errors import ErrorCode, Invalid, ServiceError
from wddf.i18n import LANGUAGES, pick_language, t
from wddf.services import accounts
from wddf.services.documents import downloads
from wddf.storage.db import database_for
from wddf.ui.site import same_origin

COOKIE = "wddf_session"
SIGN_IN_PATH, SIGN_OUT_PATH = "/wddf/signin", "/wddf/signout"
DOWNLOAD_PATH = "/wddf/download"
DOWNLOAD_PARAMS = ("country", "lang", "assessment", "file", "format")
# A downloaded file is never shown inline, sniffed, cached or allowed to run anything.
DOWNLOAD_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}
PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;background:#F0F4F8;display:flex;justify-content:center;
padding-top:10vh}}form{{background:#fff;padding:2rem;border-radius:8px;min-width:20rem;
box-shadow:0 1px 4px #0002}}label{{display:block;margin:.8rem 0 .3rem}}input{{width:100%;
padding:.5rem;font-size:1rem;box-sizing:border-box}}button{{margin-top:1.2rem;width:100%;
padding:.6rem;background:#1F4E79;color:#fff;border:0;border-radius:4px;font-size:1rem}}
.error{{color:#A4161A;margin-top:.8rem}}</style></head>
<body><form method="post" action="{action}"><h1>{title}</h1>
<input type="hidden" name="next" value="{next}"><input type="hidden" name="lang" value="{lang}">
<label for="username">{username}</label>
<input id="username" name="username" autocomplete="username" required>
<label for="password">{password}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{title}</button>{error}</form></body></html>"""


# The sign-in page loads nothing from elsewhere, runs no script, and is never framed.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _language(request: Request, given: str | None = None) -> str:
    accept = request.headers.get("accept-language", "")
    return pick_language(
        given or request.query_params.get("lang"), accept, get_settings().default_language
    )


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an absolute URL to elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _client_address(request: Request) -> str:
    """The client's address as the server resolved it: the peer, or, when the peer is one of
    ``WDDF_TRUSTED_PROXIES``, the address that proxy wrote in ``X-Forwarded-For`` (the shipped
    nginx overwrites the header with the address it sees, so no client writes it)."""
    return request.client.host if request.client else ""


def _form(lang: str, next_path: str, error: str = "", status: int = 200) -> HTMLResponse:
    html = PAGE.format(
        lang=lang,
        title=escape(t("auth.sign_in", lang)),
        action=SIGN_IN_PATH,
        next=escape(next_path),
        username=escape(t("auth.username", lang)),
        password=escape(t("auth.password", lang)),
        error=f'<p class="error" role="alert">{escape(error)}</p>' if error else "",
    )
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


def _sign_in(username: str, password: str, address: str) -> accounts.SignIn | Invalid:
    return accounts.sign_in(database_for(get_settings().database_url), username, password, address)


def _sign_out(token: str) -> None:
    with database_for(get_settings().database_url).session() as session:
        accounts.sign_out(session, token)


async def sign_in(request: Request) -> Response:
    """GET: the form. POST: check the password, set the session cookie, go back to the app."""
    if request.method == "GET":
        return _form(_language(request), _safe_next(request.query_params.get("next")))
    form = await request.form()
    lang = _language(request, str(form.get("lang") or ""))
    next_path = _safe_next(str(form.get("next") or "/"))
    if not same_origin(request):
        return _form(lang, next_path, t("auth.cross_site", lang), status=403)
    result = await run_in_threadpool(
        _sign_in,
        str(form.get("username") or ""),
        str(form.get("password") or ""),
        _client_address(request),
    )
    if isinstance(result, Invalid):
        return _form(lang, next_path, result.message(lang), status=401)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        COOKIE,
        result.token,
        max_age=int(accounts.ABSOLUTE_EXPIRY.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


async def sign_out(request: Request) -> Response:
    """POST: revoke the session and clear the cookie."""
    if not same_origin(request):
        return Response(status_code=403)
    token = request.cookies.get(COOKIE)
    if token:
        await run_in_threadpool(_sign_out, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def _download(token: str, kind: str, params: dict[str, str]) -> downloads.Download | None:
    database = database_for(get_settings().database_url)
    with database.session() as session:
        actor = accounts.resolve_session(session, token)
    if actor is None:
        return None
    with database.reader() as session:
        return downloads.make(session, actor, kind, params)


async def download(request: Request) -> Response:
    """GET: one file for the signed-in user, as an attachment; 401 without a live session,
    404 for anything unknown or not theirs to read."""
    token = request.cookies.get(COOKIE)
    if not token:
        return Response(status_code=401, headers=DOWNLOAD_HEADERS)
    if request.method == "HEAD":  # a probe builds nothing; the file is made for a GET only
        return Response(status_code=200, headers=DOWNLOAD_HEADERS)
    params = {k: v for k, v in request.query_params.items() if k in DOWNLOAD_PARAMS}
    try:
        made = await run_in_threadpool(_download, token, request.path_params["kind"], params)
    except ServiceError as exc:  # said in the page's language, as plain text
        lang = params.get("lang", "en")
        busy = exc.code is ErrorCode.REPORT_BUSY
        return Response(
            exc.message(lang if lang in LANGUAGES else "en"),
            status_code=429 if busy else 404,
            media_type="text/plain; charset=utf-8",
            headers=DOWNLOAD_HEADERS,
        )
    if made is None:
        return Response(status_code=401, headers=DOWNLOAD_HEADERS)
    disposition = f"attachment; filename*=UTF-8''{quote(made.name)}"
    headers = DOWNLOAD_HEADERS | {"Content-Disposition": disposition}
    return Response(made.content, media_type=made.media_type, headers=headers)


def download_url(kind: str, **params: object) -> str:
    """The URL of one download (see ``download``)."""
    query = urlencode({k: str(v) for k, v in params.items() if v is not None})
    return f"{DOWNLOAD_PATH}/{kind}" + (f"?{query}" if query else "")


def auth_routes() -> list[Route]:
    """The routes ``app.py`` mounts beside Streamlit."""
    return [
        Route(SIGN_IN_PATH, sign_in, methods=["GET", "POST"]),
        Route(SIGN_OUT_PATH, sign_out, methods=["POST"]),
        Route(f"{DOWNLOAD_PATH}/{{kind}}", download, methods=["GET"]),
    ]
