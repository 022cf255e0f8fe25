"""English for English readers (issue 10 item 22): the English texts carry no Chinese words, except the names
a reader must recognise on the platform's own screens — its product names and its reports' titles."""

from __future__ import annotations

import re

from shopdata.i18n import CATALOG, LANGUAGES
from shopdata.ingest.layouts import LAYOUTS, title_in
from shopdata.metrics.definitions import METRICS

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# Names as the platforms write them (their products and their reports): a reader looks for these words.
PLATFORM_NAMES = ("生意参谋", "万相台", "京东商智", "拼多多", "淘宝", "天猫", "直通车")


def chinese_left(text: str) -> list[str]:
    for title in sorted((title_in(layout, "en") for layout in LAYOUTS), key=len, reverse=True):
        text = text.replace(title, "")
    for name in PLATFORM_NAMES:
        text = text.replace(name, "")
    return CJK.findall(text)


def test_the_english_catalog_has_no_chinese_words() -> None:
    found = {key: entry["en"] for key, entry in CATALOG.items() if chinese_left(entry["en"])}
    assert found == {}


def test_english_metric_labels_are_english_only() -> None:
    assert {m.name: m.label["en"] for m in METRICS if CJK.search(m.label["en"])} == {}
    # The definitions (口径) keep the Chinese term beside the English one, and the 中文 labels keep theirs.
    assert "客单价" in next(m for m in METRICS if m.name == "aov").definition["en"]
    assert next(m for m in METRICS if m.name == "aov").label == {"en": "Revenue per buyer", "zh": "客单价"}


def test_the_check_sees_chinese_words() -> None:
    assert chinese_left("higher 客单价") == ["客", "单", "价"]
    assert chinese_left("Drop exports from 生意参谋") == []
    assert LANGUAGES["zh"] == "中文"  # the language switch names itself, outside the catalog
