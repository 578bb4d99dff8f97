"""Benchmark: `secstatus validate` on synthetic registers against a bare C-loader parse.

Prints, for 1,000 and 10,000 records, the time of a bare ``yaml.load(text, CSafeLoader)`` of
every file (the baseline, measured in the same run), the time of the whole validation
(positions, models and cross-record checks) and their ratio (goal: at most 1.5), then the peak
memory of each validation in its own process, to show it grows linearly.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import write_register  # noqa: E402

REPEATS = 3


def bare_parse(data: Path) -> None:
    for path in sorted(data.rglob("*.yaml")):
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def full_validate(data: Path) -> None:
    from secstatus.checks import validate

    _, diagnostics = validate(data)
    assert not diagnostics, diagnostics[:3]


def best(func, data: Path) -> float:
    times = []
    for _ in range(REPEATS):
        gc.collect()
        start = time.perf_counter()
        func(data)
        times.append(time.perf_counter() - start)
    return min(times)


def peak_rss_mib(data: Path) -> float:
    code = ("import resource, sys; from secstatus.checks import validate; validate(sys.argv[1]);"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", code.replace("validate(sys.argv[1])",
                                                             "validate(__import__('pathlib').Path(sys.argv[1]))"),
                          str(data)], capture_output=True, text=True, check=True).stdout
    return float(out)


def main() -> None:
    print(f"{'records':>8} {'bare C parse':>13} {'validate':>10} {'ratio':>6}  (goal <= 1.5)")
    peaks = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1_000, 10_000):
            data = write_register(Path(tmp) / str(n), n)
            base = best(bare_parse, data)
            ours = best(full_validate, data)
            print(f"{n:>8} {base:>12.3f}s {ours:>9.3f}s {ours / base:>6.2f}")
            peaks[n] = peak_rss_mib(data)
    growth = peaks[10_000] / peaks[1_000]
    print(f"peak RSS: {peaks[1_000]:.0f} MiB at 1,000 records, {peaks[10_000]:.0f} MiB at 10,000 "
          f"(x{growth:.1f} for x10 records; linear growth stays at or under x10)")


if __name__ == "__main__":
    main()
