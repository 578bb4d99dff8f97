"""Validation results as data (printed by the ``diagnostics`` reporters in ``reporters.py``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "note"]
"""A note is a warning the register acknowledges (see ``acknowledgements``): shown on request only."""


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding about the register: where it is, how bad, and what is wrong."""

    path: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str
    anchor: tuple = field(default=(), compare=False, repr=False)
    """The item of the record the finding is about (``("events", 2)``; ``()``: the record), where
    an acknowledgement of it would sit. Not printed."""


def error(path: str, line: int, column: int, code: str, message: str, anchor: tuple = ()) -> Diagnostic:
    return Diagnostic(path, line, column, "error", code, message, anchor)


def warning(path: str, line: int, column: int, code: str, message: str, anchor: tuple = ()) -> Diagnostic:
    return Diagnostic(path, line, column, "warning", code, message, anchor)


def fails(diagnostics: Iterable[Diagnostic], strict: bool = False) -> bool:
    """An error fails validation; with ``strict`` an unacknowledged warning does too."""
    return any(d.severity == "error" or (strict and d.severity == "warning") for d in diagnostics)


def shown(diagnostics: Iterable[Diagnostic], acknowledged: bool = False) -> list[Diagnostic]:
    """The findings to print: acknowledged warnings (notes) only when asked for."""
    return [d for d in diagnostics if acknowledged or d.severity != "note"]


class Refusal(Exception):
    """The core refuses a request (an unknown id, a day off the calendar, a month with no data, a
    git or template failure): the command line says why and exits 1. Each module's own refusal
    derives from it, so the command line catches them all without importing those modules."""
