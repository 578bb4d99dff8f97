"""A modification's progression plan on a day: each milestone against its baseline.

Rules:
- a milestone's plans are known from the day each was decided (a baseline without ``decided``,
  as first announced, is known on every day); the first is the baseline, the latest known one is
  the current plan, and those between are re-plans;
- the milestone is met by the first event of its kind recorded on or after its baseline was
  decided (any event of its kind when the baseline gives no day), known on the day asked; it is
  met on time, or late (or early) by N working days against the baseline (``workdays.count``); an
  event known only as "on or before" a day has no slippage that can be counted;
- a milestone not met is *missed* when its current plan's date is before the day the figures
  are counted to (the day asked, or the register's horizon when the day is past it:
  ``report.within_horizon``), *closed* when the modification closed without it (withdrawn,
  rejected, implemented), and else *planned*; the slippage of a milestone not met is its current
  plan's against the baseline, and a missed one is also overdue by the working days from its
  current plan to the day counted to.
Plain data only: the report, the site, ``show`` and ``assess plans`` word it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..domain.events import KINDS, PLANNABLE, EventBase
from ..domain.model import Modification, PlannedMilestone
from ..domain.timeline import History, histories
from ..domain.workdays import Calendar
from .query import in_order


@dataclass(frozen=True)
class MilestonePlan:
    """One milestone of a plan as it stood on a day (see the module's rules)."""

    milestone: str
    baseline: PlannedMilestone
    current: PlannedMilestone
    replans: tuple[PlannedMilestone, ...]  # every known plan after the baseline, in the order decided
    met: EventBase | None  # the event that met it, known on the day
    status: str  # met | missed | planned | closed
    slip_wd: int | None  # against the baseline: the actual date's (met), else the current plan's; + is late
    overdue_wd: int | None  # missed: WD from the current plan's date to the day counted to

    @property
    def actual(self) -> dt.date | None:
        return self.met.when if self.met is not None else None

    def as_dict(self) -> dict[str, Any]:
        """The milestone as plain data (ISO dates), for JSON and the reporters."""
        iso = _iso
        return {
            "milestone": self.milestone,
            "label": KINDS[self.milestone].label,
            "status": self.status,
            "baseline": iso(self.baseline.date),
            "baseline_decided": iso(self.baseline.decided),
            "planned": iso(self.current.date),
            "decided": iso(self.current.decided),
            "note": self.current.note,
            "replans": [{"date": iso(p.date), "decided": iso(p.decided), "note": p.note} for p in self.replans],
            "actual": iso(self.actual),
            "actual_exact": self.met.exact if self.met is not None else None,
            "slip_wd": self.slip_wd,
            "overdue_wd": self.overdue_wd,
        }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def known_plans(mod: Modification, milestone: str, day: dt.date) -> list[PlannedMilestone]:
    """The plans of ``milestone`` known on ``day``, in the order decided."""
    return [p for p in mod.plan if p.milestone == milestone and (p.decided is None or p.decided <= day)]


def meeting_event(mod: Modification, baseline: PlannedMilestone, day: dt.date) -> EventBase | None:
    """The event that meets the milestone, as known on ``day``: the first of its kind on or after the
    day its baseline was decided."""
    for event in mod.events:
        if (
            event.kind == baseline.milestone
            and event.when <= day
            and (baseline.decided is None or event.when >= baseline.decided)
        ):
            return event
    return None


def slip(cal: Calendar, baseline: dt.date, day: dt.date) -> int:
    """Working days ``day`` is after ``baseline`` (negative: before it)."""
    return cal.count(baseline, day)


def milestone_plans(
    mod: Modification, history: History, day: dt.date, counted_to: dt.date, cal: Calendar
) -> list[MilestonePlan]:
    """Each planned milestone of ``mod`` as it stood on ``day``, in the process's order
    (``events.PLANNABLE``); figures are counted to ``counted_to`` (``report.within_horizon``)."""
    state = history.on(day)
    out = []
    for milestone in PLANNABLE:
        plans = known_plans(mod, milestone, day)
        if not plans:
            continue
        baseline, current = plans[0], plans[-1]
        met = meeting_event(mod, baseline, day)
        overdue = None
        if met is not None:
            status = "met"
            slip_wd = slip(cal, baseline.date, met.when) if met.exact else None
        else:
            slip_wd = slip(cal, baseline.date, current.date)
            if state is not None and state.stage == "closed":
                status = "closed"
            elif current.date < counted_to:
                status, overdue = "missed", cal.count(current.date, counted_to)
            else:
                status = "planned"
        out.append(MilestonePlan(milestone, baseline, current, tuple(plans[1:]), met, status, slip_wd, overdue))
    return out


def expected_decision(plans: list[MilestonePlan]) -> MilestonePlan | None:
    """The Authority's expected decision: the plan of ``authority-decision``, while it is not met."""
    return next((p for p in plans if p.milestone == "authority-decision" and p.status in ("planned", "missed")), None)


def plan_rows(register, day: dt.date, counted_to: dt.date, cal: Calendar, every: bool = False) -> list[dict[str, Any]]:
    """``assess plans``: every milestone whose planned date passed with no event by ``counted_to``
    (``every``: every planned milestone, whatever its status), one row each, most overdue first."""
    rows = []
    folded = histories(register)
    for mod in in_order(register):
        if not mod.plan:
            continue
        state = folded[mod.id].on(day)
        for p in milestone_plans(mod, folded[mod.id], day, counted_to, cal):
            if every or p.status == "missed":
                rows.append(
                    {
                        "id": state.id if state else mod.id,
                        "milestone": p.milestone,
                        "status": p.status,
                        "baseline": p.baseline.date.isoformat(),
                        "planned": p.current.date.isoformat(),
                        "actual": _iso(p.actual),
                        "slip_wd": p.slip_wd,
                        "overdue_wd": p.overdue_wd,
                        "title": mod.title,
                        "file_id": mod.id,
                    }
                )
    return rows if every else sorted(rows, key=lambda r: -r["overdue_wd"])
