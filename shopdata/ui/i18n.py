"""The language switch (remembered in the URL as ?lang=) and `t()` for page code."""

from __future__ import annotations

import threading
from collections.abc import Iterable

import streamlit as st

from shopdata.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate

LANG_PARAM = "lang"
# Streamlit calls a widget's format_func again outside the script run in some paths (AppTest does when
# it sets a value); there is no URL to read then, so the language of the latest run is used.
_latest_language = DEFAULT_LANGUAGE
# The language read in this thread's current script run: a page asks for it for every text it draws (a thousand
# times on the Data page), and reading the URL's parameters each time took a sixth of its warm rerun. Streamlit
# gives each run a new `cursors` dictionary (ScriptRunContext.reset), so a value pinned to the run it was read
# in is never carried into the next run, where a language switch has changed the URL.
_run_language = threading.local()


def current_language() -> str:
    global _latest_language
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return _latest_language
    pinned = getattr(_run_language, "pinned", None)
    if pinned is not None and pinned[0] is ctx and pinned[1] is ctx.cursors:
        return pinned[2]
    lang = st.query_params.get(LANG_PARAM, DEFAULT_LANGUAGE)
    _latest_language = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    _run_language.pinned = (ctx, ctx.cursors, _latest_language)
    return _latest_language


def t(key: str, **values: object) -> str:
    return translate(key, current_language(), **values)


def listed(items: Iterable[str]) -> str:
    """Names listed in a sentence: "a, b" in English, "a、b" in Chinese."""
    return t("ui.list_separator").join(items)


def language_switch() -> str:
    current = current_language()
    choice = st.sidebar.radio(
        translate("app.language", current),
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        index=list(LANGUAGES).index(current),
        horizontal=True,
        key="language",
    )
    if choice != current:
        st.query_params[LANG_PARAM] = choice
        _run_language.pinned = None  # what is left of this run reads the URL again
        st.rerun()
    if choice != DEFAULT_LANGUAGE:
        st.query_params[LANG_PARAM] = choice
    return choice
