"""Reading the charts a page drew (AppTest's plotly_chart elements)."""

from __future__ import annotations

import base64

import numpy as np


def values(array) -> list:
    """A trace's values: plotly writes numeric arrays as base64 binary ({"dtype", "bdata"})."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return list(array)
