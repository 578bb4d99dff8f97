"""The England and Wales working-day calendar of the Smart Energy Code.

Rules:

* A working day (WD) is Monday to Friday, except England and Wales bank holidays (``holidays``,
  country GB, subdivision ENG) and any ``extra_closed`` day. An ``extra_open`` day is a working
  day whatever the rest of the calendar says (it wins over ``extra_closed`` for the same date).
  ``holidays`` also lists weekend dates (Christmas Day on a Sunday beside its weekday
  "(observed)" holiday); those change nothing, since weekends are not working days anyway.
* ``count(a, b)`` counts working days from the day *after* ``a`` up to and *including* ``b``;
  it is negative when ``b`` is before ``a`` (``count(a, b) == -count(b, a)``) and 0 when they
  are the same day. This convention reproduces every DCC target date in the May 2019 Change
  Status Report.
* ``add(a, n)`` is the day ``n`` WD after ``a`` (before it for negative ``n``), always a working
  day when ``n != 0``; ``add(a, 0) == a``. It is the exact inverse: ``count(a, add(a, n)) == n``.
* A date outside the years the calendar was built for raises ``CalendarRangeError``, never a
  wrong answer.

The calendar is built once as prefix sums over day ordinals, so every query is O(1).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from itertools import accumulate, compress

from ..system.cache import read_json, write_json
from .diagnostics import Refusal

FIRST_YEAR = 2010
LAST_YEAR = 2035
_WEEKEND = {5: "Saturday", 6: "Sunday"}
COUNTRY, SUBDIVISION = "GB", "ENG"
"""Whose bank holidays: England and Wales's (the ``holidays`` package's names, and the cache's)."""


class CalendarRangeError(Refusal, ValueError):
    """A date (or a result) outside the years the calendar was built for."""


def bank_holidays(first_year: int, last_year: int) -> dict[dt.date, str]:
    """England and Wales bank holidays, by date, for the years given (inclusive).

    The table is kept in the user cache, keyed by the ``holidays`` release as installed (its
    distribution's version, ``importlib.metadata.version``): importing ``holidays`` and building the
    table cost more than the whole report, so a cached table is used without importing it at all.
    A cached table is used only if its seal holds and it has the table's shape (``_is_table``); any
    other is made afresh.
    """
    release = holidays_release()
    if release is not None:
        cached = read_json(
            _table_name(release, first_year, last_year), shape=lambda value: _is_table(value, first_year, last_year)
        )
        if cached is not None:
            return {dt.date.fromisoformat(day): why for day, why in cached.items()}
    import holidays  # imported only to build the table: the CLI and a cached report start without it

    table = dict(holidays.country_holidays(COUNTRY, subdiv=SUBDIVISION, years=range(first_year, last_year + 1)))
    write_json(
        _table_name(release or holidays.__version__, first_year, last_year),
        {day.isoformat(): why for day, why in table.items()},
    )
    return table


def holidays_release() -> str | None:
    """The installed ``holidays`` distribution's version; None when its metadata cannot be found."""
    try:
        return version("holidays")
    except PackageNotFoundError:
        return None


def _is_table(value, first_year: int, last_year: int) -> bool:
    """A holiday table as ``bank_holidays`` stores it: ISO dates in the years asked, each named by
    one line of printable text."""
    if not isinstance(value, dict):
        return False
    years = set()
    for day, why in value.items():
        if not (
            isinstance(day, str)
            and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day)
            and isinstance(why, str)
            and why.strip()
            and why.isprintable()
            and len(why) <= 200
        ):
            return False
        years.add(dt.date.fromisoformat(day).year)
    return years <= set(range(first_year, last_year + 1))


def _table_name(release: str, first_year: int, last_year: int) -> str:
    return f"holidays-{release}-{COUNTRY}-{SUBDIVISION}-{first_year}-{last_year}.json"


