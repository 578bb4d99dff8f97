"""Questions about the register on a day: which records are in which stage, what one record says."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain.diagnostics import Refusal
from ..domain.events import KINDS, EventBase
from ..domain.model import RECORD_FOLDERS, Modification, RecordType
from ..domain.timeline import OPEN_STAGES, STAGES, Fold, apply, states_on
from ..register.load import Register


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
        if (stage == "open" and state.stage not in OPEN_STAGES) or (
            stage not in (None, "open") and state.stage != stage
        ):
            continue
        rows.append(
            {
                "id": state.id,
                "title": mod.title,
                "stage": state.stage,
                "status": state.status,
                "on_hold": state.on_hold,
                "release": state.release,
                "file_id": mod.id,
            }
        )
    return rows


def stage_counts(register: Register, as_at: dt.date) -> dict[str, int]:
    """How many modifications are in each stage on ``as_at``, plus ``open`` (Define+Refine+Opine)."""
    counts: dict[str, int] = dict.fromkeys(STAGES, 0)
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
            if event.date is not None or event.when <= day:
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
        raise UnknownId(
            f"'{prefix}' in '{ident}' is not a record type; expected one of: {', '.join(RECORD_TYPE_NAMES)}"
        )
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


PAGE_FIELDS = ("lead_analyst", "summary", "issue", "solution", "impacted_parties", "affected_documents")
"""The fields of the SEC's own modification pages that are not dated (``latest_update`` is)."""


def page_fields(mod: Modification, as_at: dt.date) -> dict[str, Any]:
    """The SEC pages' fields as plain data: each as recorded (a list empty when none is held), and
    the latest update only when it is dated by ``as_at`` (None otherwise: it was not yet said)."""
    update = mod.latest_update
    if update is not None and update.date > as_at:
        update = None  # not yet said
    return {
        **{name: getattr(mod, name) for name in PAGE_FIELDS},
        "latest_update": {"date": update.date.isoformat(), "text": update.text} if update is not None else None,
    }
