"""Shared filters (store, dates, comparison, currency), bound to the URL so a copied link opens the same view."""

from __future__ import annotations

import html
from dataclasses import astuple, dataclass
from datetime import date, timedelta

import streamlit as st

from shopdata.i18n import DEFAULT_LANGUAGE
from shopdata.metrics.cache import Source
from shopdata.metrics.periods import COMPARISONS, PRESETS, Period, comparison_period, preset_period
from shopdata.metrics.query import UNKNOWN_CURRENCY, Scope, currencies, data_range, for_currency
from shopdata.store import Warehouse
from shopdata.ui.i18n import current_language, t

FILTERS_KEY = "_filters"
DEFAULT_PRESET = "last_30"
CURRENCY_KEY = "currency_filter"
DEFAULT_COMPARE = "previous"


@dataclass(frozen=True)
class Filters:
    store: str | None
    period: Period | None
    compare: str
    comparison: Period | None
    currency: str | None  # what money is shown in: None when it has no (known) currency

    platform_currencies: tuple[tuple[str, str], ...] | None = None
    currency_unknown: bool = False  # the money whose currency is unknown is shown (query.UNKNOWN_CURRENCY)

    @property
    def scope(self) -> Scope:
        return Scope(
            self.store,
            self.period.start if self.period else None,
            self.period.end if self.period else None,
            UNKNOWN_CURRENCY if self.currency_unknown else self.currency,
            self.platform_currencies,
        )

    @property
    def compare_scope(self) -> Scope | None:
        if not self.comparison:
            return None
        return self.scope.shifted(self.comparison.start, self.comparison.end)


def _param(name: str) -> str | None:
    return st.query_params.get(name)


def language_key(key: str) -> str:
    """The widget key for the current language (see bind_to_url)."""
    language = current_language()
    return key if language == DEFAULT_LANGUAGE else f"{key}__{language}"


def bind_to_url(key: str, param: str, options: list, default) -> str:
    """The widget key to use, with its value started from the URL (a teammate's link), else the default.

    Widgets are told apart per language: a label switching language would otherwise keep showing the old
    language's option text, and navigating on would reset the choice. A fresh widget in the new language
    starts from the URL, which always holds the current choice."""
    key = language_key(key)
    if key not in st.session_state or st.session_state[key] not in options:
        value = _param(param)
        st.session_state[key] = value if value in options else default
    return key


def url_choice(
    label: str,
    options: list[str],
    param: str,
    default: str,
    format_func=str,
    sidebar: bool = False,
    horizontal: bool = True,
) -> str:
    """A page's own breakdown choice, remembered in the URL."""
    key = bind_to_url(f"url_{param}", param, options, default)
    where = st.sidebar if sidebar else st
    value = where.radio(label, options, key=key, format_func=format_func, horizontal=horizontal)
    st.query_params[param] = value
    return value


# A custom range may reach this far beyond the data on either side: enough to start "since New Year" before
# the first upload, while a crafted link (0001-01-01 … 9999-12-31) cannot make a page compute or draw
# thousands of years of days.
CUSTOM_RANGE_MARGIN = timedelta(days=366)


def _parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _shifted(day: date, delta: timedelta) -> date:
    try:
        return day + delta
    except OverflowError:
        return date.min if delta < timedelta(0) else date.max


def custom_range_window(earliest: date | None, latest: date) -> Period:
    """The days a custom range may cover: the data's range and CUSTOM_RANGE_MARGIN either side."""
    return Period(_shifted(earliest or latest, -CUSTOM_RANGE_MARGIN), _shifted(latest, CUSTOM_RANGE_MARGIN))


def clamp_range(start: date, end: date, window: Period) -> Period:
    """start … end moved inside window, in order."""
    start, end = sorted((start, end))
    return Period(min(max(start, window.start), window.end), min(max(end, window.start), window.end))


RANGE_KEY = "range_filter"
CUSTOM_RANGE_KEY = "custom_range"


def choose_currency(code: str) -> None:
    """Show money in `code` from the next run on (a button's on_click, like choose_range)."""
    for key in [k for k in st.session_state if k == CURRENCY_KEY or str(k).startswith(f"{CURRENCY_KEY}__")]:
        del st.session_state[key]
    st.session_state[language_key(CURRENCY_KEY)] = code
    st.query_params["cur"] = code


def choose_range(start: date, end: date) -> None:
    """Set the shared dates to start … end (a custom range): the date widgets and the URL, for the next run.

    A button's on_click callback: it runs before the widgets are drawn, the only time their state may be set.
    The date choice kept for the other language is dropped, so switching language starts from the URL."""
    for key in [k for k in st.session_state if k == RANGE_KEY or str(k).startswith(f"{RANGE_KEY}__")]:
        del st.session_state[key]
    st.session_state[language_key(RANGE_KEY)] = "custom"
    st.session_state[CUSTOM_RANGE_KEY] = (start, end)
    st.query_params["range"] = "custom"
    st.query_params["from"], st.query_params["to"] = start.isoformat(), end.isoformat()


