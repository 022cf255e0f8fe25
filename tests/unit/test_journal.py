"""Notes, activities, targets and webhooks on DuckDB and PostgreSQL; who may write them."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pyarrow as pa
import pytest

from shopdata.accounts import ROLES, User
from shopdata.festivals import CHINESE_NEW_YEAR, FESTIVALS, black_friday, calendar
from shopdata.generation import data_generation
from shopdata.i18n import CATALOG
from shopdata.journal import (
    ACTIVITY_KINDS,
    CAUSES,
    TARGET_METRICS,
    Journal,
    JournalError,
    NotAllowed,
    alert_key,
    mask_url,
)
from shopdata.metrics.targets import target_progress
from shopdata.store import BatchInfo, Warehouse

OWNER, MEMBER, VIEWER = User("olga", "owner"), User("mo", "member"), User("vic", "viewer")
SHOP = "Shop"
DINGTALK_URL = "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdefTOKENwxyz"
SECRET = "SEC-very-secret-signing-key"


@pytest.fixture
def journal(store: Warehouse) -> Journal:
    store.ensure_store(SHOP)
    store.ensure_store("Other")
    return Journal(store)


def test_every_cause_kind_and_target_metric_has_a_label_in_both_languages() -> None:
    keys = [
        *(f"loop.cause.{c}" for c in CAUSES),
        *(f"loop.kind.{k}" for k in ACTIVITY_KINDS),
        *(f"loop.target.{m}" for m in TARGET_METRICS),
    ]
    assert all(set(CATALOG[key]) == {"en", "zh"} for key in keys)


def test_notes_are_stored_with_author_and_time_and_filtered(journal: Journal) -> None:
    first = journal.add_note(
        MEMBER,
        SHOP,
        date(2024, 3, 4),
        "Search traffic fell after a competitor's price cut",
        cause="competitor",
        metric="visitors",
        dimension="source",
        segment="手淘搜索",
        action="Matched the price",
        follow_up=date(2024, 3, 11),
    )
    second = journal.add_note(
        OWNER, SHOP, date(2024, 3, 10), "Stock ran out", date_to=date(2024, 3, 12), cause="stock_out"
    )
    journal.add_note(OWNER, "Other", date(2024, 3, 5), "Another store's note")
    assert (first, second) == (1, 2)

    [note] = journal.notes(SHOP, date(2024, 3, 1), date(2024, 3, 5))
    assert (note["note_id"], note["author"], note["cause"], note["segment"]) == (1, "mo", "competitor", "手淘搜索")
    assert (note["date_from"], note["date_to"], note["follow_up"]) == (
        date(2024, 3, 4),
        date(2024, 3, 4),
        date(2024, 3, 11),
    )
    assert note["created_at"] == note["updated_at"] and note["created_at"] is not None
    # A range note overlapping the window's end is in it; newest period first.
    assert [n["note_id"] for n in journal.notes(SHOP, date(2024, 3, 4), date(2024, 3, 10))] == [2, 1]
    assert [n["note_id"] for n in journal.notes(SHOP, date(2024, 3, 13), None)] == []
    assert [n["note_id"] for n in journal.notes(SHOP, search="PRICE")] == [1]  # in the action, any case
    assert [n["note_id"] for n in journal.notes(SHOP, search="ran OUT")] == [2]
    assert [n["note_id"] for n in journal.notes(SHOP, cause="stock_out")] == [2]
    assert [n["note_id"] for n in journal.notes(SHOP, metric="visitors")] == [1]
    assert [n["note_id"] for n in journal.notes(SHOP, open_follow_ups=True)] == [1]
    assert len(journal.notes()) == 3

    journal.update_note(MEMBER, 1, follow_up_done=True, text="Price cut by a competitor; matched")
    [note] = journal.notes(SHOP, metric="visitors")
    assert note["text"] == "Price cut by a competitor; matched" and note["follow_up_done"] is True
    assert note["updated_at"] >= note["created_at"] and note["segment"] == "手淘搜索"
    assert journal.notes(SHOP, open_follow_ups=True) == []
    journal.delete_note(OWNER, 2)
    assert [n["note_id"] for n in journal.notes(SHOP)] == [1]
    assert journal.add_note(OWNER, SHOP, date(2024, 3, 1), "after the highest, 3 (Other)") == 4


def test_a_value_from_a_user_is_stored_as_given_never_run(journal: Journal) -> None:
    hostile = "x'); DELETE FROM notes; --"
    journal.add_note(MEMBER, SHOP, date(2024, 1, 1), hostile, action="%_'")
    journal.add_note(MEMBER, SHOP, date(2024, 1, 2), "plain")
    assert [n["text"] for n in journal.notes(SHOP, search="'); delete")] == [hostile]
    assert [n["text"] for n in journal.notes(SHOP, search="%_")] == [hostile]  # no wildcard: found literally


@pytest.mark.parametrize(
    "changes, complaint",
    [
        ({"cause": "weather"}, "no cause"),
        ({"dimension": "source"}, "needs a segment"),
        ({"segment": "手淘搜索"}, "needs its dimension"),
        ({"metric": None, "dimension": "source", "segment": "x"}, "needs the metric"),
        ({"date_to": date(2024, 2, 28)}, "ends before it starts"),
        ({"text": "  "}, "text is empty"),
        ({"alert": "yesterday|revenue"}, "is not an alert"),
    ],
)
def test_a_note_that_cannot_be_stored_is_refused(journal: Journal, changes: dict, complaint: str) -> None:
    given = {"date_from": date(2024, 3, 1), "text": "t", "metric": "revenue"} | changes
    with pytest.raises(JournalError, match=complaint):
        journal.add_note(MEMBER, SHOP, **given)
    assert journal.notes() == []
    with pytest.raises(JournalError, match="no store"):
        journal.add_note(MEMBER, "Nowhere", date(2024, 3, 1), "t")


def test_reviewed_keys_are_the_alerts_a_note_names_or_covers(journal: Journal) -> None:
    named = alert_key(date(2024, 3, 5), "revenue", "campaign", "Brand | exact")
    journal.add_note(MEMBER, SHOP, date(2024, 3, 5), "spike", alert=named)
    journal.add_note(
        MEMBER,
        SHOP,
        date(2024, 3, 6),
        "drop",
        date_to=date(2024, 3, 8),
        metric="visitors",
        dimension="source",
        segment="Search",
    )
    journal.add_note(MEMBER, SHOP, date(2024, 3, 1), "store level", metric="orders")
    journal.add_note(MEMBER, SHOP, date(2024, 3, 7), "about nothing in particular")
    journal.add_note(MEMBER, "Other", date(2024, 3, 7), "other store", metric="orders")
    assert journal.reviewed_keys(SHOP, date(2024, 3, 1), date(2024, 3, 7)) == {
        "2024-03-05|revenue|campaign|Brand | exact",
        "2024-03-06|visitors|source|Search",
        "2024-03-07|visitors|source|Search",  # 03-08 is after the window
        "2024-03-01|orders|store|",
    }
    assert journal.reviewed_keys(SHOP, date(2024, 3, 2), date(2024, 3, 4)) == frozenset()


def test_activities_merge_the_store_s_own_with_the_festival_calendar_and_its_edits(journal: Journal) -> None:
    start, end = date(2024, 11, 1), date(2024, 12, 31)
    preloaded = journal.activities(SHOP, start, end)
    # Black Friday 2024: 29 November (Thanksgiving on the 28th); Cyber Monday 2 December.
    assert [(a["festival"], a["date_from"], a["date_to"]) for a in preloaded] == [
        ("double11", date(2024, 11, 11), date(2024, 11, 11)),
        ("black_friday", date(2024, 11, 29), date(2024, 11, 29)),
        ("cyber_monday", date(2024, 12, 2), date(2024, 12, 2)),
        ("double12", date(2024, 12, 12), date(2024, 12, 12)),
        # 年货节 of 春节 2025 (29 January): the four weeks up to 19 January start on 23 December.
        ("new_year_shopping", date(2024, 12, 23), date(2025, 1, 19)),
    ]
    assert all(a["activity_id"] is None and not a["edited"] for a in preloaded)
    assert journal.activities(SHOP, start, end, language="zh")[0]["name"] == "双11"

    before = data_generation(journal.engine)
    own = journal.add_activity(MEMBER, SHOP, "Winter clearance", date(2024, 11, 20), date(2024, 11, 24))
    assert data_generation(journal.engine) == before + 1  # alerts and lift judge days against activities
    journal.add_activity(MEMBER, "Other", "Not this store's", date(2024, 11, 20), date(2024, 11, 24))
    journal.edit_festival(MEMBER, SHOP, "double11", 2024, date(2024, 10, 14), date(2024, 11, 11))
    journal.edit_festival(MEMBER, SHOP, "double12", 2024, date(2024, 12, 12), date(2024, 12, 12), hidden=True)
    # An edit moving a festival into the window from outside it: Prime Day 2024 (16–17 July) moved to November.
    journal.edit_festival(OWNER, SHOP, "prime_day", 2024, date(2024, 11, 5), date(2024, 11, 6))
    merged = {(a["festival"] or a["name"]): a for a in journal.activities(SHOP, start, end)}
    assert set(merged) == {
        "double11",
        "prime_day",
        "Winter clearance",
        "black_friday",
        "cyber_monday",
        "new_year_shopping",
    }
    assert (merged["double11"]["date_from"], merged["double11"]["edited"]) == (date(2024, 10, 14), True)
    assert merged["double11"]["created_by"] == "mo"
    assert (merged["Winter clearance"]["activity_id"], merged["Winter clearance"]["kind"]) == (own, "own")

    # Editing again replaces the edit; deleting the edit brings back the calendar's dates.
    again = journal.edit_festival(MEMBER, SHOP, "double11", 2024, date(2024, 10, 31), date(2024, 11, 11))
    [double11] = [a for a in journal.activities(SHOP, start, end) if a["festival"] == "double11"]
    assert (double11["activity_id"], double11["date_from"]) == (again, date(2024, 10, 31))
    journal.delete_activity(MEMBER, again)
    [double11] = [a for a in journal.activities(SHOP, start, end) if a["festival"] == "double11"]
    assert (double11["activity_id"], double11["date_from"]) == (None, date(2024, 11, 11))

    journal.update_activity(MEMBER, own, name="Winter sale", date_to=date(2024, 11, 26))
    [sale] = [a for a in journal.activities(SHOP, start, end) if a["activity_id"] == own]
    assert (sale["name"], sale["date_from"], sale["date_to"]) == ("Winter sale", date(2024, 11, 20), date(2024, 11, 26))
    assert journal.activities(SHOP, date(2024, 11, 27), date(2024, 11, 28)) == []
    with pytest.raises(JournalError, match="no festival"):
        journal.edit_festival(MEMBER, SHOP, "boxing_day", 2024, date(2024, 12, 26), date(2024, 12, 26))
    with pytest.raises(JournalError, match="no activity kind"):
        journal.add_activity(MEMBER, SHOP, "x", date(2024, 1, 1), date(2024, 1, 2), kind="flash")


def test_the_festival_calendar_computes_what_is_known_and_guesses_nothing() -> None:
    # US Thanksgiving is the fourth Thursday of November: 23 Nov 2017, 26 Nov 2020, 27 Nov 2025.
    assert [black_friday(y) for y in (2017, 2020, 2025)] == [date(2017, 11, 24), date(2020, 11, 27), date(2025, 11, 28)]
    assert all(CHINESE_NEW_YEAR[y].month in (1, 2) for y in range(2015, 2031))
    assert sorted(CHINESE_NEW_YEAR) == list(range(2015, 2031))
    # Prime Day of a year Amazon has not announced is not invented.
    assert FESTIVALS["prime_day"].dates(2030) is None
    assert [o.festival for o in calendar(date(2020, 10, 1), date(2020, 10, 31))] == ["prime_day"]
    # 年货节 ends before 春节 and is found from the year before.
    [shopping] = [o for o in calendar(date(2022, 12, 1), date(2023, 1, 31)) if o.festival == "new_year_shopping"]
    assert shopping.year == 2023 and shopping.date_to < CHINESE_NEW_YEAR[2023]
    assert (shopping.date_to - shopping.date_from).days + 1 == 28


def test_targets_one_value_per_store_month_and_metric(journal: Journal) -> None:
    journal.set_target(MEMBER, SHOP, "2024-03", "revenue", 100_000, currency="CNY")
    journal.set_target(OWNER, SHOP, "2024-03", "revenue", 120_000, currency="CNY")
    journal.set_target(OWNER, SHOP, "2024-03", "roas", 3.5, currency="CNY")  # not money: no currency kept
    journal.set_target(OWNER, SHOP, "2024-04", "orders", 900)
    assert [(t["metric"], t["value"], t["currency"], t["set_by"]) for t in journal.targets(SHOP, "2024-03")] == [
        ("revenue", 120_000.0, "CNY", "olga"),
        ("roas", 3.5, None, "olga"),
    ]
    assert [t["month"] for t in journal.targets(SHOP)] == ["2024-03", "2024-03", "2024-04"]
    for month, metric, value, currency, complaint in (
        ("2024-13", "orders", 1, None, "YYYY-MM"),
        ("2024-03", "profit", 1, None, "no target metric"),
        ("2024-03", "orders", 0, None, "above 0"),
        ("2024-03", "orders", float("nan"), None, "above 0"),
        ("2024-03", "spend", 5000, None, "needs its currency"),
    ):
        with pytest.raises(JournalError, match=complaint):
            journal.set_target(OWNER, SHOP, month, metric, value, currency)
    journal.delete_target(OWNER, SHOP, "2024-04", "orders")
    assert journal.targets(SHOP, "2024-04") == []


def test_webhooks_are_shown_masked_and_never_logged(journal: Journal, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    hook = journal.add_webhook(OWNER, "dingtalk", "运营群", DINGTALK_URL, SECRET, store=SHOP)
    journal.add_webhook(OWNER, "slack", "All stores", "https://hooks.slack.com/services/T0/B0/XYZsecretpath")
    [listed] = journal.webhooks("Other")  # only the one for every store
    assert listed["kind"] == "slack" and listed["store"] == ""
    shown = journal.webhooks(SHOP)
    assert [w["webhook_id"] for w in shown] == [hook, 2]
    assert shown[0]["url"] == "https://oapi.dingtalk.com/…wxyz" and shown[0]["has_secret"] is True
    assert "TOKEN" not in str(shown) and SECRET not in str(shown)
    full = journal.webhook(hook)
    assert (full.url, full.secret, full.kind, full.name) == (DINGTALK_URL, SECRET, "dingtalk", "运营群")
    assert DINGTALK_URL not in repr(full) and SECRET not in repr(full)
    with pytest.raises(JournalError) as refused:
        journal.add_webhook(OWNER, "dingtalk", "x", "oapi.dingtalk.com/robot?access_token=LEAKME", SECRET)
    assert "LEAKME" not in str(refused.value) and SECRET not in str(refused.value)
    assert "TOKEN" not in caplog.text and SECRET not in caplog.text
    journal.delete_webhook(OWNER, hook)
    assert [w["webhook_id"] for w in journal.webhooks()] == [2]
    assert mask_url("https://open.feishu.cn/open-apis/bot/v2/hook/abcd-1234") == "https://open.feishu.cn/…1234"


def test_a_viewer_cannot_write_and_a_member_cannot_configure_robots(journal: Journal) -> None:
    assert not any(ROLES["viewer"] & {"review", "manage_webhooks"})
    note = journal.add_note(MEMBER, SHOP, date(2024, 3, 1), "kept")
    activity = journal.add_activity(MEMBER, SHOP, "Sale", date(2024, 3, 1), date(2024, 3, 2))
    hook = journal.add_webhook(OWNER, "wecom", "群", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k")
    generation = data_generation(journal.engine)
    writes = [
        lambda by: journal.add_note(by, SHOP, date(2024, 3, 1), "no"),
        lambda by: journal.update_note(by, note, text="changed"),
        lambda by: journal.delete_note(by, note),
        lambda by: journal.add_activity(by, SHOP, "no", date(2024, 3, 1), date(2024, 3, 1)),
        lambda by: journal.update_activity(by, activity, name="changed"),
        lambda by: journal.delete_activity(by, activity),
        lambda by: journal.edit_festival(by, SHOP, "618", 2024, date(2024, 6, 1), date(2024, 6, 18)),
        lambda by: journal.set_target(by, SHOP, "2024-03", "orders", 10),
        lambda by: journal.delete_target(by, SHOP, "2024-03", "orders"),
        lambda by: journal.add_webhook(by, "slack", "x", "https://hooks.slack.com/services/a"),
        lambda by: journal.delete_webhook(by, hook),
    ]
    for write in writes:
        with pytest.raises(NotAllowed, match="vic \\(viewer\\) may not"):
            write(VIEWER)
    for write in writes[-2:]:
        with pytest.raises(NotAllowed, match="mo \\(member\\) may not"):
            write(MEMBER)
    assert [n["text"] for n in journal.notes()] == ["kept"]
    assert [a["name"] for a in journal.activities(SHOP, date(2024, 3, 1), date(2024, 3, 2))] == ["Sale"]
    assert journal.targets(SHOP) == [] and len(journal.webhooks()) == 1
    assert data_generation(journal.engine) == generation
    # Reading is what a viewer may do.
    assert journal.notes(SHOP) and journal.reviewed_keys(SHOP, date(2024, 3, 1), date(2024, 3, 1)) == frozenset()


def test_deleting_a_store_removes_its_journal(journal: Journal) -> None:
    journal.add_note(MEMBER, SHOP, date(2024, 3, 1), "gone")
    journal.add_note(MEMBER, "Other", date(2024, 3, 1), "stays")
    journal.add_activity(MEMBER, SHOP, "gone", date(2024, 3, 1), date(2024, 3, 1))
    journal.set_target(MEMBER, SHOP, "2024-03", "orders", 5)
    journal.add_webhook(OWNER, "slack", "gone", "https://hooks.slack.com/services/a", store=SHOP)
    journal.warehouse.delete_store(SHOP)
    assert [n["text"] for n in journal.notes()] == ["stays"]
    for table in ("activities", "targets", "webhooks"):
        assert journal.engine.execute(f"SELECT count(*) FROM {table}").scalar() == 0


def traffic_rows(days: list[tuple[date, float, float, float]]) -> pa.Table:
    """Shop-grain traffic rows: (day, visitors, orders, revenue) in CNY."""
    n = len(days)
    return pa.table(
        {
            "platform": ["tmall"] * n,
            "nk": [f"t{d.isoformat()}" for d, *_ in days],
            "date": [d for d, *_ in days],
            "end_date": [d for d, *_ in days],
            "grain": ["shop"] * n,
            "visitors": [v for _, v, _, _ in days],
            "orders": [o for _, _, o, _ in days],
            "revenue": [r for _, _, _, r in days],
            "currency": ["CNY"] * n,
        }
    )


def test_target_progress_paces_and_projects_the_month_at_its_run_rate(journal: Journal) -> None:
    march = [date(2024, 3, 1) + timedelta(days=i) for i in range(31)]
    # 1 000 CNY, 10 orders and 200 visitors a day; the last days (after "today") must not count.
    days = [(d, 200.0, 10.0, 1000.0) for d in march]
    journal.warehouse.load(
        BatchInfo(
            SHOP, "t.csv", "sha-t", 1, "tmall", "traffic", "tmall_shop", {}, date_from=march[0], date_to=march[-1]
        ),
        traffic_rows(days),
    )
    journal.set_target(OWNER, SHOP, "2024-03", "revenue", 40_000, currency="CNY")
    journal.set_target(OWNER, SHOP, "2024-03", "visitors", 5_000)
    journal.set_target(OWNER, SHOP, "2024-03", "roas", 3.0)
    backend = journal.engine.ibis()
    records = {r["metric"]: r for r in target_progress(backend, SHOP, "2024-03", date(2024, 3, 12), "CNY")}
    assert list(records) == ["revenue", "visitors", "roas"]
    revenue = records["revenue"]
    # 12 days × 1 000 = 12 000 so far; evenly, 40 000 × 12/31 by now; at 1 000 a day, 31 000 by the end.
    assert revenue["actual"] == pytest.approx(12_000)
    assert revenue["pace"] == pytest.approx(40_000 * 12 / 31)
    assert revenue["projected"] == pytest.approx(31_000)
    assert revenue["projected_pct"] == pytest.approx(31_000 / 40_000)
    assert records["visitors"]["actual"] == pytest.approx(2_400)
    assert records["visitors"]["projected_pct"] == pytest.approx(6_200 / 5_000)
    # No ads: ROAS has no actual, and its pace is the target itself (a ratio is not spread over days).
    assert (records["roas"]["actual"], records["roas"]["pace"], records["roas"]["projected"]) == (None, 3.0, None)
    # Before the month starts nothing is measured; after it, the projection is the month's actual.
    assert target_progress(backend, SHOP, "2024-03", date(2024, 2, 20), "CNY")[0]["actual"] is None
    after = target_progress(backend, SHOP, "2024-03", date(2024, 4, 5), "CNY")[0]
    assert after["actual"] == after["projected"] == pytest.approx(31_000)
