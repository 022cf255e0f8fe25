"""Alerts (异常): the normal range's method, said once on screen (shopdata/metrics/baseline.py names it)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "alerts.method": {
        "en": "Normal range: the weekday's usual share of its week (the median over the last 8 weeks) times the "
        "store's level over the last two weeks, ±3 robust standard deviations (median absolute deviation) — so "
        "the weekly rhythm is kept, a growing or shrinking store is followed, and one past spike does not move it.",
        "zh": "正常范围：该星期几在其所在一周中的常规占比（过去 8 周的中位数）乘以店铺最近两周的水平，"
        "上下浮动 ±3 个稳健标准差（中位数绝对偏差）——既保留每周节奏，又能跟上店铺的增长或下滑，"
        "过去某一天的异常峰值也不会影响它。",
    },
    "alerts.too_little_history": {
        "en": "{days} days could not be judged: fewer than 2 weeks of history before them.",
        "zh": "有 {days} 天无法判断：之前的历史数据不足 2 周。",
    },
    "alerts.in_activity": {
        "en": "Days inside an activity are judged against the activity (its lift), not flagged as surprises.",
        "zh": "活动期间的日期按活动效果（提升）评估，不作为意外异常提示。",
    },
}


# The words for exactly one (see shopdata.i18n SINGULAR).
SINGULAR: dict[str, dict[str, str]] = {
    "alerts.too_little_history": {
        "by": "days",
        "en": "{days} day could not be judged: fewer than 2 weeks of history before it.",
    },
}
