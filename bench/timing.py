"""Timing whole processes, pair by pair: the measure every benchmark here reports.

A command is compared with its baseline by running the two in turn (A B, then B A, and so on,
after a warm-up pair), so that both see the same machine at nearly the same moment; the ratio
is taken pair by pair and its median quoted with the min-max range. The time compared is the
process's CPU time (user + system, the kernel's own account of the finished child from
``wait4``, as is its peak memory): on a machine shared with other work, wall time mostly
measures the neighbours, while CPU time is what a quiet machine's wall time would be for these
single-threaded, cached-file runs. Wall time is kept too, and shown beside it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
"""Counted pairs per comparison (BENCH_RUNS); one warm-up pair comes first."""

PYTHON = sys.executable
SECSTATUS = str(Path(sys.executable).with_name("secstatus"))
"""The installed console script: what a user runs, entry point and all."""


@dataclass(frozen=True)
class Run:
    cpu: float
    """User + system seconds."""
    wall: float
    """Seconds."""
    peak: float
    """Peak resident memory, MiB."""


def run(argv: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` once with its output discarded; refuse a non-zero exit (it timed the wrong thing)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=subprocess.DEVNULL, stderr=err, env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            message = err.read()[-2000:].decode(errors="replace")
            raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}: {message}")
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024)


@dataclass(frozen=True)
class Ratio:
    median: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.median:.2f}"

    @property
    def range(self) -> str:
        return f"{self.low:.2f}-{self.high:.2f}"


def ratio_of(values: Sequence[float]) -> Ratio:
    return Ratio(statistics.median(values), min(values), max(values))


@dataclass(frozen=True)
class Pairs:
    a: list[Run]
    b: list[Run]

    @property
    def ratio(self) -> Ratio:
        """A's CPU time over B's, pair by pair."""
        return ratio_of([x.cpu / y.cpu for x, y in zip(self.a, self.b, strict=True)])

    @property
    def wall_ratio(self) -> Ratio:
        return ratio_of([x.wall / y.wall for x, y in zip(self.a, self.b, strict=True)])


def compare(a: Sequence[str], b: Sequence[str], runs: int = RUNS, env_a: dict[str, str] | None = None) -> Pairs:
    """Run A and B in turn, ``runs`` counted pairs after one warm-up pair, alternating which goes first."""
    run(a, env_a), run(b)
    ours, theirs = [], []
    for i in range(runs):
        if i % 2 == 0:
            ours.append(run(a, env_a))
            theirs.append(run(b))
        else:
            theirs.append(run(b))
            ours.append(run(a, env_a))
    return Pairs(ours, theirs)
