"""Alerts (异常): the normal range's method, said once on screen (shopdata/metrics/baseline.py names it)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "alerts.method": {
        "en": "Normal range: the same weekday over the last 8 weeks — the median is the expected value and the "
        "range is ±3 robust standard deviations (median absolute deviation, Hampel's rule), so the weekly rhythm "
        "is kept and one past spike or outage does not move it.",
        "zh": "正常范围：取过去 8 周同一星期几的数据，中位数为预期值，范围为 ±3 个稳健标准差（中位数绝对偏差，"
        "Hampel 法则）——既保留每周节奏，过去某一天的异常峰值或故障也不会影响它。",
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
