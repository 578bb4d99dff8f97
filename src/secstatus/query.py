"""Questions about the register on a day: which records are in which stage, what one record says."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .load import Register
from .model import Modification
from .timeline import OPEN_STAGES, STAGES, ordered_events, state_at, states_on


class UnknownId(LookupError):
    """No record has this id (as raised, as displayed, or by its bare number)."""


def list_rows(register: Register, as_at: dt.date, stage: str | None = None) -> list[dict[str, Any]]:
    """One row per modification existing on ``as_at``: id, title, stage, status, release."""
    rows = []
    states = states_on(register, as_at)
    for mod in sorted(register.modifications.values(), key=sort_key):
        state = states[mod.id]
        if state is None:
            continue
        if stage == "open" and state.stage not in OPEN_STAGES or stage not in (None, "open") and state.stage != stage:
            continue
        rows.append({"id": state.id, "title": mod.title, "stage": state.stage, "status": state.status,
                     "on_hold": state.on_hold, "release": state.release, "file_id": mod.id})
    return rows


def stage_counts(register: Register, as_at: dt.date) -> dict[str, int]:
    """How many modifications are in each stage on ``as_at``, plus ``open`` (Define+Refine+Opine)."""
    counts = dict.fromkeys(STAGES, 0)
    for state in states_on(register, as_at).values():
        if state is not None:
            counts[state.stage] += 1
    counts["open"] = sum(counts[s] for s in OPEN_STAGES)
    return counts


def sort_key(mod: Modification) -> tuple[int, str]:
    """Legacy SECMP records first, then DP/MP by number."""
    number = int(re.sub(r"\D", "", mod.id))
    return (0 if mod.id.startswith("SECMP") else 1, f"{number:05d}{mod.id[-1] if mod.id[-1].isalpha() else ''}")


def find(register: Register, ident: str) -> Modification:
    """The record for ``ident``: SECMP0007, 7, DP071 or its converted MP071, case-insensitive."""
    ident = ident.strip().upper()
    if ident in register.modifications:
        return register.modifications[ident]
    if ident.isdigit():
        for candidate in (f"SECMP{int(ident):04d}", f"DP{int(ident):03d}", f"MP{int(ident):03d}"):
            if candidate in register.modifications:
                return register.modifications[candidate]
    if re.fullmatch(r"(DP|MP)\d{3}", ident):
        for prefix in ("DP", "MP"):
            if prefix + ident[2:] in register.modifications:
                return register.modifications[prefix + ident[2:]]
    raise UnknownId(f"no modification '{ident}' in the register")


def describe(register: Register, ident: str, as_at: dt.date) -> dict[str, Any]:
    """A record's facts, its state on ``as_at`` and its whole timeline, as plain data."""
    mod = find(register, ident)
    state = state_at(mod, as_at)
    facts: dict[str, Any] = {
        "id": state.id if state else mod.id,
        "file_id": mod.id,
        "title": mod.title,
        "proposer": mod.proposer,
        "raised": _iso(mod.raised),
        "route": mod.route,
        "url": mod.url,
        "as_at": as_at.isoformat(),
        "stage": state.stage if state else None,
        "status": state.status if state else "not yet raised",
        "release": state.release if state else None,
        "file": register.source_of(mod).rel,
        "timeline": [_event_row(e) for _, e in ordered_events(mod)],
        "assessments": [a.model_dump(mode="json", exclude_none=True) for a in mod.assessments],
    }
    return facts


def _event_row(event) -> dict[str, Any]:
    row = event.model_dump(mode="json", exclude_none=True)
    row["when"] = ("" if event.exact else "on or before ") + event.when.isoformat()
    return row


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None

