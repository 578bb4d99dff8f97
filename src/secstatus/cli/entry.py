"""The console entry point: the process's tuning, the command line, then a leave without tearing
the heap down. The core knows nothing of it: this is the one module that owns the process.

A loaded register is hundreds of thousands of objects; freeing them one by one at exit costs
time and serves nothing, since the process ends anyway. So once the command is done, exit
handlers run and both streams are flushed (all a normal exit would still do that anyone can
see), and the process ends at once with the command's exit status. (What a command frees as
it returns, its register and report, it frees as any caller would.)

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

import atexit
import gc
import os
import sys

from . import run as command_line

GC_THRESHOLD = 100_000
"""Allocations between two young-generation collections (Python's default: 700)."""

NO_PYDANTIC_PLUGINS = {"PYDANTIC_DISABLE_PLUGINS": "__all__"}
"""Pydantic's own setting that turns every plugin off (read when it builds a model)."""


def run() -> None:
    """``secstatus ...``: the command line (with its last-resort guard against tracebacks, and
    click's handling of errors and exit codes), then a fast exit."""
    gc.set_threshold(GC_THRESHOLD, 50, 50)
    os.environ.update(NO_PYDANTIC_PLUGINS)
    try:
        command_line()
        status: object = 0
    except SystemExit as exc:
        status = exc.code
    os._exit(_finish(status))


def _finish(status: object) -> int:
    """What ``sys.exit(status)`` would print and return, with exit handlers run and output flushed."""
    if status is None:
        code = 0
    elif isinstance(status, int):
        code = status
    else:
        print(status, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()  # what a normal exit runs: weakref finalizers, temporary folders
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            # A closed pipe: Python's own exit reports a failed flush of stdout as status 120.
            code = code or 120
    return code
