"""The working-day calendar: the paper's targets, awkward holidays, and properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secstatus.workdays import Calendar, CalendarRangeError, default_calendar

D = dt.date
CAL = default_calendar()


@pytest.mark.parametrize("start, end, wd", [
    (D(2018, 12, 6), D(2018, 12, 31), 15),   # SECMP0062 PA target
    (D(2019, 3, 20), D(2019, 5, 20), 40),    # SECMP0062 IA target
    (D(2019, 4, 5), D(2019, 4, 23), 10),     # SECMP0043: 10 WD following approval
    (D(2019, 4, 23), D(2019, 4, 5), -10),
    (D(2019, 4, 5), D(2019, 4, 5), 0),
])
def test_counts_from_the_paper(start, end, wd):
    assert CAL.count(start, end) == wd


def test_add_is_the_inverse():
    assert CAL.add(D(2019, 4, 5), 10) == D(2019, 4, 23)
    assert CAL.add(D(2018, 12, 6), 15) == D(2018, 12, 31)
    assert CAL.add(D(2019, 4, 23), -10) == D(2019, 4, 5)
    assert CAL.add(D(2019, 4, 20), 0) == D(2019, 4, 20)


@pytest.mark.parametrize("day, working", [
    (D(2016, 12, 26), False), (D(2016, 12, 27), False), (D(2017, 1, 2), False), (D(2016, 12, 28), True),
    (D(2020, 12, 25), False), (D(2020, 12, 28), False), (D(2020, 12, 29), True),
    (D(2021, 12, 27), False), (D(2021, 12, 28), False), (D(2022, 1, 3), False), (D(2022, 1, 4), True),
    (D(2020, 5, 8), False), (D(2020, 5, 4), True),           # VE Day moved the early May holiday
    (D(2022, 6, 2), False), (D(2022, 6, 3), False), (D(2022, 5, 30), True),   # Platinum Jubilee
    (D(2022, 9, 19), False),                                  # State Funeral
    (D(2019, 4, 22), False),                                  # Easter Monday (England and Wales)
    (D(2019, 8, 26), False),                                  # late summer bank holiday
])
def test_bank_holidays_of_england_and_wales(day, working):
    assert CAL.is_working_day(day) is working


def test_explain_names_what_was_skipped():
    assert CAL.explain(D(2019, 4, 18), D(2019, 4, 23)) == [
        (D(2019, 4, 19), "Good Friday"), (D(2019, 4, 20), "Saturday"),
        (D(2019, 4, 21), "Sunday"), (D(2019, 4, 22), "Easter Monday")]


def test_overrides_close_and_open_days():
    cal = Calendar(extra_closed={D(2019, 4, 24): "office move"}, extra_open={D(2019, 4, 22): "worked"})
    assert cal.count(D(2019, 4, 18), D(2019, 4, 25)) == CAL.count(D(2019, 4, 18), D(2019, 4, 25))
    assert cal.reason(D(2019, 4, 24)) == "office move"
    assert cal.is_working_day(D(2019, 4, 22))


def test_dates_outside_the_table_are_refused():
    with pytest.raises(CalendarRangeError, match="1999-01-01 is outside"):
        CAL.count(D(1999, 1, 1), D(2019, 1, 1))
    with pytest.raises(CalendarRangeError):
        CAL.add(D(2035, 12, 20), 30)


def naive_count(start: dt.date, end: dt.date) -> int:
    low, high, sign = (start, end, 1) if start <= end else (end, start, -1)
    days = (low + dt.timedelta(days=i) for i in range(1, (high - low).days + 1))
    return sign * sum(1 for d in days if d.weekday() < 5 and d not in CAL.holidays)


dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2025, 12, 31))


@settings(max_examples=300, deadline=None)
@given(dates, st.integers(min_value=-500, max_value=500))
def test_count_of_add_is_n(start, n):
    assert CAL.count(start, CAL.add(start, n)) == n


@settings(max_examples=300, deadline=None)
@given(dates, dates, dates)
def test_counts_add_up_over_split_ranges(a, b, c):
    assert CAL.count(a, b) + CAL.count(b, c) == CAL.count(a, c)


@settings(max_examples=200, deadline=None)
@given(dates, dates)
def test_table_agrees_with_a_day_by_day_loop(a, b):
    assert CAL.count(a, b) == naive_count(a, b)
