"""Data page through Streamlit's AppTest: upload, import, see the batch, delete it."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.app.conftest import open_page

CAMPAIGNS = (
    b"Campaign report\n"
    b'"1 May 2026 - 8 May 2026"\n'
    b"Campaign,Campaign type,Impr.,Clicks,Currency code,Cost,Conversions\n"
    b'Brand,Search,"1,200",80,USD,40.50,4.00\n'
    b"Generic,Search,900,30,USD,60.00,1.00\n"
    b'Total: Account,--,"2,100",110,USD,100.50,5.00\n'
)


PAGE = "views/data.py"


def ads_in(db: Path) -> tuple:
    with duckdb.connect(str(db)) as con:  # same process as the app: same configuration
        return con.execute("SELECT count(*), coalesce(sum(spend), 0) FROM ads").fetchone()


def new_store(at, name: str = "My shop"):
    at.selectbox(key="target_store").set_value(at.selectbox(key="target_store").options[-1]).run()
    at.text_input(key="new_store_name").set_value(name).run()
    return at


def test_upload_import_list_and_delete(empty_db: Path) -> None:
    at = open_page(PAGE)
    assert not at.exception
    assert "No uploads yet." in [i.value for i in at.info]
    new_store(at)
    at.file_uploader(key="uploads").upload("campaigns.csv", CAMPAIGNS, "text/csv").run()
    assert not at.exception
    assert any("Google Ads report" in m.value for m in at.markdown)
    assert ads_in(empty_db) == (0, 0)  # nothing imported before the button

    at.button(key="import").click().run()
    assert not at.exception
    assert any("2 rows loaded" in s.value for s in at.success), [s.value for s in at.success]
    assert ads_in(empty_db) == (2, 100.5)

    at.run()  # a rerun imports nothing again
    assert ads_in(empty_db) == (2, 100.5)
    batch_table = at.dataframe[-1].value
    assert list(batch_table["File"]) == ["campaigns.csv"] and list(batch_table["Rows loaded"]) == [2]

    at.button(key="delete_1").click().run()
    assert not at.exception
    assert ads_in(empty_db) == (0, 0)
    assert "No uploads yet." in [i.value for i in at.info]


def test_report_without_dates_asks_for_the_period(empty_db: Path) -> None:
    at = new_store(open_page(PAGE))
    at.file_uploader(key="uploads").upload("all_time.csv", b"Campaign,Impr.,Clicks,Cost\nA,10,1,2.00\n").run()
    assert not at.exception
    assert any("no dates" in w.value for w in at.warning)
    at.button(key="import").click().run()
    assert any("was not imported" in e.value and "period" in e.value for e in at.error)
    assert ads_in(empty_db) == (0, 0)


def test_unreadable_file_gets_a_message_not_a_traceback(empty_db: Path) -> None:
    at = new_store(open_page(PAGE))
    at.file_uploader(key="uploads").upload("garbage.csv", bytes(range(256)) * 10).run()
    assert not at.exception
    assert any("cannot be imported" in e.value for e in at.error)


def test_chinese_labels(empty_db: Path) -> None:
    at = open_page(PAGE, lang="zh")
    assert not at.exception
    assert at.title[0].value == "数据"
    assert "还没有上传记录。" in [i.value for i in at.info]


def test_demo_store_loads_on_first_run_and_is_removed_in_one_click(demo_db: Path) -> None:
    at = open_page(PAGE)
    assert not at.exception
    assert any("Demo store" in i.value for i in at.info)
    at.button(key="remove_demo").click().run()
    assert not at.exception
    assert not any("Demo store" in i.value for i in at.info)
    assert ads_in(demo_db) == (0, 0)


def test_a_spreadsheet_built_to_crash_the_reader_is_refused_and_the_app_stays_up(empty_db: Path) -> None:
    """A 5 KB xlsx declaring a sheet of XFD1048576 cells: refused before any parser runs."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        book.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        book.writestr(
            "xl/worksheets/sheet1.xml",
            '<?xml version="1.0"?><worksheet><dimension ref="A1:XFD1048576"/><sheetData/></worksheet>',
        )
    at = new_store(open_page(PAGE))
    at.file_uploader(key="uploads").upload("bomb.xlsx", buffer.getvalue()).run()
    assert not at.exception
    assert any("cannot be imported" in e.value for e in at.error)
    at.run()
    assert not at.exception and at.title[0].value == "Data"


def test_upload_cap_follows_the_server_setting(empty_db: Path) -> None:
    """`make serve UPLOAD_MB=1`: a 1.5 MB export is refused by the reader too, not only by the browser."""
    from streamlit import config

    before = config.get_option("server.maxUploadSize")
    big = CAMPAIGNS + b"".join(b"Brand %d,Search,10,1,USD,1.00,0.00\n" % i for i in range(40_000))
    assert 1.4e6 < len(big) < 1.6e6  # over the 1 MB cap, under the 200 MB default
    config.set_option("server.maxUploadSize", 1)
    try:
        at = open_page(PAGE)
        new_store(at)
        at.file_uploader(key="uploads").upload("big.csv", big, "text/csv").run()
    finally:
        config.set_option("server.maxUploadSize", before)
    assert not at.exception
    assert any("more than the 1.0 MB an upload may have" in e.value for e in at.error), [e.value for e in at.error]
    assert ads_in(empty_db) == (0, 0)
