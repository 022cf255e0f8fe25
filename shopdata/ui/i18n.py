"""The language switch (remembered in the URL as ?lang=) and `t()` for page code."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from shopdata.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate

LANG_PARAM = "lang"
# Streamlit calls a widget's format_func again outside the script run in some paths (AppTest does when
# it sets a value); there is no URL to read then, so the language of the latest run is used.
_latest_language = DEFAULT_LANGUAGE


def current_language() -> str:
    global _latest_language
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:
        return _latest_language
    lang = st.query_params.get(LANG_PARAM, DEFAULT_LANGUAGE)
    _latest_language = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
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
        st.rerun()
    if choice != DEFAULT_LANGUAGE:
        st.query_params[LANG_PARAM] = choice
    return choice
