"""The working-day calendar: the paper's targets, awkward holidays, overrides and properties."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secstatus.domain.workdays import Calendar, CalendarRangeError, default_calendar

D = dt.date
CAL = default_calendar()


@pytest.mark.parametrize(
    "start, end, wd",
    [
        (D(2018, 12, 6), D(2018, 12, 31), 15),  # SECMP0062 PA target
        (D(2019, 3, 20), D(2019, 5, 20), 40),  # SECMP0062 IA target
        (D(2019, 4, 5), D(2019, 4, 23), 10),  # SECMP0043: 10 WD following approval
        (D(2019, 4, 23), D(2019, 4, 5), -10),
        (D(2019, 4, 5), D(2019, 4, 5), 0),
        (D(2019, 4, 20), D(2019, 4, 20), 0),  # same day, not a working day
    ],
)
def test_counts_from_the_paper(start, end, wd):
    assert CAL.count(start, end) == wd


def test_add_is_the_inverse():
    assert CAL.add(D(2019, 4, 5), 10) == D(2019, 4, 23)  # Good Friday and Easter Monday skipped
    assert CAL.add(D(2018, 12, 6), 15) == D(2018, 12, 31)
    assert CAL.add(D(2019, 4, 23), -10) == D(2019, 4, 5)
    assert CAL.add(D(2019, 4, 20), 0) == D(2019, 4, 20)  # 0 WD: the day itself, even a Saturday


def test_add_from_a_non_working_day_lands_on_working_days():
    assert CAL.add(D(2019, 4, 20), 1) == D(2019, 4, 23)  # Saturday before Easter Monday
    # Going back, the last working day on or before the start is the first one counted:
    # (17 Apr, 20 Apr] holds exactly 1 WD (Thursday 18 Apr), so count(20 Apr, 17 Apr) == -1.
    assert CAL.add(D(2019, 4, 20), -1) == D(2019, 4, 17)
    assert CAL.add(D(2019, 4, 23), -1) == D(2019, 4, 18)  # Good Friday and Easter Monday skipped


@pytest.mark.parametrize(
    "day, working",
    [
        (D(2016, 12, 26), False),
        (D(2016, 12, 27), False),
        (D(2017, 1, 2), False),
        (D(2016, 12, 28), True),
        (D(2020, 12, 25), False),
        (D(2020, 12, 28), False),
        (D(2020, 12, 29), True),
        (D(2021, 12, 27), False),
        (D(2021, 12, 28), False),
        (D(2022, 1, 3), False),
        (D(2022, 1, 4), True),
        (D(2020, 5, 8), False),
        (D(2020, 5, 4), True),  # VE Day moved the early May holiday
        (D(2022, 6, 2), False),
        (D(2022, 6, 3), False),
        (D(2022, 5, 30), True),  # Platinum Jubilee
        (D(2022, 9, 19), False),  # State Funeral
        (D(2019, 4, 22), False),  # Easter Monday (England and Wales)
        (D(2019, 8, 26), False),  # late summer bank holiday
        (D(2019, 4, 20), False),
        (D(2019, 4, 21), False),  # a weekend
    ],
)
def test_bank_holidays_of_england_and_wales(day, working):
    assert CAL.is_working_day(day) is working


def test_weekend_christmas_names_the_weekday_not_the_holiday():
    assert CAL.explain(D(2021, 12, 24), D(2021, 12, 28)) == [
        (D(2021, 12, 25), "Saturday"),
        (D(2021, 12, 26), "Sunday"),
        (D(2021, 12, 27), "Christmas Day (observed)"),
        (D(2021, 12, 28), "Boxing Day (observed)"),
    ]


def test_explain_names_what_was_skipped():
    expected = [
        (D(2019, 4, 19), "Good Friday"),
        (D(2019, 4, 20), "Saturday"),
        (D(2019, 4, 21), "Sunday"),
        (D(2019, 4, 22), "Easter Monday"),
    ]
    assert CAL.explain(D(2019, 4, 18), D(2019, 4, 23)) == expected
    assert CAL.explain(D(2019, 4, 23), D(2019, 4, 18)) == expected  # reversed: (b, a]
    assert CAL.explain(D(2019, 4, 18), D(2019, 4, 18)) == []


def test_explain_covers_start_exclusive_end_inclusive():
    assert CAL.explain(D(2019, 4, 19), D(2019, 4, 22)) == [
        (D(2019, 4, 20), "Saturday"),
        (D(2019, 4, 21), "Sunday"),
        (D(2019, 4, 22), "Easter Monday"),
    ]


def test_extra_closed_day_removes_a_working_day():
    cal = Calendar(2018, 2020, extra_closed={D(2019, 4, 24): "office move"})
    assert cal.count(D(2019, 4, 18), D(2019, 4, 25)) == CAL.count(D(2019, 4, 18), D(2019, 4, 25)) - 1
    assert not cal.is_working_day(D(2019, 4, 24))
    assert cal.reason(D(2019, 4, 24)) == "office move"
    assert (D(2019, 4, 24), "office move") in cal.explain(D(2019, 4, 18), D(2019, 4, 25))
    assert cal.add(D(2019, 4, 23), 1) == D(2019, 4, 25)


def test_extra_open_day_adds_a_working_day():
    cal = Calendar(2018, 2020, extra_open={D(2019, 4, 22): "worked", D(2019, 4, 20): "Saturday sitting"})
    assert cal.count(D(2019, 4, 18), D(2019, 4, 23)) == CAL.count(D(2019, 4, 18), D(2019, 4, 23)) + 2
    assert cal.is_working_day(D(2019, 4, 22)) and cal.is_working_day(D(2019, 4, 20))
    assert cal.reason(D(2019, 4, 22)) is None
    assert cal.explain(D(2019, 4, 18), D(2019, 4, 23)) == [(D(2019, 4, 19), "Good Friday"), (D(2019, 4, 21), "Sunday")]
    assert cal.add(D(2019, 4, 18), 1) == D(2019, 4, 20)


def test_extra_open_wins_over_extra_closed():
    day = D(2019, 4, 24)
    cal = Calendar(2019, 2019, extra_closed={day: "closed"}, extra_open={day: "open after all"})
    assert cal.is_working_day(day)


def test_dates_outside_the_table_are_refused():
    with pytest.raises(CalendarRangeError, match=r"1999-01-01 is outside.*2010-01-01 to 2035-12-31"):
        CAL.count(D(1999, 1, 1), D(2019, 1, 1))
    with pytest.raises(CalendarRangeError, match="2036-01-01 is outside"):
        CAL.count(D(2019, 1, 1), D(2036, 1, 1))
    with pytest.raises(CalendarRangeError):
        CAL.add(D(2035, 12, 20), 30)
    with pytest.raises(CalendarRangeError):
        CAL.add(D(2010, 1, 5), -30)
    with pytest.raises(CalendarRangeError):
        CAL.add(D(2009, 12, 31), 0)
    with pytest.raises(CalendarRangeError):
        CAL.is_working_day(D(2036, 1, 1))
    with pytest.raises(CalendarRangeError):
        CAL.explain(D(2035, 12, 1), D(2036, 1, 2))
    assert issubclass(CalendarRangeError, ValueError)


def test_edges_of_the_table_are_answered():
    assert CAL.count(D(2010, 1, 1), D(2035, 12, 31)) > 0
    assert CAL.is_working_day(D(2035, 12, 31))  # a Monday


def test_default_calendar_is_cached():
    assert default_calendar() is default_calendar()


@pytest.mark.slow
def test_holidays_is_not_imported_with_the_module():
    code = "import sys, secstatus.domain.workdays; print('holidays' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def naive_count(start: dt.date, end: dt.date) -> int:
    low, high, sign = (start, end, 1) if start <= end else (end, start, -1)
    days = (low + dt.timedelta(days=i) for i in range(1, (high - low).days + 1))
    return sign * sum(1 for d in days if d.weekday() < 5 and d not in CAL.holidays)


dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2025, 12, 31))


@settings(max_examples=300, deadline=None)
@given(dates, st.integers(min_value=-500, max_value=500))
def test_count_of_add_is_n(start, n):
    end = CAL.add(start, n)
    assert CAL.count(start, end) == n
    assert n == 0 or CAL.is_working_day(end)


@settings(max_examples=300, deadline=None)
@given(dates, dates, dates)
def test_counts_add_up_over_split_ranges(a, b, c):
    assert CAL.count(a, b) + CAL.count(b, c) == CAL.count(a, c)
    assert CAL.count(a, b) == -CAL.count(b, a)


@settings(max_examples=200, deadline=None)
@given(dates, dates)
def test_table_agrees_with_a_day_by_day_loop(a, b):
    assert CAL.count(a, b) == naive_count(a, b)
    assert len(CAL.explain(a, b)) == abs((b - a).days) - abs(CAL.count(a, b))
