"""The translation layer: every string has both languages and the same placeholders in each."""

import re

import pytest

from shopdata.i18n import CATALOG, LANGUAGES, translate


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_string_has_every_language_with_the_same_placeholders(key: str) -> None:
    entry = CATALOG[key]
    assert set(entry) == set(LANGUAGES), key
    placeholders = {lang: set(re.findall(r"\{(\w+)\}", text)) for lang, text in entry.items()}
    assert placeholders["en"] == placeholders["zh"], key


def test_translate_fills_values_and_falls_back_to_the_key() -> None:
    assert translate("data.deleted", "zh", batch=3, rows=10) == "批次 3 已删除（移除 10 行）。"
    assert translate("no.such.key", "zh") == "no.such.key"
