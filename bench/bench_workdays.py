"""Benchmark: the working-day engine's count against numpy.busday_count (goal: ratio <= 0.1).

100,000 random date pairs (fixed seed) in 2016-2024. The engine counts them one by one in a
Python loop; numpy counts them all in one vectorised call with the same England and Wales holiday
list. busday_count(a, b) counts [a, b) when a <= b, so both ends are shifted by one day to give the
engine's (a, b]; when b < a it already counts -(b, a], the engine's convention, so those pairs are
passed unshifted. Both answers are checked to be identical. Timings are best of 5 with time.perf_counter.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time

PAIRS = 100_000
REPEATS = 5
SEED = 20190520
GOAL = 0.1


def best(fn) -> tuple[float, object]:
    times, result = [], None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def random_pairs() -> list[tuple[dt.date, dt.date]]:
    rng = random.Random(SEED)
    low, high = dt.date(2016, 1, 1).toordinal(), dt.date(2024, 12, 31).toordinal()
    pick = lambda: dt.date.fromordinal(rng.randint(low, high))  # noqa: E731
    return [(pick(), pick()) for _ in range(PAIRS)]


def main() -> int:
    try:
        import numpy as np
    except ImportError:
        print("numpy is not installed: nothing to compare against (pip install numpy); skipping.")
        return 0
    from secstatus.domain.workdays import default_calendar

    cal = default_calendar()
    pairs = random_pairs()
    starts = np.array([a for a, _ in pairs], dtype="datetime64[D]")
    ends = np.array([b for _, b in pairs], dtype="datetime64[D]")
    shift = (starts <= ends).astype("timedelta64[D]")  # 1 day for forward pairs, 0 for reversed
    starts, ends = starts + shift, ends + shift
    weekday_holidays = [d for d in cal.holidays if d.weekday() < 5]
    bdcal = np.busdaycalendar(weekmask="1111100", holidays=np.array(weekday_holidays, dtype="datetime64[D]"))

    count = cal.count
    engine_time, engine = best(lambda: [count(a, b) for a, b in pairs])
    numpy_time, vectorised = best(lambda: np.busday_count(starts, ends, busdaycal=bdcal))
    if engine != vectorised.tolist():
        print("MISMATCH: the engine and numpy.busday_count disagree", file=sys.stderr)
        return 1

    # A caller holding one pair at a time (as the report does) calls numpy once per pair.
    sample = 10_000
    one_by_one_time, _ = best(
        lambda: [np.busday_count(s, e, busdaycal=bdcal) for s, e in zip(starts[:sample], ends[:sample], strict=True)]
    )

    engine_us, numpy_us = engine_time / PAIRS * 1e6, numpy_time / PAIRS * 1e6
    single_us = one_by_one_time / sample * 1e6
    print(f"{PAIRS:,} pairs in 2016-2024, best of {REPEATS}; results identical")
    print(f"engine count (Python loop):             {engine_us:.3f} us/pair")
    print(f"numpy.busday_count (vectorised):        {numpy_us:.3f} us/pair")
    print(f"numpy.busday_count (one call per pair): {single_us:.3f} us/pair")
    print(
        f"ratio engine/numpy vectorised: {engine_us / numpy_us:.2f} (goal <= {GOAL}; a Python loop that "
        f"does nothing already costs about as much as numpy's whole vectorised count)"
    )
    print(f"ratio engine/numpy per pair:   {engine_us / single_us:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
