"""The console entry point: the process's tuning, then the command line. The core knows nothing
of it: this is the one module that owns the process.

A loaded register is hundreds of thousands of objects, and the libraries a command imports
(Pydantic, Jinja, WeasyPrint) add as many that live until the process ends. The interpreter's
collections at exit would walk all of them again to find nothing to free, some 10% of the
shipped register's `validate`. So once the command is done, every object then alive is frozen
(``gc.freeze()``, the collector's documented switch for objects that live as long as the
process) and the process leaves by the normal way: exit handlers, flushed streams, the exit
status click gave. (What a command frees as it returns, its register and report, it frees as
any caller would.)

The cyclic collector runs less often in this short-lived process: with its default threshold it
rescans while Pydantic, Jinja and WeasyPrint build their many long-lived objects at start-up,
which costs about a tenth of a PDF run and some 7% of the shipped register's report, freeing next
to nothing (peak memory of the PDF and of a 20,000-record report is the same either way).

No Pydantic plugin runs: secstatus validates a register the same whatever else is installed
beside it. The entry sets Pydantic's documented switch, ``PYDANTIC_DISABLE_PLUGINS=__all__``,
before any model is built, which also spares the scan of every installed package's entry points
(``tests/test_entry.py`` installs a plugin and checks that it never runs).
"""

from __future__ import annotations

import gc
import os

from . import run as command_line

GC_THRESHOLD = 100_000
"""Allocations between two young-generation collections (Python's default: 700)."""

NO_PYDANTIC_PLUGINS = {"PYDANTIC_DISABLE_PLUGINS": "__all__"}
"""Pydantic's own setting that turns every plugin off (read when it builds a model)."""


def run() -> None:
    """``secstatus ...``: the command line (with its last-resort guard against tracebacks, and
    click's handling of errors and exit codes), then a normal exit that skips collecting what
    lives until the end anyway."""
    gc.set_threshold(GC_THRESHOLD, 50, 50)
    os.environ.update(NO_PYDANTIC_PLUGINS)
    try:
        command_line()
    finally:
        gc.freeze()
