"""metrics/periods.py behaviours the mutation run (make mutation MODULES=periods) found unchecked: a refused
preset or comparison names what it was given, so a wrong value passed by a page or the CLI is found at once."""

from datetime import date

import pytest

from shopdata.metrics.periods import Period, comparison_period, preset_period


def test_an_unknown_preset_is_refused_by_name() -> None:
    with pytest.raises(ValueError) as refused:
        preset_period("fortnight", date(2026, 11, 22))
    assert str(refused.value) == "unknown period preset 'fortnight'"


def test_an_unknown_comparison_is_refused_by_name() -> None:
    with pytest.raises(ValueError) as refused:
        comparison_period(Period(date(2026, 11, 1), date(2026, 11, 22)), "last_week")
    assert str(refused.value) == "unknown comparison 'last_week'"
