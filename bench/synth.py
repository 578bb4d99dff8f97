"""A synthetic register of N modification records, for benchmarks.

The shipped register is copied whole, then its SECMP records are cloned in turn under new ids
until the register holds N modifications, so every clone is a real record shape (dated and
undated events, DCC statuses, assessments) whose references resolve. Ids are valid at every size:
SECMP0100 to SECMP9999 first, then MPnnnA, MPnnnB, ... (the model's MP scheme with a letter;
DPnnn and plain MPnnn are left alone, since the shipped DP records share those numbers).
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from itertools import cycle
from pathlib import Path

SHIPPED = Path(__file__).resolve().parents[1] / "data"
_ID_LINE = re.compile(r"^id: SECMP\d{4}$", re.MULTILINE)


def new_ids() -> Iterator[str]:
    """Fresh ids the model accepts and the shipped register does not use."""
    for number in range(100, 10_000):
        yield f"SECMP{number:04d}"
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for number in range(1000):
            yield f"MP{number:03d}{letter}"


def write_register(root: Path, n: int) -> Path:
    """Write the shipped register plus clones under ``root/data``, ``n`` modifications in all."""
    data = root / "data"
    shutil.copytree(SHIPPED, data)
    folder = data / "modifications"
    shipped = sorted(folder.glob("SECMP*.yaml"))
    texts = cycle([path.read_text(encoding="utf-8") for path in shipped])
    clones = n - len(list(folder.glob("*.yaml")))
    for new_id, text in zip(new_ids(), texts, strict=False):
        if clones <= 0:
            break
        (folder / f"{new_id}.yaml").write_text(_ID_LINE.sub(f"id: {new_id}", text, count=1), encoding="utf-8")
        clones -= 1
    return data


if __name__ == "__main__":  # pragma: no cover
    print(write_register(Path(sys.argv[1]), int(sys.argv[2])))
