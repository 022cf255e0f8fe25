"""The report pushed to a team's group chat: DingTalk, WeCom (企业微信), Feishu/Lark and Slack group robots.

`send` posts one DigestMessage to one robot's webhook, signs it when the robot has a signing secret (DingTalk:
timestamp and sign in the URL; Feishu: timestamp and sign in the body), retries with exponential backoff on
network errors, 5xx, 429 and the robots' own rate-limit codes (never on a refused configuration, which another
try cannot fix), and turns the robot's answer into a plain message in English or 中文.

A webhook URL is a password: whoever has it can post to the group. Its secret parts and the signing secret never
reach a log, an exception or a message: `redact` is the only form of a URL that leaves this module. urllib is
used (not requests) because urllib3 logs each request's path and query, which hold DingTalk's access_token and
WeCom's key, at DEBUG level.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shopdata.formatting import AUTOLINKED, WORD_JOINER
from shopdata.i18n import Message

log = logging.getLogger(__name__)

# Each robot and the catalog key of its name in messages.
ROBOT_NAMES = {
    "dingtalk": "notify.robot.dingtalk",
    "wecom": "notify.robot.wecom",
    "feishu": "notify.robot.feishu",
    "slack": "notify.robot.slack",
}
KINDS = tuple(ROBOT_NAMES)
SCHEMES = ("https", "http")
# Path segments of the robots' webhook URLs that are not secret; every other segment is shown as ***.
PUBLIC_PATH_WORDS = frozenset({"robot", "send", "cgi-bin", "webhook", "open-apis", "bot", "v2", "hook", "services"})
REDACTED = "***"
# WeCom's markdown message takes at most 4096 bytes of UTF-8 content (its robot documentation).
WECOM_MAX_BYTES = 4096
# Slack: a section block's text is at most 3000 characters.
SLACK_SECTION_CHARS = 3000
DEFAULT_TIMEOUT = 10.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 1.0  # seconds before the first retry; doubled before each next one
MAX_RETRY_AFTER = 60.0  # a Retry-After longer than this is not waited for

# The robots' answer codes that mean "too many messages, try later" (retried like a 429) and the codes whose cause
# the owner can fix, with the hint to show. DingTalk: errcode; WeCom: errcode; Feishu: code (or StatusCode).
RATE_LIMITED = {"dingtalk": {130101}, "wecom": {45009}, "feishu": {11232}}
HINTS: dict[str, dict[int, str]] = {
    "dingtalk": {
        310000: "notify.hint.sign",  # sign not match / keywords not in content / ip not in whitelist
        300001: "notify.hint.token",
        400013: "notify.hint.token",
        130101: "notify.hint.rate",
        40035: "notify.hint.payload",
        43004: "notify.hint.payload",
    },
    "wecom": {93000: "notify.hint.token", 40058: "notify.hint.payload", 45009: "notify.hint.rate"},
    "feishu": {
        19021: "notify.hint.sign",
        19022: "notify.hint.keyword",
        19024: "notify.hint.keyword",
        9499: "notify.hint.payload",
        11232: "notify.hint.rate",
    },
}
SLACK_HINTS = {
    "invalid_token": "notify.hint.token",
    "no_service": "notify.hint.token",
    "no_team": "notify.hint.token",
    "channel_not_found": "notify.hint.token",
    "channel_is_archived": "notify.hint.token",
    "invalid_payload": "notify.hint.payload",
    "no_text": "notify.hint.payload",
}


@dataclass(frozen=True)
class DigestMessage:
    """What a robot posts: a title and sections of plain-text lines (each robot writes its own markup)."""

    title: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # (heading, lines)
    footer: str = ""

    def markdown(self) -> str:
        """Markdown that DingTalk, WeCom and Feishu show alike: headings and lists, short lines, no tables.
        The texts are plain (names from uploads among them) and shown as they are: never a link or markup."""
        parts = [f"### {chat_text(self.title)}"]
        for heading, lines in self.sections:
            parts.append(f"**{chat_text(heading)}**")
            parts.extend(f"- {chat_text(line)}" for line in lines)
        if self.footer:
            parts.append(chat_text(self.footer))
        return "\n\n".join(_join_list(parts))


# The chats' markdown has no escape they all honour (a backslash shows as itself in some), so the characters
# that make links, images, emphasis and HTML become look-alikes, and a bare address is broken as md_escape does.
_CHAT_LOOKALIKES = str.maketrans({"[": "［", "]": "］", "<": "‹", ">": "›", "*": "＊", "_": "＿", "`": "ˋ", "#": "＃"})


def chat_text(text: str) -> str:
    """A plain text as chat markdown shows it: one line, never a link, an image, a heading or emphasis."""
    shown = " ".join(str(text).splitlines()).translate(_CHAT_LOOKALIKES)
    return AUTOLINKED.sub(lambda m: m.group() + WORD_JOINER, shown)


def _join_list(parts: list[str]) -> list[str]:
    """List items one per line (a blank line between them would space the list out in the chat)."""
    out: list[str] = []
    for part in parts:
        if part.startswith("- ") and out and out[-1].startswith("- "):
            out[-1] += "\n" + part
        else:
            out.append(part)
    return out


@dataclass(frozen=True)
class Delivery:
    """The outcome of one `send`: delivered or not, in how many attempts, and the plain message to show."""

    kind: str
    delivered: bool
    attempts: int
    message: Message
    status: int | None = None  # the last HTTP status, None when no answer came
    code: str | None = None  # the robot's own error code, when it gave one

    def text(self, language: str = "en") -> str:
        return self.message.text(language)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A robot answers, it never redirects: a redirect is reported, not followed (to another host or not)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


# ---------------------------------------------------------------- secrets


def redact(url: str) -> str:
    """The URL with its secret parts replaced by ***: every query value (DingTalk's access_token, WeCom's key,
    a sign) and every path segment that is not one of the robots' fixed words (Feishu's hook id, Slack's
    T…/B…/token); user info is dropped."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return REDACTED
    path = "/".join(s if s == "" or s.lower() in PUBLIC_PATH_WORDS else REDACTED for s in parts.path.split("/"))
    query = "&".join(f"{k}={REDACTED}" for k, _ in urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    return urllib.parse.urlunsplit((parts.scheme, host + port, path, query, ""))


def _secret_parts(url: str, secret: str | None) -> list[str]:
    """Every string that must not leave this module: the secret, the query values, the hidden path segments."""
    parts = urllib.parse.urlsplit(url)
    found = [secret] if secret else []
    found += [v for _, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)]
    found += [s for s in parts.path.split("/") if s and s.lower() not in PUBLIC_PATH_WORDS]
    if parts.password:
        found.append(parts.password)
    found += [urllib.parse.quote(s, safe="") for s in list(found)]
    return sorted({s for s in found if len(s) >= 4}, key=len, reverse=True)


