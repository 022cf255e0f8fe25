"""A page whose data lies outside the chosen dates says where it is and jumps there in one click (issue 10
item 11): a 2017 behaviour log in a store with 2020 traffic is not hidden behind "upload a behaviour log"."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from shopdata.i18n import CATALOG
from shopdata.store import BatchInfo, open_warehouse
from tests.app.conftest import open_page
from tests.unit.metrics.test_query import rows

STORE = "My shop"
LOG_DAYS = [date(2017, 11, 25) + timedelta(days=n) for n in range(9)]  # 2017-11-25 … 2017-12-03
TRAFFIC_DAYS = [date(2020, 6, 1) + timedelta(days=n) for n in range(60)]  # 2020-06-01 … 2020-07-30
VIEWERS_PER_DAY, BUYERS_PER_DAY = 5, 1
UPLOAD_HINT = CATALOG["ui.empty"]["en"].split("{what}")[0]  # "No "
UPLOAD_LINK = CATALOG["ui.go_to_data"]["en"]


@pytest.fixture
def log_of_2017_with_traffic_of_2020(empty_db: Path) -> Path:
    events = []
    for day in LOG_DAYS:
        at = datetime.combine(day, datetime.min.time())
        for n in range(VIEWERS_PER_DAY):
            user = f"{day}-{n}"
            events.append(
                dict(platform="taobao", user_id=user, item_id="A", behavior="view", event_time=at, event_date=day)
            )
            if n < BUYERS_PER_DAY:
                events.append(
                    dict(
                        platform="taobao", user_id=user, item_id="A", behavior="purchase", event_time=at, event_date=day
                    )
                )
    # Traffic by source only: no funnel stages, so the 2020 dates give the funnel page nothing to show.
    traffic = [
        dict(
            platform="tmall",
            grain="source",
            date=day,
            end_date=day,
            source_1="搜索",
            source_level=1,
            visitors=100.0,
            currency="CNY",
        )
        for day in TRAFFIC_DAYS
    ]
    warehouse = open_warehouse(str(empty_db))
    try:
        warehouse.ensure_store(STORE)
        warehouse.load(
            BatchInfo(STORE, "UserBehavior.csv", "log", 1, "taobao", "events", "taobao_userbehavior", {}),
            rows("events", events, "log"),
        )
        warehouse.load(
            BatchInfo(STORE, "sources.csv", "sources", 1, "tmall", "traffic", "sycm_sources", {}),
            rows("traffic", traffic, "sources"),
        )
    finally:
        warehouse.engine.close()
    return empty_db


def notices(at) -> list[str]:
    return [info.value for info in at.info]


def test_the_funnel_says_where_the_log_is_and_shows_it_in_one_click(log_of_2017_with_traffic_of_2020) -> None:
    at = open_page("views/funnel.py")
    first, last = LOG_DAYS[0], LOG_DAYS[-1]
    # The default "last 30 days" ends on the newest data of any kind: the traffic's last day.
    assert f"{TRAFFIC_DAYS[-1] - timedelta(days=29)} … {TRAFFIC_DAYS[-1]}" in [c.value for c in at.sidebar.caption]
    notice = next(n for n in notices(at) if str(first) in n)
    assert f"from {first} to {last}" in notice
    assert not any(UPLOAD_LINK in link.label for link in at.get("page_link"))
    assert not at.metric

    [jump] = [b for b in at.button if b.label == f"Show {first} – {last}"]
    jump.click().run()
    assert not at.exception, at.exception
    assert at.query_params["range"] == "custom"
    assert (at.query_params["from"], at.query_params["to"]) == (str(first), str(last))
    assert at.sidebar.date_input(key="custom_range").value == (first, last)
    assert not any(str(first) in n and "No " in n for n in notices(at))
    viewed = {m.label: m.value for m in at.metric}
    # every user of the log viewed; one a day bought
    assert str(VIEWERS_PER_DAY * len(LOG_DAYS)) in viewed.values(), viewed
    assert str(BUYERS_PER_DAY * len(LOG_DAYS)) in viewed.values(), viewed


def test_the_notice_in_chinese(log_of_2017_with_traffic_of_2020) -> None:
    at = open_page("views/funnel.py", lang="zh")
    first, last = LOG_DAYS[0], LOG_DAYS[-1]
    assert any(f"此店铺本页的数据在 {first} 至 {last}" in n for n in notices(at))
    assert [b.label for b in at.button if str(first) in b.label] == [f"查看 {first} – {last}"]


@pytest.mark.parametrize("page", ["views/overview.py", "views/traffic.py"])
def test_pages_whose_data_is_in_the_dates_are_unchanged(log_of_2017_with_traffic_of_2020, page: str) -> None:
    at = open_page(page)
    assert not any("This store's data for this page" in n for n in notices(at))


def test_no_data_at_all_still_asks_for_an_upload(log_of_2017_with_traffic_of_2020) -> None:
    at = open_page("views/promotion.py")  # the store has no ads at any date
    assert any(n.startswith(UPLOAD_HINT) and "ad data" in n for n in notices(at))
    assert any(UPLOAD_LINK in link.label for link in at.get("page_link"))
