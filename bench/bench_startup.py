"""Benchmark: `secstatus --help` against `python -c "import click"` (goal: at most 1.5x).

Both are whole processes, timed best of 15 in the same run.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import best_process  # noqa: E402

REPEATS = 15


def best(argv: list[str]) -> float:
    return best_process(argv, REPEATS)


def main() -> None:
    base = best([sys.executable, "-c", "import click"])
    ours = best([sys.executable, "-m", "secstatus", "--help"])
    print(f"python -c 'import click': {base * 1000:.1f} ms")
    print(f"secstatus --help:         {ours * 1000:.1f} ms")
    print(f"ratio: {ours / base:.2f} (goal <= 1.5)")


if __name__ == "__main__":
    main()
