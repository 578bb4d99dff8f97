"""Benchmark: `secstatus site`, in process, for the shipped register and synthetic ones.

Printed (goals in brackets):
- the shipped register as at 2 May 2019 (75 records, git history of each, the May report's PDF):
  wall time [a few seconds], and the same without the archive (as at 30 April 2019);
- synthetic registers of 1,000 and 5,000 records (bench/synth.py, not in git, no reports): time
  per record, and the 5,000-record figure against the 1,000-record baseline measured in the same
  run [ratio <= 1.3: linear growth].
Each time is the median of the repeats, with the range beside it.

    python bench/bench_site.py [--repeats N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import write_register  # noqa: E402


def build_once(data: Path, out: Path, as_at: dt.date) -> float:
    """Load, check and build the whole site once; seconds of wall time."""
    from secstatus.domain.workdays import calendar_for
    from secstatus.output.render import template_dirs
    from secstatus.register.checks import validate
    from secstatus.site.build import build_site

    start = time.perf_counter()
    register, _ = validate(data)
    build_site(register, data, out, as_at, calendar_for(register.calendar_days), template_dirs(data))
    return time.perf_counter() - start


def timed(data: Path, as_at: dt.date, repeats: int) -> tuple[float, float, float]:
    """Median, fastest and slowest of ``repeats`` builds."""
    with tempfile.TemporaryDirectory() as folder:
        times = [build_once(data, Path(folder) / "site", as_at) for _ in range(repeats)]
    return statistics.median(times), min(times), max(times)


def line(label: str, figures: tuple[float, float, float], per: int = 1) -> str:
    median, low, high = (f / per for f in figures)
    unit, scale = ("ms", 1000) if per > 1 else ("s", 1)
    return f"{label:<48} {median * scale:8.2f} {unit}  (range {low * scale:.2f}–{high * scale:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    build_once(ROOT / "data", Path(tempfile.mkdtemp()) / "warm", dt.date(2019, 4, 30))  # imports, template cache
    print(line("shipped register, as at 2 May 2019", timed(ROOT / "data", dt.date(2019, 5, 2), repeats)))
    print(line("shipped register, as at 30 April 2019 (no PDF)", timed(ROOT / "data", dt.date(2019, 4, 30), repeats)))
    per_record = {}
    for n in (1000, 5000):
        with tempfile.TemporaryDirectory() as folder:
            data = write_register(Path(folder), n)
            figures = timed(data, dt.date(2021, 1, 4), repeats)
        per_record[n] = figures[0] / n
        print(line(f"synthetic {n:,} records, per record", figures, per=n))
    ratio = per_record[5000] / per_record[1000]
    print(f"{'per-record time, 5,000 / 1,000 records':<48} {ratio:8.2f}    (goal <= 1.3: linear)")


if __name__ == "__main__":
    main()
