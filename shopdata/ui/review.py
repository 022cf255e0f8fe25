"""The Review (复盘) page's sections: open alerts ranked by money impact, one alert's explanation and its note
form, the notes (filter, search, edit), and the activities with their lift.

Writes go through shopdata/journal.py, which refuses an account without the `review` permission; the page also
disables its forms for such an account and checks the permission again before writing, so a crafted click
changes nothing either way."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from shopdata.accounts import User
from shopdata.errors import ShopdataError
from shopdata.formatting import format_value, md_escape
from shopdata.journal import ACTIVITY_KINDS, CAUSES, Journal
from shopdata.metrics.activities import activity_lift
from shopdata.metrics.alerts import HistoryStatus, detect_alerts, explain_alert, history_status
from shopdata.metrics.cache import Source
from shopdata.metrics.definitions import metric
from shopdata.metrics.overview import decomposition_sentence
from shopdata.metrics.query import Scope
from shopdata.metrics.segment_names import SegmentNames, segment_names
from shopdata.ui import prices as prices_ui
from shopdata.ui import widgets
from shopdata.ui.elsewhere import nothing_in_period
from shopdata.ui.filters import Filters, bind_to_url
from shopdata.ui.i18n import current_language, t
from shopdata.ui.overview import sentence

ALERT_PARAM = "alert"  # /review?alert=KEY opens that alert (the overview links to it)
FLASH_KEY = "_review_flash"  # a message to show after the rerun that follows a write
ANY = ""  # the "every …" choice of a filter
SHOW_CHOICES = ("open", "all")
DIMENSION_CHOICES = ("store", "source", "product", "campaign", "platform")
ALERT_DOMAINS = ("traffic", "ads", "orders")


def flash_message() -> None:
    """The result of the write that led to this run (set before st.rerun)."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message)


def _written(message: str) -> None:
    st.session_state[FLASH_KEY] = message
    st.rerun()


def _write(action: Callable[[], Any], message: str) -> None:
    """Run a journal write; a refusal or invalid input is said in one line, success reruns the page."""
    try:
        action()
    except ShopdataError as error:
        st.error(t("review.note.failed", reason=md_escape(str(error))))
        return
    _written(message)


def read_only_note(user: User) -> None:
    if not user.can("review"):
        st.info(t("review.read_only", role=t(f"role.{user.role}")))


def activity_ranges(journal: Journal, store: str, start: date, end: date) -> tuple[tuple[date, date], ...]:
    """The store's recorded activities over the judged days and their history (Journal.alert_context)."""
    return journal.alert_context(store, start, end)[0]


def kpi_label(name: str) -> str:
    return metric(name).text(current_language())


def dimension_label(dimension: str) -> str:
    return t(f"review.dim.{dimension}")


def segment_label(dimension: str, segment: str, names: SegmentNames, whole: bool = False) -> str:
    """The segment as a line shows it (a product's title, shortened), or `whole` (a product's title and ID)."""
    if dimension == "store" or not segment:
        return dimension_label("store")
    if dimension == "platform":
        return widgets.platform_name(segment)
    return names.full(dimension, segment) if whole else names.label(dimension, segment)


def _value(value: Any, name: str, currency: str | None) -> str:
    return format_value(None if value is None or pd.isna(value) else float(value), metric(name).unit, currency)


# ---- alerts ------------------------------------------------------------------------------------------


def history_notes(status: Sequence[HistoryStatus], scope: Scope) -> bool:
    """Say how much could be judged; False when no day could (nothing is guessed then)."""
    if not any(s.judged_from for s in status):
        st.warning(t("review.alerts.no_history", start=scope.start, end=scope.end))
        return False
    not_judged = max(s.not_judged for s in status)
    if not_judged:
        st.caption(t("alerts.too_little_history", days=not_judged))
        for s in status:
            if s.not_judged and s.judged_from:
                st.caption(t("review.alerts.judged_from", table=t(f"review.table.{s.domain}"), day=s.judged_from))
    return True


