"""A synthetic register of N realistic records, for benchmarks.

Each modification file looks like the shipped ones (about 50 lines: facts, a dozen events,
two assessments); releases and meetings are written so that every reference resolves.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

RELEASES = ("2019-06", "2019-11", "2020-06", "2020-11")


def write_register(root: Path, n: int, seed: int = 2019) -> Path:
    """Write ``n`` modification records plus their releases and meetings under ``root/data``."""
    rng = random.Random(seed)
    data = root / "data"
    for folder in ("modifications", "releases", "meetings", "reports", "sec-versions", "calendar"):
        (data / folder).mkdir(parents=True, exist_ok=True)
    for i, release in enumerate(RELEASES):
        (data / "releases" / f"{release}.yaml").write_text(
            f"id: {release}\nname: Release {release}\nplanned:\n  - date: {release}-{20 + i}\n")
    meetings: set[tuple[dt.date, str]] = set()
    for i in range(n):
        text, days = modification(i, rng)
        meetings.update(days)
        (data / "modifications" / f"SECMP{i:04d}.yaml").write_text(text)
    for day, body in sorted(meetings):
        (data / "meetings" / f"{day}-{body}.yaml").write_text(f"body: {body}\ndate: {day}\n")
    return data


def modification(i: int, rng: random.Random) -> tuple[str, list[tuple[dt.date, str]]]:
    raised = dt.date(2016, 1, 4) + dt.timedelta(days=rng.randrange(0, 900))
    day = raised
    wg_days = []
    lines = [f"# Synthetic record {i}", f"id: SECMP{i:04d}", f"title: Synthetic modification number {i} about smart metering",
             "proposer: Example Energy Ltd", f"raised: {raised}", "route: self-governance",
             f"url: https://example.org/modifications/{i}/", "events:"]
    for _ in range(rng.randrange(8, 13)):
        day += dt.timedelta(days=rng.randrange(20, 40))
        while day.weekday() != 2:
            day += dt.timedelta(days=1)
        wg_days.append((day, "working-group"))
        lines += ["  - kind: working-group", f"    date: {day}", "    note: discussed the business requirements"]
    day += dt.timedelta(days=30)
    lines += ["  - kind: report-approved", f"    date: {day}"]
    if rng.random() < 0.5:
        day += dt.timedelta(days=30)
        wg_days.append((day, "change-board"))
        lines += ["  - kind: change-board-vote", f"    date: {day}", "    outcome: approved",
                  f"    release: {rng.choice(RELEASES)}"]
    lines.append("assessments:")
    accepted = raised + dt.timedelta(days=40)
    lines += ["  - type: PA", f"    accepted: {accepted}", f"    target: {accepted + dt.timedelta(days=21)}",
              f"    delivered: {accepted + dt.timedelta(days=30)}", "    notes: delivered late"]
    lines += ["  - type: IA", f"    accepted: {accepted + dt.timedelta(days=60)}",
              f"    target: {accepted + dt.timedelta(days=116)}"]
    return "\n".join(lines) + "\n", wg_days


if __name__ == "__main__":  # pragma: no cover
    print(write_register(Path(sys.argv[1]), int(sys.argv[2])))
