"""Memory with Streamlit's forced garbage collection off (``runner.postScriptGC = false`` in
``.streamlit/config.toml``): the app as shipped, against the same app with the collection forced
after every run, each serving sessions that rerun 500 times.

Each session changes grades (a card's rerun), and reopens its page every tenth time (a whole
page's). Reported: the server's resident memory after warming up and after every hundred reruns;
the final figures are compared. ``python -m bench.bench_memory [--quick]``.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from bench.bench_entry_page import PASSWORD, prepare
from bench.live import rss_mb
from bench.timing import Result, print_table
from bench.ws_user import User, sign_in
from wddf.testing.servers import AppServer

LIMIT = 1.1  # final memory as shipped, against the forced collection's
DIMENSIONS = ("WD1.1.1", "WD1.1.2", "WD1.1.3", "WD1.2.1")


async def _session(url: str, token: str, assessment_id: int, dim: str, reruns: int, marks: list):
    user = User(url, token)
    await user.connect()
    query = f"assessment={assessment_id}&goal=WD1&lang=en"
    await user.open("entry", query)
    for n in range(1, reruns + 1):
        if n % 10 == 0:
            await user.open("entry", query)
        else:
            await user.choose(f"grade:{assessment_id}:{dim}:consensus", "CB"[n % 2])
        if n % 100 == 0:
            marks.append(n)
    if user.alerts:
        raise RuntimeError(f"the page showed an error: {user.alerts[0]}")
    await user.close()


def curve(server: AppServer, assessment_id: int, sessions: int, reruns: int) -> list[float]:
    """Resident memory after a warm-up, then after every hundred reruns of each session."""
    token = sign_in(server.url, "bench", PASSWORD)
    pid = server.process.pid

    async def run() -> list[float]:
        warm: list = []
        await _session(server.url, token, assessment_id, DIMENSIONS[0], 20, warm)
        readings = [rss_mb(pid)]
        marks: list[int] = []
        tasks = [
            asyncio.create_task(
                _session(server.url, token, assessment_id, DIMENSIONS[i], reruns, marks)
            )
            for i in range(sessions)
        ]
        seen = 0
        while not all(t.done() for t in tasks):
            await asyncio.sleep(0.2)
            if len(marks) // sessions > seen:
                seen = len(marks) // sessions
                readings.append(rss_mb(pid))
        await asyncio.gather(*tasks)
        readings.append(rss_mb(pid))
        return readings

    return asyncio.run(run())


def main(quick: bool = False) -> list[Result]:
    """Measure and print; returns the results for ``python -m bench``."""
    sessions, reruns = (1, 200) if quick else (2, 500)
    curves = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, settings in [
            ("shipped", {}),
            ("forced", {"STREAMLIT_RUNNER_POST_SCRIPT_GC": "true"}),
        ]:
            url = f"sqlite:///{Path(tmp)}/{name}.sqlite3"
            assessment_id = prepare(url)
            server = AppServer(url, WDDF_SIGN_IN_PER_MINUTE="1000", **settings)
            server.start()
            try:
                curves[name] = curve(server, assessment_id, sessions, reruns)
            finally:
                server.stop()
    for name, readings in curves.items():
        shown = " → ".join(f"{r:.0f}" for r in readings)
        print(f"resident memory (MB), collection {name}, {sessions}×{reruns} reruns: {shown}")
    result = Result(
        f"server memory after {sessions}×{reruns} reruns",
        [curves["shipped"][-1]],
        [curves["forced"][-1]],
        LIMIT,
        unit="MB",
    )
    print_table([result])
    return [result]


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
