"""DCC assessment and modification-progression figures, computed from the dates held.

Rules:
- the SEC's timescales (``TARGET_WD``, the one declaration): a PA is due 15 working days (WD)
  after DCC accepted the request, an IA 40 WD after. That *standard* target is derived, never
  stored; an assessment's ``target`` field holds only an *agreed* other date (or, where the
  acceptance date is not held, the target as a source printed it). ``target`` gives the target
  in force and what it rests on: ``standard``, ``agreed`` or ``recorded``;
- an assessment is *outstanding* on a day when it is known by then (accepted by then, or, with
  no acceptance date held, requested by then or undated), DCC had not delivered it by then, it
  is not marked ``not-progressed``, its modification is not closed (implemented, rejected or
  withdrawn) by then, and it is more than a bare request (a request DCC has not accepted has
  no acceptance date and no target);
- it is *open* when it is outstanding and its acceptance date is held: the paper counts those,
  each with its current duration from acceptance to the day; the outstanding ones without an
  acceptance date (the paper's SECMP0010 and SECMP0013 PAs) are counted beside them, with no
  duration. A *completed* one's actual duration runs from acceptance to delivery;
- it is *overdue* when it is outstanding and its target in force is before the day, whether or
  not its acceptance date is held; the overdue figure is the WD from the target to the day;
- the SEC year runs from 1 April; "completed during 2019/20" means delivered from 1 April 2019
  up to the day;
- a modification is *open* (pre-decision) in Define, Refine or Opine; its age runs from the day
  it was raised; it is *closed during the year* when its approving or rejecting decision is
  dated in the year; the duration runs from raised to decision.

A figure that needs a date the register lacks is computed over the records that have it, and
the others are named in ``left_out``: an average is never taken silently over a subset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..domain.model import Assessment, Modification
from ..domain.timeline import OPEN_STAGES, State, states_on
from ..domain.workdays import Calendar
from ..register.load import Register
from .query import in_order

TARGET_WD = {"PA": 15, "IA": 40}
"""The SEC's timescales: how many working days after acceptance DCC delivers each assessment."""


def sec_year_start(day: dt.date) -> dt.date:
    """1 April of the SEC (regulatory) year holding ``day``."""
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def sec_year_label(day: dt.date) -> str:
    """'2019/20' for any day from 1 April 2019 to 31 March 2020."""
    start = sec_year_start(day).year
    return f"{start}/{(start + 1) % 100:02d}"


@dataclass
class Figure:
    """A count and an average duration in WD, with the records the average could not use."""

    count: int = 0
    durations: list[int] = field(default_factory=list)
    left_out: list[dict[str, str]] = field(default_factory=list)

    @property
    def average_wd(self) -> int | None:
        """The mean duration, rounded half up to a whole WD; None when no duration is known."""
        if not self.durations:
            return None
        return int(sum(self.durations) / len(self.durations) + 0.5)

    def as_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "average_wd": self.average_wd,
            "averaged_over": len(self.durations),
            "left_out": self.left_out,
        }


def each_assessment(register: Register, as_at: dt.date) -> Iterator[tuple[Modification, State, Assessment]]:
    """Every assessment of every modification raised by ``as_at``, with its record and the record's
    state on that day, in register order (``in_order``) and then file order."""
    states = states_on(register, as_at)
    for mod in in_order(register):
        state = states[mod.id]
        if state is None:
            continue
        for assessment in mod.assessments:
            yield mod, state, assessment


def standard_target(a: Assessment, cal: Calendar) -> dt.date | None:
    """The SEC's timescale: ``TARGET_WD`` after acceptance; None without an acceptance date."""
    return cal.add(a.accepted, TARGET_WD[a.type]) if a.accepted is not None else None


def target(a: Assessment, cal: Calendar) -> tuple[dt.date | None, str | None]:
    """The target in force and what it rests on: ('standard': derived from the acceptance date;
    'agreed': a recorded date other than the standard; 'recorded': a recorded date with no
    acceptance date to derive the standard from), or (None, None) when neither is held."""
    standard = standard_target(a, cal)
    if a.target is None or a.target == standard:
        return standard, "standard" if standard else None
    return a.target, "agreed" if standard else "recorded"


def is_outstanding(a: Assessment, stage: str, as_at: dt.date) -> bool:
    """Known by ``as_at``, not delivered by then, not marked not-progressed, on an unclosed record,
    and more than a bare request (see the module's rules)."""
    if stage == "closed" or a.status == "not-progressed" or (a.delivered is not None and a.delivered <= as_at):
        return False
    if a.accepted is not None:
        return a.accepted <= as_at
    if a.requested is not None and a.requested > as_at:
        return False
    return a.target is not None  # DCC set a target, so it accepted the request: only the date is not held


def is_open(a: Assessment, stage: str, as_at: dt.date) -> bool:
    """Outstanding with its acceptance date held: the assessments the paper counts, with a duration."""
    return a.accepted is not None and is_outstanding(a, stage, as_at)


def status_on(a: Assessment, stage: str, as_at: dt.date) -> str:
    """What the assessment is on ``as_at``: 'delivered', 'requested' (not yet accepted),
    'in-progress', or as marked ('on-hold', 'not-progressed')."""
    if a.delivered is not None and a.delivered <= as_at:
        return "delivered"
    if a.status != "in-progress":
        return a.status
    if (a.accepted is None and a.target is None) or (a.accepted is not None and a.accepted > as_at):
        return "requested"
    return "in-progress"


