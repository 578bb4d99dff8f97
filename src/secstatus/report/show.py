"""One modification as the register knew it on a day, as plain data (``secstatus show``, the site's
modification pages).

It reads every layer below: the timeline's state, the DCC assessments' figures, the Appendix A
rows, and the register's horizon (``build.horizon``), past which no figure is computed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..analysis.assessments import is_outstanding, row, status_on, target
from ..analysis.plans import expected_decision, milestone_plans
from ..analysis.query import find, page_fields
from ..domain.appendix import dcc_rows
from ..domain.events import event_words
from ..domain.model import Modification
from ..domain.timeline import histories, ordered_events
from ..register.load import Register
from .build import horizon, within_horizon


def describe(register: Register, ident: str, as_at: dt.date, cal) -> dict[str, Any]:
    """A record's facts and its state on ``as_at``, as the register knew them that day, as plain data.

    Only what was known by the day is in it: the events dated by then (a fact known only
    ``on_or_before`` a day from that day), each with its words (``events.event_words``); the DCC
    assessments known by then, with only the dates reached by then and what each was that day
    (``assessments.status_on``: a delivered one is 'delivered'); its Appendix A rows
    (``appendix.dcc_rows``); its progression plan, each milestone against its baseline
    (``plans.milestone_plans``), and the Authority's expected decision date (the plan of
    ``authority-decision`` while not met). Durations and overdue figures are counted to the day,
    or to the register's horizon when the day is past it (``report.within_horizon``): ``figures_as_at``.
    """
    mod = find(register, ident)
    history = histories(register)[mod.id]
    state = history.on(as_at)
    counted_to = within_horizon(register, as_at, cal)
    facts: dict[str, Any] = {
        "id": state.id if state else mod.id,
        "file_id": mod.id,
        "title": mod.title,
        "proposer": mod.proposer,
        "raised": _iso(mod.raised),
        "route": mod.route,
        "url": mod.url,
        "as_at": as_at.isoformat(),
        "figures_as_at": counted_to.isoformat(),
        "horizon": _iso(horizon(register, cal)),
        "stage": state.stage if state else None,
        "status": state.status if state else "not yet raised",
        "release": state.release if state else None,
        "file": register.source_of(mod).rel,
        **page_fields(mod, as_at),
        "timeline": [_event_row(e) for _, e in ordered_events(mod) if e.when <= as_at],
        "assessments": [
            _assessment_row(mod, state, a, cal, as_at, counted_to) for a in mod.assessments if _known(a, as_at)
        ]
        if state
        else [],
        "appendix": [
            {
                "table": r.group,
                "status": r.status,
                "note": r.note,
                "added": _iso(r.added),
                "derived_from": r.derived_from,
            }
            for r in dcc_rows(mod, history, as_at)
        ],
    }
    plans = milestone_plans(mod, history, as_at, counted_to, cal)
    expected = expected_decision(plans)
    facts["plan"] = [p.as_dict() for p in plans]
    facts["expected_decision"] = expected.current.date.isoformat() if expected else None
    return facts


def _event_row(event) -> dict[str, Any]:
    """An event as plain data: its fields as recorded (an empty list left out) and its words."""
    row = {k: v for k, v in event.model_dump(mode="json", exclude_none=True).items() if v != []}
    row["when"] = ("" if event.exact else "on or before ") + event.when.isoformat()
    row["words"] = event_words(event)
    return row


def _known(a, day: dt.date) -> bool:
    """Whether a DCC assessment was known on ``day``: accepted by then, or requested by then
    (or with neither date held)."""
    known = a.accepted or a.requested
    return known is None or known <= day


def _assessment_row(mod: Modification, state, a, cal, as_at: dt.date, counted_to: dt.date) -> dict[str, Any]:
    """One DCC assessment as it was on ``as_at``, its figures counted to ``counted_to``."""
    item = row(mod, state.id, a, cal, as_at, until=counted_to)
    item["status"] = status_on(a, state.stage, as_at)
    due = target(a, cal)[0]
    late = is_outstanding(a, state.stage, counted_to) and due is not None and due < counted_to
    item["overdue_wd"] = cal.count(due, counted_to) if late else None
    for name in ("title", "url", "id"):
        del item[name]
    return {**item, "source": a.source, "acknowledged": [x.model_dump() for x in a.acknowledged] or None}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