def alert_filters(found: pd.DataFrame) -> pd.DataFrame:
    """The open-only/all, KPI and level filters; the alerts they keep."""
    left, middle, right = st.columns([1, 2, 1])
    with left:
        show = st.radio(
            t("review.alerts.show"),
            SHOW_CHOICES,
            format_func=lambda c: t(f"review.alerts.show.{c}"),
            horizontal=True,
            key="review_show",
        )
    with middle:
        kpis = st.multiselect(
            t("review.alerts.kpi"),
            list(dict.fromkeys(found["metric"])),
            format_func=kpi_label,
            placeholder=t("review.notes.kpi_any"),
            key="review_kpis",
        )
    with right:
        dimension = st.selectbox(
            t("review.alerts.dimension"),
            [ANY, *(d for d in DIMENSION_CHOICES if d in set(found["dimension"]))],
            format_func=lambda d: dimension_label(d) if d else t("review.alerts.dimension.any"),
            key="review_dimension",
        )
    kept = found
    if show == "open":
        kept = kept[~kept["reviewed"]]
    if kpis:
        kept = kept[kept["metric"].isin(kpis)]
    if dimension:
        kept = kept[kept["dimension"] == dimension]
    return kept


def alerts_table(found: pd.DataFrame, currency: str | None, names: SegmentNames) -> None:
    """Actual, expected and the range are in each row's own KPI unit, so they are written per cell; the download
    keeps the numbers. A product is named by its title (shortened; the whole title and ID in the explanation)."""
    labels = {c: t(f"review.col.{c}") for c in ("date", "actual", "expected", "low", "high", "impact", "reviewed")}
    labels |= {"kpi": t("review.col.kpi"), "dimension": t("review.col.dimension"), "segment": t("review.col.segment")}
    labels |= {"direction": t("review.col.direction"), "range": t("review.col.range")}
    common = {
        "date": found["date"],
        "kpi": found["metric"].map(kpi_label),
        "dimension": found["dimension"].map(dimension_label),
        "segment": [segment_label(d, s, names) for d, s in zip(found["dimension"], found["segment"], strict=True)],
    }
    tail = {
        "direction": found["direction"].map(lambda d: t(f"review.dir.{d}")),
        "impact": found["impact"],
        "reviewed": found["reviewed"].astype(bool),
    }
    download = pd.DataFrame({**common, **{c: found[c] for c in ("actual", "expected", "low", "high")}, **tail}).rename(
        columns=labels
    )

    def written(column: str) -> list[str]:
        return [_value(v, m, currency) for v, m in zip(found[column], found["metric"], strict=True)]

    low, high = written("low"), written("high")
    shown = pd.DataFrame(
        {
            **common,
            "actual": written("actual"),
            "expected": written("expected"),
            "range": [f"{a} … {b}" for a, b in zip(low, high, strict=True)],
            **tail,
        }
    ).rename(columns=labels)
    config = {
        labels["impact"]: widgets.money_column(
            labels["impact"], currency, signed=True, missing=t("review.col.impact_missing")
        ),
        labels["reviewed"]: st.column_config.CheckboxColumn(labels["reviewed"]),
    }
    widgets.show_table(download, key="review_alerts", file_name="alerts", column_config=config, shown=shown)


def _alert_option(found: pd.DataFrame, currency: str | None, names: SegmentNames) -> Callable[[str], str]:
    rows = found.set_index("key")

    def label(key: str) -> str:
        if key not in rows.index:
            return key
        row = rows.loc[key]
        impact = format_value(row["impact"], "money", currency, signed=True)
        mark = " ✓" if row["reviewed"] else ""
        return (
            f"{row['date']} · {kpi_label(row['metric'])} · {segment_label(row['dimension'], row['segment'], names)}"
            + (f" · {impact}{mark}")
        )

    return label


def pick_alert(
    found: pd.DataFrame, kept: pd.DataFrame, currency: str | None, names: SegmentNames
) -> dict[str, Any] | None:
    """The alert chosen (bound to ?alert=KEY, so a link opens it even when the filter hides it)."""
    options = list(kept["key"])
    linked = st.query_params.get(ALERT_PARAM)
    if linked and linked in set(found["key"]) and linked not in options:
        options.insert(0, linked)
    if not options:
        return None
    key = bind_to_url("review_alert", ALERT_PARAM, options, options[0])
    chosen = st.selectbox(t("review.pick"), options, format_func=_alert_option(found, currency, names), key=key)
    st.query_params[ALERT_PARAM] = chosen
    return found[found["key"] == chosen].iloc[0].to_dict()


