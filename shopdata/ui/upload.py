"""Data page pieces: pick a store, plan dropped files, adjust kind/period/mapping, import, list batches.

Plans and previews are cached in the session keyed by the file's SHA-256 and the user's choices, so a
rerun (every click) never re-reads a file needlessly and never imports anything by itself.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace

import pandas as pd
import pyarrow as pa
import streamlit as st

from shopdata.errors import ShopdataError
from shopdata.formatting import MISSING, md_escape
from shopdata.i18n import localize
from shopdata.ingest.clean import DATE_ORDERS
from shopdata.ingest.formats import READABLE_EXTENSIONS
from shopdata.ingest.guard import DEFAULT_LIMITS, MB, read_untrusted
from shopdata.ingest.layouts import KINDS, LAYOUTS, LIST_SEPARATOR, report_title
from shopdata.ingest.pipeline import FileResult, Options, Plan, load_plan, plan_file, prepare_plan
from shopdata.ingest.read import Sheet
from shopdata.ingest.transform import DateOrderError, Prepared
from shopdata.metrics import cache
from shopdata.quality import missing_days
from shopdata.store import TABLES, Warehouse, batches_of, covered_days_of
from shopdata.ui import filters, widgets
from shopdata.ui.i18n import current_language, t

UPLOAD_TYPES = [ext.lstrip(".") for ext in READABLE_EXTENSIONS]
PREVIEW_ROWS = 20
BATCH_COLUMNS = (
    "batch_id",
    "store",
    "file_name",
    "uploaded_by",
    "kind",
    "platform",
    "report",
    "rows_loaded",
    "rows_live",
    "rows_replaced",
    "rows_skipped",
    "date_from",
    "date_to",
    "created_at",
)
BATCH_COUNTS = ("rows_loaded", "rows_live", "rows_replaced", "rows_skipped")


@dataclass
class FileState:
    name: str
    sha256: str
    plans: list[Plan]
    prepared: list[Prepared | ShopdataError]
    error: str | None = None


def shown(message: object) -> str:
    """An error or warning in the page's language (a plain string, e.g. an older upload's warning, as it is),
    as markdown that shows it literally: it quotes file names and cells."""
    return md_escape(localize(message, current_language()))


NEW_STORE = ""  # the picker's "new store" choice: no store can be named "" (settings._name)
OVERVIEW_PAGE = "views/overview.py"


def store_picker(warehouse: Warehouse, default: str | None = None) -> str | None:
    """The store to import into. Preselected: `default` (the filters' store) when it is a real store, else the
    one real store, else a new store to name; the demo store only ever by the user's own choice, since a first
    real upload must not land among made-up data."""
    stores = warehouse.stores()
    labels = filters.store_labels(stores)
    real = [s["name"] for s in stores if not s["is_demo"]]
    demo = [s["name"] for s in stores if s["is_demo"]]
    options = [*real, *demo, NEW_STORE]
    preselected = default if default in real else real[0] if len(real) == 1 else NEW_STORE
    choice = st.selectbox(
        t("data.store_pick"),
        options,
        index=options.index(preselected),
        key="target_store",
        format_func=lambda o: t("data.store_new_option") if o == NEW_STORE else labels[o],
    )
    if choice == NEW_STORE:
        name = st.text_input(t("data.store_new"), key="new_store_name").strip()
        return name or None
    if choice in demo:
        st.warning(t("data.into_demo"))
    return choice


def offer_to_show(warehouse: Warehouse, store_name: str, shown: str | None) -> None:
    """After an import into a store the other pages do not show: one click shows it there."""
    if store_name == shown:
        return
    labels = filters.store_labels(warehouse.stores())
    if store_name not in labels:
        return
    if st.button(
        t("data.view_store", store=labels[store_name]),
        key="view_store",
        type="primary",
        help=t("data.view_store_help", store=labels[store_name], shown=labels.get(shown or "", "—")),
        on_click=filters.show_store,
        args=(store_name,),
    ):
        st.switch_page(OVERVIEW_PAGE)


PLAN_CACHE_KEY = "_upload_cache"
IMPORTED_KEY = "_imported"  # import results views/data.py keeps per set of dropped files


def _cache() -> dict:
    return st.session_state.setdefault(PLAN_CACHE_KEY, {})


def forget_session_work() -> None:
    """Drop this session's plans and import results: after a restore they describe another database."""
    st.session_state.pop(PLAN_CACHE_KEY, None)
    st.session_state.pop(IMPORTED_KEY, None)


def _options_key(sha: str, options: Options) -> str:
    payload = json.dumps(
        [
            sha,
            options.store,
            options.kind,
            options.platform,
            [str(d) for d in options.period] if options.period else None,
            options.mapping,
            options.settle,
            options.date_order,
        ],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha1(payload.encode()).hexdigest()


def read_upload(name: str, data: bytes) -> list[Sheet]:
    """An upload read through the guard, with the size cap the server was started with (`make serve`)."""
    limits = replace(DEFAULT_LIMITS, max_upload_bytes=st.get_option("server.maxUploadSize") * MB)
    return read_untrusted(name, data, limits)


def analyse(name: str, data: bytes, options: Options, store: Warehouse) -> FileState:
    """Plan and clean a dropped file (cached): what it is and how its rows will look."""
    sha = hashlib.sha256(data).hexdigest()
    key = _options_key(sha, options)
    cache = _cache()
    if key not in cache:
        try:
            plans = plan_file(name, data, options, store, reader=read_upload)
        except ShopdataError as exc:
            cache[key] = FileState(name, sha, [], [], exc.as_message())
        else:
            prepared: list[Prepared | ShopdataError] = []
            for plan in plans:
                try:
                    prepared.append(prepare_plan(plan, options))
                except ShopdataError as exc:
                    prepared.append(exc)
            cache[key] = FileState(name, sha, plans, prepared)
    return cache[key]


def file_options(index: int, name: str, store_name: str, user: str | None) -> Options:
    """The user's choices for one file (kind, period, mapping), kept in session state between reruns."""
    kind = st.session_state.get(f"kind_{index}_{name}")
    currency = (st.session_state.get(f"currency_{index}_{name}") or "").strip().upper() or None
    return Options(
        store=store_name,
        kind=kind if kind in KINDS else None,
        period=st.session_state.get(f"period_value_{index}_{name}"),
        mapping=st.session_state.get(f"mapping_value_{index}_{name}"),
        settle=st.session_state.get(f"settle_value_{index}_{name}"),
        uploaded_by=user,
        currency=currency,
        date_order=st.session_state.get(f"date_order_value_{index}_{name}"),
    )


def plan_panel(index: int, state: FileState, options: Options, confirm_below: float) -> bool:
    """Show what was recognised, let the user correct it, and preview the rows as they will be stored.

    A sheet recognised with a confidence below `confirm_below` shows what each of its columns was taken to
    mean and asks for a confirmation; returns whether the file may be imported as it is."""
    name = state.name
    kinds = [None, *KINDS]
    st.selectbox(
        t("data.kind"),
        kinds,
        key=f"kind_{index}_{name}",
        format_func=lambda k: t("data.kind_auto") if k is None else t(f"kind.{k}"),
    )
    if state.error:
        st.error(t("data.cannot_read", file=md_escape(name), error=shown(state.error)))
        return True  # nothing of it will be imported; the import reports why
    confirmed = True
    for number, (plan, prepared) in enumerate(zip(state.plans, state.prepared, strict=False)):
        rec = plan.recognition
        title = report_title(rec.layout.name, rec.mapping, current_language())
        st.markdown(
            t(
                "data.detected",
                title=md_escape(title),
                kind=t(f"kind.{rec.kind}"),
                platform=widgets.platform_name(rec.platform),
                confidence=f"{rec.confidence:.0%}",
            )
        )
        if rec.by_terms:
            st.info(t("data.by_terms"))
        for note in plan.notes:
            st.caption(shown(note))
        if rec.ambiguous:
            _ask_ambiguous(index, name, plan)
            confirmed = False
        elif rec.confidence < confirm_below:
            confirmed &= _confirm_low_confidence(f"{index}_{name}_{number}", plan, title)
        _period_input(index, name, plan, prepared)
        _mapping_editor(index, name, plan)
        if isinstance(prepared, DateOrderError):
            _ask_date_order(index, name, prepared)
            confirmed = False
            continue
        if isinstance(prepared, ShopdataError):
            st.error(t("data.cannot_read", file=md_escape(plan.file_name), error=shown(prepared.as_message())))
            continue
        _currency_input(index, name, plan, prepared)
        st.caption(t("data.preview"))
        preview = _arrow_rows(prepared).slice(0, PREVIEW_ROWS).drop_columns(["nk"]).to_pandas()
        if "platform" in preview:  # as the upload list names it (其他, Tmall), not its code
            preview["platform"] = preview["platform"].map(widgets.platform_name)
        # An empty cell is shown as the other tables show it, never as "None".
        st.dataframe(preview.rename(columns=field_label), hide_index=True, placeholder=MISSING)
        if prepared.skipped_reasons:
            reasons = ", ".join(f"{n} × {r}" for r, n in prepared.skipped_reasons.items())
            st.caption(t("data.skipped", reasons=md_escape(reasons)))
        for warning in prepared.warnings:
            st.warning(shown(warning))
    return confirmed


def field_label(field_name: str) -> str:
    """A canonical field as the reader calls it, in the page's language."""
    return t(f"field.{field_name}")


def _confirm_low_confidence(key: str, plan: Plan, title: str) -> bool:
    rec = plan.recognition
    st.warning(t("data.low_confidence", confidence=f"{rec.confidence:.0%}", title=md_escape(title)))
    taken = {header: field_label(f) for f, header in rec.mapping_by_header().items()}
    headers = [h.raw for h in rec.headers if h.raw.strip()] if not rec.headerless else list(taken)
    table = pd.DataFrame(
        {t("data.column"): headers, t("data.taken_as"): [taken.get(h, t("data.not_imported")) for h in headers]}
    )
    st.dataframe(table, hide_index=True)
    return st.checkbox(t("data.confirm_low", file=md_escape(plan.file_name)), key=f"confirm_{key}")


SAMPLE_VALUES = 3  # values shown per candidate column when the page asks which column is which


def _ask_ambiguous(index: int, name: str, plan: Plan) -> None:
    """The fields whose column is not clear: the candidate columns with sample values, and a choice per field.
    A choice plans the file again with it (Options.settle); the import waits until every field is chosen."""
    rec = plan.recognition
    st.warning(t("data.ambiguous", fields=", ".join(field_label(f) for f in rec.ambiguous)))
    columns = sorted({i for candidates in rec.ambiguous.values() for i in candidates})
    rows = plan.sheet.preview[plan.first_data_row : plan.first_data_row + SAMPLE_VALUES]
    table = pd.DataFrame(
        {
            t("data.column"): [rec.headers[i].raw for i in columns],
            t("data.candidate_for"): [
                ", ".join(field_label(f) for f, cands in rec.ambiguous.items() if i in cands) for i in columns
            ],
            t("data.sample_values"): [
                " · ".join(str(row[i]) for row in rows if i < len(row) and row[i] not in (None, "")) for i in columns
            ],
        }
    )
    st.dataframe(table, hide_index=True)
    key = f"settle_value_{index}_{name}"
    for field_name, candidates in rec.ambiguous.items():
        choices = [None, *(rec.headers[i].raw for i in candidates)]
        picked = st.selectbox(
            t("data.ambiguous_field", field=field_label(field_name)),
            choices,
            key=f"settle_{index}_{name}_{field_name}",
            format_func=lambda c: t("data.choose") if c is None else c,
        )
        if picked is not None:
            st.session_state[key] = {**st.session_state.get(key, {}), field_name: picked}
            st.rerun()


def _ask_date_order(index: int, name: str, error: DateOrderError) -> None:
    """A date column every value of which reads both ways: the user says the file's date order (Options.date_order,
    the command line's --date-order) and the file is planned again with it; the import waits until then."""
    st.warning(t("data.date_order", column=md_escape(error.column), sample=md_escape(error.sample)))
    picked = st.radio(
        t("data.date_order_choice"),
        DATE_ORDERS,
        index=None,
        key=f"date_order_{index}_{name}",
        format_func=lambda order: t(f"date_order.{order}"),
        horizontal=True,
    )
    if picked is not None:
        st.session_state[f"date_order_value_{index}_{name}"] = picked
        st.rerun()


def _arrow_rows(prepared: Prepared) -> pa.Table:
    # Files read through the guard come back as Arrow; rows kept in DuckDB are fetched for the preview.
    return prepared.rows if isinstance(prepared.rows, pa.Table) else prepared.rows.to_arrow()


def _period_input(index: int, name: str, plan: Plan, prepared: Prepared | ShopdataError) -> None:
    rec = plan.recognition
    has_row_dates = any(f in rec.mapping for f in ("date", "period_start", "event_time", "event_day", "order_time"))
    if rec.kind not in ("ads", "traffic", "prices") or has_row_dates:
        return
    if plan.period and plan.period_source:
        st.caption(
            t("data.period_found", start=plan.period[0], end=plan.period[1], source=t(f"source.{plan.period_source}"))
        )
    else:
        st.warning(t("data.period_needed"))
    picked = st.date_input(t("data.period"), value=list(plan.period or ()), key=f"period_{index}_{name}")
    if isinstance(picked, (tuple, list)) and len(picked) == 2 and tuple(picked) != plan.period:
        st.session_state[f"period_value_{index}_{name}"] = (picked[0], picked[1])
        st.rerun()


def _currency_input(index: int, name: str, plan: Plan, prepared: Prepared) -> None:
    """Exports that do not say their currency (Shopify analytics) get it from the user."""
    rows = _arrow_rows(prepared)
    said = "currency" in rows.column_names and rows.column("currency").null_count < rows.num_rows
    key = f"currency_{index}_{name}"
    if "currency" in TABLES[plan.recognition.kind].column_names and (not said or st.session_state.get(key)):
        st.text_input(t("data.currency"), key=key, max_chars=3, help=t("data.currency_help"))


def _mapping_editor(index: int, name: str, plan: Plan) -> None:
    rec = plan.recognition
    if rec.headerless:
        return
    headers = [h.raw for h in rec.headers if h.raw.strip()]
    current = rec.mapping_by_header()
    fields = list(rec.layout.fields) or list(current)
    none = t("data.none")
    with st.expander(t("data.mapping")):
        st.caption(t("data.mapping_help"))
        by_label = {field_label(f): f for f in fields}
        table = pd.DataFrame(
            {t("data.field"): list(by_label), t("data.column"): [current.get(f, none) for f in by_label.values()]}
        )
        edited = st.data_editor(
            table,
            hide_index=True,
            key=f"mapping_{index}_{name}",
            disabled=[t("data.field")],
            column_config={t("data.column"): st.column_config.SelectboxColumn(options=[none, *headers])},
        )
        chosen = {
            by_label[label]: c
            for label, c in zip(edited[t("data.field")], edited[t("data.column")], strict=False)
            if c and c != none
        }
        if chosen != current:
            st.session_state[f"mapping_value_{index}_{name}"] = chosen
            st.rerun()


def import_files(states: list[FileState], store: Warehouse, options_for: dict[str, Options]) -> list[FileResult]:
    """Load every planned file, with a progress bar; remembers mappings the user changed."""
    results: list[FileResult] = []
    bar = st.progress(0.0)
    total = max(1, sum(len(s.plans) for s in states))
    done = 0
    for state in states:
        options = options_for[state.sha256]
        for plan, prepared in zip(state.plans, state.prepared, strict=False):
            bar.progress(done / total, t("data.importing", name=md_escape(plan.file_name)))
            if isinstance(prepared, ShopdataError):
                results.append(
                    FileResult(
                        plan.file_name,
                        "rejected",
                        plan.recognition.kind,
                        plan.recognition.platform,
                        error=prepared.as_message(),
                    )
                )
            else:

                def step(fraction: float, _message: str, offset: int = done, name: str = plan.file_name) -> None:
                    bar.progress(min(1.0, (offset + fraction) / total), t("data.importing", name=md_escape(name)))

                try:
                    results.append(load_plan(plan, store, options, progress=step, prepared=prepared))
                    if options.mapping or options.settle:
                        # A column chosen where the page asked is remembered too: the next such file is not asked.
                        chosen = options.mapping or plan.recognition.mapping_by_header()
                        store.remember_mapping(plan.signature, plan.recognition.kind, plan.recognition.platform, chosen)
                except ShopdataError as exc:
                    results.append(
                        FileResult(
                            plan.file_name,
                            "rejected",
                            plan.recognition.kind,
                            plan.recognition.platform,
                            error=exc.as_message(),
                        )
                    )
            done += 1
        if state.error:
            results.append(FileResult(state.name, "rejected", error=state.error))
    bar.progress(1.0)
    bar.empty()
    return results


def show_results(results: list[FileResult]) -> None:
    for result in results:
        if result.status == "loaded":
            st.success(
                t(
                    "data.loaded",
                    file=md_escape(result.file),
                    rows=f"{result.rows_loaded:,}",
                    replaced=f"{result.rows_replaced:,}",
                    skipped=f"{result.rows_skipped:,}",
                    batch=result.batch_id,
                )
            )
            for warning in result.warnings:
                st.caption("ℹ️ " + shown(warning))
        else:
            st.error(t("data.rejected", file=md_escape(result.file), error=shown(result.error)))


ALL_STORES = ""  # the uploads list's "all stores" choice (no store is named "")
CONFIRM_DELETE_KEY = "_confirm_delete"  # the batch whose delete awaits its second click


def batch_list(warehouse: Warehouse, store_name: str | None, can_delete: bool = True) -> None:
    """The uploads of one store (first the one the filters show), or of all, each deletable after a confirmation
    that names the file, the store and the rows it takes away."""
    st.subheader(t("data.batches"))
    labels = filters.store_labels(warehouse.stores())
    options = [*labels, ALL_STORES]
    picked = st.selectbox(
        t("data.batches_of"),
        options,
        index=options.index(store_name if store_name in labels else ALL_STORES),
        key="batches_store",
        format_func=lambda o: t("data.all_stores") if o == ALL_STORES else labels[o],
    )
    source = cache.source(warehouse)
    batches = _batches(source, picked or None)
    if not batches:
        st.info(t("data.no_batches"))
        return
    covered = _covered_days(source, tuple(b["batch_id"] for b in batches))
    frame = pd.DataFrame([{t(f"col.{c}"): _batch_cell(c, b, labels) for c in BATCH_COLUMNS} for b in batches])
    widgets.frame_table(frame, {t(f"col.{c}"): widgets.count_column(t(f"col.{c}")) for c in BATCH_COUNTS})
    for batch in batches:
        batch_id = batch["batch_id"]
        asked = st.session_state.get(CONFIRM_DELETE_KEY) == batch_id
        with st.expander(
            f"{t('data.quality')} — {t('col.batch_id')} {batch_id}: {md_escape(batch['file_name'])}", expanded=asked
        ):
            _quality(batch, covered.get(batch_id, []))
            if not can_delete:
                continue
            if st.button(t("data.delete", batch=batch_id), key=f"delete_{batch_id}"):
                st.session_state[CONFIRM_DELETE_KEY] = batch_id
                st.rerun()
            if asked:
                _confirm_delete(warehouse, batch, labels)


def _confirm_delete(warehouse: Warehouse, batch: dict, labels: dict[str, str]) -> None:
    batch_id, rows = batch["batch_id"], f"{batch['rows_live']:,}"
    store = labels.get(batch["store"], batch["store"])
    st.warning(t("data.delete_ask", file=md_escape(batch["file_name"]), store=md_escape(store), rows=rows))
    yes, no = st.columns(2)
    if yes.button(t("data.delete_yes", rows=rows), key=f"delete_yes_{batch_id}", type="primary"):
        st.session_state.pop(CONFIRM_DELETE_KEY, None)
        removed = warehouse.delete_batch(batch_id)
        st.toast(t("data.deleted", batch=batch_id, rows=removed))
        st.rerun()
    if no.button(t("data.delete_no"), key=f"delete_no_{batch_id}"):
        st.session_state.pop(CONFIRM_DELETE_KEY, None)
        st.rerun()


def _batch_cell(column: str, batch: dict, store_labels: dict[str, str]):
    """Stores, kinds, platforms and reports as the reader calls them, not as the database stores them."""
    value = batch[column]
    if value is None:
        return value
    if column == "store":
        return store_labels.get(value, value)
    if column == "kind":
        return t(f"kind.{value}")
    if column == "platform":
        return widgets.platform_name(value)
    if column == "report":
        return report_title(value, batch.get("mapping") or {}, current_language())
    return value


@cache.cached
def _batches(backend: cache.Source, store: str | None) -> list[dict]:
    """The uploads with their live rows (Warehouse.batches counts every table's rows per upload: 0.15 s at 10M
    events), once per data generation: every load, replace, delete and currency change bumps it."""
    return batches_of(backend.engine, store)


@cache.cached
def _covered_days(backend: cache.Source, batch_ids: tuple[int, ...]) -> dict[int, list]:
    """Each upload's days with daily rows, once per data generation (any upload or delete changes them)."""
    return covered_days_of(backend.engine, batch_ids)


def _quality(batch: dict, days: list) -> None:
    left, right = st.columns(2)
    left.metric(t("col.rows_loaded"), f"{batch['rows_loaded']:,}")
    left.metric(t("col.rows_replaced"), f"{batch['rows_replaced']:,}")
    right.metric(t("col.rows_skipped"), f"{batch['rows_skipped']:,}")
    right.metric(t("col.rows_live"), f"{batch['rows_live']:,}")
    for reason, count in (batch.get("skipped_reasons") or {}).items():
        st.caption(f"{count:,} × {md_escape(reason)}")
    gaps = missing_days(days)
    if days:
        st.caption(
            t("data.gaps", days=", ".join(d.isoformat() for d in gaps[:20]) + (" …" if len(gaps) > 20 else ""))
            if gaps
            else t("data.no_gaps")
        )
    for warning in batch.get("warnings") or []:
        st.caption("ℹ️ " + shown(warning))


def platforms_text() -> str:
    """The platforms whose exports a layout knows, as people call them, in the order of the layout table."""
    # "multi" is a price list across marketplaces, not a platform one exports from.
    named = (layout.platform for layout in LAYOUTS if not layout.generic and layout.platform not in ("other", "multi"))
    codes = dict.fromkeys(named)
    return LIST_SEPARATOR[current_language()].join(widgets.platform_name(code) for code in codes)
