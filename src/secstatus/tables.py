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
        writer.writerows({key: spreadsheet_safe(value) for key, value in row.items()} for row in rows)
        return out.getvalue()
    return text_table(rows, columns)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a CSV cell as a formula (OWASP's list)."""


def spreadsheet_safe(cell: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: one that starts like a formula gets a leading
    apostrophe (``=HYPERLINK(...)`` becomes ``'=HYPERLINK(...)``); numbers stay numbers."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


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


def timescales_text(figures: dict[str, Any]) -> str:
    """The two statistics tables of the paper, and what each average left out."""
    a, m = figures["assessments"], figures["modifications"]
    year = a["sec_year"]
    summary = [_fig("Preliminary Assessments open", a["PA_open"]),
               _fig(f"Preliminary Assessments completed during {year}", a["PA_completed"]),
               _fig("Impact Assessments open", a["IA_open"]),
               _fig(f"Impact Assessments completed during {year}", a["IA_completed"])]
    progression = [_fig("Modifications open (pre-decision)", m["open"]),
                   _fig(f"Modifications closed during {year}", m["closed"])]
    columns = ["what", "total", "average"]
    out = [f"DCC assessments as at {a['as_at']}", text_table(summary, columns)]
    out.append(text_table([{**r, "current": f"{r['duration_wd']} WD" if r["duration_wd"] is not None else "-",
                            "target": f"{r['target_wd']} WD"} for r in a["open"]],
                          ["id", "assessment", "target", "current", "accepted"]))
    out.append(text_table([{**r, "actual": f"{r['duration_wd']} WD" if r["duration_wd"] is not None else "-",
                            "target": f"{r['target_wd']} WD"} for r in a["completed"]],
                          ["id", "assessment", "target", "actual", "accepted", "delivered"]))
    out += [f"Modification progression as at {m['as_at']}", text_table(progression, columns)]
    notes = [f"{row['what']}: average over {row['figure']['averaged_over']} of {row['total']}; left out: "
             + ", ".join(f"{x['id']} ({x['why']})" for x in row["figure"]["left_out"])
             for row in summary + progression if row["figure"]["left_out"]]
    if m["decisions_without_date"]:
        notes.append(f"not counted as closed during {year}: {len(m['decisions_without_date'])} decisions recorded "
                     f"without a date ({', '.join(m['decisions_without_date'])})")
    return "\n".join(out) + ("\n" + "\n".join(notes) + "\n" if notes else "")


def _fig(what: str, figure: dict[str, Any]) -> dict[str, Any]:
    """A row of a statistics table, keeping its figure for the notes on what was left out."""
    average = figure["average_wd"]
    return {"what": what, "total": figure["count"], "figure": figure,
            "average": f"{average} WD" if average is not None else "- WD"}