def alerts_section(
    backend: Source, journal: Journal, filters: Filters, activities: tuple[tuple[date, date], ...]
) -> tuple[pd.DataFrame, dict[str, Any] | None]:
    """The alerts of the period and the one chosen (None when there is none)."""
    scope, store = filters.scope, filters.store or ""
    st.subheader(t("review.alerts.title"))
    st.caption(t("alerts.method"))
    with st.spinner(t("ui.working.alerts")):
        status = history_status(backend, scope, activities)
        reviewed = journal.reviewed_keys(store, scope.start, scope.end) if scope.start and scope.end else frozenset()
        found = detect_alerts(backend, scope, activities, reviewed)
        names = segment_names(backend, store)
    if not status:
        nothing_in_period(t("review.what"), t("review.exports"), ALERT_DOMAINS)
        return found, None
    if not history_notes(status, scope):
        return found, None
    if activities:
        st.caption(t("alerts.in_activity"))
    if found.empty:
        st.info(t("review.alerts.none", start=scope.start, end=scope.end))
        return found, None
    kept = alert_filters(found)
    if kept.empty:
        if st.session_state.get("review_show") == "open" and len(found) and found["reviewed"].all():
            st.info(t("review.alerts.none_open", start=scope.start, end=scope.end, count=len(found)))
        else:
            st.info(t("review.alerts.none_filtered"))
    else:
        st.caption(t("review.alerts.count", shown=len(kept), total=len(found)))
        alerts_table(kept, filters.currency, names)
    return found, pick_alert(found, kept, filters.currency, names)


# ---- one alert: why, and its note --------------------------------------------------------------------


def explanation(
    backend: Source,
    journal: Journal,
    filters: Filters,
    alert: dict[str, Any],
    activities: tuple[tuple[date, date], ...] = (),
) -> None:
    """Why the alert happened; `activities`: those it was detected with, so the drivers split its own expected."""
    currency, store, language = filters.currency, filters.store or "", current_language()
    day, name = alert["date"], alert["metric"]
    names = segment_names(backend, store)
    st.subheader(t("review.why.title"))
    st.markdown(
        t(
            "review.why.summary",
            day=day,
            kpi=md_escape(kpi_label(name)),
            segment=md_escape(segment_label(alert["dimension"], alert["segment"], names, whole=True)),
            actual=md_escape(_value(alert["actual"], name, currency)),
            expected=md_escape(_value(alert["expected"], name, currency)),
            low=md_escape(_value(alert["low"], name, currency)),
            high=md_escape(_value(alert["high"], name, currency)),
        )
    )
    # Only hashable plain values go into the cached call's key.
    row = {k: alert[k] for k in ("date", "metric", "dimension", "segment")}
    with st.spinner(t("ui.working.explain")):
        why = explain_alert(backend, filters.scope, row, activities)
    st.markdown(f"**{t('review.why.drivers')}**")
    if why.drivers is None:
        st.caption(t("review.why.no_drivers"))
    else:
        sentence(decomposition_sentence(why.drivers, currency, language))

    st.markdown(f"**{t('review.why.segments')}**")
    if why.segments.empty:
        st.caption(t("review.why.no_segments"))
    else:
        unit = metric(name).unit
        segments = why.segments.assign(
            dimension=why.segments["dimension"].map(dimension_label),
            segment=[
                segment_label(d, s, names, whole=True)
                for d, s in zip(why.segments["dimension"], why.segments["segment"], strict=True)
            ],
        )
        labels = {c: t(f"review.col.{c}") for c in ("dimension", "segment", "actual", "expected", "change", "impact")}
        config = {
            labels["actual"]: widgets.number_column(labels["actual"], unit, currency),
            labels["expected"]: widgets.number_column(labels["expected"], unit, currency),
            labels["change"]: widgets.number_column(labels["change"], unit, currency, signed=True),
            labels["impact"]: widgets.money_column(labels["impact"], currency, signed=True),
        }
        widgets.show_table(
            segments.rename(columns=labels), key="review_segments", file_name="alert_segments", column_config=config
        )

    st.markdown(f"**{t('review.why.context')}**")
    if why.price_drops.empty:
        st.caption(t("review.why.no_price_drops"))
    else:
        st.caption(t("review.why.price_drops"))
        prices_ui.table(why.price_drops, prices_ui.DROP_COLUMNS, "review_price_drops", currency)
    if why.spend_changes.empty:
        st.caption(t("review.why.no_spend"))
    else:
        st.caption(t("review.why.spend"))
        labels = {c: t(f"review.col.{c}") for c in ("campaign", "actual", "expected", "change")}
        config = {
            labels[c]: widgets.money_column(labels[c], currency, signed=c == "change")
            for c in ("actual", "expected", "change")
        }
        widgets.show_table(
            why.spend_changes.rename(columns=labels),
            key="review_spend",
            file_name="spend_changes",
            column_config=config,
        )
    covering = journal.activities(store, day, day, language)
    if covering:
        st.caption(t("review.why.activities"))
        st.dataframe(activities_frame(covering), hide_index=True, width="stretch")
    else:
        st.caption(t("review.why.no_activities"))
    notes = journal.notes(store, day, day)
    if notes:
        st.caption(t("review.why.notes"))
        st.dataframe(notes_frame(notes), hide_index=True, width="stretch")
    else:
        st.caption(t("review.why.no_notes"))


