"""A modification's rows in Appendix A (DCC's assessment and implementation status) on a day.

Appendix A has two columns of DCC status, so a modification has up to two rows (``dcc_rows``):
its *assessment* status (tables 3, 5 and 6: delivery dates, no assessment requested, no further
assessment) and its *implementation* status (table 4). The paper lists SECMP0025 in table 4
("awaiting implementation in Nov’19 release") and in table 6 at once.

What the register records once brings the status that follows from it; only what no recorded
fact settles is typed as a ``dcc-status``. The *deriving facts*, and the row each brings, are the
May 2019 paper's own rows (``tests/test_appendix.py`` derives each of them from its facts):
- a Draft Proposal converted to a Modification Proposal: table 5 "No system impact assessment
  yet requested", status "Awaiting PA request" (SECMP0046's row: in Refine, no PA requested yet);
- a DCC assessment requested and not yet accepted: table 5, "PA requested" or "IA requested"
  (SECMP0067's row, "PA requested, seeking clarification from SECAS");
- a DCC assessment accepted and not yet delivered (nor on hold or not progressed): table 3 "DCC
  Assessment Delivery Dates", "PA in progress" or "IA in progress" (SECMP0010, SECMP0013,
  SECMP0015, SECMP0062);
- a DCC assessment delivered: table 3, "No outstanding assessment request", with the note
  "Awaiting IA request" after a PA (SECMP0007, SECMP0053, SECMP0056) and none after an IA;
- the modification implemented, rejected or withdrawn (the event that closed it, as the timeline
  folds it: a Change Board rejection that only recommends does not close): table 6 "No further
  assessment required by DCC", status "Implemented", "Rejected" or "Withdrawn", date added the day
  it closed (SECMP0043: implemented and added on 23 April 2019). The paper keeps such rows.
A fact decides only with an exact date (an ``on_or_before`` fact cannot be shown to come after a
status); a closing fact outranks an assessment fact of the same day; a fact's row has
``derived_from``, the fact in the register's words, and the report shows it as derived.

Rule for the assessment row (``assessment_row``) on a day: the latest explicit ``dcc-status`` of
the assessment groups dated on or before the day, unless the latest deriving fact by then is
strictly later and does not *agree* with it; then the fact's row. DCC's own wording recorded
after a fact (or on its day) stands. An explicit status agrees with a fact when it says what the
fact says: a closing, with a table 6 status naming it ("Accepted - implemented", "SECMP
withdrawn"); a delivery, with any table 3 status but "<type> in progress"; an acceptance, with
"<type> in progress"; a request, with "<type> requested"; a conversion, with any table 5 status.

Who is listed: a modification is in Appendix A from its first explicit status or its first
deriving fact other than a closing one (a conversion, an assessment milestone); once listed, a
closing fact keeps it listed in table 6. One never listed before it closed is not listed: the
May 2019 paper leaves out SECMP0070, implemented on 26 April 2019 with no DCC status.

Rule for the implementation row (``implementation_row``): the latest explicit status of group
``implementation``, until a closing fact (implemented, rejected, withdrawn) after it, when the
modification no longer awaits implementation and table 4 drops it.

A status no recorded fact settles goes stale (``stale_status``): the row a modification shows
(explicit or derived) in table 3 or 5 predates an exactly dated event that moved it on to Opine
or Release; the register cannot say what DCC's status became (the paper's approved
modifications are in table 4, table 6 or both), so ``validate`` asks for DCC's status
(``dcc-status-stale``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .events import DccStatus, EventBase, event_words, long_date
from .model import Modification
from .timeline import Fold, History, apply, initial_state, ordered_events

NO_FURTHER = "no-further-assessment"
ASSESSMENT = "assessment"
NOT_REQUESTED = "no-assessment-requested"
IMPLEMENTATION = "implementation"
STALE_GROUPS = frozenset({ASSESSMENT, NOT_REQUESTED})
"""The tables whose status a move to Opine or Release leaves unsettled (``stale_status``)."""
MOVED_ON = frozenset({"opine", "release"})


@dataclass(frozen=True)
class DccRow:
    """A modification's Appendix A row: its table (``group``), status, note and date added.

    ``derived_from`` names the register fact the row was derived from; None for a row that is an
    explicit ``dcc-status`` event (``explicit``). ``since`` is the day the row holds from.
    """

    group: str
    status: str
    note: str | None
    added: dt.date | None
    derived_from: str | None = None
    explicit: DccStatus | None = None
    since: dt.date | None = None


@dataclass(frozen=True)
class Fact:
    """A dated register fact that decides Appendix A, with the row it derives.

    ``kind``: 'closing', 'delivered', 'in-progress', 'requested' or 'converted'."""

    day: dt.date
    kind: str
    row: DccRow
    assessment: str | None = None
    """For an assessment fact: 'PA' or 'IA'."""

    @property
    def closing(self) -> bool:
        return self.kind == "closing"

    def agrees(self, status: DccStatus) -> bool:
        """Whether an explicit status already says what this fact says (see the module's rule)."""
        said = status.status.lower()
        if self.kind == "closing":
            return status.group == NO_FURTHER and self.row.status.lower() in said
        if self.kind == "converted":
            return status.group == NOT_REQUESTED
        if self.kind == "requested":
            return f"{self.assessment} requested".lower() in said
        in_progress = f"{self.assessment} in progress".lower()
        if self.kind == "in-progress":
            return in_progress in said
        return status.group == ASSESSMENT and in_progress not in said


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
    found = [*_assessment_facts(mod, day), *_conversion_facts(mod, day)]
    closing, state = _closing_event(mod, history, day), history.on(day)
    if closing is not None and closing.date is not None and state is not None:  # (a closing event is dated)
        found.append(
            Fact(
                closing.date,
                "closing",
                DccRow(NO_FURTHER, state.status, None, closing.date, event_words(closing), since=closing.date),
            )
        )
    return sorted(found, key=lambda f: (f.day, f.closing))


def dcc_rows(mod: Modification, history: History, day: dt.date) -> tuple[DccRow, ...]:
    """The modification's Appendix A rows on ``day``: its assessment row, then its implementation row."""
    latest = latest_statuses(mod, day)
    if latest == (None, None) and not mod.assessments and not mod.is_draft:
        return ()  # no status and nothing that derives one: not listed (most of a register's history)
    rows = (assessment_row(mod, history, day, latest), implementation_row(mod, history, day, latest[1]))
    return tuple(row for row in rows if row)


def assessment_row(
    mod: Modification, history: History, day: dt.date, latest: tuple[Latest, Latest] | None = None
) -> DccRow | None:
    """The modification's row in tables 3, 5 or 6 on ``day`` (see the module's rule); None: no row.
    ``latest``: ``latest_statuses`` on ``day``, when the caller has it."""
    explicit, listed = latest or latest_statuses(mod, day)
    if explicit is not None and not _facts_after(mod, history, day, explicit[1].when):
        return _explicit(explicit[1])  # the usual case, told without working the facts out
    known = facts(mod, history, day)
    if not known:
        return _explicit(explicit[1]) if explicit else None
    deciding = known[-1]
    if explicit is not None:
        status = explicit[1]
        if deciding.day > status.when and not deciding.agrees(status):
            return deciding.row
        return _explicit(status)
    if not deciding.closing:
        return deciding.row
    was_listed = (listed is not None and listed[1].when < deciding.day) or any(not f.closing for f in known)
    return deciding.row if was_listed else None


def implementation_row(mod: Modification, history: History, day: dt.date, explicit: Latest) -> DccRow | None:
    """The modification's row in table 4 on ``day``, from its latest implementation status on that
    day (``explicit``): that status, until the modification closes."""
    if explicit is None:
        return None
    closing = _closing_event(mod, history, day)
    if closing is not None and closing.when > explicit[1].when:
        return None
    return _explicit(explicit[1])


def _explicit(status: DccStatus) -> DccRow:
    return DccRow(
        status.group, status.status, status.note, status.when if status.exact else None, None, status, status.when
    )


@dataclass(frozen=True)
class Stale:
    """A row no recorded fact settles: the row, the explicit status it is (its index; None for a
    derived row), and the event that moved the modification on after it (its index)."""

    row: DccRow
    status_index: int | None
    moved_by: int
    stage: str


def stale_status(mod: Modification, history: History) -> Stale | None:
    """The row the modification shows last, when an exactly dated move to Opine or Release after
    it leaves it unsettled (see the module's rule); None otherwise."""
    latest = latest_statuses(mod, dt.date.max)
    if latest[0] is None and not mod.assessments and not mod.is_draft:
        return None
    row = assessment_row(mod, history, dt.date.max, latest)
    if row is None or row.group not in STALE_GROUPS or row.since is None:
        return None
    before = history.on(row.since)
    if before is None or before.stage == history.final.stage:
        return None  # stages only move on: the same stage at the end means it never left
    fold = Fold(mod, initial_state(mod))
    for index, event in ordered_events(mod):  # the fold again, to find the event that moved it on
        stage = fold.now.stage
        apply(fold, event)
        if event.date is not None and event.date > row.since and fold.now.stage != stage and fold.now.stage in MOVED_ON:
            explicit = latest[0] if row.explicit is not None else None  # an explicit row is the latest status
            return Stale(row, explicit[0] if explicit is not None else None, index, fold.now.stage)
    return None


def _facts_after(mod: Modification, history: History, day: dt.date, since: dt.date) -> bool:
    """Whether the register may hold a deciding fact after ``since`` and by ``day`` (a quick test
    that lets most rows skip working the facts out: no false 'no')."""
    state = history.on(day)
    closed = state.closed_on if state is not None else None
    if closed is not None and since < closed <= day:
        return True
    if mod.is_draft and any(since < e.when <= day for e in mod.events if e.kind == "converted"):
        return True
    return any(since < d <= day for a in mod.assessments for d in (a.delivered, a.accepted, a.requested) if d)


def _closing_event(mod: Modification, history: History, day: dt.date) -> EventBase | None:
    """The dated event that closed the modification by ``day``, as the timeline folded it."""
    state = history.on(day)
    event = state.closed_by if state is not None else None
    return event if event is not None and event.exact else None


def _conversion_facts(mod: Modification, day: dt.date):
    if not mod.is_draft:
        return
    for event in mod.events:
        if event.kind == "converted" and event.date is not None and event.date <= day:
            yield Fact(
                event.date,
                "converted",
                DccRow(NOT_REQUESTED, "Awaiting PA request", None, None, event_words(event), since=event.date),
            )


def _assessment_facts(mod: Modification, day: dt.date):
    for a in mod.assessments:
        if a.delivered is not None and a.delivered <= day:
            note = "Awaiting IA request" if a.type == "PA" else None
            words = f"{a.type} delivered {long_date(a.delivered)}"
            yield Fact(
                a.delivered,
                "delivered",
                DccRow(ASSESSMENT, "No outstanding assessment request", note, None, words, since=a.delivered),
                a.type,
            )
        elif a.status != "in-progress":
            continue  # on hold or not progressed: DCC's own status says what it is
        elif a.accepted is not None and a.accepted <= day:
            words = f"{a.type} accepted {long_date(a.accepted)}"
            yield Fact(
                a.accepted,
                "in-progress",
                DccRow(ASSESSMENT, f"{a.type} in progress", None, None, words, since=a.accepted),
                a.type,
            )
        elif a.requested is not None and a.requested <= day:  # requested, not (yet) accepted by the day
            words = f"{a.type} requested {long_date(a.requested)}"
            yield Fact(
                a.requested,
                "requested",
                DccRow(NOT_REQUESTED, f"{a.type} requested", None, None, words, since=a.requested),
                a.type,
            )
