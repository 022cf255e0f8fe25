"""Traffic sources: where visitors came from, what they were worth, and which sources lost ground.

Sources form a path of up to four levels (生意参谋 一级…四级来源; Shopify referrer source / referrer
name; GA medium / source). A *path* is the chosen ancestors, e.g. ("淘内免费",); a breakdown at a path
lists the children one level below it. `query.measure_table` keeps only the top source level within
each grain, so a 汇总 row and its children are never added together.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from shopdata.errors import ReportError
from shopdata.formatting import format_change, format_value, is_missing
from shopdata.i18n import translate
from shopdata.metrics.cache import cached
from shopdata.metrics.definitions import measures_needed, metric
from shopdata.metrics.periods import change
from shopdata.metrics.query import Scope, measure_table, metric_expr, run, scoped_rows, with_ratios

SOURCE_LEVELS = ("source_1", "source_2", "source_3", "source_4")
TABLE_METRICS = ("visitors", "buyers", "conversion_rate", "revenue", "uv_value")
TREND_TOP = 6
LOSS_TOP = 5
REPORT_BY = (None, "source_1", "source_2")
SourcePath = Sequence[str]


def _levels(path: SourcePath) -> list[str]:
    """Breakdown columns for the children of `path`: the ancestors and the level below them."""
    depth = len(path) + 1
    if depth > len(SOURCE_LEVELS):
        raise ValueError(f"a source path has at most {len(SOURCE_LEVELS) - 1} ancestors, got {list(path)}")
    return list(SOURCE_LEVELS[:depth])


def _under(expr, path: SourcePath):
    for column, value in zip(SOURCE_LEVELS, path, strict=False):
        expr = expr.filter(expr[column] == value)
    return expr


@cached
def has_source_data(backend, scope: Scope) -> bool:
    """Whether the scope holds any traffic rows broken down by source."""
    t = scoped_rows(backend, "traffic", scope)
    t = t.filter((t.grain == "source") & t.source_1.notnull())
    return bool(run(backend, t.count(), scope).as_py())


@cached
def deepest_level(backend, scope: Scope) -> int:
    """How many source levels the scope's source rows fill (0 without source rows)."""
    t = scoped_rows(backend, "traffic", scope)
    t = t.filter(t.grain == "source")
    filled = run(backend, t.aggregate(**{c: t[c].notnull().any() for c in SOURCE_LEVELS}), scope).to_pylist()
    row = filled[0] if filled else {}
    return sum(1 for c in SOURCE_LEVELS if row.get(c))


def _with_share(frame: pd.DataFrame) -> pd.DataFrame:
    total = frame["visitors"].sum(min_count=1)
    frame["share"] = frame["visitors"] / total if total and total > 0 else math.nan
    return frame


@cached
def breakdown(backend, scope: Scope, depth: int = 1, path: SourcePath = ()) -> pd.DataFrame:
    """Sources at `depth` (1…4) under `path`: columns source_1…source_<depth>, the table metrics and share.

    Share is a source's visitors ÷ the visitors of all rows in this breakdown, so it sums to 1 over them.
    Sorted by visitors, most first.
    """
    if len(path) >= depth:
        raise ValueError(f"path {list(path)} is not above level {depth}")
    by = list(SOURCE_LEVELS[:depth])
    expr = _under(metric_expr(backend, list(TABLE_METRICS), scope, by=by), path)
    frame = run(backend, expr, scope).to_pandas()
    frame = _with_share(frame)
    frame = frame.sort_values(["visitors", *by], ascending=[False, *[True] * len(by)], na_position="last")
    return frame[[*by, "visitors", "share", "buyers", "conversion_rate", "revenue", "uv_value"]].reset_index(drop=True)


@cached
def source_table(backend, scope: Scope, path: SourcePath = ()) -> pd.DataFrame:
    """The children of `path` (level-1 sources for an empty path): source, visitors, share, buyers,
    conversion_rate, revenue, uv_value."""
    depth = len(_levels(path))
    frame = breakdown(backend, scope, depth, path)
    return frame.drop(columns=list(SOURCE_LEVELS[: depth - 1])).rename(columns={SOURCE_LEVELS[depth - 1]: "source"})


