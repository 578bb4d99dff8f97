"""A modification's stage and status on any date, folded from its dated events.

Nothing here is stored in the register: the stage on a date is what the events up to that date
make it. That is what lets a past month's report be regenerated exactly.

Rules of the fold, in event order (an undated fact counts from its ``on_or_before`` day; file
order breaks ties):
- a Draft Proposal starts in Define as "Draft Proposal"; a legacy SECMP record in Refine;
- nothing but a DCC status can happen to a closed record, and no event is dated before the
  record was raised;
- each event must happen in a stage its kind allows (``events.Kind.allowed``), and then moves
  the stage and status as its kind's ``effect`` says (see ``events``); an event that breaks
  either rule is a contradiction, noted and otherwise ignored;
- an event whose kind needs another before it (``events.Kind.after``: a decision needs a
  Modification Report) and comes without one is out of the process's order: noted apart
  (``History.out_of_order``, which a record may acknowledge with a reason) and still applied;
- an open record on hold shows "On hold" as its status.
``history`` is the one fold; ``histories``/``states_on`` (one fold per record per register) and the
checks all read it.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Literal, get_args

from .events import KINDS, DecisionBase, Event, EventBase
from .model import Modification, PlannedDate, Release

Stage = Literal["define", "refine", "opine", "release", "closed"]
STAGES: tuple[Stage, ...] = get_args(Stage)
OPEN_STAGES = ("define", "refine", "opine")


@dataclass(frozen=True)
class State:
    """Where a modification stands on a date."""

    id: str
    stage: str
    status: str
    on_hold: bool = False
    release: str | None = None
    decision: DecisionBase | None = None
    closed_by: EventBase | None = None
    """The event that closed the record (its implementation, rejection or withdrawal)."""

    @property
    def closed_on(self) -> dt.date | None:
        return self.closed_by.when if self.closed_by is not None else None

    def shown(self) -> State:
        """The state to show: 'On hold' stands in for the status of an open record on hold."""
        if self.on_hold and self.stage != "closed":
            return replace(self, status="On hold")
        return self


@dataclass
class Fold:
    """The fold in progress: the record, and its state so far (``now``)."""

    mod: Modification
    now: State
    happened: set[str] = field(default_factory=set)
    """The kinds of the events applied so far."""

    def set(self, **changes) -> None:
        now = self.now
        # The fields by position: a fold makes thousands of states, and dataclasses.replace is slow.
        self.now = State(
            changes.get("id", now.id),
            changes.get("stage", now.stage),
            changes.get("status", now.status),
            changes.get("on_hold", now.on_hold),
            changes.get("release", now.release),
            changes.get("decision", now.decision),
            changes.get("closed_by", now.closed_by),
        )


def initial_state(mod: Modification) -> State:
    if mod.is_draft:
        return State(mod.id, "define", "Draft Proposal")
    return State(mod.id, "refine", "Refinement")


def ordered_events(mod: Modification) -> list[tuple[int, Event]]:
    """The events with their index in the file, in date order (file order breaks ties)."""
    return sorted(enumerate(mod.events), key=lambda pair: pair[1].when)


def apply(fold: Fold, event: EventBase) -> str | None:
    """Apply one event to the fold by its kind's declaration; a contradiction is returned, not applied."""
    kind, now = KINDS[event.kind], fold.now
    if now.stage not in kind.allowed:
        if now.stage == "closed":
            return f"'{kind.name}' after the modification was closed ({now.status.lower()})"
        return kind.refusal
    raised = fold.mod.raised
    if raised is not None and event.date is not None and event.date < raised:
        return f"'{kind.name}' on {event.date} is before the modification was raised ({raised})"
    problem = kind.effect(fold, event) if kind.effect else None
    if problem is None:
        fold.happened.add(kind.name)
    return problem


def out_of_order(fold: Fold, event: EventBase) -> str | None:
    """What the process puts before ``event`` (its kind's ``after``) when none of it has happened
    yet, in words that name the fix; None when the event is in order."""
    after = KINDS[event.kind].after
    if not after or not fold.happened.isdisjoint(after):
        return None
    before = " or ".join(f"'{name}'" for name in after)
    return (
        f"'{event.kind}' on {event.when} has no {before} before it, as the process requires "
        "(SEC Section D): record that first, or acknowledge 'process-order' with the reason no source gives it"
    )


