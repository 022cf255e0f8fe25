"""The embedded demo store: realistic exports from sample_data/, loaded on first run into "Demo store"."""

from __future__ import annotations

from pathlib import Path

from shopdata import settings
from shopdata.ingest.formats import READABLE_EXTENSIONS
from shopdata.ingest.pipeline import FileResult, Options, Progress, ingest_file
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
    return results


def should_load_demo(store: Warehouse) -> bool:
    """Only on the very first run with an empty database; once removed, the demo stays away."""
    return not store.stores() and not settings.read(store, settings.DEMO_OFFERED)


def has_demo(store: Warehouse) -> bool:
    return any(s["is_demo"] for s in store.stores())


def remove_demo(store: Warehouse) -> int:
    settings.write(store, {settings.DEMO_OFFERED: True})
    return store.delete_store(DEMO_STORE)
