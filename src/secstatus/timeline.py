"""A modification's stage and status on any date, folded from its dated events.

Nothing here is stored in the register: the stage on a date is what the events up to that date
make it. That is what lets a past month's report be regenerated exactly.

Rules of the fold, in event order (an undated fact counts from its ``on_or_before`` day):
- a Draft Proposal starts in Define and moves to Refine when ``converted`` (displayed MPnnn);
  a legacy SECMP record starts in Refine;
- ``report-approved`` moves Refine to Opine;
- an approving decision moves to Release, a rejecting one to Closed; a Change Board vote is the
  decision only under Self-Governance, otherwise a recommendation to the Authority;
- ``implemented`` and ``withdrawn`` close the record; ``on-hold``/``resumed`` set a flag that
  leaves the stage as it is.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field, replace

from .model import DECISION_KINDS, DecisionBase, Modification, Release

STAGES = ("define", "refine", "opine", "release", "closed")
OPEN_STAGES = ("define", "refine", "opine")
NEUTRAL_KINDS = frozenset({"working-group", "report-to-panel", "dcc-status"})


@dataclass(frozen=True)
class State:
    """Where a modification stands on a date."""

    id: str
    stage: str
    status: str
    on_hold: bool = False
    release: str | None = None
    decision: DecisionBase | None = None
    closed_on: dt.date | None = None


@dataclass
class _Fold:
    """The fold in progress: the state so far (``now``) and the events that contradicted it."""

    mod: Modification
    now: State
    problems: list[tuple[int, str]] = field(default_factory=list)

    def set(self, **changes) -> None:
        self.now = replace(self.now, **changes)

    def state(self) -> State:
        """The state to show: 'On hold' stands in for the status of an open record on hold."""
        if self.now.on_hold and self.now.stage != "closed":
            return replace(self.now, status="On hold")
        return self.now


def _start(mod: Modification) -> _Fold:
    if mod.is_draft:
        return _Fold(mod, State(mod.id, "define", "Draft Proposal"))
    return _Fold(mod, State(mod.id, "refine", "Refinement"))


def ordered_events(mod: Modification) -> list[tuple[int, object]]:
    """The events with their index in the file, in date order (file order breaks ties)."""
    return sorted(enumerate(mod.events), key=lambda pair: pair[1].when)  # type: ignore[attr-defined]


def fold(mod: Modification, as_at: dt.date | None = None) -> _Fold:
    """Apply the events up to ``as_at`` (all when None), noting those that contradict the story."""
    state = _start(mod)
    for index, event in ordered_events(mod):
        if as_at is not None and event.when > as_at:  # type: ignore[attr-defined]
            break
        problem = _apply(state, event)
        if problem:
            state.problems.append((index, problem))
    return state


@dataclass(frozen=True)
class History:
    """A modification's state after each day that has events, for lookups on any date."""

    raised: dt.date | None
    days: list[dt.date]
    states: list[State]

    def on(self, day: dt.date) -> State | None:
        """The state on ``day``: after the last events dated on or before it; None before raised."""
        if self.raised is not None and self.raised > day:
            return None
        return self.states[bisect.bisect_right(self.days, day)]


def history(mod: Modification) -> History:
    """Fold every event once, keeping the state as it stood after each day with events."""
    state = _start(mod)
    days: list[dt.date] = []
    states = [state.state()]
    for _, event in ordered_events(mod):
        if event.kind in NEUTRAL_KINDS:
            continue  # they change no state; skipping them keeps the history short
        _apply(state, event)
        if days and days[-1] == event.when:
            states[-1] = state.state()
        else:
            days.append(event.when)
            states.append(state.state())
    return History(mod.raised, days, states)


def states_on(register, day: dt.date) -> dict[str, State | None]:
    """Every modification's state on ``day``, by id; each record's events are folded once per register."""
    key = ("states", day)
    if key not in register.memo:
        histories = register.memo.get("histories")
        if histories is None:
            histories = register.memo["histories"] = {i: history(m) for i, m in register.modifications.items()}
        register.memo[key] = {ident: h.on(day) for ident, h in histories.items()}
    return register.memo[key]


def state_at(mod: Modification, as_at: dt.date) -> State | None:
    """The modification's state on ``as_at``; None before it was raised."""
    if mod.raised is not None and mod.raised > as_at:
        return None
    return fold(mod, as_at).state()


def _apply(s: _Fold, event) -> str | None:  # noqa: C901 - one branch per event kind reads best
    kind, now = event.kind, s.now
    if kind == "dcc-status":
        return None
    if now.stage == "closed":
        return f"'{kind}' after the modification was closed ({now.status.lower()})"
    if s.mod.raised is not None and event.exact and event.date < s.mod.raised:
        return f"'{kind}' on {event.date} is before the modification was raised ({s.mod.raised})"
    if kind == "converted":
        if not s.mod.is_draft or now.stage != "define":
            return "only a Draft Proposal in Define can be converted"
        s.set(id="MP" + s.mod.id[2:], stage="refine", status="Refinement")
    elif kind == "csc-decision":
        if now.stage != "define":
            return "a Change Sub-Committee decision is for Draft Proposals in Define"
        s.set(status="Further development" if event.outcome == "further-development" else "Ready for conversion")
    elif kind in ("working-group", "refinement-consultation", "report-to-panel"):
        if now.stage == "define":
            return f"'{kind}' before the Draft Proposal was converted"
        if kind == "refinement-consultation":
            s.set(status="Refinement Consultation")
    elif kind == "report-approved":
        if now.stage != "refine":
            return "the Modification Report can only be approved in Refine"
        s.set(stage="opine", status="Report Phase")
    elif kind == "report-consultation":
        if now.stage != "opine":
            return "a Modification Report Consultation needs an approved Modification Report"
        s.set(status="Modification Report Consultation")
    elif kind in DECISION_KINDS:
        return _decide(s, event)
    elif kind == "release-assigned":
        if now.stage != "release":
            return "a release can only be assigned to an approved modification"
        s.set(release=event.release)
    elif kind == "implemented":
        if now.stage != "release":
            return "implemented before it was approved"
        s.set(stage="closed", status="Implemented", closed_on=event.when)
    elif kind == "withdrawn":
        s.set(stage="closed", status="Withdrawn", closed_on=event.when)
    elif kind in ("on-hold", "resumed"):
        if now.on_hold == (kind == "on-hold"):
            return "put on hold while already on hold" if now.on_hold else "resumed while not on hold"
        s.set(on_hold=kind == "on-hold")
    return None


def _decide(s: _Fold, event: DecisionBase) -> str | None:
    now = s.now
    if now.stage == "define":
        return "a Draft Proposal must be converted before it is decided"
    if now.stage == "release":
        return f"a second decision: already approved ({now.decision.kind} on {now.decision.when})"  # type: ignore[union-attr]
    if event.kind == "change-board-vote" and s.mod.route not in (None, "self-governance"):
        verdict = "approval" if event.outcome == "approved" else "rejection"
        s.set(stage="opine", status=f"Change Board recommended {verdict}")
    elif event.outcome == "approved":
        s.set(decision=event, stage="release", status="Approved – awaiting implementation", release=event.release)
    else:
        s.set(decision=event, stage="closed", status="Rejected", closed_on=event.when)
    return None


def planned_date(release: Release, as_at: dt.date) -> dt.date | None:
    """The release's date as it stood on ``as_at``: the latest plan decided by then."""
    current = None
    for plan in release.planned:
        if plan.decided is None or plan.decided <= as_at:
            current = plan.date
    return current
