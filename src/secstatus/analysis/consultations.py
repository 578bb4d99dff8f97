"""Consultations on a day: the one rule the report's consultation sections, the site's
consultations page, its key dates and its calendar read.

Rules:
- a consultation is an event whose kind has a closing day (``closes``): a Refinement Consultation
  or a Modification Report Consultation (``CONSULTATION_KINDS``, read from the kinds' models);
- it is *open* on a day when it was issued on or before that day (one the register knows only as
  ``on_or_before`` a day: by that day) and closes on or after it; one whose closing day is not
  recorded is never counted open, since nothing says it still is;
- it *closed recently* on a day when its closing day is before that day and no more than
  ``RECENT_MONTHS`` calendar months before it (``recent_since``);
- the working days left on a day are ``workdays.count(day, closes)``: 0 on its closing day.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt

from ..domain.events import KINDS, EventBase
from ..domain.model import Modification
from ..domain.workdays import Calendar
from ..register.load import Register
from .query import events_by_kind

CONSULTATION_KINDS: tuple[str, ...] = tuple(name for name, kind in KINDS.items() if "closes" in kind.model.model_fields)
"""The kinds of event that are consultations: those with a closing day."""

RECENT_MONTHS = 3
"""How far back a consultation that has closed is still listed as recently closed."""


def consultations(register: Register) -> list[tuple[Modification, EventBase]]:
    """Every consultation of the register with its modification, by kind, then in register order."""
    found = events_by_kind(register)
    return [pair for kind in CONSULTATION_KINDS for pair in found[kind]]


def is_open(event: EventBase, day: dt.date) -> bool:
    """Issued by ``day`` and closing on or after it (a consultation without a closing day is not open)."""
    closes = getattr(event, "closes", None)
    return closes is not None and event.when <= day <= closes


def recent_since(day: dt.date) -> dt.date:
    """The first day of the recent past: ``RECENT_MONTHS`` calendar months before ``day`` (the
    month's last day when it is shorter: 31 May → 28 or 29 February)."""
    months = day.year * 12 + day.month - 1 - RECENT_MONTHS
    year, month = divmod(months, 12)
    return dt.date(year, month + 1, min(day.day, month_calendar.monthrange(year, month + 1)[1]))


def closed_recently(event: EventBase, day: dt.date) -> bool:
    """Closed before ``day``, on or after ``recent_since(day)``."""
    closes = getattr(event, "closes", None)
    return closes is not None and recent_since(day) <= closes < day


def open_on(register: Register, day: dt.date) -> list[tuple[Modification, EventBase]]:
    """The consultations open on ``day``, the first to close first (then in register order)."""
    found = [(mod, e) for mod, e in consultations(register) if is_open(e, day)]
    return sorted(found, key=lambda pair: pair[1].closes)  # type: ignore[attr-defined]  # a kind with 'closes'


def recently_closed(register: Register, day: dt.date) -> list[tuple[Modification, EventBase]]:
    """The consultations that closed in the recent past before ``day``, the latest to close first."""
    found = [(mod, e) for mod, e in consultations(register) if closed_recently(e, day)]
    return sorted(found, key=lambda pair: pair[1].closes, reverse=True)  # type: ignore[attr-defined]  # as above


def working_days_left(event: EventBase, day: dt.date, cal: Calendar) -> int:
    """The working days from ``day`` to an open consultation's closing day (0 on that day)."""
    return cal.count(day, event.closes)  # type: ignore[attr-defined]  # a kind with 'closes'