def source_names(backend, scope: Scope, path: SourcePath = ()) -> list[str]:
    """The children of `path`, most visitors first (the choices for drilling down)."""
    return source_table(backend, scope, path)["source"].tolist()


@cached
def level_totals(
    backend, scope: Scope, path: SourcePath = (), metrics: Sequence[str] = TABLE_METRICS
) -> dict[str, float | None]:
    """The sum over the children of `path` — equal to the 汇总 rows above them, never doubled."""
    by = _levels(path)
    measured = _under(measure_table(backend, "traffic", scope, measures_needed(list(metrics)), by=by), path)
    summed = measured.aggregate(**{m: measured[m].sum() for m in measures_needed(list(metrics))})
    row = run(backend, with_ratios(summed, list(metrics)).select(*metrics), scope).to_pylist()
    values = row[0] if row else {}
    return {m: _clean(values.get(m)) for m in metrics}


@cached
def source_trend(
    backend, scope: Scope, path: SourcePath = (), top: int = TREND_TOP, language: str = "en"
) -> pd.DataFrame:
    """Daily visitors of the children of `path`: date, source, visitors. The `top` sources by visitors in
    the scope keep their names; the rest are added up as "other". Days with data for some source but
    not for another give that other source 0."""
    by = _levels(path)
    expr = _under(metric_expr(backend, ["visitors"], scope, by=["date", *by], daily=True), path)
    frame = run(backend, expr, scope).to_pandas()
    if frame.empty:
        return pd.DataFrame(
            {
                "date": pd.Series(dtype="datetime64[ns]"),
                "source": pd.Series(dtype=str),
                "visitors": pd.Series(dtype=float),
            }
        )
    frame = frame.rename(columns={by[-1]: "source"})[["date", "source", "visitors"]]
    ranked = (
        frame.groupby("source")["visitors"]
        .sum()
        .reset_index()
        .sort_values(["visitors", "source"], ascending=[False, True])["source"]
        .tolist()
    )
    kept = ranked[:top]
    other = translate("traffic.other", language)
    order = kept + ([other] if len(ranked) > top else [])
    frame["source"] = frame["source"].where(frame["source"].isin(kept), other)
    daily = frame.groupby(["date", "source"])["visitors"].sum(min_count=1)
    full = pd.MultiIndex.from_product([sorted(frame["date"].unique()), order], names=["date", "source"])
    daily = daily.reindex(full, fill_value=0.0).reset_index()
    daily["date"] = pd.to_datetime(daily["date"])
    return daily


CHANGE_MEASURES = ("visitors", "revenue")


@cached
def source_changes(backend, scope: Scope, compare_scope: Scope | None, path: SourcePath = ()) -> pd.DataFrame:
    """Visitors and revenue of the children of `path` now and in the comparison period, with the absolute
    and relative change. A source missing from one period counts 0 there (it lost or gained everything),
    unless that period has no source rows at all — then there is nothing to compare with. Sorted by the
    current visitors."""
    columns = ["source"] + [
        f"{m}{suffix}" for m in CHANGE_MEASURES for suffix in ("", "_previous", "_change", "_change_pct")
    ]
    current = source_table(backend, scope, path)[["source", *CHANGE_MEASURES]]
    if compare_scope is None:
        previous = current.iloc[0:0]
    else:
        previous = source_table(backend, compare_scope, path)[["source", *CHANGE_MEASURES]]
    if current.empty and previous.empty:
        return pd.DataFrame(columns=columns)
    merged = current.merge(previous, on="source", how="outer", suffixes=("", "_previous"), indicator=True)
    for m in CHANGE_MEASURES:
        if not current.empty:
            merged.loc[merged["_merge"] == "right_only", m] = 0.0
        if not previous.empty:
            merged.loc[merged["_merge"] == "left_only", f"{m}_previous"] = 0.0
        merged[f"{m}_change"] = merged[m] - merged[f"{m}_previous"]
        merged[f"{m}_change_pct"] = [
            _nan(change(_clean(now), _clean(before)))
            for now, before in zip(merged[m], merged[f"{m}_previous"], strict=False)
        ]
    merged = merged.sort_values(
        ["visitors", "visitors_previous", "source"], ascending=[False, False, True], na_position="last"
    )
    return merged[columns].astype({c: float for c in columns[1:]}).reset_index(drop=True)


