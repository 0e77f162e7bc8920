"""Measuring a running ``streamlit run`` server: its processor time and memory, from /proc, and
clicks and page opens in Debian's Chromium, timed to the page drawn again.

Floors are served as the app is (``wddf.testing.servers.AppServer``, from the project's root), so
under the same ``.streamlit/config.toml``: the same ``[runner]`` settings, never Streamlit's
defaults."""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """Processor time (user and system, every thread) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid: int) -> float:
    """The process's resident memory now, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


SKELETONS = '[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]'  # not drawn yet

# Resolve once the page is drawn: the app's script has stopped, no placeholder of an element not
# drawn yet is left, ``done`` (a selector) is on the page, and nothing has changed for ``quiet``
# ms. Resolves with the time of the page's last change (``performance.now()``, counted from the
# navigation's start); the quiet time itself is not counted.
IDLE = """const untilIdle = (start, quiet, done) => new Promise((resolve, reject) => {
    let last = start;
    const observer = new MutationObserver(() => { last = performance.now(); });
    observer.observe(document, {attributes: true, childList: true, subtree: true,
                                characterData: true});
    const check = () => {
        const now = performance.now();
        const app = document.querySelector("[data-testid=stApp]");
        const idle = app !== null && app.dataset.testScriptState === "notRunning"
            && document.querySelector(SKELETONS) === null
            && (!done || document.querySelector(done) !== null);
        if (idle && last > start && now - last >= quiet) {
            observer.disconnect();
            resolve(last);
        } else if (now - start > 300000) {
            observer.disconnect();
            reject(new Error("the page did not settle"));
        } else {
            setTimeout(check, 10);
        }
    };
    setTimeout(check, 10);
});""".replace("SKELETONS", repr(SKELETONS))

# Click the element among ``selector`` whose text is ``text`` (or starts with ``text ·``, as the
# goal chooser's options do), and resolve with the milliseconds from the click to the page's last
# change, once drawn (``IDLE``). The tab must be in front: a background tab's timers and frames
# are throttled.
CLICK_TO_IDLE = (
    "async ([selector, text, quiet, done]) => {"
    + IDLE
    + """
    const target = [...document.querySelectorAll(selector)].find(e => {
        const shown = e.innerText.trim();
        return shown === text || shown.startsWith(text + " ·");
    });
    if (!target) throw new Error("no " + text + " in " + selector);
    const start = performance.now();
    const drawn = untilIdle(start, quiet, done);
    target.click();
    return (await drawn) - start;
}"""
)

# Resolve with the milliseconds from the navigation's start to the page drawn (``IDLE``).
LOADED = "async ([quiet, done]) => {" + IDLE + " return await untilIdle(0, quiet, done); }"
QUIET_MS = 300


def click_to_idle(page, selector: str, text: str, done: str = "") -> float:
    """Seconds from a click on the element of ``selector`` showing ``text`` to the page drawn
    again, in the page's own tab."""
    return page.evaluate(CLICK_TO_IDLE, [selector, text, QUIET_MS, done]) / 1000


def open_to_idle(page, url: str, done: str) -> float:
    """Seconds from the start of a navigation to ``url`` to the page drawn with ``done`` on it."""
    page.goto(url, wait_until="commit")
    return page.evaluate(LOADED, [QUIET_MS, done]) / 1000
