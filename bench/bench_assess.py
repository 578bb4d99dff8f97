"""Benchmark: `secstatus assess timescales` on a 10,000-record synthetic register against a
process that only loads the same register (goal: ratio <= 1.2). Whole processes, interleaved
pairs, median CPU-time ratio with its range (timing.py).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import write_register
from timing import PYTHON, SECSTATUS, compare


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = write_register(Path(tmp), 10_000)
        load = [
            PYTHON,
            "-c",
            f"from pathlib import Path; from secstatus.register.load import load_register; "
            f"load_register(Path({str(data)!r}))",
        ]
        assess = [SECSTATUS, "--data", str(data), "assess", "timescales", "--as-at", "2019-04-30", "--format", "json"]
        ratio = compare(assess, load).ratio
    print(f"10,000 records: assess timescales / load alone: median {ratio} ({ratio.range}) (goal <= 1.2)")


if __name__ == "__main__":
    main()
