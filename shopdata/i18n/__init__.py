"""Every visible string, in English and 中文: one catalog, assembled from one module per area.

Each area module (common, overview, funnel, traffic, promotion, prices, …) defines STRINGS, a dict of
key -> {"en": …, "zh": …}. Keys are namespaced by area ("overview.title"), so modules never collide.
"""

from __future__ import annotations

import importlib
import pkgutil

LANGUAGES = {"en": "English", "zh": "中文"}
DEFAULT_LANGUAGE = "en"


def _load_catalog() -> dict[str, dict[str, str]]:
    catalog: dict[str, dict[str, str]] = {}
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        strings = importlib.import_module(f"{__name__}.{module.name}").STRINGS
        duplicated = catalog.keys() & strings.keys()
        if duplicated:
            raise ValueError(f"strings defined twice: {sorted(duplicated)}")
        catalog.update(strings)
    return catalog


CATALOG = _load_catalog()


def translate(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    entry = CATALOG.get(key)
    text = key if entry is None else (entry.get(language) or entry[DEFAULT_LANGUAGE])
    return text.format(**values) if values else text
