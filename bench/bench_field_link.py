"""A first visit over a field connection: the live server as shipped, in Chromium with the tab in
front, over a link emulated by Chromium's own network conditions (DevTools protocol), against a
bare Streamlit script over the same link.

- **First visit** (an empty browser cache): from the click on "Sign in" to the entry page drawn
  with every card of its goal, against the bare script ``bench/floor_entry_page.py`` (the same
  widgets, served by Streamlit alone) from the start of its opening to the same cards drawn.
  Held to 1.0× the bare script, and to budgets: 15 s on 3G, 40 s on 2G.
- **Return visit** (the cache kept, the session cookie gone): the same sign-in and page, held to
  a budget of 3 s on 3G.

The links: 3G, 300 ms from a request to its answer (Chromium's ``latency``) and 750 kbit/s; 2G,
800 ms and 250 kbit/s (both directions). Times are the page's last change, the quiet time
after it not counted. ``--quick`` runs the 3G link only, one round; the full run, two rounds on
3G and one on 2G.
``python -m bench.bench_field_link [--quick]``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from bench.bench_entry_page import PASSWORD, last_card, layout, prepare
from bench.live import LOADED, QUIET_MS
from bench.timing import Result, alternate, print_table
from wddf.testing.browser import CHROMIUM, CHROMIUM_ARGS
from wddf.testing.servers import AppServer

LINKS = {"3G": (300, 750), "2G": (800, 250)}  # latency in ms, throughput in kbit/s
FIRST_BUDGET = {"3G": 15.0, "2G": 40.0}  # seconds
RETURN_BUDGET = 3.0  # seconds, on 3G
DONE = last_card(layout(), "WD1")  # the first goal's last card


def emulate(page, link: str) -> None:
    """Put ``page`` on the emulated ``link``."""
    latency, kbits = LINKS[link]
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    bytes_per_second = kbits * 1000 / 8
    session.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": latency,
            "downloadThroughput": bytes_per_second,
            "uploadThroughput": bytes_per_second,
        },
    )


def _drawn(page, started: float) -> float:
    """Seconds from ``started`` (``time.perf_counter``) to the page drawn, quiet time not
    counted."""
    page.evaluate(LOADED, [QUIET_MS, DONE])
    return time.perf_counter() - started - QUIET_MS / 1000


def app_visit(page, base: str, entry: str) -> float:
    """Sign in on ``page`` and time the click on "Sign in" to the entry page drawn."""
    page.goto(f"{base}/wddf/signin?lang=en&next={quote(entry, safe='')}")
    page.get_by_label("User name").fill("bench")
    page.get_by_label("Password").fill(PASSWORD)
    started = time.perf_counter()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/entry?**", wait_until="commit")
    return _drawn(page, started)


def floor_visit(page, base: str) -> float:
    """Time the bare script from the start of its opening to its page drawn."""
    started = time.perf_counter()
    page.goto(f"{base}/?goal=WD1", wait_until="commit")
    return _drawn(page, started)


def first_visits(browser, link: str, app: AppServer, floor: AppServer, entry: str, rounds: int):
    """The app's and the bare script's first visits over ``link``, alternated; each in a new
    browser context, so with an empty cache."""

    def fresh(visit) -> float:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            emulate(page, link)
            return visit(page)
        finally:
            context.close()

    return alternate(
        lambda: fresh(lambda page: app_visit(page, app.url, entry)),
        lambda: fresh(lambda page: floor_visit(page, floor.url)),
        rounds,
    )


def return_visits(browser, link: str, app: AppServer, entry: str, rounds: int) -> list[float]:
    """Sign-ins of a person who came before: the browser's cache kept, the cookie gone."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        emulate(page, link)
        app_visit(page, app.url, entry)
        times = []
        for _ in range(rounds):
            context.clear_cookies()
            times.append(app_visit(page, app.url, entry))
        return times
    finally:
        context.close()


def main(quick: bool = False) -> list[Result]:
    """Measure and print; returns the results for ``python -m bench``."""
    from playwright.sync_api import sync_playwright

    rounds = {"3G": 1} if quick else {"3G": 2, "2G": 1}  # a bare first visit on 2G: minutes
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp)}/bench.sqlite3"
        assessment_id = prepare(url)
        entry = f"/entry?assessment={assessment_id}&goal=WD1&lang=en"
        app = AppServer(url, WDDF_SIGN_IN_PER_MINUTE="1000")
        floor = AppServer(
            url, script="bench/floor_entry_page.py", BENCH_FLOOR_GOALS=json.dumps(layout())
        )
        app.start()
        floor.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
                )
                for link, times in rounds.items():
                    app_times, floor_times = first_visits(browser, link, app, floor, entry, times)
                    name = f"field link {link}: first visit"
                    results.append(Result(f"{name}, sign-in to page", app_times, floor_times, 1.0))
                    budget = [FIRST_BUDGET[link]]
                    results.append(Result(f"{name} (budget)", app_times, budget, 1.0))
                    if link == "3G":
                        again = return_visits(browser, link, app, entry, max(times, 2))
                        budget = [RETURN_BUDGET]
                        results.append(
                            Result("field link 3G: return visit (budget)", again, budget, 1.0)
                        )
                browser.close()
        finally:
            app.stop()
            floor.stop()
    print_table(results)
    return results


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
