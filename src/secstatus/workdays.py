"""The England and Wales working-day calendar.

A working day (WD) is Monday to Friday, except England and Wales bank holidays (``holidays``,
country GB, subdivision ENG) and any extra closed days the register lists; days the register
marks as working count even when the bank-holiday calendar says otherwise.

Counting convention (it reproduces every DCC target date in the May 2019 paper): ``count(a, b)``
counts working days from the day *after* ``a`` up to and *including* ``b``; it is negative when
``b`` is before ``a``. ``add(a, n)`` is the day ``n`` WD after ``a`` (before it for negative
``n``), so ``count(a, add(a, n)) == n``.

Every query is O(1) after building, once, a table of prefix sums over day ordinals.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Mapping

FIRST_YEAR = 2010
LAST_YEAR = 2035
_WEEKEND = {5: "Saturday", 6: "Sunday"}


class CalendarRangeError(ValueError):
    """A date outside the years the calendar was built for."""


class Calendar:
    """Working days between ``first_year`` and ``last_year`` inclusive."""

    def __init__(self, first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR,
                 extra_closed: Mapping[dt.date, str] | None = None,
                 extra_open: Mapping[dt.date, str] | None = None):
        import holidays  # imported here: the CLI starts without it

        self.first = dt.date(first_year, 1, 1)
        self.last = dt.date(last_year, 12, 31)
        self.extra_closed = dict(extra_closed or {})
        self.extra_open = dict(extra_open or {})
        self.holidays = dict(holidays.country_holidays("GB", subdiv="ENG",
                                                       years=range(first_year, last_year + 1)))
        self._base = self.first.toordinal()
        closed = {d.toordinal() for d in (*self.holidays, *self.extra_closed)}
        opened = {d.toordinal() for d in self.extra_open}
        # _working[k]: index (days from first) of working day number k;
        # _before[i]: how many working days fall strictly before day i.
        self._working = [
            i for i, ordinal in enumerate(range(self._base, self.last.toordinal() + 1))
            if ordinal in opened or ((ordinal - 1) % 7 < 5 and ordinal not in closed)  # ordinal 1 is a Monday
        ]
        self._before = [0] * (self.last.toordinal() - self._base + 2)
        for number, index in enumerate(self._working):
            self._before[index + 1] = 1
        for i in range(1, len(self._before)):
            self._before[i] += self._before[i - 1]

    def _index(self, day: dt.date) -> int:
        if not self.first <= day <= self.last:
            raise CalendarRangeError(
                f"{day.isoformat()} is outside the working-day calendar ({self.first} to {self.last})")
        return day.toordinal() - self._base

    def is_working_day(self, day: dt.date) -> bool:
        index = self._index(day)
        return self._before[index + 1] > self._before[index]

    def count(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end`` < ``start``."""
        return self._before[self._index(end) + 1] - self._before[self._index(start) + 1]

    def add(self, start: dt.date, n: int) -> dt.date:
        """The day ``n`` WD after ``start`` (before it for negative ``n``); ``start`` itself for 0."""
        if n == 0:
            return start
        # The result is the working day whose 1-based number is (WD up to and including start) + n;
        # then count(start, result) == n in both directions.
        number = self._before[self._index(start) + 1] + n - 1
        if not 0 <= number < len(self._working):
            raise CalendarRangeError(f"{n} WD from {start} leaves the calendar ({self.first} to {self.last})")
        return dt.date.fromordinal(self._base + self._working[number])

    def reason(self, day: dt.date) -> str | None:
        """Why ``day`` is not a working day (weekday name, holiday name, listed reason); None if it is."""
        if self.is_working_day(day):
            return None
        if day in self.extra_closed:
            return self.extra_closed[day]
        if day.weekday() in _WEEKEND:
            return _WEEKEND[day.weekday()]
        return self.holidays[day]

    def explain(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
        """Each non-working day skipped in the counted range (start, end] (or (end, start])."""
        low, high = sorted((start, end))
        self._index(low), self._index(high)
        days = (low + dt.timedelta(days=i) for i in range(1, (high - low).days + 1))
        return [(day, why) for day in days if (why := self.reason(day)) is not None]


@functools.lru_cache(maxsize=8)
def default_calendar() -> Calendar:
    """The calendar with no register overrides, built once per process."""
    return Calendar()


def calendar_for(days: list) -> Calendar:
    """The calendar with a register's overrides (``CalendarDay`` records) applied."""
    if not days:
        return default_calendar()
    closed = {d.date: d.reason for d in days if not d.working}
    opened = {d.date: d.reason for d in days if d.working}
    return Calendar(extra_closed=closed, extra_open=opened)