def losses(changes: pd.DataFrame, measure: str, top: int = LOSS_TOP) -> pd.DataFrame:
    """The sources that lost the most of `measure` (visitors or revenue): only losses, biggest first.
    Columns source, previous, current, change, change_pct."""
    lost = changes[changes[f"{measure}_change"] < 0]
    lost = lost.sort_values([f"{measure}_change", "source"]).head(top)
    return pd.DataFrame(
        {
            "source": lost["source"],
            "previous": lost[f"{measure}_previous"],
            "current": lost[measure],
            "change": lost[f"{measure}_change"],
            "change_pct": lost[f"{measure}_change_pct"],
        }
    ).reset_index(drop=True)


def compared_sources(changes: pd.DataFrame, measure: str) -> int:
    """How many sources have `measure` in both periods (a source new or gone counts with its 0): the set a
    "no source lost any" rests on."""
    if changes.empty:
        return 0
    return int((changes[measure].notna() & changes[f"{measure}_previous"].notna()).sum())


@dataclass(frozen=True)
class Loss:
    source: str
    change: float
    change_pct: float | None


def biggest_loss(changes: pd.DataFrame, measure: str) -> Loss | None:
    lost = losses(changes, measure, top=1)
    if lost.empty:
        return None
    row = lost.iloc[0]
    return Loss(row["source"], float(row["change"]), _clean(row["change_pct"]))


def loss_summary(changes: pd.DataFrame, language: str = "en", currency: str | None = None) -> str:
    """One sentence naming the source that lost the most visitors and the one that lost the most revenue."""
    found = {m: biggest_loss(changes, m) for m in CHANGE_MEASURES}

    def values(measure: str) -> dict[str, str]:
        loss = found[measure]
        assert loss is not None  # only asked for measures that lost something
        return {
            measure: format_value(-loss.change, metric(measure).unit, currency),
            f"{measure}_pct": format_change(loss.change_pct),
        }

    visitors, revenue = found["visitors"], found["revenue"]
    if visitors and revenue and visitors.source == revenue.source:
        return translate(
            "traffic.loss.same", language, source=visitors.source, **values("visitors"), **values("revenue")
        )
    sentences = [
        translate(f"traffic.loss.{m}", language, source=loss.source, **values(m)) for m, loss in found.items() if loss
    ]
    if not sentences:
        compared = max(compared_sources(changes, m) for m in CHANGE_MEASURES)
        if compared == 0:
            return translate("traffic.loss.nothing_compared", language)
        return translate("traffic.loss.none", language, count=compared)
    return ("" if language == "zh" else " ").join(sentences)


def report_records(
    backend, scope: Scope, compare_scope: Scope | None, by: str | None = None, language: str = "en"
) -> list[dict]:
    """`python -m shopdata report traffic`: one record per level-1 source (by None or "source_1") or per
    level-2 source with its parent (by "source_2"). Records carry data values only, so neither the
    comparison period nor the language changes them; both are accepted like every report's."""
    if by not in REPORT_BY:
        raise ReportError(f"the traffic report breaks down by source_1 or source_2, not {by!r}")
    depth = 2 if by == "source_2" else 1
    frame = breakdown(backend, scope, depth)
    records = []
    for row in frame.to_dict("records"):
        record = {"source": row["source_1"]}
        if depth == 2:
            record["source_2"] = row["source_2"]
        record.update({k: _clean(row[k]) for k in ("visitors", "buyers", "revenue", "conversion_rate", "share")})
        records.append(record)
    return records


def _clean(value) -> float | None:
    if is_missing(value):
        return None
    return float(value)


def _nan(value: float | None) -> float:
    return math.nan if value is None else value
