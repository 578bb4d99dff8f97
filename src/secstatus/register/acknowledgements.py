"""Warnings a record keeps on purpose: matching acknowledgements to the warnings they excuse.

Rule: a warning is acknowledged when the item it points at (an event, a DCC assessment, or the
modification itself: the warning's ``anchor``) lists an acknowledgement with the warning's code.
It then becomes a note carrying the reason, shown only on request and not failing ``--strict``.
Errors cannot be acknowledged, but for those in ``ACKNOWLEDGEABLE_ERRORS``: an event out of the
process's order, in a legacy record whose missing predecessor no source dates. Every
acknowledgement must excuse at least one finding on its item: one that excuses none (the
anomaly was corrected, or the code is misspelt, or it names another error) is itself a warning,
``stale-acknowledgement``, so acknowledgements cannot pile up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ..domain.diagnostics import Diagnostic, warning
from ..domain.events import EventBase
from ..domain.model import Assessment, Modification, Record
from .load import Source

Anchor = tuple

ACKNOWLEDGEABLE_ERRORS = frozenset({"process-order"})
"""Errors a record may acknowledge with a reason (``checks.events_follow_the_process``)."""


def acknowledgements(record: Record) -> Iterator[tuple[Anchor, int, str, str]]:
    """Each acknowledgement of a modification: (its item, its index there, code, reason)."""
    if not isinstance(record, Modification):
        return
    items: list[tuple[Anchor, Modification | EventBase | Assessment]] = [((), record)]
    items += [(("events", i), e) for i, e in enumerate(record.events) if e.acknowledged]
    items += [(("assessments", i), a) for i, a in enumerate(record.assessments) if a.acknowledged]
    for anchor, item in items:
        for index, ack in enumerate(item.acknowledged):
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
        if (d.severity == "warning" or d.code in ACKNOWLEDGEABLE_ERRORS) and key in wanted:
            used.add(key)
            d = replace(d, severity="note", message=f"{d.message} (acknowledged: {wanted[key]})")
        out.append(d)
    for key in wanted.keys() - used:
        source, loc = places[key]
        out.append(
            warning(
                source.rel,
                *source.at(loc),
                "stale-acknowledgement",
                f"acknowledges '{key[2]}', but there is no such warning here to acknowledge",
            )
        )
    return out


def excuse_errors(diagnostics: list[Diagnostic], loaded: list[tuple[Record, Source]]) -> list[Diagnostic]:
    """The diagnostics without the acknowledged errors, for a command that prints no warning nor
    note (``checks.check`` without warnings): only the files with such an error are looked at."""
    paths = {d.path for d in diagnostics if d.code in ACKNOWLEDGEABLE_ERRORS}
    if not paths:
        return diagnostics
    wanted = {
        (source.rel, anchor, code)
        for record, source in loaded
        if source.rel in paths
        for anchor, _, code, _ in acknowledgements(record)
    }
    return [d for d in diagnostics if not (d.code in ACKNOWLEDGEABLE_ERRORS and (d.path, d.anchor, d.code) in wanted)]
