"""万相台 计划报表 exports for the crash and concurrency tests, and what each holds, read back with `csv`.

The files follow the layout of sample_data/计划报表_*.csv (UTF-8 with a BOM, CRLF, 总成交金额 with
thousands separators, quoted from 1,000 up): one row per day and campaign, so a file's natural keys are
its (day, 计划ID) pairs and two files overlap exactly where their days and campaigns do. Money is
generated per file, so a row replaced by another file's upload shows the other file's values.

What a file holds is read back from the CSV text with the standard library — never through shopdata —
so the tests compare the database with an independent account of the files.
"""

from __future__ import annotations

import csv
import hashlib
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

HEADER = [
    "日期",
    "计划ID",
    "计划名字",
    "场景ID",
    "场景名字",
    "花费",
    "展现量",
    "点击量",
    "点击率",
    "平均点击花费",
    "千次展现花费",
    "总成交金额",
    "总成交笔数",
    "总购物车数",
    "实际投产比",
    "点击转化率",
    "引导访问人数",
]
SCENES = (("380", "关键词推广"), ("381", "人群推广"), ("376", "货品全站推"), ("385", "内容营销"))
FIRST_DAY = date(2025, 1, 1)
CAMPAIGN_ID_BASE = 581203769200000

Key = tuple[str, str]  # (ISO day, 计划ID)


@dataclass(frozen=True)
class ExportSpec:
    name: str
    days: range  # day offsets from FIRST_DAY
    campaigns: range  # campaign numbers


def campaign_id(number: int) -> str:
    return str(CAMPAIGN_ID_BASE + number)


def write_plan_report(path: Path, spec: ExportSpec, seed: int) -> None:
    rnd = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        for offset in spec.days:
            day = (FIRST_DAY + timedelta(days=offset)).isoformat()
            for number in spec.campaigns:
                scene_id, scene = SCENES[number % len(SCENES)]
                spend = Decimal(rnd.randrange(100, 200_000)) / 100
                impressions = rnd.randrange(2_000, 60_000)
                clicks = rnd.randrange(20, impressions // 20)
                revenue = Decimal(rnd.randrange(0, 900_000)) / 100
                orders = rnd.randrange(0, 25)
                writer.writerow(
                    [
                        day,
                        campaign_id(number),
                        f"{scene}-计划{number}",
                        scene_id,
                        scene,
                        f"{spend:.2f}",
                        impressions,
                        clicks,
                        f"{clicks / impressions:.2%}",
                        f"{spend / clicks:.2f}",
                        f"{spend / impressions * 1000:.2f}",
                        f"{revenue:,.2f}",
                        orders,
                        rnd.randrange(0, 60),
                        f"{revenue / spend:.2f}",
                        f"{orders / clicks:.2%}",
                        clicks - rnd.randrange(0, 10),
                    ]
                )


def _cents(text: str) -> int:
    return int(Decimal(text.replace(",", "")) * 100)


@dataclass(frozen=True)
class ExportFile:
    path: Path
    sha256: str
    rows: dict[Key, tuple[int, int]]  # (day, 计划ID) -> (花费, 总成交金额) in cents

    @property
    def spend_cents(self) -> int:
        return sum(spend for spend, _ in self.rows.values())

    @property
    def revenue_cents(self) -> int:
        return sum(revenue for _, revenue in self.rows.values())


def read_export(path: Path) -> ExportFile:
    """The file's rows by natural key, parsed with the csv module (not shopdata)."""
    raw = path.read_bytes()
    rows: dict[Key, tuple[int, int]] = {}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        day, cid, spend, revenue = (header.index(h) for h in ("日期", "计划ID", "花费", "总成交金额"))
        for record in reader:
            key = (record[day], record[cid])
            assert key not in rows, f"{path.name}: natural key {key} twice"
            rows[key] = (_cents(record[spend]), _cents(record[revenue]))
    return ExportFile(path, hashlib.sha256(raw).hexdigest(), rows)


def write_exports(folder: Path, specs: list[ExportSpec], seed: int) -> dict[str, ExportFile]:
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for index, spec in enumerate(specs):
        path = folder / spec.name
        write_plan_report(path, spec, seed * 1000 + index)
        written[spec.name] = read_export(path)
    return written


def ads_rows_by_key(engine, store: str) -> dict[Key, tuple[int, int, int]]:
    """The ads table as (day, 计划ID) -> (spend, revenue in cents, batch_id); a key twice is an error."""
    table = engine.arrow("SELECT date, campaign_id, spend, revenue, batch_id FROM ads WHERE store = ?", [store])
    found: dict[Key, tuple[int, int, int]] = {}
    columns = [table.column(name).to_pylist() for name in ("date", "campaign_id", "spend", "revenue", "batch_id")]
    for day, cid, spend, revenue, batch_id in zip(*columns, strict=False):
        key = (day.isoformat()[:10], cid)
        assert key not in found, f"natural key {key} stored twice"
        found[key] = (round(spend * 100), round(revenue * 100), int(batch_id))
    return found
