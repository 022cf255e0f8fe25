"""The team's journal of the daily loop: 复盘 notes, activities (活动), monthly targets and group-robot webhooks.

Stored in the warehouse (migration 7) and included in backups, except the webhooks, which a restore keeps
as they are, like the team accounts (shopdata/backup.py KEPT_ON_RESTORE). Every write names the account
doing it and is refused unless its role allows it (accounts.ROLES: `review` for notes, activities and
targets; `manage_webhooks` for webhooks); the author and the time are recorded.

What changes the data generation (the key of cached results, shopdata/generation.py): only activities, because
cached results judge days against them (alerts inside an activity, activity lift). Notes, targets and webhooks
are read afresh on every call and cached nowhere, so writing them leaves every cached figure valid.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from shopdata.accounts import User
from shopdata.errors import ShopdataError
from shopdata.festivals import FESTIVALS, calendar
from shopdata.generation import bump_generation
from shopdata.metrics.baseline import HISTORY_DAYS
from shopdata.schema import utcnow
from shopdata.store import Warehouse

# Why a day was as it was. Labels: the i18n catalog's `loop.cause.<cause>` (shopdata/i18n/loop.py).
CAUSES = ("activity", "platform_rule", "competitor", "stock_out", "price_change", "ad_change", "technical", "other")
# What an alert or a note can be about besides the whole store (the alerts' `dimension`).
DIMENSIONS = ("store", "source", "product", "campaign", "platform")
STORE_LEVEL = "store"
ACTIVITY_KINDS = ("festival", "own")
WEBHOOK_KINDS = ("dingtalk", "wecom", "feishu", "slack")
ALERT_KEY_SEPARATOR = "|"
MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ACTIVITIES_WRITER = "activities"  # the data generation's counter for activity changes


@dataclass(frozen=True)
class TargetMetric:
    name: str
    money: bool  # in the store's currency: the target records which
    additive: bool  # a month's value is the sum of its days (a ratio such as ROAS is not)


TARGET_METRICS: dict[str, TargetMetric] = {
    m.name: m
    for m in (
        TargetMetric("revenue", money=True, additive=True),
        TargetMetric("orders", money=False, additive=True),
        TargetMetric("visitors", money=False, additive=True),
        TargetMetric("spend", money=True, additive=True),  # the ad spend budget
        TargetMetric("roas", money=False, additive=False),
    )
}


class JournalError(ShopdataError):
    """A note, activity, target or webhook that cannot be stored as given."""


class NotAllowed(ShopdataError):
    """The account's role does not allow this write."""


def alert_key(day: date, metric: str, dimension: str = STORE_LEVEL, segment: str = "") -> str:
    """An alert's identity, as the alerts and the notes reviewing them both spell it."""
    return ALERT_KEY_SEPARATOR.join((day.isoformat(), metric, dimension, segment))


def alert_key_day(key: str) -> date | None:
    try:
        return date.fromisoformat(key.split(ALERT_KEY_SEPARATOR, 1)[0])
    except ValueError:
        return None


def _require(by: User, permission: str, what: str) -> None:
    if not by.can(permission):
        raise NotAllowed(
            f"{by.name} ({by.role}) may not {what}", "ask an owner; members and owners write, viewers read"
        )


