"""The server process's heap: what Python's cycle collector walks on a click.

A full collection walks every object the process holds: the modules, classes and functions of pandas, Ibis,
Plotly and Streamlit, Plotly's validators built on first use, the compiled queries. On `make bench`'s 10M-event
warehouse such a pass came about every eight clicks and took 0.14–0.19 s on its own, a third of a filter change.
After a page's first run in the process — when the imports and one-time builds it needs are done — the garbage is
collected and what is left is frozen (gc.freeze): later full passes walk only what was made since.

Frozen objects are never freed by the cycle collector (reference counting still frees them), so a cycle among
them that later becomes garbage would stay: this is done once per page, after a collection, so only what that
first run left alive is frozen — mostly code, and the results of one view."""

from __future__ import annotations

import gc
import threading

_settled: set[str] = set()
_lock = threading.Lock()


def settle_after_first_run(page: str) -> bool:
    """Collect, then freeze the surviving objects, the first time `page` has run in this process; True when it
    did."""
    with _lock:
        if page in _settled:
            return False
        _settled.add(page)
    gc.collect()
    gc.freeze()
    return True
