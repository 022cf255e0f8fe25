"""The Report page (日报 / 周报): the digest of a day or a week, to copy, download or send to the group chat."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "nav.report": {"en": "Daily report", "zh": "日报/周报"},
    "report.title": {"en": "Daily and weekly report", "zh": "日报 / 周报"},
    "report.intro": {
        "en": "One summary of a day or a week for the team: the key figures against the period before, the largest "
        "alerts and their drivers, target pace, ads to scale or cut, cheaper competitors, activities and open "
        "follow-ups.",
        "zh": "给团队的一天或一周的总结：核心指标与上期对比、影响最大的异常及其驱动因素、目标进度、推广加大与削减、"
        "竞品低价、活动和待跟进事项。",
    },
    "report.period": {"en": "Report", "zh": "报告"},
    "report.period.day": {"en": "Daily", "zh": "日报"},
    "report.period.week": {"en": "Weekly (7 days ending on the date)", "zh": "周报（截至所选日期的 7 天）"},
    "report.day": {"en": "Date", "zh": "日期"},
    "report.day_help": {
        "en": "The report's day, or the last day of the week. The latest day with data is chosen first.",
        "zh": "报告的日期，或周报的最后一天。默认为有数据的最近一天。",
    },
    "report.empty_what": {"en": "a daily report", "zh": "日报"},
    "report.empty_exports": {
        "en": "a traffic report, an order export or an ad report",
        "zh": "流量报表、订单导出或推广报表",
    },
    "report.working": {"en": "Writing the report…", "zh": "正在生成报告…"},
    "report.markdown": {"en": "Text for the group chat", "zh": "发到群里的文字"},
    "report.markdown_help": {
        "en": "Copy it with the button at the top right of the box: it pastes cleanly into WeChat, DingTalk and "
        "Feishu (headings and short lines, no tables).",
        "zh": "用框右上角的按钮复制：可直接粘贴到微信、钉钉和飞书（标题和短行，没有表格）。",
    },
    "report.preview": {"en": "Preview", "zh": "预览"},
    "report.downloads": {"en": "Files", "zh": "文件"},
    "report.download_html": {
        "en": "Download HTML (opens offline, on a phone too)",
        "zh": "下载 HTML（可离线打开，手机也可）",
    },
    "report.download_png": {"en": "Download PNG image", "zh": "下载 PNG 图片"},
    "report.send": {"en": "Send to the group", "zh": "发送到群"},
    "report.send_to": {"en": "Send to {name} ({robot})", "zh": "发送到 {name}（{robot}）"},
    "report.no_robots": {
        "en": "No group robot is set up yet: an owner adds one on the Team page (DingTalk, WeCom, Feishu/Lark or "
        "Slack).",
        "zh": "还没有设置群机器人：请店主在“团队”页面添加（钉钉、企业微信、飞书或 Slack）。",
    },
    "report.send_not_allowed": {
        "en": "Your role ({role}) can read the report but not send it to the group.",
        "zh": "您的角色（{role}）可以查看报告，但不能发送到群。",
    },
    "report.sending": {"en": "Sending to the group…", "zh": "正在发送到群…"},
    "report.sending_to": {
        "en": "Sending to {name} ({done} of {count} sent)…",
        "zh": "正在发送到 {name}（已发送 {done} / {count}）…",
    },
    "report.send_all": {"en": "Send to all {count} robots", "zh": "发送到全部 {count} 个机器人"},
    "report.sent_line": {"en": "{name}: {outcome}", "zh": "{name}：{outcome}"},
}