def _scrub(text: str, secrets: list[str]) -> str:
    for s in secrets:
        text = text.replace(s, REDACTED)
    return text


# ---------------------------------------------------------------- signatures


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}")), URL-encoded by the caller."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's 签名校验: base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b"")), timestamp in seconds."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _signed_url(kind: str, url: str, secret: str | None, now: float) -> str:
    if kind != "dingtalk" or not secret:
        return url
    timestamp = int(now * 1000)
    query = urllib.parse.urlencode({"timestamp": timestamp, "sign": dingtalk_sign(secret, timestamp)})
    return f"{url}{'&' if urllib.parse.urlsplit(url).query else '?'}{query}"


# ---------------------------------------------------------------- payloads


def _fit_bytes(text: str, limit: int, note: str) -> str:
    """At most `limit` UTF-8 bytes: whole lines kept, the note saying the rest was cut."""
    if len(text.encode()) <= limit:
        return text
    budget = limit - len(note.encode()) - 1
    kept: list[str] = []
    used = 0
    for line in text.split("\n"):
        size = len(line.encode()) + 1
        if used + size > budget:
            break
        kept.append(line)
        used += size
    return "\n".join([*kept, note])


def _slack_escape(text: str) -> str:
    """Slack's three control characters in message text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_blocks(message: DigestMessage) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": message.title[:150]}}]
    for heading, lines in message.sections:
        body = f"*{_slack_escape(heading)}*\n" + "\n".join(f"• {_slack_escape(line)}" for line in lines)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": body[:SLACK_SECTION_CHARS]}})
    if message.footer:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _slack_escape(message.footer)}]})
    return blocks[:50]  # Slack's limit of blocks per message


def _feishu_post(message: DigestMessage, language: str) -> dict[str, Any]:
    rows: list[list[dict[str, Any]]] = []
    for heading, lines in message.sections:
        rows.append([{"tag": "text", "text": heading, "style": ["bold"]}])
        rows.extend([{"tag": "text", "text": f"• {line}"}] for line in lines)
    if message.footer:
        rows.append([{"tag": "text", "text": message.footer}])
    locale = "zh_cn" if language == "zh" else "en_us"
    return {"msg_type": "post", "content": {"post": {locale: {"title": message.title, "content": rows}}}}


def payload(kind: str, message: DigestMessage, secret: str | None = None, *, now: float, language: str = "en") -> dict:
    """The JSON body each robot documents for a formatted message."""
    if kind == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": message.title, "text": message.markdown()}}
    if kind == "wecom":
        note = Message("notify.truncated").text(language)
        return {"msgtype": "markdown", "markdown": {"content": _fit_bytes(message.markdown(), WECOM_MAX_BYTES, note)}}
    if kind == "feishu":
        body = _feishu_post(message, language)
        if secret:
            timestamp = int(now)
            body = {"timestamp": str(timestamp), "sign": feishu_sign(secret, timestamp), **body}
        return body
    if kind == "slack":
        return {"text": message.title, "blocks": _slack_blocks(message)}
    raise ValueError(kind)


# ---------------------------------------------------------------- answers


@dataclass(frozen=True)
class _Answer:
    ok: bool
    retry: bool
    code: str | None = None
    detail: str = ""
    hint: str = "notify.hint.other"


def _json_answer(body: bytes) -> Mapping[str, Any] | None:
    try:
        found = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def _read_answer(kind: str, status: int, body: bytes) -> _Answer:
    """Whether the robot took the message, from its documented answer (HTTP 200 with an error code in the body
    is a refusal for DingTalk, WeCom and Feishu; Slack answers the plain text `ok` or an HTTP error)."""
    if kind == "slack":
        text = body.decode("utf-8", "replace").strip()
        if 200 <= status < 300 and text in ("ok", ""):
            return _Answer(True, False)
        return _Answer(False, False, text[:80] or None, text[:200], SLACK_HINTS.get(text, "notify.hint.other"))
    found = _json_answer(body)
    if found is None:
        return _Answer(False, False, None, str(Message("notify.error.unreadable")))
    if kind == "feishu":
        raw_code = found.get("code", found.get("StatusCode", 0))
        detail = str(found.get("msg") or found.get("StatusMessage") or "")
    else:
        raw_code = found.get("errcode", 0)
        detail = str(found.get("errmsg") or "")
    try:
        code = int(raw_code)
    except (TypeError, ValueError):
        code = -1
    if code == 0:
        return _Answer(True, False)
    return _Answer(
        False,
        code in RATE_LIMITED.get(kind, set()),
        str(code),
        detail[:200],
        HINTS.get(kind, {}).get(code, "notify.hint.other"),
    )


def _retry_after(headers: Mapping[str, str] | None) -> float | None:
    value = (headers or {}).get("Retry-After")
    try:
        return min(float(value), MAX_RETRY_AFTER) if value is not None else None
    except ValueError:
        return None


# ---------------------------------------------------------------- sending


@dataclass
class _Attempt:
    status: int | None = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None  # a network error, already scrubbed


def _post(url: str, data: bytes, timeout: float, secrets: list[str]) -> _Attempt:
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return _Attempt(response.status, response.read(), dict(response.headers))
    except urllib.error.HTTPError as exc:
        with exc:
            return _Attempt(exc.code, exc.read(), dict(exc.headers or {}))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        return _Attempt(error=_scrub(str(reason) or type(exc).__name__, secrets))


def send(
    kind: str,
    url: str,
    message: DigestMessage,
    secret: str | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    language: str = "en",
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """Post `message` to the robot at `url`: at most 1 + `retries` attempts, waiting backoff × 2^n between them
    (or the robot's Retry-After). Never raises for a delivery failure: the Delivery says what happened."""
    if kind not in KINDS:
        return Delivery(kind, False, 0, Message("notify.error.kind", kind=kind, kinds=", ".join(KINDS)))
    robot = Message(ROBOT_NAMES[kind])
    url = url.strip()
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in SCHEMES:
        return Delivery(kind, False, 0, Message("notify.error.scheme", scheme=scheme))
    shown = redact(url)
    secrets = _secret_parts(url, secret)
    attempts, last = 0, _Attempt()
    answer = _Answer(False, True)
    while attempts <= retries:
        if attempts:
            wait = _retry_after(last.headers) if last.status == 429 else None
            sleep(wait if wait is not None else backoff * 2 ** (attempts - 1))
        attempts += 1
        now = time.time()
        body = json.dumps(payload(kind, message, secret, now=now, language=language), ensure_ascii=False).encode()
        last = _post(_signed_url(kind, url, secret, now), body, timeout, secrets)
        if last.error is not None:
            log.warning("%s %s: attempt %d failed: %s", kind, shown, attempts, last.error)
            continue
        status = last.status or 0
        if 300 <= status < 400:
            log.warning("%s %s: redirect %d not followed", kind, shown, status)
            return Delivery(kind, False, attempts, Message("notify.error.redirect", status=status), status)
        if status >= 500 or status == 429:
            log.warning("%s %s: attempt %d: HTTP %d", kind, shown, attempts, status)
            answer = _read_answer(kind, status, last.body) if kind == "slack" else _Answer(False, True)
            continue
        answer = _read_answer(kind, status, last.body)
        if answer.ok:
            log.info("%s %s: delivered in %d attempt(s)", kind, shown, attempts)
            return Delivery(
                kind, True, attempts, Message("notify.delivered", robot=robot, url=shown, attempts=attempts), status
            )
        if answer.retry:
            log.warning("%s %s: attempt %d: rate limited (code %s)", kind, shown, attempts, answer.code)
            continue
        break
    return _failure(kind, robot, attempts, last, answer, secrets, shown)


def _failure(
    kind: str, robot: Message, attempts: int, last: _Attempt, answer: _Answer, secrets: list[str], shown: str
) -> Delivery:
    detail = _scrub(answer.detail, secrets)
    hint = Message(answer.hint)
    if last.error is not None:
        message = Message("notify.error.network", robot=robot, detail=last.error, attempts=attempts)
    elif last.status is not None and not 200 <= last.status < 300 and not answer.code:
        text = _scrub(last.body.decode("utf-8", "replace").strip()[:200], secrets)
        message = Message("notify.error.http", robot=robot, status=last.status, detail=text or "—", hint=hint)
    elif last.status is not None and not 200 <= last.status < 300:
        message = Message("notify.error.http", robot=robot, status=last.status, detail=detail or "—", hint=hint)
    else:
        message = Message("notify.error.refused", robot=robot, detail=detail or "—", code=answer.code, hint=hint)
    log.warning("%s %s: not delivered: %s", kind, shown, message)
    return Delivery(kind, False, attempts, message, last.status, answer.code)