def _period_of(value: Any, fallback: date) -> tuple[date, date | None]:
    """A date_input's range (a tuple of one or two days while being picked)."""
    days = list(value) if isinstance(value, (tuple, list)) else [value]
    days = [d for d in days if d is not None] or [fallback]
    return days[0], days[1] if len(days) > 1 else None


def note_form(journal: Journal, user: User, store: str, alert: dict[str, Any]) -> None:
    """A note attached to the alert (the alert shows reviewed once it is saved)."""
    can = user.can("review")
    day = alert["date"]
    st.subheader(t("review.note.title"))
    read_only_note(user)
    with st.form(f"review_note_{alert['key']}", clear_on_submit=True):
        dates = st.date_input(t("review.note.dates"), value=(day, day), disabled=not can, key="review_note_dates")
        cause = st.selectbox(
            t("review.note.cause"),
            CAUSES,
            format_func=lambda c: t(f"loop.cause.{c}"),
            disabled=not can,
            key="review_note_cause",
        )
        found = st.text_area(t("review.note.found"), disabled=not can, key="review_note_found")
        done = st.text_area(t("review.note.done"), disabled=not can, key="review_note_done")
        follow_up = st.date_input(t("review.note.follow_up"), value=None, disabled=not can, key="review_note_follow")
        submitted = st.form_submit_button(t("review.note.save"), type="primary", disabled=not can)
    if not (submitted and can):
        return
    if not (found or "").strip():
        st.warning(t("review.note.text_needed"))
        return
    first, last = _period_of(dates, day)
    _write(
        lambda: journal.add_note(
            user,
            store,
            first,
            found,
            date_to=last,
            cause=cause,
            metric=alert["metric"],
            dimension=alert["dimension"],
            segment=alert["segment"],
            alert=alert["key"],
            action=done or "",
            follow_up=follow_up,
        ),
        t("review.saved"),
    )


# ---- notes -------------------------------------------------------------------------------------------


def notes_frame(notes: list[dict[str, Any]]) -> pd.DataFrame:
    columns = {
        "note_id": "id",
        "date_from": "from",
        "date_to": "to",
        "metric": "kpi",
        "segment": "segment",
        "cause": "cause",
        "text": "found",
        "action": "done",
        "follow_up": "follow_up",
        "follow_up_done": "follow_up_done",
        "author": "author",
    }
    frame = pd.DataFrame(notes, columns=list(columns))
    frame["metric"] = [kpi_label(m) if m else "" for m in frame["metric"]]
    frame["cause"] = [t(f"loop.cause.{c}") for c in frame["cause"]]
    frame["follow_up_done"] = frame["follow_up_done"].fillna(False).astype(bool)
    return frame.rename(columns={k: t(f"review.notes.col.{v}") for k, v in columns.items()})


