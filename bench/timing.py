"""Timing helpers shared by the benchmarks: best-of-N wall time of a whole process."""

from __future__ import annotations

import subprocess
import time


def best_process(argv: list[str], repeats: int = 3) -> float:
    """The fastest of ``repeats`` runs of ``argv``, in seconds (the least disturbed by a noisy machine)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)
