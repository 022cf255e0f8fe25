"""The language switch (remembered in the URL as ?lang=) and `t()` for page code."""
from __future__ import annotations

import streamlit as st

from shopdata.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate

LANG_PARAM = "lang"


def current_language() -> str:
    lang = st.query_params.get(LANG_PARAM, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **values: object) -> str:
    return translate(key, current_language(), **values)


def language_switch() -> str:
    current = current_language()
    choice = st.sidebar.radio(translate("app.language", current), list(LANGUAGES), format_func=LANGUAGES.get,
                              index=list(LANGUAGES).index(current), horizontal=True, key="language")
    if choice != current:
        st.query_params[LANG_PARAM] = choice
        st.rerun()
    if choice != DEFAULT_LANGUAGE:
        st.query_params[LANG_PARAM] = choice
    return choice
