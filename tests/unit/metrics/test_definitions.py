"""The KPI records' own helpers: a label or definition in a language the record lacks falls back to English, and
each domain lists exactly its metrics. Written from the mutants `make mutation MODULES=definitions` found untested."""

from __future__ import annotations

from shopdata.metrics.definitions import METRICS, Metric, metrics_of

BILINGUAL = Metric(
    "visitors", "traffic", {"en": "Visitors", "zh": "访客数"}, "count", +1, {"en": "Unique", "zh": "去重"}
)
ENGLISH_ONLY = Metric("sessions", "traffic", {"en": "Sessions"}, "count", +1, {"en": "As counted"})


def test_a_label_is_shown_in_the_language_asked_for() -> None:
    assert (BILINGUAL.text("zh"), BILINGUAL.text("en")) == ("访客数", "Visitors")
    assert (BILINGUAL.describe("zh"), BILINGUAL.describe("en")) == ("去重", "Unique")


def test_a_language_the_record_lacks_falls_back_to_english() -> None:
    assert ENGLISH_ONLY.text("zh") == "Sessions"
    assert ENGLISH_ONLY.describe("zh") == "As counted"


def test_each_domain_lists_exactly_its_metrics() -> None:
    domains = {m.domain for m in METRICS}
    for domain in domains:
        listed = metrics_of(domain)
        assert listed and all(m.domain == domain for m in listed)
    assert sorted(m.name for d in domains for m in metrics_of(d)) == sorted(m.name for m in METRICS)
