"""The console entry point: run the command line, then leave without tearing the heap down.

A loaded register is hundreds of thousands of objects; freeing them one by one at exit costs
more than a tenth of a run and serves nothing, since the process ends anyway. So once the
command is done, exit handlers run and both streams are flushed (all a normal exit would still
do that anyone can see), and the process ends at once with the command's exit status. A
command hands what it loaded and built to ``keep``, so that its return does not free them
either (about 3% of a 5,000-record report, timed in pairs).

The cyclic collector runs less often in this short-lived process: with its default threshold it
rescans while Pydantic, Jinja and WeasyPrint build their many long-lived objects at start-up,
which costs about a tenth of a PDF run and some 7% of the shipped register's report, freeing next
to nothing (peak memory of the PDF and of a 20,000-record report is the same either way).

No Pydantic plugin runs (as with Pydantic's own PYDANTIC_DISABLE_PLUGINS=__all__): secstatus
validates a register the same whatever else is installed beside it. Pydantic looks for plugins
when it builds its first model, through a loader that imports ``importlib.metadata`` to scan
every installed package's entry points: about 8 ms of every run, 5% of the shipped register's
report (timed in pairs). So, before Pydantic is imported, a stand-in takes that loader's place and answers its
one question, which plugins there are, with none (``tests/test_entry.py`` checks that it answers
everything Pydantic asks of its loader, and that nothing is scanned).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import types

GC_THRESHOLD = 100_000
"""Allocations between two young-generation collections (Python's default: 700)."""

_kept: list[object] | None = None
"""What commands handed to ``keep``; a list only while ``run`` runs the command line."""

PYDANTIC_PLUGIN_LOADER = "pydantic.plugin._loader"
"""The module through which Pydantic finds its plugins (``get_plugins``)."""


def run() -> None:
    """``secstatus ...``: the command line (with its last-resort guard against tracebacks, and
    click's handling of errors and exit codes), then a fast exit."""
    global _kept
    gc.set_threshold(GC_THRESHOLD, 50, 50)
    without_pydantic_plugins()
    _kept = []
    from . import run as command_line

    try:
        command_line()
        status: object = 0
    except SystemExit as exc:
        status = exc.code
    os._exit(_finish(status))


def keep(*objects: object) -> None:
    """Hold ``objects`` until the process ends, when the console entry runs the command (it ends
    the process without freeing them); elsewhere (tests, the command line called as a function)
    this does nothing, so nothing piles up."""
    if _kept is not None:
        _kept.extend(objects)


def without_pydantic_plugins() -> None:
    """Put a loader that finds no plugin in the place of Pydantic's (see the module's docstring),
    unless Pydantic's own is already imported."""
    if PYDANTIC_PLUGIN_LOADER not in sys.modules:
        loader = types.ModuleType(PYDANTIC_PLUGIN_LOADER, "secstatus runs no Pydantic plugin")
        loader.get_plugins = tuple  # type: ignore[attr-defined]  # which plugins? none: ()
        sys.modules[PYDANTIC_PLUGIN_LOADER] = loader


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
