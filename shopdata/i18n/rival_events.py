"""Rivals' price cuts, new promotion methods and jumps in 流失, as alert context and in the daily report."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "rival_events.price_cut": {
        "en": "{rival} cut {product} from {before} to {after} ({day})",
        "zh": "{rival} 将 {product} 从 {before} 降至 {after}（{day}）",
    },
    "rival_events.new_method": {
        "en": "{rival} started {method} ({product}, {day})",
        "zh": "{rival} 开始使用{method}（{product}，{day}）",
    },
    "rival_events.loss_jump.lost_visitors": {
        "en": "visitors lost to {rival}: {value}, {ratio}× its usual {usual} (median of {history} earlier periods) "
        "({day})",
        "zh": "流失到 {rival} 的访客：{value}，是其平时 {usual} 的 {ratio} 倍（前 {history} 期的中位数）（{day}）",
    },
    "rival_events.loss_jump.lost_revenue": {
        "en": "revenue lost to {rival}: {value}, {ratio}× its usual {usual} (median of {history} earlier periods) "
        "({day})",
        "zh": "流失到 {rival} 的金额：{value}，是其平时 {usual} 的 {ratio} 倍（前 {history} 期的中位数）（{day}）",
    },
    "rival_events.unjudged.lost_visitors": {
        "en": "visitors lost to {rival} ({day}): too little history to tell a jump ({history} earlier periods, "
        "{needed} needed)",
        "zh": "流失到 {rival} 的访客（{day}）：历史数据不足，无法判断是否激增（仅 {history} 期，需要 {needed} 期）",
    },
    "rival_events.unjudged.lost_revenue": {
        "en": "revenue lost to {rival} ({day}): too little history to tell a jump ({history} earlier periods, "
        "{needed} needed)",
        "zh": "流失到 {rival} 的金额（{day}）：历史数据不足，无法判断是否激增（仅 {history} 期，需要 {needed} 期）",
    },
    "rival_events.separator": {"en": "; ", "zh": "；"},
    "rival_events.around": {
        "en": "Around the same time (context, not a proven cause): {events}",
        "zh": "大约同一时间（仅供参考，并非已证实的原因）：{events}",
    },
    "rival_events.none": {
        "en": "No rival price cut, new promotion method or jump in lost traffic (looked at: {checked}).",
        "zh": "没有竞品降价、新推广方式或流失激增（已查看：{checked}）。",
    },
    "rival_events.source.prices": {"en": "competitor prices", "zh": "竞品价格"},
    "rival_events.source.promotions": {"en": "rivals' promotions", "zh": "竞品推广记录"},
    "rival_events.source.loss": {"en": "lost traffic", "zh": "流失数据"},
    "rival_events.promotion_alerts": {
        "en": "{day} · {alerts} — around the same time (context, not a proven cause): {events}",
        "zh": "{day} · {alerts} — 大约同一时间（仅供参考，并非已证实的原因）：{events}",
    },
}
