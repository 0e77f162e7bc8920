"""Load: N simulated users fill in assessments at once, against one server and then against two
replicas behind nginx, all on one PostgreSQL database, the servers as shipped.

Each user signs in (the sign-in form, its password check included), opens the entry page of
their own assessment, and grades dimensions one after another, speaking Streamlit's websocket
protocol as a browser does (``bench/ws_user.py``: a grade reruns its card's fragment). All the
users of a level arrive at once, so a sign-in's and a page open's times are those of a rush
(everyone at a workshop starting together). Two paces: a human one (a click every 2–5 s) and a
stress one (every 0.2–0.6 s). Reported per N: throughput (graded answers per second), median
and 95th-percentile latency of a click (to the end of the server's rerun, the autosave and this
driver included), the 95th percentile of a sign-in and of a page opened, and the servers'
resident memory. Percentiles follow the nearest-rank rule. The goal: a click's p95 under 300 ms
at 50 users at a human pace on one server; the command exits 1 when it is missed.
``python -m bench.bench_load``.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.timing import nearest_rank, postgres_server_url, scratch_postgres
from bench.ws_user import User, sign_in
from wddf.testing.servers import AppServer, Nginx

LEVELS = (1, 4, 8, 16, 32, 50, 64)
CLICKS = 8
PACES = {"human": (2.0, 5.0), "stress": (0.2, 0.6)}  # seconds between a user's clicks
GOAL_USERS, GOAL_P95_MS = 50, 300
PASSWORD = "Load-bench-pass-7"
SLOW_MS = 500
# The same cookie secret on every replica; every simulated user signs in from this one address.
SECRET = {
    "WDDF_COOKIE_SECRET": "load-bench",
    "STREAMLIT_SERVER_COOKIE_SECRET": "load-bench",
    "WDDF_SIGN_IN_PER_MINUTE": "100000",
}


def prepare(url: str, users: int) -> list[tuple[str, int]]:
    """``users`` focal points, each with an assessment of their own: (user name, assessment)."""
    from wddf.domain import Role
    from wddf.services import accounts
    from wddf.services.actor import SYSTEM
    from wddf.services.answers import assessments
    from wddf.services.answers.demo import DEMO_ORDER
    from wddf.services.editions import prepare_database
    from wddf.storage.db import Database

    prepare_database(url)
    db = Database(url)
    made = []
    with db.session() as session:
        for i in range(users):
            country = DEMO_ORDER[i % len(DEMO_ORDER)]
            name = f"load-{i:02d}"
            focal = accounts.create_user(session, SYSTEM, name, Role.FOCAL_POINT, PASSWORD, country)
            year = 2030 + i // len(DEMO_ORDER)
            made.append((name, assessments.create(session, focal, country, year, "wddf-1.0").id))
    db.dispose()
    return made


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


async def _one_user(
    base: str, name: str, assessment_id: int, dims: list[str], shared: dict, pace: tuple
):
    started = time.perf_counter()
    token = await asyncio.to_thread(sign_in, base, name, PASSWORD)
    shared["sign_ins"].append(time.perf_counter() - started)
    user = User(base, token)
    await user.connect()
    shared["opens"].append(await user.open("entry", f"assessment={assessment_id}&goal=WD1&lang=en"))
    shared["opened"] += 1
    if shared["opened"] == shared["users"]:
        shared["all_open"].set()
    await shared["all_open"].wait()
    rng = random.Random(name)
    for click in range(CLICKS):
        await asyncio.sleep(rng.uniform(*pace))
        key = f"grade:{assessment_id}:{dims[click % len(dims)]}:consensus"
        shared["latencies"].append(await user.choose(key, "ABCD"[(click + rng.randint(0, 3)) % 4]))
        if user.alerts:
            shared["errors"] += 1
    shared["done"] += 1
    await shared["release"].wait()  # stay connected until memory has been read
    await user.close()


async def _level(base: str, people: list, dims: list[str], pids: list[int], pace: tuple) -> dict:
    baseline = _rss_mb(pids)
    shared = {
        "users": len(people),
        "opened": 0,
        "done": 0,
        "errors": 0,
        "latencies": [],
        "sign_ins": [],
        "opens": [],
        "all_open": asyncio.Event(),
        "release": asyncio.Event(),
    }
    tasks = [asyncio.create_task(_one_user(base, n, a, dims, shared, pace)) for n, a in people]
    await shared["all_open"].wait()
    start = time.perf_counter()
    while shared["done"] < len(people):
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - start
    loaded = _rss_mb(pids)
    shared["release"].set()
    await asyncio.gather(*tasks)
    latencies = sorted(shared["latencies"])
    return {
        "users": len(people),
        "throughput": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * nearest_rank(latencies, 0.95),
        "sign_in_p95_ms": 1000 * nearest_rank(shared["sign_ins"], 0.95),
        "open_p95_ms": 1000 * nearest_rank(shared["opens"], 0.95),
        "rss_mb": loaded,
        "mb_per_session": max(0.0, loaded - baseline) / len(people),
        "errors": shared["errors"],
    }


def _dimensions() -> list[str]:
    from wddf.questionnaire import load_questionnaire
    from wddf.services.editions import SHIPPED

    edition = load_questionnaire(SHIPPED).edition
    return [d.id for i in edition.goals[0].indicators[:2] for d in i.dimensions]


def run_topology(url: str, replicas: int, people: list, tmp: Path) -> list[dict]:
    """Every level of users against ``replicas`` app processes (behind nginx when two)."""
    servers = [AppServer(url, **SECRET) for _ in range(replicas)]
    for server in servers:
        server.start()
    proxy = None
    if replicas > 1:
        proxy = Nginx(tmp, [s.port for s in servers])
        proxy.start()
    base = proxy.url if proxy else servers[0].url
    pids = [s.process.pid for s in servers]
    for server in servers:  # a running server has imported its modules: warm each one up
        asyncio.run(
            _level(server.url, people[:1], _dimensions(), [server.process.pid], PACES["stress"])
        )
    try:
        results = []
        for pace_name, pace in PACES.items():
            for n in LEVELS:
                if n <= len(people):
                    result = asyncio.run(_level(base, people[:n], _dimensions(), pids, pace))
                    result |= {"replicas": replicas, "pace": pace_name}
                    results.append(result)
                    print(_row(result), flush=True)
        return results
    finally:
        if proxy:
            proxy.stop()
        for server in servers:
            server.stop()


def _row(r: dict) -> str:
    return (
        f"{r['replicas']:>8} {r['pace']:>6} {r['users']:>5} {r['throughput']:>10.1f} "
        f"{r['p50_ms']:>8.0f} {r['p95_ms']:>8.0f} {r['sign_in_p95_ms']:>11.0f} "
        f"{r['open_p95_ms']:>9.0f} {r['rss_mb']:>8.0f} {r['mb_per_session']:>10.1f} "
        f"{r['errors']:>6}"
    )


def main() -> list[dict]:
    """Run both topologies and print the load curve."""
    server = postgres_server_url()
    if not server:
        raise SystemExit("the load benchmark needs PostgreSQL: set WDDF_BENCH_POSTGRES_URL")
    results = []
    print(
        f"{'replicas':>8} {'pace':>6} {'users':>5} {'answers/s':>10} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'sign-in p95':>11} {'open p95':>9} {'RSS MB':>8} {'MB/session':>10} {'errors':>6}"
    )
    with scratch_postgres(server) as url, tempfile.TemporaryDirectory() as tmp:
        os.environ["WDDF_DATABASE_URL"] = url
        people = prepare(url, max(LEVELS))
        for replicas in (1, 2):
            results += run_topology(url, replicas, people, Path(tmp))
    for replicas in (1, 2):
        for pace in PACES:
            slow = [
                r["users"]
                for r in results
                if (r["replicas"], r["pace"]) == (replicas, pace) and r["p95_ms"] > SLOW_MS
            ]
            where = f"{slow[0]} users" if slow else f"more than {max(LEVELS)} users"
            print(f"{replicas} replica(s), {pace} pace: p95 passes {SLOW_MS} ms at {where}")
    [goal] = [
        r for r in results if (r["replicas"], r["pace"], r["users"]) == (1, "human", GOAL_USERS)
    ]
    verdict = "ok" if goal["p95_ms"] < GOAL_P95_MS and not goal["errors"] else "MISSED"
    print(
        f"goal: p95 {goal['p95_ms']:.0f} ms at {GOAL_USERS} users, human pace, one server "
        f"(under {GOAL_P95_MS} ms): {verdict}"
    )
    if verdict != "ok":
        raise SystemExit(1)
    return results


if __name__ == "__main__":
    main()
