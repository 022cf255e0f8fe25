"""Group-robot delivery against a fake robot on a loopback port: payloads, signatures, retries, redaction."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import urllib.parse
from collections.abc import Iterator

import pytest

from shopdata import notify
from shopdata.notify import DigestMessage
from tests.support.robot import Robot, running_robot

TOKEN = "dt0ken7c1a5e9b2f4d8a6c3e1b0f9d7a5c"
SECRET = "SECf00dbabe1234567890abcdefsecret"


@pytest.fixture
def robot() -> Iterator[Robot]:
    with running_robot() as fake:
        yield fake


MESSAGE = DigestMessage("Demo store · daily report", (("Key figures", ("Revenue: ¥100.00", "Visitors: 12")),), "note")


def _send(kind: str, url: str, secret: str | None = None, **kw):
    return notify.send(kind, url, MESSAGE, secret, timeout=5, backoff=0.0, **kw)


def test_dingtalk_markdown_signed_as_documented(robot: Robot) -> None:
    delivery = _send("dingtalk", f"{robot.base}/robot/send?access_token={TOKEN}", SECRET)
    assert delivery.delivered and delivery.attempts == 1
    path, _ = robot.requests[0]
    raw = dict(part.split("=", 1) for part in urllib.parse.urlsplit(path).query.split("&"))
    assert raw["access_token"] == TOKEN
    # DingTalk's formula: sign = urlEncode(base64(HmacSHA256(key=secret, msg=timestamp + "\n" + secret)))
    timestamp = raw["timestamp"]
    expected = hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    assert raw["sign"] == urllib.parse.quote_plus(base64.b64encode(expected).decode())
    assert len(timestamp) == 13  # milliseconds
    body = robot.json()
    assert body["msgtype"] == "markdown" and body["markdown"]["title"] == MESSAGE.title
    assert "- Revenue: ¥100.00" in body["markdown"]["text"]


def test_feishu_post_signed_in_body(robot: Robot) -> None:
    robot.script = [(200, '{"code":0,"msg":"success","data":{}}', {})]
    assert _send("feishu", f"{robot.base}/open-apis/bot/v2/hook/hook-id-123456", SECRET).delivered
    body = robot.json()
    # Feishu's formula: sign = base64(HmacSHA256(key=timestamp + "\n" + secret, msg=""))
    expected = hmac.new(f"{body['timestamp']}\n{SECRET}".encode(), b"", hashlib.sha256).digest()
    assert body["sign"] == base64.b64encode(expected).decode()
    assert len(body["timestamp"]) == 10  # seconds
    assert body["msg_type"] == "post"
    post = body["content"]["post"]["en_us"]
    assert post["title"] == MESSAGE.title
    assert [["Key figures"], ["• Revenue: ¥100.00"], ["• Visitors: 12"], ["note"]] == [
        [e["text"] for e in row] for row in post["content"]
    ]


def test_wecom_markdown_fits_4096_bytes(robot: Robot) -> None:
    long = DigestMessage("周报", (("核心指标", tuple(f"销售额 第{n}行 ¥1,000.00" for n in range(400))),))
    assert notify.send("wecom", f"{robot.base}/cgi-bin/webhook/send?key={TOKEN}", long, backoff=0.0).delivered
    body = robot.json()
    assert body["msgtype"] == "markdown"
    content = body["markdown"]["content"]
    assert len(content.encode("utf-8")) <= 4096
    assert content.startswith("### 周报") and "shortened" in content


def test_slack_blocks_and_ok_text(robot: Robot) -> None:
    robot.script = [(200, "ok", {})]
    assert _send("slack", f"{robot.base}/services/T000/B000/{TOKEN}").delivered
    body = robot.json()
    assert body["text"] == MESSAGE.title
    assert body["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": MESSAGE.title}}
    assert body["blocks"][1]["text"] == {"type": "mrkdwn", "text": "*Key figures*\n• Revenue: ¥100.00\n• Visitors: 12"}


def test_robot_error_is_a_plain_message_without_secrets(robot: Robot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    robot.script = [(200, json.dumps({"errcode": 310000, "errmsg": f"sign not match, token {TOKEN}"}), {})]
    delivery = _send("dingtalk", f"{robot.base}/robot/send?access_token={TOKEN}", SECRET)
    assert not delivery.delivered and delivery.attempts == 1 and delivery.code == "310000"
    for language in ("en", "zh"):
        text = delivery.text(language)
        assert "310000" in text and TOKEN not in text and SECRET not in text
    assert "secret" in delivery.text("en") and "加签" in delivery.text("zh")
    assert TOKEN not in caplog.text and SECRET not in caplog.text
    assert "access_token=***" in caplog.text


def test_500_then_200_is_retried_and_delivered(robot: Robot) -> None:
    robot.script = [(500, "busy", {}), (503, "busy", {}), (200, '{"errcode":0,"errmsg":"ok"}', {})]
    delivery = _send("wecom", f"{robot.base}/cgi-bin/webhook/send?key={TOKEN}")
    assert delivery.delivered and delivery.attempts == 3 and len(robot.requests) == 3


def test_429_waits_retry_after(robot: Robot) -> None:
    waits: list[float] = []
    robot.script = [(429, "slow down", {"Retry-After": "7"}), (200, "ok", {})]
    delivery = _send("slack", f"{robot.base}/services/T/B/{TOKEN}", sleep=waits.append)
    assert delivery.delivered and waits == [7.0]


def test_400_is_not_retried(robot: Robot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    robot.script = [(400, "invalid_payload", {})]
    delivery = _send("slack", f"{robot.base}/services/T000/B000/{TOKEN}")
    assert not delivery.delivered and delivery.attempts == 1 and len(robot.requests) == 1
    assert delivery.status == 400 and "invalid_payload" in delivery.text()
    assert TOKEN not in delivery.text() and TOKEN not in caplog.text


def test_retries_give_up_with_exponential_backoff(robot: Robot) -> None:
    waits: list[float] = []
    robot.script = [(502, "bad gateway", {})] * 4
    delivery = notify.send(
        "feishu", f"{robot.base}/open-apis/bot/v2/hook/{TOKEN}", MESSAGE, retries=3, backoff=0.5, sleep=waits.append
    )
    assert not delivery.delivered and delivery.attempts == 4 and waits == [0.5, 1.0, 2.0]
    assert "HTTP 502" in delivery.text() and TOKEN not in delivery.text()


def test_unreachable_robot(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    from tests.support.pg import free_port

    delivery = _send("dingtalk", f"http://127.0.0.1:{free_port()}/robot/send?access_token={TOKEN}", SECRET, retries=1)
    assert not delivery.delivered and delivery.attempts == 2 and delivery.status is None
    assert TOKEN not in delivery.text() and TOKEN not in caplog.text and SECRET not in caplog.text


def test_redirect_is_not_followed(robot: Robot) -> None:
    other = Robot()
    other.thread.start()
    try:
        robot.script = [(302, "", {"Location": f"{other.base}/robot/send?access_token={TOKEN}"})]
        delivery = _send("dingtalk", f"{robot.base}/robot/send?access_token={TOKEN}")
        assert not delivery.delivered and delivery.status == 302 and other.requests == []
    finally:
        other.server.shutdown()
        other.server.server_close()


def test_only_http_urls() -> None:
    delivery = _send("slack", "file:///etc/passwd")
    assert not delivery.delivered and delivery.attempts == 0 and "https://" in delivery.text()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            f"https://oapi.dingtalk.com/robot/send?access_token={TOKEN}",
            "https://oapi.dingtalk.com/robot/send?access_token=***",
        ),
        (
            f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={TOKEN}",
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***",
        ),
        (
            "https://open.feishu.cn/open-apis/bot/v2/hook/0a1b2c3d-4e5f",
            "https://open.feishu.cn/open-apis/bot/v2/hook/***",
        ),
        (f"https://hooks.slack.com/services/T0001/B0002/{TOKEN}", "https://hooks.slack.com/services/***/***/***"),
        (f"https://user:{SECRET}@example.com:8443/x?a={TOKEN}&b=2", "https://example.com:8443/***?a=***&b=***"),
    ],
)
def test_redact(url: str, shown: str) -> None:
    assert notify.redact(url) == shown


def test_names_from_uploads_never_become_links_or_markup_in_the_chat() -> None:
    campaign = "[Win a prize](http://evil.example/x) **now** <b>#1</b>\n### Heading"
    message = notify.DigestMessage("Daily report", (("Cut", (f"{campaign}: ROAS 0.5",)),))
    text = message.markdown()
    for made in ("[Win", "](", "**now**", "<b>", "\n### Heading", "http://"):
        assert made not in text, made
    assert "Win a prize" in text and "evil.example" in text  # the name is still there to read
