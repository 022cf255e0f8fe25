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


DIGESTS_KEY = "_report_digests"  # session state: the digests this session built, by what they depend on
DIGESTS_KEPT = 4  # a day and a week in two languages; older ones go first


def build(warehouse: Warehouse, backend, store: str, day: date, period: str, currency: str | None) -> digest.Digest:
    """The digest, built once per data generation and journal state: a rerun of the page (a click on a download,
    a new choice elsewhere) reuses it. The generation follows the data, activities and settings; the notes and
    targets the report lists do not bump it, so their stamp is part of the key (shopdata/journal.py)."""
    language = current_language()
    generation = getattr(backend, "generation", None)
    key = (generation, digest.journal_stamp(warehouse, store), store, day, period, language, currency)
    kept: dict = st.session_state.setdefault(DIGESTS_KEY, {})
    if generation is not None and key in kept:
        kept[key] = kept.pop(key)  # the most recently used last
        return kept[key]
    with st.spinner(t("report.working")):
        sections = digest.journal_sections(backend, store, day, period, language, currency)
        built = digest.build_digest(backend, store, day, period, language, currency, warehouse=warehouse, **sections)
    if generation is not None:
        kept[key] = built
        while len(kept) > DIGESTS_KEPT:
            kept.pop(next(iter(kept)))
    return built


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


@st.fragment
def send(warehouse: Warehouse, user: User, report: digest.Digest) -> None:
    """One button per group robot posting this store's reports, and one for all of them when there are several; a
    click reruns only this section (st.fragment: the digest and the preview stay as drawn). Progress while sending,
    then each robot's outcome in plain words in the reader's language (never its URL or secret)."""
    st.subheader(t("report.send"))
    journal = Journal(warehouse)
    robots = journal.webhooks(report.store)
    if not robots:
        st.info(t("report.no_robots"))
        return
    allowed = user.can("review")
    if not allowed:
        st.caption(t("report.send_not_allowed", role=t(f"role.{user.role}")))
    chosen = []
    for robot in robots:
        label = t("report.send_to", name=md_escape(robot["name"]), robot=t(notify.ROBOT_NAMES[robot["kind"]]))
        if st.button(label, key=f"report_send_{robot['webhook_id']}", disabled=not allowed):
            chosen = [robot]
    if len(robots) > 1 and st.button(
        t("report.send_all", count=len(robots)), key="report_send_all", disabled=not allowed
    ):
        chosen = list(robots)
    # `allowed` again after the click: a hand-made message can click a disabled button.
    if chosen and allowed:
        _deliver(journal, report, chosen)


def _deliver(journal: Journal, report: digest.Digest, robots: list[dict]) -> None:
    language = current_language()
    message = digest.to_message(report)
    outcomes = []
    progress = st.progress(0.0, text=t("report.sending"))
    for n, robot in enumerate(robots):
        name = md_escape(robot["name"])
        progress.progress(n / len(robots), text=t("report.sending_to", name=name, done=n, count=len(robots)))
        hook = journal.webhook(int(robot["webhook_id"]))
        delivery = notify.send(hook.kind, hook.url, message, hook.secret or None, language=language)
        outcomes.append((name, delivery))
    progress.empty()
    for name, delivery in outcomes:
        shown = t("report.sent_line", name=name, outcome=md_escape(delivery.text(language)))
        if delivery.delivered:
            st.success(shown)
        else:
            st.error(shown)