@dataclass(frozen=True)
class History:
    """A modification's state after each day that has events, and the contradictions found."""

    raised: dt.date | None
    days: list[dt.date]
    states: list[State]
    problems: list[tuple[int, str]] = field(default_factory=list)
    """(index of the event in the file, what it contradicts)."""
    out_of_order: list[tuple[int, str]] = field(default_factory=list)
    """(index of the event in the file, what the process puts before it that is missing)."""

    def on(self, day: dt.date) -> State | None:
        """The state on ``day``: after the last events dated on or before it; None before raised."""
        if self.raised is not None and self.raised > day:
            return None
        return self.states[bisect.bisect_right(self.days, day)]

    @property
    def final(self) -> State:
        return self.states[-1]


def history(mod: Modification) -> History:
    """Fold every event once, keeping the state as it stood after each day with events."""
    fold = Fold(mod, initial_state(mod))
    days: list[dt.date] = []
    states = [fold.now.shown()]
    problems, unordered = [], []
    for index, event in ordered_events(mod):
        before = fold.now
        missing = out_of_order(fold, event)
        problem = apply(fold, event)
        if problem:
            problems.append((index, problem))
        elif missing:
            unordered.append((index, missing))
        if fold.now is before:
            continue  # a neutral or refused event: no new state to keep
        if days and days[-1] == event.when:
            states[-1] = fold.now.shown()
        else:
            days.append(event.when)
            states.append(fold.now.shown())
    return History(mod.raised, days, states, problems, unordered)


def histories(register) -> dict[str, History]:
    """Every modification's history, by id, folded once per register."""
    found = register.memo.get("histories")
    if found is None:
        found = register.memo["histories"] = {i: history(m) for i, m in register.modifications.items()}
    return found


def reuse_histories(register, earlier) -> None:
    """Fold ``register``'s modifications, taking the histories the ``earlier`` register folded for
    the same records (the same objects: a load with an edit in place reads only the edited files
    again), so that an edit folds only what it changed."""
    folded = earlier.memo.get("histories")
    if folded is not None and "histories" not in register.memo:
        register.memo["histories"] = {
            i: folded[i] if earlier.modifications.get(i) is m else history(m) for i, m in register.modifications.items()
        }


def state_on(register, mod: Modification, day: dt.date) -> State | None:
    """One modification's state on ``day``: from the day's table when ``states_on`` has made one,
    else from its history alone (a table for a day asked about once would cost a fold's lookup
    for every record)."""
    states = register.memo.get(("states", day))
    return states[mod.id] if states is not None else histories(register)[mod.id].on(day)


def states_on(register, day: dt.date) -> dict[str, State | None]:
    """Every modification's state on ``day``, by id."""
    key = ("states", day)
    if key not in register.memo:
        register.memo[key] = {ident: h.on(day) for ident, h in histories(register).items()}
    return register.memo[key]


def plans_by(release: Release, as_at: dt.date) -> list[PlannedDate]:
    """The release's plans decided by ``as_at`` (the first, as announced, has no decision day),
    in the order they were decided (``checks.release_plans_in_order``)."""
    return [plan for plan in release.planned if plan.decided is None or plan.decided <= as_at]


def planned_date(release: Release, as_at: dt.date) -> dt.date | None:
    """The release's date as it stood on ``as_at``: the latest plan decided by then."""
    plans = plans_by(release, as_at)
    return plans[-1].date if plans else None


def release_moves(release: Release, as_at: dt.date) -> list[tuple[PlannedDate | None, PlannedDate]]:
    """Each decided change of the release's date by ``as_at``: (the plan it replaced, or None when
    there was none, the new plan)."""
    plans = plans_by(release, as_at)
    return [(plans[i - 1] if i else None, plan) for i, plan in enumerate(plans) if plan.decided is not None]
