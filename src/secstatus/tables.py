"""Rows of plain data as an aligned text table, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Sequence


def render_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """``table`` shows ``columns``; ``json`` and ``csv`` carry every key of the rows."""
    if fmt == "json":
        return json.dumps(list(rows), indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "csv":
        keys = list(rows[0]) if rows else list(columns)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=keys, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
    return text_table(rows, columns)


def text_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """A plain aligned table; the last column is left unpadded."""
    cells = [[str(c).upper() for c in columns]] + [["" if r.get(c) is None else str(r[c]) for c in columns]
                                                   for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns) - 1)]
    lines = []
    for row in cells:
        padded = [cell.ljust(width) for cell, width in zip(row, widths)] + [row[-1]]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines) + "\n"
