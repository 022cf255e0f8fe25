"""Every visible string, in English and 中文: one catalog, assembled from one module per area.

Each area module (common, overview, funnel, traffic, promotion, prices, …) defines STRINGS, a dict of
key -> {"en": …, "zh": …}. Keys are namespaced by area ("overview.title"), so modules never collide.
"""

from __future__ import annotations

import importlib
import numbers
import pkgutil
from typing import TypeGuard

LANGUAGES = {"en": "English", "zh": "中文"}
DEFAULT_LANGUAGE = "en"


def _load_catalog() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    catalog: dict[str, dict[str, str]] = {}
    singular: dict[str, dict[str, str]] = {}
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        area = importlib.import_module(f"{__name__}.{module.name}")
        strings = area.STRINGS
        duplicated = catalog.keys() & strings.keys()
        if duplicated:
            raise ValueError(f"strings defined twice: {sorted(duplicated)}")
        catalog.update(strings)
        singular.update(getattr(area, "SINGULAR", {}))
    return catalog, singular


# SINGULAR (an area module's, beside its STRINGS): a string's words for a count of exactly one where a language
# changes them ("1 source compared", not "1 sources"): key -> {"by": the value counted, language: the text}.
# Chinese has no plural and needs none.
CATALOG, SINGULAR = _load_catalog()


def translate(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    entry = CATALOG.get(key)
    text = key if entry is None else (entry.get(language) or entry[DEFAULT_LANGUAGE])
    one = SINGULAR.get(key)
    if one is not None and language in one and _is_one(values.get(one["by"])):
        text = one[language]
    return text.format(**values) if values else text


def _is_one(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and int(value) == 1


class Message(str):
    """A text for the user that keeps its catalog key and parameters, so it can be shown in any language.

    Its value as a str is the English text: logs, the command line's JSON, tests and code that only
    concatenates see exactly what a plain string said. `text(language)` renders it again in another
    language; parameters that are Messages themselves (a step name, a period's source) follow along.
    """

    key: str
    params: dict[str, object]

    def __new__(cls, key: str, /, **params: object) -> Message:
        self = super().__new__(cls, _render(key, DEFAULT_LANGUAGE, params))
        self.key = key
        self.params = params
        return self

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, object]]:
        return (self.key,), self.params

    def text(self, language: str = DEFAULT_LANGUAGE) -> str:
        return _render(self.key, language, self.params)

    def to_json(self) -> dict[str, object]:
        """What is stored (a batch's warnings): the key, the parameters, and the English text as it read then."""
        params = {k: v.to_json() if isinstance(v, Message) else _plain(v) for k, v in self.params.items()}
        return {"key": self.key, "params": params, "text": str(self)}

    @classmethod
    def from_json(cls, value: dict[str, object]) -> Message | str:
        """A stored message; one whose key the catalog no longer has comes back as the text it had."""
        key, params = value.get("key"), value.get("params")
        if not isinstance(key, str) or key not in CATALOG or not isinstance(params, dict):
            return str(value.get("text", ""))
        return cls(key, **{str(k): cls.from_json(v) if _is_stored(v) else v for k, v in params.items()})


def _is_stored(value: object) -> TypeGuard[dict[str, object]]:
    return isinstance(value, dict) and "key" in value and "params" in value


def _plain(value: object) -> object:
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def _render(key: str, language: str, params: dict[str, object]) -> str:
    values = {k: v.text(language) if isinstance(v, Message) else v for k, v in params.items()}
    try:
        return translate(key, language, **values)
    except (KeyError, IndexError, ValueError, AttributeError):
        # A parameter the text does not name (or lacks) must never stop a message from being shown.
        return translate(key, language)


def localize(item: object, language: str = DEFAULT_LANGUAGE) -> str:
    """A message in `language`: a Message, a stored one (dict), or a plain string (older databases' warnings,
    messages from code that has no key for them), shown as it is."""
    if isinstance(item, Message):
        return item.text(language)
    if _is_stored(item):
        stored = Message.from_json(item)
        return stored.text(language) if isinstance(stored, Message) else stored
    return "" if item is None else str(item)