def sidebar_filters(warehouse: Warehouse, source: Source) -> Filters:
    """Draw the shared filters in the sidebar and keep the URL in step."""
    stores = warehouse.stores()
    names = [s["name"] for s in stores]
    if not names:
        filters = Filters(None, None, "none", None, None)
        st.session_state[FILTERS_KEY] = filters
        return filters
    sidebar = st.sidebar
    real = [s["name"] for s in stores if not s["is_demo"]]
    key = bind_to_url("store_filter", "store", names, real[0] if real else names[0])
    labels = store_labels(stores)
    chosen = sidebar.selectbox(t("app.store"), names, key=key, format_func=labels.__getitem__)
    st.query_params["store"] = chosen

    earliest, latest = data_range(source, chosen)
    key = bind_to_url(RANGE_KEY, "range", list(PRESETS), DEFAULT_PRESET)
    preset = sidebar.selectbox(
        t("filters.range"), list(PRESETS), key=key, format_func=lambda p: t(f"filters.range.{p}")
    )
    st.query_params["range"] = preset
    period = None
    if latest is not None:
        if preset == "custom":
            window = custom_range_window(earliest, latest)
            start = _parse_day(_param("from")) or preset_period(DEFAULT_PRESET, latest, earliest).start
            end = _parse_day(_param("to")) or latest
            period = clamp_range(start, end, window)
            kept = st.session_state.get(CUSTOM_RANGE_KEY)
            if kept is None:
                st.session_state[CUSTOM_RANGE_KEY] = (period.start, period.end)
            elif isinstance(kept, (tuple, list)) and len(kept) == 2:
                # A range kept from another store may lie outside this store's window (the widget refuses it).
                inside = astuple(clamp_range(kept[0], kept[1], window))
                if inside != tuple(kept):
                    st.session_state[CUSTOM_RANGE_KEY] = inside
            picked = sidebar.date_input(
                t("filters.custom"), key=CUSTOM_RANGE_KEY, min_value=window.start, max_value=window.end
            )
            if isinstance(picked, (tuple, list)) and len(picked) == 2:
                period = clamp_range(picked[0], picked[1], window)
            st.query_params["from"], st.query_params["to"] = period.start.isoformat(), period.end.isoformat()
        else:
            period = preset_period(preset, latest, earliest)
            for stale in ("from", "to"):
                if stale in st.query_params:
                    del st.query_params[stale]
        sidebar.caption(t("filters.showing", start=period.start, end=period.end))

    key = bind_to_url("compare_filter", "compare", list(COMPARISONS), DEFAULT_COMPARE)
    compare = sidebar.selectbox(
        t("filters.compare"), list(COMPARISONS), key=key, format_func=lambda c: t(f"filters.compare.{c}")
    )
    st.query_params["compare"] = compare
    comparison = comparison_period(period, compare) if period else None
    if comparison:
        sidebar.caption(t("filters.comparing", start=comparison.start, end=comparison.end))

    options = currencies(source, chosen)
    currency = None
    if len(options) > 1:
        key = bind_to_url(CURRENCY_KEY, "cur", options, options[0])
        currency = sidebar.selectbox(
            t("filters.currency"),
            options,
            key=key,
            help=t("filters.currency_help"),
            format_func=lambda c: t("filters.currency_unknown") if c == UNKNOWN_CURRENCY else c,
        )
        st.query_params["cur"] = currency
    elif options:
        currency = options[0]
    found = for_currency(source, Scope(chosen, currency=currency)).platform_currencies
    unknown = currency == UNKNOWN_CURRENCY
    filters = Filters(chosen, period, compare, comparison, None if unknown else currency, found, unknown)
    st.session_state[FILTERS_KEY] = filters
    return filters


# The page's own address at the moment of the click (a fragment's choice changes it without a rerun of this), read
# by the browser; the texts are catalog texts, never data. Without the clipboard API (plain HTTP on the office
# network is no secure context) the link is shown to copy by hand.
COPY_LINK_HTML = """<button type="button" class="shopdata-copy-link" data-copied="{copied}" data-prompt="{prompt}"
 style="width:100%;padding:0.4rem;border-radius:0.5rem;border:1px solid rgba(49,51,63,0.2);background:white;
 cursor:pointer;font:inherit">{label}</button>
<script>
for (const button of document.querySelectorAll("button.shopdata-copy-link:not([data-bound])")) {{
  button.dataset.bound = "1";
  const label = button.textContent;
  button.addEventListener("click", async () => {{
    const link = window.location.href;
    try {{
      await navigator.clipboard.writeText(link);
      button.textContent = button.dataset.copied;
      setTimeout(() => {{ button.textContent = label; }}, 2000);
    }} catch (error) {{
      window.prompt(button.dataset.prompt, link);
    }}
  }});
}}
</script>"""


def copy_link_button() -> None:
    """A sidebar button that copies the current view's address (the filters and page choices are in it)."""
    st.sidebar.html(
        COPY_LINK_HTML.format(
            label=html.escape(t("filters.copy_link")),
            copied=html.escape(t("filters.link_copied"), quote=True),
            prompt=html.escape(t("filters.copy_link_prompt"), quote=True),
        ),
        unsafe_allow_javascript=True,
    )


def store_labels(stores: list[dict]) -> dict[str, str]:
    """Each store's name as shown: the demo store's in the reader's language (its stored name stays)."""
    return {s["name"]: t("app.demo_store") if s["is_demo"] else s["name"] for s in stores}


def show_store(name: str) -> None:
    """Make the shared filters show store `name` from the next run on (a button's on_click: before the
    sidebar's widget exists). Its widgets restart from the URL, which says `name`."""
    for key in [k for k in st.session_state if k == "store_filter" or str(k).startswith("store_filter__")]:
        del st.session_state[key]
    st.query_params["store"] = name


def current() -> Filters:
    return st.session_state.get(FILTERS_KEY) or Filters(None, None, "none", None, None)
