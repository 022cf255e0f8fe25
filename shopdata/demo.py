"""The embedded demo store: realistic exports from sample_data/, loaded on first run into "Demo store"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from shopdata import settings
from shopdata.accounts import User
from shopdata.ingest.formats import READABLE_EXTENSIONS
from shopdata.ingest.pipeline import FileResult, Options, Progress, ingest_file
from shopdata.journal import Journal
from shopdata.store import Warehouse

DEMO_STORE = "Demo store"
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
# Shopify's analytics exports do not state their currency; the demo shop sells in US dollars.
SAMPLE_CURRENCY = {"shopify_": "USD"}
# The demo brand's own shop in its price scrape (sample_data/README.md), and which competitor listings each of
# its products competes with, so that the Competitor prices page answers "is anyone undercutting me?" at once.
DEMO_OWN_SHOP = "示例美妆旗舰店"
DEMO_PRICE_LINKS = {
    "A60318842271": ["A57720461538", "A59102337640", "A63475520189"],  # 玻尿酸修护精华液: the other serums
    "A60318842955": ["A52290614473", "A57720463102"],  # 积雪草舒缓修护面霜: the other face creams
}

# The demo team's journal (sample_data/README.md "Journal"): the store's own 双11 pre-sale, promotion and day-after
# 返场 sale, recorded so that its days are judged against the activity; a note on the October price cut; November's
# targets.
DEMO_AUTHOR = User("demo", "owner")
DEMO_ACTIVITY = ("双11预售+大促+返场", date(2026, 10, 20), date(2026, 11, 12))
DEMO_NOTE_DAY = date(2026, 10, 1)
DEMO_NOTE = "竞品A cut 玻尿酸水光精华液 from ¥219 to ¥186; our 手淘搜索 visitors are about 10% lower since."
DEMO_TARGETS = {"revenue": (1_200_000.0, "CNY"), "visitors": (200_000.0, None)}
DEMO_TARGET_MONTH = "2026-11"


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLE_DIR.iterdir() if p.suffix.lower() in READABLE_EXTENSIONS and p.is_file())


def load_demo(store: Warehouse, progress: Progress | None = None) -> list[FileResult]:
    store.ensure_store(DEMO_STORE, is_demo=True)
    files = sample_files()
    results = []
    for n, path in enumerate(files):
        if progress:
            progress(n / len(files), path.name)
        currency = next((c for prefix, c in SAMPLE_CURRENCY.items() if path.name.startswith(prefix)), None)
        results += ingest_file(path.name, path, store, Options(store=DEMO_STORE, uploaded_by="demo", currency=currency))
    if progress:
        progress(1.0, "")
    settings.write(store, {settings.OWN_SHOP: DEMO_OWN_SHOP, settings.PRICE_LINKS: DEMO_PRICE_LINKS}, DEMO_STORE)
    settings.write(store, {settings.DEMO_OFFERED: True})
    _write_journal(Journal(store))
    return results


def _write_journal(journal: Journal) -> None:
    name, first, last = DEMO_ACTIVITY
    journal.add_activity(DEMO_AUTHOR, DEMO_STORE, name, first, last, kind="own")
    journal.add_note(
        DEMO_AUTHOR,
        DEMO_STORE,
        DEMO_NOTE_DAY,
        DEMO_NOTE,
        cause="competitor",
        metric="visitors",
        dimension="source",
        segment="手淘搜索",
        action="Watch the serum's search rank; no price change for now.",
    )
    for metric, (value, currency) in DEMO_TARGETS.items():
        journal.set_target(DEMO_AUTHOR, DEMO_STORE, DEMO_TARGET_MONTH, metric, value, currency)


def should_load_demo(store: Warehouse) -> bool:
    """Only on the very first run with an empty database; once removed, the demo stays away."""
    return not store.stores() and not settings.read(store, settings.DEMO_OFFERED)


def has_demo(store: Warehouse) -> bool:
    return any(s["is_demo"] for s in store.stores())


def remove_demo(store: Warehouse) -> int:
    settings.write(store, {settings.DEMO_OFFERED: True})
    return store.delete_store(DEMO_STORE)
