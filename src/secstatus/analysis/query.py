"""Questions about the register on a day: which records are in which stage, what one record says."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Collection

from ..domain.diagnostics import Refusal
from ..register.load import Register
from ..domain.events import KINDS, EventBase
from ..domain.model import RECORD_FOLDERS, Modification, RecordType
from ..domain.timeline import OPEN_STAGES, STAGES, Fold, apply, histories, ordered_events, states_on


class UnknownId(Refusal, LookupError):
    """The id names no record (as raised, as displayed, or by its bare number), or more than one."""


def list_rows(register: Register, as_at: dt.date, stage: str | None = None) -> list[dict[str, Any]]:
    """One row per modification existing on ``as_at``: id, title, stage, status, release."""
    rows = []
    states = states_on(register, as_at)
    for mod in in_order(register):
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


def stage_not_known(register: Register, day: dt.date) -> frozenset[str]:
    """The modifications (by file id) whose stage on ``day`` the register cannot say. A fact known
    only as ``on_or_before`` a later day (and not after ``day`` by its ``on_or_after``) may have
    happened by ``day`` or not; the fold counts it on its bound. When, had it happened on ``day``,
    the modification would stand in another stage that day, its stage on ``day`` is not known."""
    found = set()
    states = states_on(register, day)
    for mod in in_order(register):
        state = states[mod.id]
        if state is None:
            continue
        for event in mod.events:
            if event.exact or event.on_or_before <= day:  # type: ignore[operator]
                continue
            if event.on_or_after is not None and event.on_or_after > day:
                continue
            fold = Fold(mod, state)  # as if it had happened on ``day``, after what the fold holds by then
            if apply(fold, event) is None and fold.now.stage != state.stage:
                found.add(mod.id)
                break
    return frozenset(found)


def in_order(register: Register) -> list[Modification]:
    """The modifications in register order (``sort_key``), sorted once per register."""
    found = register.memo.get("in_order")
    if found is None:
        found = register.memo["in_order"] = sorted(register.modifications.values(), key=sort_key)
    return found


def events_by_kind(register: Register) -> dict[str, list[tuple[Modification, EventBase]]]:
    """Every event with its modification, by kind (every kind has a list), in register order and
    then file order; gathered once per register."""
    found = register.memo.get("events_by_kind")
    if found is None:
        found = register.memo["events_by_kind"] = {kind: [] for kind in KINDS}
        for mod in in_order(register):
            for event in mod.events:
                found[event.kind].append((mod, event))
    return found


def sort_key(mod: Modification) -> tuple[int, str]:
    """Legacy SECMP records first, then DP/MP by number (a letter after the number last)."""
    ident = mod.id
    number = int(_NOT_DIGITS.sub("", ident))
    return (0 if ident.startswith("SECMP") else 1, f"{number:05d}{ident[-1] if ident[-1].isalpha() else ''}")


_NOT_DIGITS = re.compile(r"\D")


def find(register: Register, ident: str) -> Modification:
    """The record for ``ident``: SECMP0007, 7, DP071 or its converted MP071, case-insensitive."""
    found = modification_id(register.modifications, ident)
    if found is None:
        raise UnknownId(f"no modification '{ident.strip().upper()}' in the register ('secstatus list' lists them)")
    return register.modifications[found]


def modification_id(ids: Collection[str], ident: str) -> str | None:
    """Which of ``ids`` (modification file ids) ``ident`` names: SECMP0007, 7, DP071 or its
    converted MP071, case-insensitive; None when it names none."""
    ident = ident.strip().upper()
    if ident in ids:
        return ident
    if ident.isdigit():
        for candidate in (f"SECMP{int(ident):04d}", f"DP{int(ident):03d}", f"MP{int(ident):03d}"):
            if candidate in ids:
                return candidate
    if re.fullmatch(r"(DP|MP)\d{3}", ident):
        for prefix in ("DP", "MP"):
            if prefix + ident[2:] in ids:
                return prefix + ident[2:]
    return None


RECORD_TYPE_NAMES: dict[str, RecordType] = {t.name: t for t in RECORD_FOLDERS.values()}
"""Each record type by the name a ``type:id`` gives it."""


@dataclass(frozen=True)
class RecordFile:
    """One record of the register, found by its id: its type, its file id and its file."""

    type: RecordType
    id: str
    path: Path

    @property
    def label(self) -> str:
        """As ``changes`` and ``history`` name it: 'release 2019-11', 'SEC version 6.11'."""
        return f"{self.type.label} {self.type.says(self.id)}"


def find_record(root: Path, ident: str) -> RecordFile:
    """The one record under the data folder ``root`` that ``ident`` names, of any type.

    A record's id is its file's name without ``.yaml`` (SECMP0058, 2019-11, 6.11,
    2019-05-01-working-group, overrides); a modification also answers to every form ``find``
    takes (7, MP071 for DP071). ``type:id`` (``release:2019-05``, ``sec-version:6.11``) looks in
    one record type only. An id that names records of two types is refused, naming both in the
    ``type:id`` form that picks each.
    """
    prefix, colon, rest = ident.partition(":")
    if colon and prefix in RECORD_TYPE_NAMES:
        types, ident = [RECORD_TYPE_NAMES[prefix]], rest
    elif colon:
        raise UnknownId(f"'{prefix}' in '{ident}' is not a record type; expected one of: "
                        f"{', '.join(RECORD_TYPE_NAMES)}")
    else:
        types = list(RECORD_FOLDERS.values())
    found = [record for record_type in types for record in _named(root, record_type, ident)]
    if not found:
        of_type = f"{types[0].label} " if len(types) == 1 else ""
        raise UnknownId(f"no {of_type}record '{ident}' in the register")
    if len(found) > 1:
        named = " and ".join(f"the {r.label} ('{r.type.name}:{r.id}')" for r in found)
        raise UnknownId(f"'{ident}' names more than one record: {named}; give the one you mean as type:id")
    return found[0]


def _named(root: Path, record_type: RecordType, ident: str) -> list[RecordFile]:
    folder = root / record_type.folder
    stems = {p.stem for p in folder.glob("*.yaml")} if folder.is_dir() else set()
    if record_type.model is Modification:
        stem = modification_id(stems, ident)
    else:
        stem = next((s for s in (ident.strip(), ident.strip().replace(" ", "-")) if s in stems), None)
    return [RecordFile(record_type, stem, folder / f"{stem}.yaml")] if stem else []


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
    from .appendix import dcc_rows
    from .plans import expected_decision, milestone_plans
    from ..report.build import horizon, within_horizon

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
        "assessments": [_assessment_row(mod, state, a, cal, as_at, counted_to) for a in mod.assessments
                        if _known(a, as_at)] if state else [],
        "appendix": [{"table": r.group, "status": r.status, "note": r.note, "added": _iso(r.added),
                      "derived_from": r.derived_from} for r in dcc_rows(mod, history, as_at)],
    }
    plans = milestone_plans(mod, history, as_at, counted_to, cal)
    expected = expected_decision(plans)
    facts["plan"] = [p.as_dict() for p in plans]
    facts["expected_decision"] = expected.current.date.isoformat() if expected else None
    return facts


PAGE_FIELDS = ("lead_analyst", "summary", "issue", "solution", "impacted_parties", "affected_documents")
"""The fields of the SEC's own modification pages that are not dated (``latest_update`` is)."""


def page_fields(mod: Modification, as_at: dt.date) -> dict[str, Any]:
    """The SEC pages' fields as plain data: each as recorded (a list empty when none is held), and
    the latest update only when it is dated by ``as_at`` (None otherwise: it was not yet said)."""
    update = mod.latest_update
    known = update is not None and update.date <= as_at
    return {**{name: getattr(mod, name) for name in PAGE_FIELDS},
            "latest_update": {"date": update.date.isoformat(), "text": update.text} if known else None}  # type: ignore[union-attr]


def _event_row(event) -> dict[str, Any]:
    """An event as plain data: its fields as recorded (an empty list left out) and its words."""
    from ..domain.events import event_words

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
    from .assessments import is_outstanding, row, status_on, target

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