def _text(value: str | None, what: str, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise JournalError(f"{what} is empty", f"give the {what}")
    return text


def _period(date_from: date, date_to: date | None) -> tuple[date, date]:
    date_to = date_from if date_to is None else date_to
    if date_to < date_from:
        raise JournalError(f"the period {date_from}..{date_to} ends before it starts", "give the first day first")
    return date_from, date_to


def month_bounds(month: str) -> tuple[date, date]:
    """'YYYY-MM' -> its first and last day."""
    if not MONTH_PATTERN.match(month or ""):
        raise JournalError(f"expected a month as YYYY-MM, got {month!r}", "e.g. 2024-11")
    first = date.fromisoformat(f"{month}-01")
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


@dataclass(frozen=True)
class Webhook:
    """A configured group robot, for sending. Its URL and secret never appear in its repr (so not in a log)."""

    webhook_id: int
    store: str
    kind: str
    name: str
    url: str = field(repr=False)
    secret: str = field(repr=False)

    def masked(self) -> dict[str, Any]:
        return {
            "webhook_id": self.webhook_id,
            "store": self.store,
            "kind": self.kind,
            "name": self.name,
            "url": mask_url(self.url),
            "has_secret": bool(self.secret),
        }


def mask_url(url: str) -> str:
    """Enough of a webhook URL to recognise it (its host and its last four characters), never its token."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}/…{url[-4:]}"


class Journal:
    """Notes, activities, targets and webhooks of a warehouse. One per session, like the Warehouse."""

    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse
        self.engine = warehouse.engine

    def _check_store(self, store: str) -> None:
        if not self.engine.execute("SELECT 1 FROM stores WHERE name = ?", [store]).rows:
            raise JournalError(f"no store named {store!r}", "choose one of the stores the data was loaded into")

    def _next_id(self, table: str, column: str) -> int:
        # Inside the journal's exclusive transaction: one writer at a time takes the next number. Ids survive a
        # backup and restore as they are, and the next one follows the highest restored.
        return int(self.engine.execute(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}").scalar())

    # -- notes
    def add_note(
        self,
        by: User,
        store: str,
        date_from: date,
        text: str,
        *,
        date_to: date | None = None,
        cause: str = "other",
        metric: str | None = None,
        dimension: str | None = None,
        segment: str | None = None,
        alert: str | None = None,
        action: str = "",
        follow_up: date | None = None,
    ) -> int:
        """Record a note; returns its id. `alert` is the alert_key of the alert it reviews."""
        _require(by, "review", "write notes")
        self._check_store(store)
        values = self._note_values(date_from, date_to, text, cause, metric, dimension, segment, alert, action)
        now = utcnow()
        with self.engine.exclusive_transaction("journal"):
            note_id = self._next_id("notes", "note_id")
            self.engine.execute(
                "INSERT INTO notes (note_id, store, date_from, date_to, metric, dimension, segment, alert_key, cause,"
                " text, action, follow_up, follow_up_done, author, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [note_id, store, *values, follow_up, False, by.name, now, now],
            )
        return note_id

    @staticmethod
    def _note_values(
        date_from: date,
        date_to: date | None,
        text: str,
        cause: str,
        metric: str | None,
        dimension: str | None,
        segment: str | None,
        alert: str | None,
        action: str,
    ) -> list[Any]:
        date_from, date_to = _period(date_from, date_to)
        if cause not in CAUSES:
            raise JournalError(f"no cause {cause!r}", f"one of: {', '.join(CAUSES)}")
        metric = _text(metric, "metric") or None
        dimension = _text(dimension, "dimension") or None
        segment = None if segment is None else segment.strip()
        if dimension is not None and dimension not in DIMENSIONS:
            raise JournalError(f"no dimension {dimension!r}", f"one of: {', '.join(DIMENSIONS)}")
        if segment and dimension in (None, STORE_LEVEL):
            raise JournalError(f"the segment {segment!r} needs its dimension", f"one of: {', '.join(DIMENSIONS[1:])}")
        if dimension not in (None, STORE_LEVEL) and not segment:
            raise JournalError(f"the dimension {dimension} needs a segment", "give the source, product, … it is about")
        if (dimension or segment) and metric is None:
            raise JournalError("a dimension or segment needs the metric it is about", "give the metric too")
        if dimension == STORE_LEVEL:
            segment = ""
        alert = _text(alert, "alert") or None
        if alert is not None and alert_key_day(alert) is None:
            raise JournalError(f"{alert!r} is not an alert", "an alert is YYYY-MM-DD|metric|dimension|segment")
        text = _text(text, "text", required=True)
        return [date_from, date_to, metric, dimension, segment, alert, cause, text, _text(action, "action")]

    def update_note(self, by: User, note_id: int, **changes: Any) -> None:
        """Change a note's fields (those of add_note, plus follow_up_done); the rest stay as they are."""
        _require(by, "review", "edit notes")
        fields = ("date_from", "date_to", "text", "cause", "metric", "dimension", "segment", "alert", "action")
        unknown = set(changes) - {*fields, "follow_up", "follow_up_done"}
        if unknown:
            raise JournalError(f"a note has no {', '.join(sorted(unknown))}", f"change one of: {', '.join(fields)}")
        with self.engine.exclusive_transaction("journal"):
            row = self.engine.execute(
                "SELECT date_from, date_to, text, cause, metric, dimension, segment, alert_key, action, follow_up,"
                " follow_up_done FROM notes WHERE note_id = ?",
                [note_id],
            ).fetchone()
            if row is None:
                raise JournalError(f"no note {note_id}", "list them with `python -m shopdata notes list`")
            current = dict(zip((*fields, "follow_up", "follow_up_done"), row, strict=True))
            current.update(changes)
            values = self._note_values(*(current[f] for f in fields))
            self.engine.execute(
                "UPDATE notes SET date_from = ?, date_to = ?, metric = ?, dimension = ?, segment = ?, alert_key = ?,"
                " cause = ?, text = ?, action = ?, follow_up = ?, follow_up_done = ?, updated_at = ?"
                " WHERE note_id = ?",
                [*values, current["follow_up"], bool(current["follow_up_done"]), utcnow(), note_id],
            )

    def delete_note(self, by: User, note_id: int) -> None:
        _require(by, "review", "delete notes")
        with self.engine.exclusive_transaction("journal"):
            if not self.engine.execute("DELETE FROM notes WHERE note_id = ?", [note_id]).rowcount:
                raise JournalError(f"no note {note_id}", "list them with `python -m shopdata notes list`")

    def notes(
        self,
        store: str | None = None,
        start: date | None = None,
        end: date | None = None,
        *,
        search: str | None = None,
        metric: str | None = None,
        cause: str | None = None,
        open_follow_ups: bool = False,
    ) -> list[dict[str, Any]]:
        """Notes overlapping start..end (either may be open), newest period first. `search` finds text in what
        was found or done, whatever its case; `open_follow_ups` keeps the notes with a follow-up not yet done."""
        where, params = ["TRUE"], []
        for condition, value in (
            ("store = ?", store),
            ("date_to >= ?", start),
            ("date_from <= ?", end),
            ("metric = ?", metric),
            ("cause = ?", cause),
        ):
            if value is not None:
                where.append(condition)
                params.append(value)
        if search:
            where.append("strpos(lower(coalesce(text, '') || ' ' || coalesce(action, '')), ?) > 0")
            params.append(search.strip().lower())
        if open_follow_ups:
            where.append("follow_up IS NOT NULL AND NOT coalesce(follow_up_done, FALSE)")
        return self.engine.execute(
            f"SELECT * FROM notes WHERE {' AND '.join(where)} ORDER BY date_from DESC, note_id DESC", params
        ).records()

    def reviewed_keys(self, store: str, start: date, end: date) -> frozenset[str]:
        """The alert keys of start..end that a note reviews: the alert it names, or each day of its period for
        the metric (and segment; the whole store without one) it is about."""
        keys: set[str] = set()
        for note in self.notes(store, start, end):
            if note["alert_key"]:
                day = alert_key_day(note["alert_key"])
                if day is not None and start <= day <= end:
                    keys.add(note["alert_key"])
            if note["metric"]:
                day, last = max(note["date_from"], start), min(note["date_to"], end)
                while day <= last:
                    keys.add(alert_key(day, note["metric"], note["dimension"] or STORE_LEVEL, note["segment"] or ""))
                    day += timedelta(days=1)
        return frozenset(keys)

    def alert_context(self, store: str, start: date, end: date) -> tuple[tuple[tuple[date, date], ...], frozenset[str]]:
        """What judging the alerts of start..end needs: the date ranges of the activities the store recorded
        (its own, and festivals it took part in — recorded or edited; their days are judged against the
        activity) and the keys of the alerts a note reviews. A festival only preloaded from the calendar is
        context, not a statement that the store ran it: a Black Friday spike in a store that recorded nothing
        is found as the surprise it is. Read from the start of the baseline's history (HISTORY_DAYS before
        `start`), so an activity there stays out of the history too."""
        looked_from = start - timedelta(days=HISTORY_DAYS)
        recorded = [a for a in self.activities(store, looked_from, end) if a["activity_id"] is not None]
        return tuple(sorted({(a["date_from"], a["date_to"]) for a in recorded})), self.reviewed_keys(store, start, end)

    # -- activities
    def add_activity(self, by: User, store: str, name: str, date_from: date, date_to: date, kind: str = "own") -> int:
        """A store's own promotion, or a platform festival the calendar does not have; returns its id."""
        _require(by, "review", "record activities")
        self._check_store(store)
        if kind not in ACTIVITY_KINDS:
            raise JournalError(f"no activity kind {kind!r}", f"one of: {', '.join(ACTIVITY_KINDS)}")
        return self._insert_activity(by, store, _text(name, "name", required=True), kind, "", None, date_from, date_to)

    def _insert_activity(
        self,
        by: User,
        store: str,
        name: str,
        kind: str,
        festival: str,
        year: int | None,
        date_from: date,
        date_to: date,
        hidden: bool = False,
    ) -> int:
        date_from, date_to = _period(date_from, date_to)
        with self.engine.exclusive_transaction("journal"):
            activity_id = self._next_id("activities", "activity_id")
            if festival:  # one edit per store, festival and year: the newest replaces the one before
                self.engine.execute(
                    "DELETE FROM activities WHERE store = ? AND festival = ? AND year = ?", [store, festival, year]
                )
            self.engine.execute(
                "INSERT INTO activities (activity_id, store, name, kind, festival, year, date_from, date_to, hidden,"
                " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [activity_id, store, name, kind, festival, year, date_from, date_to, hidden, by.name, utcnow()],
            )
            bump_generation(self.engine, ACTIVITIES_WRITER)
        return activity_id

    def update_activity(
        self,
        by: User,
        activity_id: int,
        *,
        name: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> None:
        _require(by, "review", "edit activities")
        with self.engine.exclusive_transaction("journal"):
            row = self.engine.execute(
                "SELECT name, date_from, date_to FROM activities WHERE activity_id = ?", [activity_id]
            ).fetchone()
            if row is None:
                raise JournalError(f"no activity {activity_id}", "list them with `python -m shopdata activities list`")
            new_name = _text(row[0] if name is None else name, "name", required=True)
            first, last = _period(date_from or row[1], date_to or row[2])
            self.engine.execute(
                "UPDATE activities SET name = ?, date_from = ?, date_to = ? WHERE activity_id = ?",
                [new_name, first, last, activity_id],
            )
            bump_generation(self.engine, ACTIVITIES_WRITER)

    def delete_activity(self, by: User, activity_id: int) -> None:
        """Remove a recorded activity; removing a festival's edit brings back its calendar dates."""
        _require(by, "review", "delete activities")
        with self.engine.exclusive_transaction("journal"):
            if not self.engine.execute("DELETE FROM activities WHERE activity_id = ?", [activity_id]).rowcount:
                raise JournalError(f"no activity {activity_id}", "list them with `python -m shopdata activities list`")
            bump_generation(self.engine, ACTIVITIES_WRITER)

    def edit_festival(
        self,
        by: User,
        store: str,
        festival: str,
        year: int,
        date_from: date,
        date_to: date,
        *,
        hidden: bool = False,
    ) -> int:
        """The store's own dates for a preloaded festival in one year (or, hidden, that it does not take part)."""
        _require(by, "review", "edit festivals")
        self._check_store(store)
        if festival not in FESTIVALS:
            raise JournalError(f"no festival {festival!r}", f"one of: {', '.join(FESTIVALS)}")
        name = FESTIVALS[festival].name("en")
        return self._insert_activity(by, store, name, "festival", festival, year, date_from, date_to, hidden)

    def activities(self, store: str, start: date, end: date, language: str = "en") -> list[dict[str, Any]]:
        """The store's activities overlapping start..end: its own, and the festival calendar with the store's
        edits (an edited festival has the store's dates; a hidden one is left out), by first day.

        Each: activity_id (None for a festival as preloaded), name, kind, festival ('' for the store's own),
        year, date_from, date_to, edited, created_by."""
        rows = self.engine.execute(
            "SELECT activity_id, name, kind, festival, year, date_from, date_to, hidden, created_by FROM activities"
            " WHERE store = ? AND (festival <> '' OR (date_from <= ? AND date_to >= ?))",
            [store, end, start],
        ).records()
        found: dict[tuple[str, int], dict[str, Any]] = {
            (o.festival, o.year): {
                "activity_id": None,
                "name": FESTIVALS[o.festival].name(language),
                "kind": "festival",
                "festival": o.festival,
                "year": o.year,
                "date_from": o.date_from,
                "date_to": o.date_to,
                "edited": False,
                "created_by": None,
                "hidden": False,
            }
            for o in calendar(start, end)
        }
        own = []
        for row in rows:
            if row["festival"]:
                key = (row["festival"], int(row["year"]))
                known = FESTIVALS.get(row["festival"])
                found[key] = {
                    **row,
                    "name": known.name(language) if known else row["name"],
                    "year": key[1],
                    "edited": True,
                }
            else:
                own.append({**row, "year": None, "edited": False})
        merged = [
            {k: v for k, v in activity.items() if k != "hidden"}
            for activity in (*found.values(), *own)
            if not activity["hidden"] and activity["date_from"] <= end and activity["date_to"] >= start
        ]
        return sorted(merged, key=lambda a: (a["date_from"], a["date_to"], a["name"]))

    # -- targets
    def set_target(
        self, by: User, store: str, month: str, metric: str, value: float, currency: str | None = None
    ) -> None:
        """The month's target for one metric (replacing an earlier one). A money target states its currency."""
        _require(by, "review", "set targets")
        self._check_store(store)
        month_bounds(month)
        spec = TARGET_METRICS.get(metric)
        if spec is None:
            raise JournalError(f"no target metric {metric!r}", f"one of: {', '.join(TARGET_METRICS)}")
        if not (value == value and 0 < value < float("inf")):  # value == value: not NaN
            raise JournalError(f"a target must be a number above 0, got {value!r}", "e.g. --value 120000")
        if spec.money and not currency:
            raise JournalError(f"the {metric} target needs its currency", "give the ISO code, e.g. CNY")
        with self.engine.exclusive_transaction("journal"):
            self.engine.execute(
                "DELETE FROM targets WHERE store = ? AND month = ? AND metric = ?", [store, month, metric]
            )
            self.engine.execute(
                "INSERT INTO targets (store, month, metric, value, currency, set_by, set_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [store, month, metric, float(value), currency if spec.money else None, by.name, utcnow()],
            )

    def delete_target(self, by: User, store: str, month: str, metric: str) -> None:
        _require(by, "review", "remove targets")
        with self.engine.exclusive_transaction("journal"):
            self.engine.execute(
                "DELETE FROM targets WHERE store = ? AND month = ? AND metric = ?", [store, month, metric]
            )

    def targets(self, store: str, month: str | None = None) -> list[dict[str, Any]]:
        """The store's targets (of one month), in TARGET_METRICS order within each month."""
        where, params = ("store = ? AND month = ?", [store, month]) if month else ("store = ?", [store])
        found = self.engine.execute(f"SELECT * FROM targets WHERE {where}", params).records()
        order = list(TARGET_METRICS)
        return sorted(found, key=lambda t: (t["month"], order.index(t["metric"]) if t["metric"] in order else 99))

    # -- webhooks
    def add_webhook(self, by: User, kind: str, name: str, url: str, secret: str = "", store: str = "") -> int:
        """Configure a group robot (store '' for every store's reports); returns its id."""
        _require(by, "manage_webhooks", "configure group robots")
        if kind not in WEBHOOK_KINDS:
            raise JournalError(f"no group robot kind {kind!r}", f"one of: {', '.join(WEBHOOK_KINDS)}")
        if store:
            self._check_store(store)
        url = (url or "").strip()
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            # The URL itself is not repeated: it holds the robot's access token.
            raise JournalError("the webhook URL is not an http(s) address", "paste the robot's webhook URL whole")
        with self.engine.exclusive_transaction("journal"):
            webhook_id = self._next_id("webhooks", "webhook_id")
            self.engine.execute(
                "INSERT INTO webhooks (webhook_id, store, kind, name, url, secret, created_by, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [webhook_id, store, kind, _text(name, "name", required=True), url, secret or "", by.name, utcnow()],
            )
        return webhook_id

    def _webhook_rows(self, where: str, params: Iterable[Any]) -> list[dict[str, Any]]:
        return self.engine.execute(
            "SELECT webhook_id, store, kind, name, url, secret, created_by, created_at FROM webhooks"
            f" WHERE {where} ORDER BY webhook_id",
            list(params),
        ).records()

    def webhooks(self, store: str | None = None) -> list[dict[str, Any]]:
        """The configured robots, masked (URL host and last characters; whether a secret is set). With a store:
        those posting its reports (its own and those for all stores)."""
        where, params = ("store = ? OR store = ''", [store]) if store else ("TRUE", [])
        return [
            {**self._webhook(row).masked(), "created_by": row["created_by"], "created_at": row["created_at"]}
            for row in self._webhook_rows(where, params)
        ]

    @staticmethod
    def _webhook(row: Mapping[str, Any]) -> Webhook:
        return Webhook(
            int(row["webhook_id"]), row["store"] or "", row["kind"], row["name"], row["url"], row["secret"] or ""
        )

    def webhooks_for_sending(self, store: str, kind: str | None = None) -> list[Webhook]:
        """The robots posting the store's reports (its own and those for all stores), of one kind or every
        kind, with their URLs and secrets: for sending only, never for showing."""
        where, params = "(store = ? OR store = '')", [store]
        if kind is not None:
            where, params = f"{where} AND kind = ?", [store, kind]
        return [self._webhook(row) for row in self._webhook_rows(where, params)]

    def webhook(self, webhook_id: int) -> Webhook:
        """One robot with its URL and secret, for sending."""
        rows = self._webhook_rows("webhook_id = ?", [webhook_id])
        if not rows:
            raise JournalError(f"no group robot {webhook_id}", "configure it on the Team page")
        return self._webhook(rows[0])

    def delete_webhook(self, by: User, webhook_id: int) -> None:
        _require(by, "manage_webhooks", "remove group robots")
        with self.engine.exclusive_transaction("journal"):
            if not self.engine.execute("DELETE FROM webhooks WHERE webhook_id = ?", [webhook_id]).rowcount:
                raise JournalError(f"no group robot {webhook_id}", "configure it on the Team page")


def journal_of(backend: Any) -> Journal | None:
    """The journal of the warehouse a metrics backend reads (a Source, shopdata/metrics/cache.py, has its
    engine); None for a bare Ibis backend, which has no journal to read."""
    engine = getattr(backend, "engine", None)
    return None if engine is None else Journal(Warehouse(engine))
