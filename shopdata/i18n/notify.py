"""Delivery of the report to a team group chat (DingTalk, WeCom, Feishu/Lark, Slack robots)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "notify.robot.dingtalk": {"en": "DingTalk robot", "zh": "钉钉机器人"},
    "notify.robot.wecom": {"en": "WeCom robot", "zh": "企业微信机器人"},
    "notify.robot.feishu": {"en": "Feishu/Lark robot", "zh": "飞书机器人"},
    "notify.robot.slack": {"en": "Slack webhook", "zh": "Slack 机器人"},
    "notify.delivered": {
        "en": "Delivered to the {robot} ({url}) after {attempts} attempt(s).",
        "zh": "已发送到{robot}（{url}），共尝试 {attempts} 次。",
    },
    "notify.error.refused": {
        "en": "The {robot} refused the message: {detail} (code {code}). {hint}",
        "zh": "{robot}拒绝了这条消息：{detail}（错误码 {code}）。{hint}",
    },
    "notify.error.http": {
        "en": "The {robot} answered HTTP {status}: {detail}. {hint}",
        "zh": "{robot}返回 HTTP {status}：{detail}。{hint}",
    },
    "notify.error.network": {
        "en": "The {robot} could not be reached ({detail}) after {attempts} attempt(s). Check the network and the "
        "webhook address.",
        "zh": "尝试 {attempts} 次后仍无法连接{robot}（{detail}）。请检查网络和 Webhook 地址。",
    },
    "notify.error.redirect": {
        "en": "The webhook address redirects elsewhere (HTTP {status}); the message was not sent on. Copy the "
        "robot's webhook address again.",
        "zh": "Webhook 地址被重定向到别处（HTTP {status}），消息未转发。请重新复制机器人的 Webhook 地址。",
    },
    "notify.error.scheme": {
        "en": "A webhook address starts with https:// (or http://), not {scheme!r}.",
        "zh": "Webhook 地址应以 https://（或 http://）开头，而不是 {scheme!r}。",
    },
    "notify.error.kind": {
        "en": "Unknown robot {kind!r}: choose one of {kinds}.",
        "zh": "未知的机器人类型 {kind!r}：请从 {kinds} 中选择。",
    },
    "notify.error.unreadable": {"en": "an answer that is not the robot's", "zh": "无法识别的回复"},
    # What to do about the errors the robots document; the generic hint for the rest.
    "notify.hint.sign": {
        "en": "The signing secret does not match the robot's: copy the signing secret again, or remove it if the "
        "robot has no signature.",
        "zh": "签名密钥与机器人的不一致：请重新复制加签密钥；若机器人未开启加签，请不要填写密钥。",
    },
    "notify.hint.token": {
        "en": "The robot's address is not valid (removed robot, or a wrong token/key): copy the webhook address again.",
        "zh": "机器人地址无效（机器人已被移除，或令牌/key 有误）：请重新复制 Webhook 地址。",
    },
    "notify.hint.keyword": {
        "en": "The robot only accepts messages with its keywords or from allowed IP addresses: check its "
        "security settings.",
        "zh": "机器人只接收包含其关键词或来自允许 IP 的消息：请检查机器人的安全设置。",
    },
    "notify.hint.rate": {
        "en": "The robot limits how many messages it takes per minute: try again in a minute.",
        "zh": "机器人限制了每分钟的消息数：请一分钟后再试。",
    },
    "notify.hint.payload": {
        "en": "The robot did not accept the message's format.",
        "zh": "机器人不接受该消息格式。",
    },
    "notify.hint.other": {
        "en": "Check the robot's settings in the group chat.",
        "zh": "请检查群聊中该机器人的设置。",
    },
    "notify.truncated": {
        "en": "… (shortened to fit the robot's limit; the full report is in the HTML file)",
        "zh": "……（为符合机器人长度限制已截断，完整报告见 HTML 文件）",
    },
}
