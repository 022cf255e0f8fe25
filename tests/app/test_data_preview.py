"""The Data page's preview of an upload shows an empty cell as "—", as every other table does, never "None"."""

from __future__ import annotations

from pathlib import Path

from tests.app.conftest import open_page
from tests.app.test_data_page import PAGE, new_store

# C3 was never paid: its 订单付款时间 is empty.
ORDERS = (
    "订单编号,买家会员名,总金额,买家实际支付金额,收货地址,订单创建时间,订单付款时间,退款金额\n"
    "C1,a,100,100,浙江省,2024-03-01 10:00:00,2024-03-01 10:05:00,0\n"
    "C3,c,50,0,北京,2024-03-03 10:00:00,,0\n"
).encode()


def test_preview_shows_empty_cells_as_a_dash(empty_db: Path) -> None:
    at = open_page(PAGE)
    new_store(at)
    at.file_uploader(key="uploads").upload("orders.csv", ORDERS, "text/csv").run()
    assert not at.exception
    # The preview holds the two rows as they will be stored (the mapping editor above it has a key).
    preview = next(d for d in at.dataframe if not d.key and len(d.value) == 2)
    assert preview.value.isna().any().any()  # the empty payment time is in the rows shown
    assert preview.proto.placeholder == "—"