def notes_section(journal: Journal, user: User, filters: Filters) -> None:
    store, period = filters.store or "", filters.period
    st.subheader(t("review.notes.title"))
    every = journal.notes(store)
    top = st.columns([2, 1, 1])
    with top[0]:
        dates = st.date_input(
            t("review.note.dates"), value=(period.start, period.end) if period else None, key="review_notes_dates"
        )
    with top[1]:
        cause = st.selectbox(
            t("review.note.cause"),
            [ANY, *CAUSES],
            format_func=lambda c: t(f"loop.cause.{c}") if c else t("review.notes.cause_any"),
            key="review_notes_cause",
        )
    with top[2]:
        kpis = sorted({n["metric"] for n in every if n["metric"]})
        kpi = st.selectbox(
            t("review.alerts.kpi"),
            [ANY, *kpis],
            format_func=lambda m: kpi_label(m) if m else t("review.notes.kpi_any"),
            key="review_notes_kpi",
        )
    bottom = st.columns([3, 1])
    with bottom[0]:
        search = st.text_input(t("review.notes.search"), key="review_notes_search")
    with bottom[1]:
        open_only = st.checkbox(t("review.notes.open_follow_ups"), key="review_notes_open")
    days = [d for d in (dates if isinstance(dates, (tuple, list)) else [dates]) if d is not None]
    notes = journal.notes(
        store,
        days[0] if days else None,
        days[-1] if days else None,
        search=search or None,
        metric=kpi or None,
        cause=cause or None,
        open_follow_ups=open_only,
    )
    if not notes:
        st.info(t("review.notes.none"))
        return
    widgets.show_table(notes_frame(notes), key="review_notes", file_name="notes")
    edit_note(journal, user, notes)


def _note_option(notes: list[dict[str, Any]]) -> Callable[[int], str]:
    by_id = {n["note_id"]: n for n in notes}

    def label(note_id: int) -> str:
        note = by_id[note_id]
        text = note["text"] if len(note["text"]) <= 40 else note["text"][:39] + "…"
        return f"#{note_id} · {note['date_from']} · {t('loop.cause.' + note['cause'])} · {text}"

    return label


def edit_note(journal: Journal, user: User, notes: list[dict[str, Any]]) -> None:
    """Edit, delete, or mark done the follow-up of one listed note (members and owners)."""
    can = user.can("review")
    st.markdown(f"**{t('review.note.edit_title')}**")
    note_id = st.selectbox(
        t("review.notes.pick"), [n["note_id"] for n in notes], format_func=_note_option(notes), key="review_edit_pick"
    )
    note = next(n for n in notes if n["note_id"] == note_id)
    with st.form(f"review_edit_{note_id}"):
        dates = st.date_input(
            t("review.note.dates"), value=(note["date_from"], note["date_to"]), disabled=not can, key=f"re_d{note_id}"
        )
        cause = st.selectbox(
            t("review.note.cause"),
            CAUSES,
            index=CAUSES.index(note["cause"]),
            format_func=lambda c: t(f"loop.cause.{c}"),
            disabled=not can,
            key=f"re_c{note_id}",
        )
        found = st.text_area(t("review.note.found"), value=note["text"], disabled=not can, key=f"re_t{note_id}")
        done = st.text_area(t("review.note.done"), value=note["action"] or "", disabled=not can, key=f"re_a{note_id}")
        follow_up = st.date_input(
            t("review.note.follow_up"), value=note["follow_up"], disabled=not can, key=f"re_f{note_id}"
        )
        saved = st.form_submit_button(t("review.note.save"), disabled=not can)
    left, right, _ = st.columns([1, 1, 2])
    with left:
        finished = st.button(
            t("review.note.mark_done"),
            disabled=not can or note["follow_up"] is None or bool(note["follow_up_done"]),
            key=f"review_done_{note_id}",
        )
    with right:
        deleted = st.button(t("review.note.delete"), disabled=not can, key=f"review_delete_{note_id}")
    if not can:
        return
    if saved:
        first, last = _period_of(dates, note["date_from"])
        changes = {"date_from": first, "date_to": last, "cause": cause, "text": found, "action": done or ""}
        _write(lambda: journal.update_note(user, note_id, **changes, follow_up=follow_up), t("review.saved"))
    elif finished:
        _write(lambda: journal.update_note(user, note_id, follow_up_done=True), t("review.saved"))
    elif deleted:
        _write(lambda: journal.delete_note(user, note_id), t("review.deleted"))


# ---- activities --------------------------------------------------------------------------------------

LIFT_COLUMNS = ("revenue", "expected_revenue", "lift", "lift_pct", "spend", "incremental_roas", "hangover")