class Calendar:
    """Working days between 1 January ``first_year`` and 31 December ``last_year`` inclusive.

    ``extra_closed`` maps extra non-working days to their reasons; ``extra_open`` maps days to
    treat as working (even at a weekend or on a bank holiday) to their reasons. Override dates
    outside the range are ignored, since no query may touch them.
    """

    def __init__(
        self,
        first_year: int = FIRST_YEAR,
        last_year: int = LAST_YEAR,
        extra_closed: Mapping[dt.date, str] | None = None,
        extra_open: Mapping[dt.date, str] | None = None,
    ):
        if first_year > last_year:
            raise ValueError(f"first_year {first_year} is after last_year {last_year}")
        self.first = dt.date(first_year, 1, 1)
        self.last = dt.date(last_year, 12, 31)
        self.extra_closed = dict(extra_closed or {})
        self.extra_open = dict(extra_open or {})
        self.holidays = bank_holidays(first_year, last_year)
        self._base = self.first.toordinal()
        self._size = self.last.toordinal() - self._base + 1
        flags = self._working_flags()
        # _before[i]: WD strictly before day index i (so _before[i + 1] counts day i itself);
        # _working[k]: day index of the working day numbered k (0-based).
        self._before = [0, *accumulate(flags)]
        self._working = list(compress(range(self._size), flags))

    def _working_flags(self) -> bytearray:
        """One flag per day of the range: 1 for a working day. Weekdays work, then bank holidays
        and extra closed days are closed, then extra open days are opened (so they win)."""
        # Ordinal 1 (1 January of year 1) is a Monday, so (ordinal - 1) % 7 is the weekday.
        first = (self._base - 1) % 7
        week = bytes(1 if (first + i) % 7 < 5 else 0 for i in range(7))
        flags = bytearray(week * (self._size // 7 + 1))[: self._size]
        for days, flag in (((*self.holidays, *self.extra_closed), 0), (self.extra_open, 1)):
            for day in days:
                index = day.toordinal() - self._base
                if 0 <= index < self._size:
                    flags[index] = flag
        return flags

    def _out_of_range(self, day: dt.date) -> CalendarRangeError:
        return CalendarRangeError(
            f"{day.isoformat()} is outside the working-day calendar "
            f"(supported range {self.first.isoformat()} to {self.last.isoformat()})"
        )

    def _index(self, day: dt.date) -> int:
        """Days from the first day of the table; raises CalendarRangeError outside it."""
        index = day.toordinal() - self._base
        if not 0 <= index < self._size:
            raise self._out_of_range(day)
        return index

    def is_working_day(self, day: dt.date) -> bool:
        """True for a working day under the rules above."""
        index = self._index(day)
        return self._before[index + 1] > self._before[index]

    def count(self, start: dt.date, end: dt.date) -> int:
        """WD after ``start`` up to and including ``end``; negative when ``end`` < ``start``."""
        i, j = start.toordinal() - self._base, end.toordinal() - self._base
        if 0 <= i < self._size and 0 <= j < self._size:  # inlined _index: count is the hot path
            return self._before[j + 1] - self._before[i + 1]
        raise self._out_of_range(end if 0 <= i < self._size else start)

    def add(self, start: dt.date, n: int) -> dt.date:
        """The day ``n`` WD after ``start`` (before it for negative ``n``); ``start`` for 0."""
        index = self._index(start)
        if n == 0:
            return start
        # The result is the working day whose 1-based number is (WD up to and including start) + n,
        # so that count(start, result) == n in both directions.
        number = self._before[index + 1] + n - 1
        if not 0 <= number < len(self._working):
            raise CalendarRangeError(
                f"{n} WD from {start.isoformat()} leaves the working-day calendar "
                f"(supported range {self.first.isoformat()} to {self.last.isoformat()})"
            )
        return dt.date.fromordinal(self._base + self._working[number])

    def reason(self, day: dt.date) -> str | None:
        """Why ``day`` is not a working day: the extra_closed reason, "Saturday"/"Sunday", or the
        bank holiday's name. None for a working day."""
        if self.is_working_day(day):
            return None
        if day in self.extra_closed:
            return self.extra_closed[day]
        return _WEEKEND.get(day.weekday()) or self.holidays[day]

    def explain(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
        """(date, reason) for each non-working day in the counted range: (start, end], or
        (end, start] when ``end`` is before ``start``. Its length is the span minus |count|."""
        low, high = sorted((start, end))
        self._index(low), self._index(high)
        days = (low + dt.timedelta(days=i) for i in range(1, (high - low).days + 1))
        return [(day, why) for day in days if (why := self.reason(day)) is not None]


@functools.lru_cache(maxsize=1)
def default_calendar() -> Calendar:
    """The calendar for 2010-2035 with no overrides, built once per process."""
    return Calendar()


def calendar_for(days: list) -> Calendar:
    """The calendar with a register's overrides (``CalendarDay`` records) applied; the cached
    default calendar when there are none."""
    if not days:
        return default_calendar()
    closed = {d.date: d.reason for d in days if not d.working}
    opened = {d.date: d.reason for d in days if d.working}
    return Calendar(extra_closed=closed, extra_open=opened)
