"""Deterministic, realistic Amazon Sponsored Products search-term reports for the benchmark.

The layout follows the real console export (see ../shared/realdata/amazon_sp_*): Amazon's own header
text, trailing spaces included; in the CSV, dates like "Feb 1, 2020", money like "Rs.201.68" (or "$0.47"),
rates like "1.66%", targeting expressions with quotes (asin="B07…") and search terms with commas, so the
CSV needs real quoting. The xlsx holds typed cells, as the console's xlsx does: dates as dates, numbers
and rates as numbers, and ACOS left empty on rows without sales.

Files are made once per (format, rows, seed, currency) under bench/.cache/ and reused; a file is written
under a temporary name and renamed when complete, so an interrupted run never leaves a half file behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
from collections.abc import Iterator
from pathlib import Path

HEADERS = (
    "Date",
    "Portfolio name",
    "Currency",
    "Campaign Name",
    "Ad Group Name",
    "Targeting",
    "Match Type",
    "Customer Search Term",
    "Impressions",
    "Clicks",
    "Click-Thru Rate (CTR)",
    "Cost Per Click (CPC)",
    "Spend",
    "7 Day Total Sales ",
    "Total Advertising Cost of Sales (ACOS) ",
    "Total Return on Advertising Spend (ROAS)",
    "7 Day Total Orders (#)",
    "7 Day Total Units (#)",
    "7 Day Conversion Rate",
)
CACHE_DIR = Path(__file__).resolve().parent / ".cache"
DEFAULT_SEED = 20200201
# Bump when the generated content changes, so stale cached files are not reused.
GENERATOR_VERSION = 1

CURRENCIES = {"INR": "Rs.", "USD": "$"}
_FIRST_DAY = dt.date(2020, 2, 1)
_DAYS = 60
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_PRODUCTS = (
    "Pain relief Oil",
    "Sunscreen",
    "Face Wash",
    "Hair Oil",
    "Aloe Vera Gel",
    "Lip Balm",
    "Body Lotion",
    "Neem Soap",
    "Beard Oil",
    "Kajal",
    "轮胎平衡机锥块",
    "Tyre Balancer Cones",
    "Yoga Mat",
    "Steel Bottle",
)
_WORDS = (
    "oil",
    "pain",
    "relief",
    "knee",
    "joint",
    "back",
    "ayurvedic",
    "herbal",
    "for",
    "men",
    "women",
    "kids",
    "best",
    "natural",
    "organic",
    "spf",
    "50",
    "30",
    "sunscreen",
    "lotion",
    "cream",
    "gel",
    "face",
    "wash",
    "dry",
    "skin",
    "oily",
    "hair",
    "growth",
    "anti",
    "dandruff",
    "lip",
    "balm",
    "soap",
    "neem",
    "tulsi",
    "aloe",
    "vera",
    "beard",
    "kajal",
    "waterproof",
    "combo",
    "pack",
    "of",
    "2",
    "3",
    "100ml",
    "200ml",
    "online",
    "cheap",
    "offer",
    "original",
    "mat",
    "yoga",
    "bottle",
    "steel",
    "1 litre",
    "balancer",
    "cones",
    "40mm",
    "tyre",
    "wheel",
    "kit",
    "gift",
    "set",
    "women's",
    "men's",
    "under 500",
    "brand",
    "new",
    "2020",
)
_PORTFOLIOS = ("No Portfolio", "Not grouped", "Brand defence", "Generic – Hero SKUs", "Launch 2020")
_MATCH = ("EXACT", "PHRASE", "BROAD", "TARGETING_EXPRESSION", "TARGETING_EXPRESSION_PREDEFINED")
_AUTO_TARGETS = ("close-match", "loose-match", "substitutes", "complements", "*")
_PRICES = (149.0, 199.0, 249.0, 299.0, 349.0, 399.0, 499.0, 649.0, 799.0, 1299.0)


def _asin(rng: random.Random) -> str:
    return "B0" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(8))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _pools(rng: random.Random) -> dict:
    campaigns = []
    for i in range(240):
        product = rng.choice(_PRODUCTS)
        style = rng.choice(("Generic", "Brand", "Automatic", "Competitor ASIN", "Generic-New"))
        day = _FIRST_DAY - dt.timedelta(days=rng.randrange(30, 400))
        campaigns.append(
            f"{product} || SP || {style} || {_ordinal(day.day)} {_MONTHS[day.month - 1]}'{day.year % 100} #{i}"
        )
    ad_groups = []
    for campaign in campaigns:
        base = campaign.split(" || ")[0]
        for j in range(rng.randrange(2, 8)):
            ad_groups.append((campaign, f"{base} -SP-{rng.choice(('Generic', 'Exact', 'Broad', 'Auto'))} {j + 1}"))
    keywords = [" ".join(rng.choice(_WORDS) for _ in range(rng.randrange(1, 5))) for _ in range(3000)]
    terms = []
    for _ in range(60_000):
        roll = rng.random()
        if roll < 0.12:
            terms.append(_asin(rng).lower())  # product-page targeting shows ASINs as the search term
        elif roll < 0.15:
            words = [rng.choice(_WORDS) for _ in range(rng.randrange(2, 5))]
            terms.append(", ".join(words))  # commas inside a value: the CSV must quote it
        else:
            terms.append(" ".join(rng.choice(_WORDS) for _ in range(rng.randrange(1, 7))))
    return {"ad_groups": ad_groups, "keywords": keywords, "terms": terms, "asins": [_asin(rng) for _ in range(500)]}


def report_rows(rows: int, seed: int = DEFAULT_SEED) -> Iterator[tuple]:
    """Typed rows: (date, portfolio, currency placeholder, campaign, ad group, targeting, match type, term,
    impressions, clicks, ctr, cpc, spend, sales, acos, roas, orders, units, conversion rate).

    ctr / acos / conversion rate are fractions; acos and cpc are None where they are undefined."""
    rng = random.Random(seed)
    pools = _pools(rng)
    ad_groups, keywords, terms, asins = pools["ad_groups"], pools["keywords"], pools["terms"], pools["asins"]
    for i in range(rows):
        day = _FIRST_DAY + dt.timedelta(days=i * _DAYS // max(rows, 1))  # exports come sorted by day
        campaign, ad_group = rng.choice(ad_groups)
        portfolio = _PORTFOLIOS[len(campaign) % len(_PORTFOLIOS)]
        if "Automatic" in campaign:
            targeting, match = rng.choice(_AUTO_TARGETS), "TARGETING_EXPRESSION_PREDEFINED"
        elif "ASIN" in campaign:
            targeting, match = f'asin="{rng.choice(asins)}"', "TARGETING_EXPRESSION"
        else:
            targeting, match = rng.choice(keywords), rng.choice(_MATCH[:3])
        term = rng.choice(terms)
        impressions = int(rng.expovariate(1 / 250)) + 1
        clicks = min(impressions, int(impressions * rng.random() * 0.04 + rng.random() * 1.5))
        cpc = round(rng.uniform(2.0, 45.0), 7) if clicks else None
        spend = round(clicks * cpc, 2) if cpc is not None else 0.0
        orders = sum(1 for _ in range(clicks) if rng.random() < 0.08) if clicks else 0
        units = orders + (rng.randrange(0, 2) if orders else 0)
        sales = round(units * rng.choice(_PRICES), 2)
        acos = spend / sales if sales else None
        roas = sales / spend if spend else 0.0
        ctr = clicks / impressions
        conversion = orders / clicks if clicks else 0.0
        yield (
            day,
            portfolio,
            None,
            campaign,
            ad_group,
            targeting,
            match,
            term,
            impressions,
            clicks,
            ctr,
            cpc,
            spend,
            sales,
            acos,
            roas,
            orders,
            units,
            conversion,
        )


def _date_text(day: dt.date) -> str:
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def _money(mark: str, value: float) -> str:
    return f"{mark}{value!r}"


def _percent(value: float) -> str:
    return f"{value * 100:.2f}%"


def write_csv(path: Path, rows: int, seed: int = DEFAULT_SEED, currency: str = "INR") -> Path:
    mark = CURRENCIES[currency]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADERS)
        for (
            day,
            portfolio,
            _,
            campaign,
            ad_group,
            targeting,
            match,
            term,
            impressions,
            clicks,
            ctr,
            cpc,
            spend,
            sales,
            acos,
            roas,
            orders,
            units,
            conversion,
        ) in report_rows(rows, seed):
            writer.writerow(
                (
                    _date_text(day),
                    portfolio,
                    currency,
                    campaign,
                    ad_group,
                    targeting,
                    match,
                    term,
                    impressions,
                    clicks,
                    _percent(ctr),
                    _money(mark, cpc if cpc is not None else 0.0),
                    _money(mark, spend),
                    _money(mark, sales),
                    _percent(acos) if acos is not None else "",
                    f"{roas:.2f}",
                    orders,
                    units,
                    _percent(conversion),
                )
            )
    return path


def write_xlsx(path: Path, rows: int, seed: int = DEFAULT_SEED, currency: str = "INR") -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sponsored Product Search Term R")
    sheet.append(list(HEADERS))
    for (
        day,
        portfolio,
        _,
        campaign,
        ad_group,
        targeting,
        match,
        term,
        impressions,
        clicks,
        ctr,
        cpc,
        spend,
        sales,
        acos,
        roas,
        orders,
        units,
        conversion,
    ) in report_rows(rows, seed):
        sheet.append(
            [
                day,
                portfolio,
                currency,
                campaign,
                ad_group,
                targeting,
                match,
                term,
                impressions,
                clicks,
                ctr,
                cpc if cpc is not None else 0.0,
                spend,
                sales,
                acos if acos is not None else "",
                roas,
                orders,
                units,
                conversion,
            ]
        )
    workbook.save(path)
    return path


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}


def report_file(
    fmt: str, rows: int, seed: int = DEFAULT_SEED, currency: str = "INR", cache_dir: Path | None = None
) -> Path:
    """The generated report, made on first use and reused from `cache_dir` afterwards."""
    directory = Path(cache_dir) if cache_dir is not None else CACHE_DIR
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"amazon_sp_search_term_v{GENERATOR_VERSION}_{currency}_{rows}_{seed}.{fmt}"
    if not path.exists():
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        try:
            WRITERS[fmt](partial, rows, seed, currency)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return path
