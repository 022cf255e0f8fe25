"""The Report page's parts: the choice of day or week, the digest as chat text, preview and files, and sending it
to the team's group robots."""

from __future__ import annotations

from datetime import date

import streamlit as st

from shopdata import digest, notify
from shopdata.accounts import User
from shopdata.formatting import md_escape
from shopdata.journal import Journal
from shopdata.store import Warehouse
from shopdata.ui.auth import offer_download
from shopdata.ui.i18n import current_language, t

PREVIEW_HEIGHT = 640  # px: about a phone screen of the report; the frame scrolls for the rest


def choose(store: str, first: date, latest: date) -> tuple[str, date]:
    """Day or week, and the report's (last) day: the latest day with data unless chosen."""
    left, right = st.columns(2)
    period = left.radio(
        t("report.period"),
        list(digest.PERIODS),
        format_func=lambda p: t(f"report.period.{p}"),
        horizontal=True,
        key="report_period",
    )
    day = right.date_input(
        t("report.day"),
        value=latest,
        min_value=first,
        max_value=latest,
        help=t("report.day_help"),
        key=f"report_day:{store}:{latest.isoformat()}",  # a new latest day (an upload) chooses it again
    )
    return period or "day", day if isinstance(day, date) else latest


def build(warehouse: Warehouse, backend, store: str, day: date, period: str, currency: str | None) -> digest.Digest:
    language = current_language()
    with st.spinner(t("report.working")):
        sections = digest.journal_sections(backend, store, day, period, language, currency)
        return digest.build_digest(backend, store, day, period, language, currency, warehouse=warehouse, **sections)


def chat_text(report: digest.Digest) -> None:
    st.subheader(t("report.markdown"))
    st.caption(t("report.markdown_help"))
    st.code(digest.to_markdown(report), language="markdown", wrap_lines=True)


def preview(report: digest.Digest) -> None:
    """The HTML file as it opens, in a frame of its own (its style must not reach the page's). to_html escapes
    every text (names from uploads among them) and writes no script, so nothing from the data runs there."""
    st.subheader(t("report.preview"))
    st.iframe(digest.to_html(report), height=PREVIEW_HEIGHT)


def _file_name(report: digest.Digest, extension: str) -> str:
    span = report.end.isoformat() if report.period == "day" else f"{report.start.isoformat()}_{report.end.isoformat()}"
    return f"shopdata-{report.period}-{span}.{extension}"


def downloads(report: digest.Digest) -> None:
    """The files are made when asked for (a PNG takes a moment), not on every rerun."""
    st.subheader(t("report.downloads"))
    left, right = st.columns(2)
    with left:
        offer_download(
            "report_html",
            t("report.download_html"),
            "view",
            _file_name(report, "html"),
            "text/html",
            produce=lambda: digest.to_html(report).encode("utf-8"),
        )
    with right:
        offer_download(
            "report_png",
            t("report.download_png"),
            "view",
            _file_name(report, "png"),
            "image/png",
            produce=lambda: digest.to_png(report),
        )


def send(warehouse: Warehouse, user: User, report: digest.Digest) -> None:
    """One button per group robot posting this store's reports; the outcome in plain words (never the URL)."""
    st.subheader(t("report.send"))
    journal = Journal(warehouse)
    robots = journal.webhooks(report.store)
    if not robots:
        st.info(t("report.no_robots"))
        return
    allowed = user.can("review")
    if not allowed:
        st.caption(t("report.send_not_allowed", role=t(f"role.{user.role}")))
    language = current_language()
    for robot in robots:
        label = t("report.send_to", name=md_escape(robot["name"]), robot=t(notify.ROBOT_NAMES[robot["kind"]]))
        key = f"report_send_{robot['webhook_id']}"
        # `allowed` again after the click: a hand-made message can click a disabled button.
        if not st.button(label, key=key, disabled=not allowed) or not allowed:
            continue
        hook = journal.webhook(int(robot["webhook_id"]))
        with st.spinner(t("report.sending")):
            delivery = notify.send(
                hook.kind, hook.url, digest.to_message(report), hook.secret or None, language=language
            )
        shown = md_escape(delivery.text(language))
        if delivery.delivered:
            st.success(shown)
        else:
            st.error(shown)