def activities_frame(activities: list[dict[str, Any]], lifts: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "name": [a["name"] for a in activities],
            "kind": [t(f"loop.kind.{a['kind']}") for a in activities],
            "from": [a["date_from"] for a in activities],
            "to": [a["date_to"] for a in activities],
        }
    )
    if lifts is not None:
        for column in LIFT_COLUMNS:
            frame[column] = [lift[column] for lift in lifts]
    return frame.rename(columns=lambda c: t(f"review.activities.col.{c}"))


def _lift_config(currency: str | None) -> dict[str, Any]:
    missing = t("review.activities.missing")
    label = {c: t(f"review.activities.col.{c}") for c in LIFT_COLUMNS}
    config = {
        label[c]: widgets.money_column(label[c], currency, signed=c in ("lift", "hangover"), missing=missing)
        for c in ("revenue", "expected_revenue", "lift", "spend", "hangover")
    }
    config[label["lift_pct"]] = widgets.percent_column(label["lift_pct"], signed=True, missing=missing)
    config[label["incremental_roas"]] = widgets.ratio_column(label["incremental_roas"], missing=missing)
    return config


def activities_section(backend: Source, journal: Journal, user: User, filters: Filters) -> None:
    scope, store, period = filters.scope, filters.store or "", filters.period
    if period is None:
        return
    st.subheader(t("review.activities.title"))
    st.caption(t("review.activities.caption"))
    activities = journal.activities(store, period.start, period.end, current_language())
    if activities:
        with st.spinner(t("ui.working.lift")):
            lifts = [activity_lift(backend, scope, a["date_from"], a["date_to"]) for a in activities]
        widgets.show_table(
            activities_frame(activities, lifts),
            key="review_activities",
            file_name="activities",
            column_config=_lift_config(filters.currency),
        )
    else:
        st.info(t("review.activities.none", start=period.start, end=period.end))
    read_only_note(user)
    left, right = st.columns(2)
    with left:
        add_activity(journal, user, store, period.start)
    with right:
        edit_festival(journal, user, store, [a for a in activities if a["kind"] == "festival" and a["festival"]])


def add_activity(journal: Journal, user: User, store: str, day: date) -> None:
    can = user.can("review")
    with st.form("review_add_activity", clear_on_submit=True):
        st.markdown(f"**{t('review.activities.add')}**")
        name = st.text_input(t("review.activities.name"), disabled=not can, key="review_activity_name")
        kind = st.selectbox(
            t("review.activities.kind"),
            ACTIVITY_KINDS,
            index=ACTIVITY_KINDS.index("own"),
            format_func=lambda k: t(f"loop.kind.{k}"),
            disabled=not can,
            key="review_activity_kind",
        )
        dates = st.date_input(t("review.activities.dates"), value=(day, day), disabled=not can, key="review_act_dates")
        submitted = st.form_submit_button(t("review.activities.save"), disabled=not can)
    if submitted and can:
        first, last = _period_of(dates, day)
        _write(
            lambda: journal.add_activity(user, store, name, first, last or first, kind), t("review.activities.added")
        )


def edit_festival(journal: Journal, user: User, store: str, festivals: list[dict[str, Any]]) -> None:
    """Move or hide a festival in one year (the store's own dates replace the calendar's)."""
    can = user.can("review")
    st.markdown(f"**{t('review.festival.title')}**")
    if not festivals:
        st.caption(t("review.festival.none"))
        return
    keys = [f"{f['festival']}|{f['year']}" for f in festivals]
    chosen = st.selectbox(
        t("review.festival.pick"),
        keys,
        format_func=lambda k: f"{festivals[keys.index(k)]['name']} {festivals[keys.index(k)]['year']}",
        key="review_festival_pick",
    )
    festival = festivals[keys.index(chosen)]
    with st.form(f"review_festival_{chosen}"):
        dates = st.date_input(
            t("review.activities.dates"),
            value=(festival["date_from"], festival["date_to"]),
            disabled=not can,
            key=f"review_festival_dates_{chosen}",
        )
        hidden = st.checkbox(t("review.festival.hide"), disabled=not can, key=f"review_festival_hide_{chosen}")
        submitted = st.form_submit_button(t("review.festival.save"), disabled=not can)
    if submitted and can:
        first, last = _period_of(dates, festival["date_from"])
        _write(
            lambda: journal.edit_festival(
                user,
                store,
                festival["festival"],
                int(festival["year"]),
                first,
                last or first,
                hidden=hidden,
            ),
            t("review.festival.saved"),
        )
