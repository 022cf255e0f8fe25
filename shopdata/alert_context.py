"""What the alerts of a period are judged and shown with, built once for every page and report that shows them.

The overview lists the alerts, the promotion page marks its spend and ROAS alert days on the trend, the daily
report lists them: each needs the store's recorded activities (their days are judged against the activity), the
keys of the alerts a note reviews, the judged cells and the alerts found — and the rivals' events of the days
just before each alert (shopdata.metrics.rival_events), shown as what happened around the same time: context,
never a proven cause.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from shopdata import settings
from shopdata.formatting import format_value
from shopdata.i18n import translate
from shopdata.journal import Journal
from shopdata.metrics import alerts, prices, rival_events
from shopdata.metrics.query import Scope
from shopdata.metrics.rival_events import RivalEvent, RivalEvents, UnjudgedLoss

# An alert's rival context: the events of its day and of the CONTEXT_DAYS before it (a cut or a new 直通车
# plan shows in our traffic within days, not weeks).
CONTEXT_DAYS = 3


@dataclass(frozen=True)
class AlertContext:
    activities: tuple[tuple[date, date], ...]  # the recorded activities' date ranges (Journal.alert_context)
    reviewed: frozenset[str]  # keys of the alerts a note reviews
    cells: pd.DataFrame  # alerts.judged_cells
    found: pd.DataFrame  # alerts.detect_alerts, largest |impact| first
    rivals: RivalEvents  # from CONTEXT_DAYS before the period's start to its end

    def rivals_around(self, day: date) -> tuple[RivalEvent, ...]:
        """The rival events of an alert's day and the CONTEXT_DAYS before it."""
        return self.rivals.around(pd.Timestamp(day).date(), CONTEXT_DAYS)


def own_shop(backend, warehouse, store: str | None) -> str | None:
    """The user's own shop among the price exports' shops: the saved choice, else the shop named like the store
    (prices.default_own_shop). Its own price cuts are no rival's."""
    saved = settings.read(warehouse, settings.OWN_SHOP, store) if warehouse is not None else None
    return prices.default_own_shop(prices.shops(backend, store), store, saved)


def rivals_for_alerts(backend, scope: Scope, own: str | None) -> RivalEvents:
    """The rival events an alert of the scope's period can be shown with (from CONTEXT_DAYS before its start)."""
    assert scope.start is not None and scope.end is not None
    return rival_events.rival_events(backend, scope.shifted(scope.start - timedelta(days=CONTEXT_DAYS), scope.end), own)


def alert_context(journal: Journal, backend, scope: Scope, metrics: Sequence[str] | None = None) -> AlertContext:
    """The period's alerts with what they are judged and shown with (the module docstring); scope: a store's
    period. `metrics`: the KPIs a page shows alerts of (every one when None): only their tables are judged."""
    assert scope.store is not None and scope.start is not None and scope.end is not None
    activities, reviewed = journal.alert_context(scope.store, scope.start, scope.end)
    domains = None if metrics is None else tuple(sorted({alerts.domain_of(m) for m in metrics}))
    cells = alerts.judged_cells(backend, scope, activities, domains)
    found = alerts.detect_alerts(backend, scope, activities, reviewed, domains)
    rivals = rivals_for_alerts(backend, scope, own_shop(backend, journal.warehouse, scope.store))
    return AlertContext(activities, reviewed, cells, found, rivals)


# ---- in words (the pages pass their language; the report its own)


def _day(day: date) -> str:
    return f"{day:%m-%d}"


def event_text(event: RivalEvent, language: str, escape: Callable[[str], str] = str) -> str:
    """ "店铺A cut 商品X from ¥129.00 to ¥99.00 (11-18)", "店铺B started 直通车 (商品Y, 11-17)", "revenue lost to
    店铺C: ¥9,000, 3.00× its usual …". `escape` is applied to the names from the data (md_escape on a page)."""
    if event.kind == "price_cut":
        return translate(
            "rival_events.price_cut",
            language,
            rival=escape(event.rival),
            product=escape(event.product or "—"),
            before=format_value(event.before, "money", event.currency),
            after=format_value(event.after, "money", event.currency),
            day=_day(event.day),
        )
    if event.kind == "new_method":
        return translate(
            "rival_events.new_method",
            language,
            rival=escape(event.rival),
            method=escape(event.method or "—"),
            product=escape(event.product or "—"),
            day=_day(event.day),
        )
    unit = "money" if event.metric == "lost_revenue" else "count"
    return translate(
        f"rival_events.loss_jump.{event.metric}",
        language,
        rival=escape(event.rival),
        ratio=format_value(event.ratio, "ratio"),
        value=format_value(event.after, unit, event.currency, cents=False),
        usual=format_value(event.before, unit, event.currency, cents=False),
        history=event.history,
        day=_day(event.day),
    )


def unjudged_text(unjudged: UnjudgedLoss, language: str, escape: Callable[[str], str] = str) -> str:
    return translate(
        f"rival_events.unjudged.{unjudged.metric}",
        language,
        rival=escape(unjudged.rival),
        history=unjudged.history,
        needed=rival_events.JUMP_MIN_HISTORY,
        day=_day(unjudged.day),
    )


def events_text(events: Sequence[RivalEvent], language: str, escape: Callable[[str], str] = str) -> str:
    return translate("rival_events.separator", language).join(event_text(e, language, escape) for e in events)


def around_line(events: Sequence[RivalEvent], language: str, escape: Callable[[str], str] = str) -> str | None:
    """An alert's rival context in one line, worded as what happened around the same time; None without events."""
    if not events:
        return None
    return translate("rival_events.around", language, events=events_text(events, language, escape))


def none_line(checked: Sequence[str], language: str) -> str:
    """No event although rival data was looked at: which data, so "none" is never said of data not loaded."""
    names = ", ".join(translate(f"rival_events.source.{s}", language) for s in checked)
    return translate("rival_events.none", language, checked=names)
