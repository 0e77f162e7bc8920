"""Measuring a running ``streamlit run`` server: its processor time and memory, from /proc, and
clicks in Debian's Chromium timed from the click to the end of the rerun it causes."""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")

# The settings a bare script runs with when nobody chose any: Streamlit's defaults, whatever
# the project's .streamlit/config.toml says (environment variables come before that file).
STREAMLIT_DEFAULTS = {
    "STREAMLIT_RUNNER_POST_SCRIPT_GC": "true",
    "STREAMLIT_RUNNER_FAST_RERUNS": "true",
    "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "auto",
}


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


# Click the radio option ``text`` inside ``selector`` and resolve with the milliseconds from the
# click to the page's last change, once the app's script has stopped and the page has not changed
# for QUIET_MS (the quiet time itself is not counted). The tab must be in front: a background
# tab's timers and frames are throttled.
CLICK_TO_IDLE = """async ([selector, text, quiet]) => {
    const app = document.querySelector("[data-testid=stApp]");
    const label = [...document.querySelectorAll(selector + " [role=radiogroup] label")]
        .find(l => l.innerText.trim() === text);
    if (!label) throw new Error("no option " + text + " in " + selector);
    return await new Promise((resolve, reject) => {
        const start = performance.now();
        let last = start;
        const observer = new MutationObserver(() => { last = performance.now(); });
        observer.observe(app, {attributes: true, childList: true, subtree: true,
                               characterData: true});
        const check = () => {
            const now = performance.now();
            const idle = app.dataset.testScriptState === "notRunning";
            if (idle && last > start && now - last >= quiet) {
                observer.disconnect();
                resolve(last - start);
            } else if (now - start > 20000) {
                observer.disconnect();
                reject(new Error("the page did not settle"));
            } else {
                setTimeout(check, 10);
            }
        };
        label.click();
        setTimeout(check, 10);
    });
}"""
QUIET_MS = 300


def click_to_idle(page, selector: str, text: str) -> float:
    """Seconds from a click on a radio option to the app idle again, in the page's own tab."""
    return page.evaluate(CLICK_TO_IDLE, [selector, text, QUIET_MS]) / 1000
