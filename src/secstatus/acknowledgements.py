"""Warnings a record keeps on purpose: matching acknowledgements to the warnings they excuse.

Rule: a warning is acknowledged when the item it points at (an event, a DCC assessment, or the
modification itself: the warning's ``anchor``) lists an acknowledgement with the warning's code.
It then becomes a note carrying the reason, shown only on request and not failing ``--strict``.
Every acknowledgement must excuse at least one warning on its item: one that excuses none (the
anomaly was corrected, or the code is misspelt, or it names an error, which cannot be
acknowledged) is itself a warning, ``stale-acknowledgement``, so acknowledgements cannot pile up.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterator

from .diagnostics import Diagnostic, warning
from .load import Source
from .model import Modification, Record

Anchor = tuple


def acknowledgements(record: Record) -> Iterator[tuple[Anchor, int, str, str]]:
    """Each acknowledgement of a modification: (its item, its index there, code, reason)."""
    if not isinstance(record, Modification):
        return
    items: list[tuple[Anchor, object]] = [((), record)]
    items += [(("events", i), e) for i, e in enumerate(record.events) if e.acknowledged]
    items += [(("assessments", i), a) for i, a in enumerate(record.assessments) if a.acknowledged]
    for anchor, item in items:
        for index, ack in enumerate(item.acknowledged):  # type: ignore[attr-defined]
            yield anchor, index, ack.code, ack.reason


def apply(diagnostics: list[Diagnostic], loaded: list[tuple[Record, Source]]) -> list[Diagnostic]:
    """The diagnostics with acknowledged warnings turned into notes, plus a warning for each
    acknowledgement that excuses nothing."""
    wanted: dict[tuple[str, Anchor, str], str] = {}
    places: dict[tuple[str, Anchor, str], tuple[Source, tuple]] = {}
    for record, source in loaded:
        for anchor, index, code, reason in acknowledgements(record):
            key = (source.rel, anchor, code)
            wanted.setdefault(key, reason)
            places.setdefault(key, (source, anchor + ("acknowledged", index, "code")))
    used: set[tuple[str, Anchor, str]] = set()
    out = []
    for d in diagnostics:
        key = (d.path, d.anchor, d.code)
        if d.severity == "warning" and key in wanted:
            used.add(key)
            d = replace(d, severity="note", message=f"{d.message} (acknowledged: {wanted[key]})")
        out.append(d)
    for key in wanted.keys() - used:
        source, loc = places[key]
        out.append(warning(source.rel, *source.at(loc), "stale-acknowledgement",
                           f"acknowledges '{key[2]}', but there is no such warning here to acknowledge"))
    return out
