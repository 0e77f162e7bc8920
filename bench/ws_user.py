"""A simulated user speaking Streamlit's own websocket protocol to a running server.

It signs in through the sign-in form (an HTTP POST, as a browser does), opens the app's
websocket with the session cookie, asks for a page, and changes widgets: each change sends the
``rerun_script`` message a browser sends (for the widget's fragment alone when a fragment drew
it), and is timed until the server says the run finished.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import httpx
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

SESSION_COOKIE = "wddf_session"


def sign_in(base_url: str, username: str, password: str) -> str:
    """The session token the sign-in form sets for these credentials."""
    reply = httpx.post(
        f"{base_url}/wddf/signin",
        data={"username": username, "password": password, "next": "/", "lang": "en"},
        headers={"Origin": base_url},
        follow_redirects=False,
        timeout=60,
    )
    token = reply.cookies.get(SESSION_COOKIE)
    if not token:
        raise RuntimeError(f"sign-in refused for {username}: HTTP {reply.status_code}")
    return token


class User:
    """One browser tab: a websocket session on one page."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url = base_url
        self.token = token
        self.widgets: dict[str, str] = {}  # user key → widget id, from the last run
        self.fragments: dict[str, str] = {}  # user key → the fragment drawing it, if any
        self.fragment_id = ""  # the fragment the next rerun is for ("" for the whole page)
        self.values: dict[str, tuple[str | None, object]] = {}  # widget id → (state field, value)
        self.alerts: list[str] = []  # errors and alerts shown in the last run
        self.page = ""
        self.query = ""
        self.connection = None

    async def connect(self) -> None:
        """Open the websocket, with the session cookie and the page's origin."""
        host = urlsplit(self.base_url).netloc
        self.connection = await websockets.connect(
            f"ws://{host}/_stcore/stream",
            subprotocols=["streamlit"],
            additional_headers={
                "Cookie": f"{SESSION_COOKIE}={self.token}",
                "Origin": self.base_url,
            },
            max_size=None,
            open_timeout=60,
        )

    async def open(self, page: str, query: str) -> float:
        """Run ``page`` with the URL query ``query``; seconds until the run finished."""
        self.page, self.query = page, query
        self.fragment_id = ""
        return await self._rerun()

    async def choose(self, key: str, value: str) -> float:
        """Set the widget with user key ``key`` (a radio, a select box) to ``value``, as a click
        does; seconds until the server finished the rerun it causes."""
        self.values[self.widgets[key]] = ("string_value", value)
        self.fragment_id = self.fragments.get(key, "")  # as a browser reruns a fragment's widget
        return await self._rerun()

    async def _rerun(self) -> float:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        state.page_name = self.page
        state.fragment_id = self.fragment_id
        for widget_id, (field, value) in self.values.items():
            widget = state.widget_states.widgets.add()
            widget.id = widget_id
            if field is not None:  # a widget with no value is sent with its id alone
                setattr(widget, field, value)
        self.alerts = []
        start = time.perf_counter()
        await self.connection.send(message.SerializeToString())
        await self._until_finished()
        return time.perf_counter() - start

    async def _until_finished(self) -> None:
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await self.connection.recv())
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                self._remember(forward.delta.new_element, forward.delta.fragment_id)
            elif kind == "script_finished":
                if forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    return
            elif kind == "page_not_found":
                raise RuntimeError(f"page not found: {self.page}")

    def _remember(self, element, fragment_id: str = "") -> None:
        """Keep the widget's id by its user key, and its value as the browser would show it: the
        server's when it sets one or when the widget is new, the user's otherwise."""
        kind = element.WhichOneof("type")
        if kind in ("exception", "alert"):
            self.alerts.append(str(getattr(element, kind)).replace("\n", " ")[:300])
        widget = getattr(element, kind or "", None)
        widget_id = getattr(widget, "id", "")
        if not isinstance(widget_id, str) or "-" not in widget_id:
            return
        key = widget_id.split("-", 2)[-1]
        self.widgets[key] = widget_id
        self.fragments[key] = fragment_id
        if widget_id in self.values and not getattr(widget, "set_value", False):
            return
        if kind in ("radio", "selectbox"):
            if widget.set_value and widget.HasField("raw_value"):
                self.values[widget_id] = ("string_value", widget.raw_value)
            elif widget.HasField("default") and widget.options:
                self.values[widget_id] = ("string_value", widget.options[widget.default])
            else:
                self.values[widget_id] = (None, None)
        elif kind in ("text_area", "text_input"):
            text = widget.value if widget.set_value else widget.default
            self.values[widget_id] = ("string_value", text)
        elif kind == "checkbox":
            self.values[widget_id] = (
                "bool_value",
                widget.value if widget.set_value else widget.default,
            )

    async def close(self) -> None:
        """Close the websocket, as closing the tab does."""
        if self.connection is not None:
            await self.connection.close()
