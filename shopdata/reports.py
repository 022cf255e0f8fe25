"""Every `python -m shopdata report`, declared once: its records function, the `--by` values it accepts and
the fields of its records for each. The CLI builds its arguments and CSV headers from this table; the tests
run every entry.

The breakdowns and record fields are read from the metrics modules' own tables, so a breakdown added there
appears here (and on the command line) without a second edit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from shopdata.errors import ReportError
from shopdata.journal import journal_of
from shopdata.metrics import (
    alerts,
    competitors,
    funnel,
    orders,
    overview,
    prices,
    products,
    promotion,
    targets,
    traffic,
)
from shopdata.metrics.activities import activity_lift
from shopdata.metrics.query import Scope

# (backend, scope, compare_scope, by, language) -> records; every report_records has this signature.
RecordsFunction = Callable[..., list[dict[str, Any]]]


@dataclass(frozen=True)
class Report:
    name: str
    records: RecordsFunction
    fields: Mapping[str | None, tuple[str, ...]]  # the record's fields for each allowed --by (None: without one)
    help: str

    @property
    def by(self) -> tuple[str, ...]:
        """The --by values this report accepts."""
        return tuple(b for b in self.fields if b is not None)

    def check(self, by: str | None) -> None:
        if by is None or by in self.by:
            return
        if not self.by:
            raise ReportError(f"the {self.name} report has no breakdown (--by {by})", "leave out --by")
        raise ReportError(
            f"the {self.name} report cannot be broken down by {by!r}", f"--by one of: {', '.join(self.by)}"
        )

    def record_fields(self, by: str | None) -> tuple[str, ...]:
        self.check(by)
        return self.fields[by]

    def run(
        self, backend: Any, scope: Scope, compare_scope: Scope | None, by: str | None = None, language: str = "en"
    ) -> list[dict[str, Any]]:
        self.check(by)
        return self.records(backend, scope, compare_scope, by=by, language=language)


def _unique(*parts: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(field for part in parts for field in part))


_KPI = ("metric", "value", "previous", "change")
_OVERVIEW_FIELDS: dict[str | None, tuple[str, ...]] = {
    None: (*_KPI, "source"),
    **{by: ("date", *_KPI) for by in overview.TIME_BY},
    **{by: _unique(*columns.values(), _KPI) for by, columns in overview.REPORT_BY.items()},
}

_STAGE = tuple(funnel.FUNNEL_COLUMNS)
_FUNNEL_FIELDS: dict[str | None, tuple[str, ...]] = {
    None: _STAGE,
    **{by: (by, *_STAGE) for by in _unique(tuple(funnel.EVENT_BY), tuple(funnel.EXPORT_BY), tuple(funnel.TIME_BY))},
}

_SOURCE_MEASURES = ("visitors", "buyers", "revenue", "conversion_rate", "share")
_TRAFFIC_FIELDS: dict[str | None, tuple[str, ...]] = {
    by: ("source", "source_2", *_SOURCE_MEASURES) if by == "source_2" else ("source", *_SOURCE_MEASURES)
    for by in traffic.REPORT_BY
}

_AD_MEASURES = tuple(promotion.REPORT_MEASURES)
_PROMOTION_FIELDS: dict[str | None, tuple[str, ...]] = {
    None: ("platform", "campaign", *_AD_MEASURES),
    **{
        by: ("platform", "date", *_AD_MEASURES)
        if by == "day"
        else ("platform", "campaign", *_AD_MEASURES, *((by,) if by in ("ad_group", "keyword", "product") else ()))
        for by in promotion.REPORT_BY
    },
}


def alert_records(
    backend, scope: Scope, compare_scope: Scope | None, by: str | None = None, language: str = "en"
) -> list[dict[str, Any]]:
    """`report alerts` with the store's journal: days inside its activities are judged against them (never
    alerts) and an alert a note covers is `reviewed`."""
    activities: tuple[tuple[date, date], ...] = ()
    reviewed: frozenset[str] = frozenset()
    journal = journal_of(backend)
    if journal is not None and scope.store is not None and scope.start is not None and scope.end is not None:
        activities, reviewed = journal.alert_context(scope.store, scope.start, scope.end)
    return alerts.report_records(backend, scope, compare_scope, by, language, activities=activities, reviewed=reviewed)


ACTIVITY_FIELDS = (
    "name",
    "date_from",
    "date_to",
    "revenue",
    "expected_revenue",
    "lift",
    "lift_pct",
    "spend",
    "incremental_roas",
)


def activity_records(
    backend, scope: Scope, compare_scope: Scope | None = None, by: str | None = None, language: str = "en"
) -> list[dict[str, Any]]:
    """`report activities`: each activity of the store overlapping the period (its own and the festivals, names
    in `language`), with its whole date range's lift against the expected baseline (activity_lift)."""
    journal = journal_of(backend)
    if journal is None or scope.store is None or scope.start is None or scope.end is None:
        return []
    records = []
    for activity in journal.activities(scope.store, scope.start, scope.end, language=language):
        lift = activity_lift(backend, scope, activity["date_from"], activity["date_to"])
        records.append(
            {
                "name": activity["name"],
                **{k: lift[k] for k in ACTIVITY_FIELDS if k != "name"},
                "date_from": activity["date_from"].isoformat(),
                "date_to": activity["date_to"].isoformat(),
            }
        )
    return [{k: r[k] for k in ACTIVITY_FIELDS} for r in records]


REPORTS: dict[str, Report] = {
    report.name: report
    for report in (
        Report("overview", overview.report_records, _OVERVIEW_FIELDS, "the KPI cards, with the comparison period"),
        Report("funnel", funnel.report_records, _FUNNEL_FIELDS, "users at each funnel stage and the rates between"),
        Report("traffic", traffic.report_records, _TRAFFIC_FIELDS, "visitors, buyers and revenue by traffic source"),
        Report(
            "promotion", promotion.report_records, _PROMOTION_FIELDS, "ad spend and returns, one record per campaign"
        ),
        Report(
            "orders",
            orders.report_records,
            {by: orders.record_fields(by) for by in (None, *orders.BY)},
            "orders placed and paid, revenue, refunds, buyers and units from order exports (one record per day)",
        ),
        Report(
            "products",
            products.report_records,
            {None: products.REPORT_FIELDS},
            "one record per product joined across traffic, orders, ads and prices, with its class",
        ),
        Report(
            "targets",
            targets.report_records,
            {None: targets.RECORD_FIELDS},
            "each month's targets: actual so far, pace, and the month projected at its daily run rate",
        ),
        Report(
            "prices",
            prices.report_records,
            {None: ("date", "shop", "product", "product_name", "price")},
            "every price observation",
        ),
        Report(
            "competitors",
            competitors.report_records,
            {by: competitors.record_fields(by) for by in (None, *competitors.BY)},
            "rivals' figures (生意参谋 竞品/竞店/流失): band ends, exact value where given, per rival/product/keyword",
        ),
        Report(
            "traffic-loss",
            competitors.traffic_loss_records,
            {None: competitors.LOSS_FIELDS},
            "visitors and money our store lost to each rival product (流失竞品), most money first",
        ),
        Report(
            "alerts",
            alert_records,
            {None: alerts.REPORT_FIELDS},
            "days a KPI left its normal range (same weekday, last 8 weeks), largest money impact first",
        ),
        Report(
            "activities",
            activity_records,
            {None: ACTIVITY_FIELDS},
            "each activity (own and festivals) in the period: revenue against the expected, lift, incremental ROAS",
        ),
    )
}
