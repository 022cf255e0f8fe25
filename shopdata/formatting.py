"""Numbers as people read them: money with its currency, percentages, counts, changes."""
from __future__ import annotations

import math

CURRENCY_SYMBOLS = {"CNY": "¥", "USD": "$", "GBP": "£", "EUR": "€", "INR": "₹", "JPY": "¥", "CAD": "CA$",
                    "AUD": "A$", "MXN": "MX$", "BRL": "R$", "SGD": "S$", "HKD": "HK$"}


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(value: float | None, unit: str, currency: str | None = None) -> str:
    """unit: count, money, percent, ratio."""
    if _missing(value):
        return "—"
    if unit == "money":
        symbol = CURRENCY_SYMBOLS.get(currency or "", "")
        text = f"{abs(value):,.2f}"
        sign = "-" if value < 0 else ""
        return f"{sign}{symbol}{text}" if symbol else f"{sign}{text}{' ' + currency if currency else ''}"
    if unit == "percent":
        return f"{value:.2%}"
    if unit == "ratio":
        return f"{value:,.2f}"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def format_change(change: float | None) -> str:
    if _missing(change):
        return "—"
    return f"{change:+.1%}"


def plotly_format(unit: str, currency: str | None = None) -> tuple[str, str]:
    """(d3 number format, prefix) for chart axes and hover labels."""
    if unit == "percent":
        return ".2%", ""
    if unit == "money":
        return ",.2f", CURRENCY_SYMBOLS.get(currency or "", "")
    if unit == "ratio":
        return ",.2f", ""
    return ",.0f", ""
