"""One grade changed on the entry page of a live ``streamlit run app.py``, as shipped, against a
bare script with the same widgets that reruns the whole page (``bench/floor_entry_page.py``),
served the same way under Streamlit's default settings.

Two measures, each in rounds that alternate the app and the floor:

- **server processor time per click**: a simulated browser (``bench/ws_user.py``) changes a
  grade back and forth; the server process's processor time over those clicks, per click. It
  includes the autosave, Streamlit's websocket traffic and its garbage collection;
- **click to idle in Chromium**: the page in front; from the click on a grade to the end of the
  rerun and the next painted frame.

The goal's answers are all given, so a click changes a grade and saves it, as most clicks do.
``python -m bench.bench_entry_page [--quick]``.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

from bench.live import STREAMLIT_DEFAULTS, click_to_idle, cpu_seconds
from bench.timing import Result, alternate, print_table
from bench.ws_user import User, sign_in
from wddf.testing.browser import CHROMIUM, CHROMIUM_ARGS, wait_until_idle
from wddf.testing.browser import sign_in as browser_sign_in
from wddf.testing.servers import AppServer

CPU_LIMIT = 0.6  # server time per click, against the bare script
LATENCY_LIMIT = 1.2  # click to idle in Chromium, against the bare script
PASSWORD = "Entry-page-timing-1"


def prepare(url: str) -> int:
    """A focal point of Sierra Leone and an assessment whose first goal is fully answered."""
    from wddf.domain import Role
    from wddf.services import accounts
    from wddf.services.actor import SYSTEM
    from wddf.services.answer_rules import AnswerInput
    from wddf.services.answers import assessments
    from wddf.services.editions import get_edition, prepare_database
    from wddf.storage.db import Database

    prepare_database(url)
    db = Database(url)
    with db.session() as session:
        focal = accounts.create_user(session, SYSTEM, "bench", Role.FOCAL_POINT, PASSWORD, "SLE")
        made = assessments.create(session, focal, "SLE", 2025, "wddf-1.0")
        for indicator in get_edition(session, "wddf-1.0").goals[0].indicators:
            for dim in indicator.dimensions:
                given = AnswerInput(dim.id, "B", "A justification", "https://example.org", "medium")
                assessments.save_answer(session, focal, made.id, given, 0)
    db.dispose()
    return made.id


class Side:
    """One server under test: its process, a simulated browser and a Chromium tab on it."""

    def __init__(self, server: AppServer, page_name: str, query: str, keys: tuple[str, str]):
        self.server, self.page_name, self.query = server, page_name, query
        self.ws_key, self.tab_selector = keys
        self.user: User | None = None
        self.tab = None
        self.clicks = 0

    async def connect(self, token: str | None) -> None:
        self.user = User(self.server.url, token)
        await self.user.connect()
        await self.user.open(self.page_name, self.query)

    async def cpu_per_click(self, clicks: int) -> float:
        pid = self.server.process.pid
        before = cpu_seconds(pid)
        for i in range(clicks):
            await self.user.choose(self.ws_key, "CB"[i % 2])
        if self.user.alerts:
            raise RuntimeError(f"the page showed an error: {self.user.alerts[0]}")
        return (cpu_seconds(pid) - before) / clicks

    def click_times(self, clicks: int) -> float:
        self.tab.bring_to_front()
        # the page draws what is in view: bring the card there first, as a person scrolls
        self.tab.locator(self.tab_selector).get_by_role("radiogroup").scroll_into_view_if_needed()
        times = [click_to_idle(self.tab, self.tab_selector, "CB"[i % 2]) for i in range(clicks)]
        wait_until_idle(self.tab)
        return statistics.median(times)


def main(quick: bool = False) -> list[Result]:
    """Measure and print; returns the results for ``python -m bench``."""
    from playwright.sync_api import sync_playwright

    rounds, clicks = (3, 10) if quick else (5, 20)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp)}/bench.sqlite3"
        assessment_id = prepare(url)
        app = AppServer(url, WDDF_SIGN_IN_PER_MINUTE="1000")
        floor = AppServer(url, script="bench/floor_entry_page.py", **STREAMLIT_DEFAULTS)
        query = f"assessment={assessment_id}&goal=WD1&lang=en"
        sides = {
            "app": Side(
                app,
                "entry",
                query,
                (f"grade:{assessment_id}:WD1.1.1:consensus", ".st-key-dim-WD1_1_2"),
            ),
            "floor": Side(floor, "", "", ("g:WD1.1.1", ".st-key-dim-2")),
        }
        app.start()
        floor.start()
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(sides["app"].connect(sign_in(app.url, "bench", PASSWORD)))
            loop.run_until_complete(sides["floor"].connect(None))
            for side in sides.values():  # a running server has imported and warmed up
                loop.run_until_complete(side.cpu_per_click(4))
            cpu = alternate(
                *(
                    lambda s=s: loop.run_until_complete(s.cpu_per_click(clicks))
                    for s in sides.values()
                ),
                rounds,
            )
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
                )
                for name, side in sides.items():
                    side.tab = browser.new_context(
                        viewport={"width": 1280, "height": 900}
                    ).new_page()
                    if name == "app":
                        browser_sign_in(side.tab, app.url, "bench", PASSWORD)
                        side.tab.goto(f"{app.url}/entry?{query}")
                    else:
                        side.tab.goto(floor.url)
                    wait_until_idle(side.tab)
                    side.click_times(2)
                latency = alternate(
                    *(lambda s=s: s.click_times(clicks) for s in sides.values()), rounds
                )
                browser.close()
        finally:
            for side in sides.values():
                if side.user is not None:
                    loop.run_until_complete(side.user.close())
            loop.close()
            app.stop()
            floor.stop()
    results = [
        Result("entry page: server time per grade click", *cpu, CPU_LIMIT),
        Result("entry page: click to idle in Chromium", *latency, LATENCY_LIMIT),
    ]
    print_table(results)
    return results


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
