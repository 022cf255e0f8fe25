"""The ASGI app `make run` and `make serve` start: Streamlit's server for app.py, wrapped in shopdata's edge.

`python -m streamlit run shopdata/ui/asgi.py` finds `app` below and serves it with uvicorn, with every
`--server.*` option as before; the checks themselves live in `shopdata.ui.edge`.
"""

import streamlit as st

from shopdata.ui import edge

app = st.App(edge.APP_SCRIPT, routes=edge.routes(), middleware=edge.middleware())
