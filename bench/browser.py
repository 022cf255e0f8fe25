"""browser_overview_<store>_<cold|warm>: what a person waits for on the overview — from choosing another date preset
in the sidebar to the redrawn page, measured in Chromium (Playwright, Debian's /usr/bin/chromium) against
`streamlit run` on a loopback port.

The clock starts when the option is clicked and stops at the last change of the page before it stays unchanged
for SETTLE seconds with the script finished (the same test of "done" the browser tests use, tests/e2e/support.py).
The page opens on all data; then the presets are chosen in a cycle (last 7 days, this month, last 90 days, last 30
days); the first pass through the cycle is cold (that date range has not been computed in this server process), the next passes are warm (its
results are in the results cache). The demo store is loaded into a new database; `--browser-db PATH` measures a
copy of another warehouse (the reports group's 10M one is in bench/.cache/) — for its first store.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from shopdata.i18n import CATALOG

CHROMIUM = "/usr/bin/chromium"
CYCLE = ("last_7", "this_month", "last_90", "last_30")
SETTLE = 0.6  # seconds without a change of the page after the script finished
POLL = 0.02


def _redrawn_after(page, started: float, timeout: float = 300.0) -> float:
    """Seconds from `started` to the page's last change before it settled (see the module's docstring)."""
    from tests.e2e.support import _SNAPSHOT_JS, app_ready

    last, changed = None, time.perf_counter()
    deadline = started + timeout
    while True:
        snap = page.evaluate(_SNAPSHOT_JS)
        now = time.perf_counter()
        if snap != last:
            last, changed = snap, now
        if app_ready(snap) and now - changed >= SETTLE:
            return changed - started
        if now > deadline:
            raise TimeoutError(f"the overview did not settle within {timeout:.0f} s: {snap}")
        time.sleep(POLL)


def _choose(page, preset: str) -> float:
    label = CATALOG["filters.range"]["en"]
    option = CATALOG[f"filters.range.{preset}"]["en"]
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text=label).click()
    target = page.get_by_role("option", name=option, exact=True)
    target.wait_for()
    started = time.perf_counter()
    target.click()
    return _redrawn_after(page, started)


def measure_overview(db: Path | None, passes: int, log) -> dict[str, list[float]]:
    """{"cold": [...], "warm": [...]}: seconds per preset change (cold: the first pass of the cycle)."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.support import StreamlitServer, wait_for_app

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "shop.duckdb"
        env = {"SHOPDATA_DEMO": "1"}
        if db is not None:
            shutil.copy(db, copy)
            env = {"SHOPDATA_DEMO": "0"}
        times: dict[str, list[float]] = {"cold": [], "warm": []}
        with StreamlitServer(copy, Path(tmp) / "server.log", env=env) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"{server.url}/overview?lang=en&range=all")  # not in CYCLE: each of those starts cold
                wait_for_app(page, timeout=600)
                for n in range(passes + 1):
                    for preset in CYCLE:
                        seconds = _choose(page, preset)
                        times["cold" if n == 0 else "warm"].append(seconds)
                        log(f"browser overview → {preset} ({'cold' if n == 0 else 'warm'}): {seconds:.2f} s")
            finally:
                browser.close()
    return times


def run_browser(repeats: int, log, db: Path | None = None) -> list[dict]:
    """The browser figures as bench records: the median change of each kind, every run kept."""
    store = "demo" if db is None else "warehouse"
    load = [os.getloadavg()[0]]
    times = measure_overview(db, max(repeats, 1), log)
    load.append(os.getloadavg()[0])
    return [
        {
            "name": f"browser_overview_{store}_{kind}",
            "ours_s": round(statistics.median(found), 4),
            "baseline_s": None,
            "ratio": None,
            "target": None,
            "ok": True,
            "unit": "s",
            "group": "browser",
            "baseline": None,
            "what": f"overview in Chromium: a date-preset click to the redrawn page, {kind} (median)",
            "ours_runs_s": [round(s, 4) for s in found],
            "cpus": os.cpu_count(),
            "max_loadavg_1m": round(max(load), 2),
        }
        for kind, found in times.items()
    ]
