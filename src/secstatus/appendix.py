"""A modification's rows in Appendix A (DCC's assessment and implementation status) on a day.

Appendix A has two columns of DCC status, so a modification has up to two rows (``dcc_rows``):
its *assessment* status (tables 3, 5 and 6: delivery dates, no assessment requested, no further
assessment) and its *implementation* status (table 4), each the latest explicit ``dcc-status``
of its own groups. The paper lists SECMP0025 in table 4 ("awaiting implementation in Nov’19
release") and in table 6 at once.

Rule for the assessment row (``assessment_row``): the row is the latest explicit ``dcc-status``
event of the assessment groups dated on or before the day, unless a *deciding fact* of the register, dated on or before the day and strictly after
that status, contradicts it; then the row is derived from the latest such fact. So a status
recorded once cannot go stale, and DCC's own wording (recorded as an explicit status after the
fact) always wins over the derived one. A modification DCC has never given a status has no row,
whatever its facts: Appendix A lists what DCC lists (the May 2019 paper leaves out SECMP0070,
implemented on 26 April 2019).

The deciding facts, and the row each derives, in the paper's own words (its May 2019 tables):
- implemented: table "No further assessment required by DCC", status "Implemented", date added
  the day it was implemented (as SECMP0043's row: implemented and added on 23 April 2019);
- rejected or withdrawn (the decision or withdrawal that closed it, as the timeline folds it: a
  Change Board rejection that only recommends does not close): the same table, "Rejected" or
  "Withdrawn", added that day; the paper keeps such rows rather than dropping them;
- a DCC assessment delivered: table "DCC Assessment Delivery Dates", status "No outstanding
  assessment request", note "Awaiting IA request" after a PA (the paper's note on each row
  whose PA was delivered: SECMP0007, SECMP0053, SECMP0056), none after an IA;
- a DCC assessment accepted and not yet delivered (nor on hold or not progressed): the same
  table, "PA in progress" or "IA in progress".
A modification whose only explicit status is an implementation one gets an assessment row from a
closing fact after it (SECMP0060, awaiting implementation, once implemented, shows "Implemented").

Rule for the implementation row (``implementation_row``): the latest explicit status of group
``implementation``, until a closing fact (implemented, rejected, withdrawn) after it, when the
modification no longer awaits implementation and table 4 drops it.

An explicit status *agrees* with a fact, and so stands, when it says what the fact says: an
implementation, rejection or withdrawal agrees with a "No further assessment" status naming it
("Accepted - implemented", "SECMP withdrawn"); a delivery with any status in the delivery-dates
table but "<type> in progress"; an acceptance with "<type> in progress". Only facts with an exact
date decide (an ``on_or_before`` fact cannot be shown to come after the status); a closing fact
outranks an assessment fact of the same day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .events import DccStatus, EventBase, event_words, long_date
from .model import Modification
from .timeline import History

NO_FURTHER = "no-further-assessment"
ASSESSMENT = "assessment"


@dataclass(frozen=True)
class DccRow:
    """A modification's Appendix A row: its table (``group``), status, note and date added.

    ``derived_from`` names the register fact the row was derived from; None for a row that is an
    explicit ``dcc-status`` event (``explicit``).
    """

    group: str
    status: str
    note: str | None
    added: dt.date | None
    derived_from: str | None = None
    explicit: DccStatus | None = None


@dataclass(frozen=True)
class Fact:
    """A dated register fact that decides Appendix A, with the row it derives."""

    day: dt.date
    closing: bool
    row: DccRow
    assessment: str | None = None
    """For an assessment fact: 'PA' or 'IA'."""

    def agrees(self, status: DccStatus) -> bool:
        """Whether an explicit status already says what this fact says (see the module's rule)."""
        said = status.status.lower()
        if self.closing:
            return status.group == NO_FURTHER and self.row.status.lower() in said
        in_progress = f"{self.assessment} in progress".lower()
        if self.row.status.lower() == in_progress:
            return in_progress in said
        return status.group == ASSESSMENT and in_progress not in said


IMPLEMENTATION = "implementation"


Latest = tuple[int, DccStatus] | None
"""An explicit status with its index in the file; None: there is none."""


def latest_statuses(mod: Modification, day: dt.date) -> tuple[Latest, Latest]:
    """The latest explicit DCC status on or before ``day`` of the assessment groups, and that of
    the implementation group, each with its index; file order breaks ties. One pass for both."""
    assessment: Latest = None
    implementation: Latest = None
    for index, event in enumerate(mod.events):
        if event.__class__ is not DccStatus:
            continue
        when = event.when
        if when > day:
            continue
        if event.group == IMPLEMENTATION:
            if implementation is None or when >= implementation[1].when:
                implementation = (index, event)
        elif assessment is None or when >= assessment[1].when:
            assessment = (index, event)
    return assessment, implementation


def facts(mod: Modification, history: History, day: dt.date) -> list[Fact]:
    """Every deciding fact on or before ``day``, oldest first (closing facts last on a day)."""
    found = [*_assessment_facts(mod, day)]
    closing = _closing_event(mod, history, day)
    if closing is not None:
        status = history.on(day).status  # type: ignore[union-attr]
        found.append(Fact(closing.date, True,  # type: ignore[arg-type]
                          DccRow(NO_FURTHER, status, None, closing.date, event_words(closing))))
    return sorted(found, key=lambda f: (f.day, f.closing))


def dcc_rows(mod: Modification, history: History, day: dt.date) -> tuple[DccRow, ...]:
    """The modification's Appendix A rows on ``day``: its assessment row, then its implementation row."""
    latest = latest_statuses(mod, day)
    if latest == (None, None):
        return ()  # DCC has given it no status: no row (most of a register's history)
    rows = (assessment_row(mod, history, day, latest), implementation_row(mod, history, day, latest[1]))
    return tuple(row for row in rows if row)


def assessment_row(mod: Modification, history: History, day: dt.date,
                   latest: tuple[Latest, Latest] | None = None) -> DccRow | None:
    """The modification's row in tables 3, 5 or 6 on ``day`` (see the module's rule); None: no row.
    ``latest``: ``latest_statuses`` on ``day``, when the caller has it."""
    explicit, listed = latest or latest_statuses(mod, day)
    if explicit is not None:
        listed = None
    if explicit is None and listed is None:
        return None
    if not _facts_after(mod, history, day, (explicit or listed)[1].when):  # type: ignore[index]
        return _explicit(explicit[1]) if explicit else None
    known = facts(mod, history, day)
    deciding = known[-1] if known else None
    if explicit is None:
        if deciding is not None and deciding.closing and deciding.day > listed[1].when:  # type: ignore[index]
            return deciding.row
        return None
    status = explicit[1]
    if deciding is not None and deciding.day > status.when and not deciding.agrees(status):
        return deciding.row
    return _explicit(status)


def implementation_row(mod: Modification, history: History, day: dt.date, explicit: Latest) -> DccRow | None:
    """The modification's row in table 4 on ``day``, from its latest implementation status on that
    day (``explicit``): that status, until the modification closes."""
    if explicit is None:
        return None
    closing = _closing_event(mod, history, day)
    if closing is not None and closing.when > explicit[1].when:  # type: ignore[attr-defined]
        return None
    return _explicit(explicit[1])


def _explicit(status: DccStatus) -> DccRow:
    return DccRow(status.group, status.status, status.note, status.when if status.exact else None, None, status)


def stale_status(mod: Modification, history: History) -> tuple[int, DccRow] | None:
    """The latest explicit status, when a later fact contradicts it: (its index, the derived row)."""
    latest = latest_statuses(mod, dt.date.max)
    explicit = latest[0]
    if explicit is None:
        return None
    if not _facts_after(mod, history, dt.date.max, explicit[1].when):
        return None  # nothing can contradict it
    row = assessment_row(mod, history, dt.date.max, latest)
    return (explicit[0], row) if row is not None and row.derived_from else None


def _facts_after(mod: Modification, history: History, day: dt.date, since: dt.date) -> bool:
    """Whether the register may hold a deciding fact after ``since`` and by ``day`` (a quick test
    that lets most rows skip working the facts out: no false 'no')."""
    state = history.on(day)
    closed = state.closed_on if state is not None else None
    if closed is not None and since < closed <= day:
        return True
    return any((a.delivered is not None and since < a.delivered <= day)
               or (a.accepted is not None and since < a.accepted <= day) for a in mod.assessments)


def _closing_event(mod: Modification, history: History, day: dt.date) -> EventBase | None:
    """The dated event that closed the modification by ``day``, as the timeline folded it."""
    state = history.on(day)
    event = state.closed_by if state is not None else None
    return event if event is not None and event.exact else None


def _assessment_facts(mod: Modification, day: dt.date):
    for a in mod.assessments:
        if a.delivered is not None and a.delivered <= day:
            note = "Awaiting IA request" if a.type == "PA" else None
            words = f"{a.type} delivered {long_date(a.delivered)}"
            yield Fact(a.delivered, False, DccRow(ASSESSMENT, "No outstanding assessment request", note, None, words),
                       a.type)
        elif a.accepted is not None and a.accepted <= day and a.status == "in-progress":
            words = f"{a.type} accepted {long_date(a.accepted)}"
            yield Fact(a.accepted, False, DccRow(ASSESSMENT, f"{a.type} in progress", None, None, words), a.type)