def row(
    mod: Modification, display_id: str, a: Assessment, cal: Calendar, as_at: dt.date, until: dt.date | None = None
) -> dict[str, Any]:
    """One assessment as plain data, with its target (and what it rests on), its target duration
    and its current or actual one. ``until``: an earlier day to count an open one's duration to
    (the register's horizon, past which no figure is computed)."""
    delivered = a.delivered if a.delivered is not None and a.delivered <= as_at else None
    end = delivered or min(as_at, until or as_at)
    ran = (
        delivered is not None or a.status != "not-progressed"
    )  # one not progressed has no duration: it ended unrecorded
    duration = cal.count(a.accepted, end) if a.accepted is not None and ran else None
    due, basis = target(a, cal)
    return {
        "id": display_id,
        "title": mod.title,
        "assessment": a.type,
        "requested": _iso(a.requested),
        "accepted": _iso(a.accepted),
        "target": _iso(due),
        "target_basis": basis,
        "delivered": _iso(delivered),
        "target_wd": TARGET_WD[a.type],
        "target_set_wd": cal.count(a.accepted, due) if a.accepted and due else None,
        "duration_wd": duration,
        "duration_from": _iso(a.accepted),
        "duration_to": end.isoformat(),
        "status": a.status,
        "notes": a.notes,
        "url": mod.url,
    }


def overdue(register: Register, as_at: dt.date, cal: Calendar) -> list[dict[str, Any]]:
    """Every assessment outstanding on ``as_at`` whose target in force is before it, most overdue
    first, whether or not its acceptance date is held."""
    rows = []
    for mod, state, a in each_assessment(register, as_at):
        if not is_outstanding(a, state.stage, as_at):
            continue
        due = target(a, cal)[0]
        if due is None or due >= as_at:
            continue
        item = row(mod, state.id, a, cal, as_at)
        item["overdue_wd"] = cal.count(due, as_at)
        rows.append(item)
    return sorted(rows, key=lambda r: -r["overdue_wd"])


def assessment_timescales(register: Register, as_at: dt.date, cal: Calendar) -> dict[str, Any]:
    """The paper's DCC assessment table: open and completed-this-year PAs and IAs, and beside it
    the outstanding ones whose acceptance date is not held (``open_undated``), which have no duration."""
    cal.is_working_day(as_at)  # a day off the calendar is refused (CalendarRangeError) before any figure
    year_start = sec_year_start(as_at)
    figures = {f"{t}_{k}": Figure() for t in ("PA", "IA") for k in ("open", "completed")}
    open_rows: list[dict[str, Any]] = []
    completed_rows: list[dict[str, Any]] = []
    undated_rows: list[dict[str, Any]] = []
    for mod, state, a in each_assessment(register, as_at):
        if is_open(a, state.stage, as_at):
            key, rows = f"{a.type}_open", open_rows
        elif a.delivered is not None and year_start <= a.delivered <= as_at:
            key, rows = f"{a.type}_completed", completed_rows
        else:
            if is_outstanding(a, state.stage, as_at):  # open, but with no acceptance date to count from
                undated_rows.append(row(mod, state.id, a, cal, as_at))
            continue
        item = row(mod, state.id, a, cal, as_at)
        figure = figures[key]
        figure.count += 1
        if item["duration_wd"] is None:
            figure.left_out.append({"id": state.id, "why": f"no acceptance date for its {a.type}"})
        else:
            figure.durations.append(item["duration_wd"])
        rows.append(item)
    return {
        "sec_year": sec_year_label(as_at),
        "as_at": as_at.isoformat(),
        **{k: v.as_dict() for k, v in figures.items()},
        "open": open_rows,
        "completed": completed_rows,
        "open_undated": undated_rows,
    }


def modification_timescales(register: Register, as_at: dt.date, cal: Calendar) -> dict[str, Any]:
    """The paper's modification progression table: open (pre-decision) and closed this SEC year."""
    cal.is_working_day(as_at)  # a day off the calendar is refused (CalendarRangeError) before any figure
    year_start = sec_year_start(as_at)
    open_, closed, undated = Figure(), Figure(), []
    states = states_on(register, as_at)
    for mod in in_order(register):
        state = states[mod.id]
        if state is None:
            continue
        decision = state.decision
        if state.stage in OPEN_STAGES:
            _add(open_, state.id, mod.raised, as_at, cal)
        elif decision is not None and decision.date is not None and year_start <= decision.date <= as_at:
            _add(closed, state.id, mod.raised, decision.date, cal)
        elif decision is not None and decision.date is None and decision.when >= year_start:
            undated.append(state.id)
    return {
        "sec_year": sec_year_label(as_at),
        "as_at": as_at.isoformat(),
        "open": open_.as_dict(),
        "closed": closed.as_dict(),
        "decisions_without_date": undated,
    }


def _add(figure: Figure, ident: str, raised: dt.date | None, end: dt.date, cal: Calendar) -> None:
    figure.count += 1
    if raised is None:
        figure.left_out.append({"id": ident, "why": "date raised not recorded"})
    else:
        figure.durations.append(cal.count(raised, end))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
