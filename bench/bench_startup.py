"""Benchmark: `secstatus --help` against `python -c "import click"` (goal: at most 1.5x).

Both are whole processes, timed best of 15 in the same run.
"""

from __future__ import annotations

import subprocess
import sys
import time

REPEATS = 15


def best(argv: list[str]) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    base = best([sys.executable, "-c", "import click"])
    ours = best([sys.executable, "-m", "secstatus", "--help"])
    print(f"python -c 'import click': {base * 1000:.1f} ms")
    print(f"secstatus --help:         {ours * 1000:.1f} ms")
    print(f"ratio: {ours / base:.2f} (goal <= 1.5)")


if __name__ == "__main__":
    main()
