"""The entry page of a live ``streamlit run app.py``, as shipped, against a bare script with the
same widgets that reruns the whole page on every change (``bench/floor_entry_page.py``, given the
edition's layout), both served under the project's own settings.

Four measures, each in rounds that alternate the app and the floor:

- **server processor time per grade click**: a simulated browser (``bench/ws_user.py``) changes
  a grade back and forth; the server process's processor time over those clicks, per click. It
  includes the autosave, Streamlit's websocket traffic and its garbage collection;
- **grade click to idle in Chromium**: the page in front; from the click on a grade to the end
  of the rerun and the page quiet;
- **the largest goal drawn**: from the start of opening the page on the edition's largest goal
  to every card drawn (no placeholder left, the last card there, the page quiet);
- **goal switch**: from the choice of the largest goal in the goal chooser, on the first goal,
  to every card of the largest goal drawn.

The first goal's answers are all given, so a click changes a grade and saves it, as most clicks
do; the largest goal's are not, so its cards show their statements. Chromium's timings count to
the page's last change; each is the median of a round's tries.
``python -m bench.bench_entry_page [--quick]``.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
from pathlib import Path

from bench.live import click_to_idle, cpu_seconds, open_to_idle
from bench.timing import Result, alternate, print_table
from bench.ws_user import User, sign_in
from wddf.testing.browser import CHROMIUM, CHROMIUM_ARGS, wait_until_idle
from wddf.testing.browser import sign_in as browser_sign_in
from wddf.testing.servers import AppServer

CPU_LIMIT = 0.6  # server time per click, against the bare script
LATENCY_LIMIT = 1.2  # click to idle in Chromium, against the bare script
DRAW_LIMIT = 1.0  # the largest goal drawn, and a goal switch, against the bare script
PASSWORD = "Entry-page-timing-1"
EDITION = "wddf-1.2"
RADIO = " [role=radiogroup] label"


def layout() -> dict[str, list[int]]:
    """The edition's goals, each with the number of dimensions of each of its indicators."""
    from wddf.questionnaire import load_questionnaire
    from wddf.testing.servers import ROOT

    edition = load_questionnaire(ROOT / "questionnaires" / f"{EDITION}.yaml").edition
    return {g.id: [len(i.dimensions) for i in g.indicators] for g in edition.goals}


def last_card(goals: dict[str, list[int]], goal: str) -> str:
    """The selector of the last card of ``goal``, drawn last."""
    return f".st-key-dim-{goal}_{len(goals[goal])}_{goals[goal][-1]}"


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
        made = assessments.create(session, focal, "SLE", 2025, EDITION)
        for indicator in get_edition(session, EDITION).goals[0].indicators:
            for dim in indicator.dimensions:
                given = AnswerInput(dim.id, "B", "A justification", "https://example.org", "medium")
                assessments.save_answer(session, focal, made.id, given, 0)
    db.dispose()
    return made.id


class Side:
    """One server under test: its process, a simulated browser and a Chromium tab on it."""

    def __init__(self, server: AppServer, page: str, query: str, keys: tuple[str, str]):
        self.server, self.page_name, self.query = server, page, query
        self.ws_key, self.goal_chooser = keys
        self.user: User | None = None
        self.tab = None

    def url(self, goal: str) -> str:
        return f"{self.server.url}/{self.page_name}?{self.query}goal={goal}"

    async def connect(self, token: str | None) -> None:
        self.user = User(self.server.url, token)
        await self.user.connect()
        await self.user.open(self.page_name, self.query + "goal=WD1")

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
        card = ".st-key-dim-WD1_1_2"
        # the page draws what is in view: bring the card there first, as a person scrolls
        self.tab.locator(card).get_by_role("radiogroup").scroll_into_view_if_needed()
        times = [click_to_idle(self.tab, card + RADIO, "CB"[i % 2]) for i in range(clicks)]
        wait_until_idle(self.tab)
        return statistics.median(times)

    def draw_times(self, tries: int, goal: str, done: str) -> float:
        """``goal`` opened afresh, ``tries`` times, each until ``done`` (its last card) is drawn."""
        self.tab.bring_to_front()
        times = [open_to_idle(self.tab, self.url(goal), done) for _ in range(tries)]
        return statistics.median(times)

    def switch_times(self, tries: int, goal: str, done: str) -> float:
        """From the first goal to ``goal``, chosen in the goal chooser, ``tries`` times, each until
        ``done`` (its last card) is drawn."""
        self.tab.bring_to_front()
        times = []
        for _ in range(tries):
            self._choose("WD1", ".st-key-dim-WD1_1_1")
            times.append(self._choose(goal, done))
        return statistics.median(times)

    def _choose(self, goal: str, done: str) -> float:
        chooser = self.tab.locator(f"{self.goal_chooser} [role=combobox]")
        chooser.click()  # after a scroll, the first click may only focus it
        if chooser.get_attribute("aria-expanded") != "true":
            chooser.press("ArrowDown")
        self.tab.get_by_role("option").first.wait_for()
        return click_to_idle(self.tab, "[role=option]", goal, done)


def main(quick: bool = False) -> list[Result]:
    """Measure and print; returns the results for ``python -m bench``."""
    from playwright.sync_api import sync_playwright

    rounds, clicks, tries = (3, 10, 2) if quick else (5, 20, 3)
    goals = layout()
    largest = max(goals, key=lambda g: sum(goals[g]))
    last = last_card(goals, largest)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp)}/bench.sqlite3"
        assessment_id = prepare(url)
        app = AppServer(url, WDDF_SIGN_IN_PER_MINUTE="1000")
        floor = AppServer(
            url, script="bench/floor_entry_page.py", BENCH_FLOOR_GOALS=json.dumps(goals)
        )
        grade_key = f"grade:{assessment_id}:WD1.1.1:consensus"
        sides = {
            "app": Side(
                app,
                "entry",
                f"assessment={assessment_id}&lang=en&",
                (grade_key, ".st-key-entry-goal"),
            ),
            "floor": Side(floor, "", "", ("g:WD1.1.1", ".st-key-goal")),
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
                    side.tab.goto(side.url("WD1"))
                    wait_until_idle(side.tab)
                    side.click_times(2)
                    side.switch_times(1, largest, last)
                    side.draw_times(1, largest, last)
                draw = alternate(
                    *(lambda s=s: s.draw_times(tries, largest, last) for s in sides.values()),
                    rounds,
                )
                switch = alternate(
                    *(lambda s=s: s.switch_times(tries, largest, last) for s in sides.values()),
                    rounds,
                )
                for side in sides.values():
                    side.tab.goto(side.url("WD1"))
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
    cards = sum(goals[largest])
    results = [
        Result("entry page: server time per grade click", *cpu, CPU_LIMIT),
        Result("entry page: click to idle in Chromium", *latency, LATENCY_LIMIT),
        Result(f"entry page: {largest} ({cards} cards) drawn", *draw, DRAW_LIMIT),
        Result(f"entry page: switch to {largest}", *switch, DRAW_LIMIT),
    ]
    print_table(results)
    return results


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
