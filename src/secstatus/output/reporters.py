"""The output layer: every way a command's result is printed, registered by kind of result.

``FORMATS[kind][format]`` is the ``Reporter`` that turns one kind of result (plain data from the
core) into a command's output; each command's ``--format`` choices, their default (the first) and
their help come from the keys and declarations of its kind, and what a command does with the output
(print it, write it to a file, refuse it on stdout, ask for an extra) from the reporter's declared
properties, never from a format's name. A new format is one ``Reporter`` in ``FORMATS``.

Reporters import what they need (even json and csv; Jinja2 and WeasyPrint above all) only when
called, since the CLI imports this registry for its ``--format`` choices and ``secstatus --help``
must stay light.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .text import one_line


@dataclass(frozen=True)
class Reporter:
    """One format of one kind of result. ``write(result)`` is the whole output, trailing newline
    included: text, or bytes for a document.

    ``file_only``: the output is a binary document (a PDF) that is never printed to stdout: a
    command that only prints does not offer the format, and one that writes a file refuses ``-o -``
    for it. ``extension``: the file name's, where a command names the file (default: the format's
    name). ``extra``: the optional part of secstatus it needs (``extras.EXTRAS``), checked before
    any work. ``label`` and ``purpose`` are how help texts name and describe it."""

    write: Callable[[Any], str | bytes]
    label: str
    purpose: str
    file_only: bool = False
    extension: str | None = None
    extra: str | None = None


@dataclass(frozen=True)
class Table:
    """Rows to print, and the columns a table shows (JSON and CSV write every key of every row)."""

    rows: Sequence[dict[str, Any]]
    columns: Sequence[str]


@dataclass(frozen=True)
class Document:
    """The month's report (``report.context.Report``) and the template folders it is rendered
    from, the register's own first (``render.template_dirs``)."""

    report: Any
    templates: list[Path]


def as_json(data: Any) -> str:
    """Indented JSON, non-ASCII kept as written; dates and other values as their text."""
    import json

    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def rendering():
    """The templates' module (``render``: Jinja2), imported when a document is made, not with the registry."""
    from . import render

    return render


# Diagnostics -------------------------------------------------------------------------------------


def diagnostics_text(diagnostics) -> str:
    """One ``path:line:col: severity: message [code]`` line per diagnostic, the form editors and CI
    understand. A file name or message quoting register data cannot start another line (a CI log
    reads a line that starts ``::`` as a command): line breaks and control characters are shown escaped."""
    return "".join(
        f"{one_line(d.path)}:{d.line}:{d.column}: {d.severity}: {one_line(d.message)} [{d.code}]\n" for d in diagnostics
    )


def diagnostics_summary(diagnostics, files: int) -> str:
    """One line: how many files were read and how many errors, warnings and acknowledged warnings."""
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = sum(d.severity == "warning" for d in diagnostics)
    notes = sum(d.severity == "note" for d in diagnostics)
    line = f"{files} files checked: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    return line + (f" ({notes} acknowledged)" if notes else "")


DIAGNOSTIC_KEYS = ("path", "line", "column", "severity", "code", "message")
"""What a diagnostic says in JSON (its ``anchor`` is internal)."""


def diagnostics_json(diagnostics) -> str:
    import json

    return json.dumps([{key: getattr(d, key) for key in DIAGNOSTIC_KEYS} for d in diagnostics], indent=2) + "\n"


# Rows --------------------------------------------------------------------------------------------


def table_json(table: Table) -> str:
    """Every key of every row, not only the table's columns."""
    return as_json(list(table.rows))


def table_csv(table: Table) -> str:
    return rows_csv(table.rows, table.columns)


def rows_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """Every key of the rows (the table's columns when there are none); the one place CSV cells are written."""
    import csv
    import io

    keys = list(rows[0]) if rows else list(columns)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=keys, lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: spreadsheet_safe(value) for key, value in row.items()} for row in rows)
    return out.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a CSV cell as a formula (OWASP's list)."""


def spreadsheet_safe(cell: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: one that starts like a formula gets a leading
    apostrophe (``=HYPERLINK(...)`` becomes ``'=HYPERLINK(...)``); numbers stay numbers."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def table_text(table: Table) -> str:
    return text_table(table.rows, table.columns)


def text_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """A plain aligned table of ``columns``, headed in capitals; the last column is left unpadded."""
    cells = [[str(c).upper() for c in columns]] + [
        ["" if r.get(c) is None else str(r[c]) for c in columns] for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns) - 1)]
    lines = []
    for row in cells:
        padded = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)] + [row[-1]]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines) + "\n"


LIST_COLUMNS = ("id", "stage", "status", "title")
OVERDUE_COLUMNS = ("id", "assessment", "accepted", "target", "overdue_wd", "title")
PLAN_COLUMNS = ("id", "milestone", "status", "baseline", "planned", "actual", "slip_wd", "overdue_wd", "title")


# One modification (show) -------------------------------------------------------------------------


def modification_text(facts: dict[str, Any]) -> str:
    """The facts of ``show.describe`` as readable lines: the events in the register's words, each
    DCC assessment as it stood on the day, and the Appendix A status (text from the register is
    shown on one line: ``one_line``; a value cannot start a line of its own,
    as a note may hold line breaks)."""
    from ..domain.events import long_date

    lines = [f"{facts['id']}  {one_line(facts['title'])}"]
    for label, key in (
        ("file", "file"),
        ("proposer", "proposer"),
        ("raised", "raised"),
        ("route", "route"),
        ("link", "url"),
        ("release", "release"),
    ):
        if facts.get(key):
            lines.append(f"  {label + ':':10}{one_line(facts[key])}")
    lines.append(f"  {'stage:':10}{facts['stage'] or '-'} ({facts['status']}) as at {facts['as_at']}")
    lines += _page_lines(facts, long_date)
    if facts["timeline"]:
        lines.append("timeline:")
        for event in facts["timeline"]:
            note = event.get("note")
            lines.append(
                f"  {one_line(event['words'])}"
                + (f" – {one_line(note)}" if note and note not in event["words"] else "")
            )
    if facts.get("expected_decision"):
        lines.append(
            f"expected decision: {long_date(dt.date.fromisoformat(facts['expected_decision']))} "
            "(the Authority's, as planned)"
        )
    if facts.get("plan"):
        lines.append("progression plan:")
        lines += [f"  {_plan_words(p, facts['figures_as_at'], long_date)}" for p in facts["plan"]]
    if facts["assessments"]:
        lines.append("DCC assessments:")
        for a in facts["assessments"]:
            lines.append(f"  {a['assessment']}  {_assessment_words(a, long_date)}")
    for row in facts.get("appendix", ()):
        note = row["note"] if row["note"] != row["status"] else None
        said = one_line(row["status"]) + (f" ({one_line(note)})" if note else "")
        said += f", date added {long_date(dt.date.fromisoformat(row['added']))}" if row["added"] else ""
        said += f"; derived from {one_line(row['derived_from'])}" if row["derived_from"] else ""
        lines.append(f"Appendix A: {said}")
    return "".join(one_line(line) + "\n" for line in lines)


def _page_lines(facts: dict[str, Any], long_date) -> list[str]:
    """The SEC pages' fields, one a line: text on one line (its line breaks as spaces), a list's
    items joined with '; ', the latest update with its day."""
    lines = []
    if facts.get("lead_analyst"):
        lines.append(f"lead analyst: {facts['lead_analyst']}")
    update = facts.get("latest_update")
    if update:
        lines.append(f"latest update, {long_date(dt.date.fromisoformat(update['date']))}: {_flowed(update['text'])}")
    for label, key in (("summary", "summary"), ("issue", "issue"), ("solution", "solution")):
        if facts.get(key):
            lines.append(f"{label}: {_flowed(facts[key])}")
    for label, key in (("impacted parties", "impacted_parties"), ("affected documents", "affected_documents")):
        if facts.get(key):
            lines.append(f"{label}: {'; '.join(facts[key])}")
    return lines


def _plan_words(p: dict[str, Any], counted_to: str, long_date) -> str:
    """'Change Board vote: baseline 24 July 2019, planned 28 August 2019 (re-planned 1 May 2019):
    missed, no event by 3 September 2019: 4 WD overdue, 28 WD after the baseline' (working days
    add up: baseline to plan, plan to the day)."""
    day = lambda iso: long_date(dt.date.fromisoformat(iso))  # noqa: E731
    words = f"{p['label']}: baseline {day(p['baseline'])}"
    if p["replans"]:
        words += f", planned {day(p['planned'])} (re-planned {', '.join(day(r['decided']) for r in p['replans'])})"
    if p["status"] == "met":
        met = day(p["actual"]) if p["actual_exact"] else f"on or before {day(p['actual'])}"
        return f"{words}: met {met}, {slip_words(p['slip_wd'])}"
    if p["status"] == "missed":
        return (
            f"{words}: missed, no event by {day(counted_to)}: {p['overdue_wd']} WD overdue, "
            f"{p['slip_wd'] + p['overdue_wd']} WD after the baseline"
        )
    if p["status"] == "closed":
        return f"{words}: not met, the modification closed"
    return f"{words}: planned" + (f", {slip_words(p['slip_wd'])} against the baseline" if p["replans"] else "")


def slip_words(slip_wd: int | None) -> str:
    """A slippage in working days: 'on time', '3 WD late', '2 WD early', or 'slippage not known'."""
    if slip_wd is None:
        return "slippage not known (its day is not held)"
    if slip_wd == 0:
        return "on time"
    return f"{abs(slip_wd)} WD {'late' if slip_wd > 0 else 'early'}"


def _flowed(text: str) -> str:
    """Text of several lines as one: its line breaks and runs of spaces as one space."""
    return " ".join(text.split())


def _assessment_words(a: dict[str, Any], long_date) -> str:
    """'accepted 20 March 2019, target 20 May 2019: in progress, 29 WD so far (as at 2019-05-02) against 40 WD'."""
    dates = [
        f"{name} {long_date(dt.date.fromisoformat(a[name]))}"
        + (" (agreed)" if name == "target" and a["target_basis"] == "agreed" else "")
        for name in ("requested", "accepted", "target", "delivered")
        if a.get(name)
    ]
    said = [] if a["delivered"] else [a["status"].replace("-", " ")]
    if a["duration_wd"] is not None:
        so_far = "" if a["delivered"] else f" so far (as at {a['duration_to']})"
        said.append(f"{a['duration_wd']} WD{so_far} against {a['target_wd']} WD")
    words = ", ".join(dates) + (": " + ", ".join(said) if said else "")
    if a.get("overdue_wd"):
        words += f"; overdue by {a['overdue_wd']} WD"
    return words


# The paper's statistics (assess timescales) -------------------------------------------------------


def timescales_text(figures: dict[str, Any]) -> str:
    """The two statistics tables of the paper, and what each average left out."""
    a, m = figures["assessments"], figures["modifications"]
    year = a["sec_year"]
    summary = [
        _figure_row("Preliminary Assessments open", a["PA_open"]),
        _figure_row(f"Preliminary Assessments completed during {year}", a["PA_completed"]),
        _figure_row("Impact Assessments open", a["IA_open"]),
        _figure_row(f"Impact Assessments completed during {year}", a["IA_completed"]),
    ]
    progression = [
        _figure_row("Modifications open (pre-decision)", m["open"]),
        _figure_row(f"Modifications closed during {year}", m["closed"]),
    ]
    columns = ["what", "total", "average"]
    out = [f"DCC assessments as at {a['as_at']}", text_table(summary, columns)]
    out.append(
        text_table(
            [{**r, "current": _wd(r["duration_wd"]), "target": f"{r['target_wd']} WD"} for r in a["open"]],
            ["id", "assessment", "target", "current", "accepted"],
        )
    )
    out.append(
        text_table(
            [{**r, "actual": _wd(r["duration_wd"]), "target": f"{r['target_wd']} WD"} for r in a["completed"]],
            ["id", "assessment", "target", "actual", "accepted", "delivered"],
        )
    )
    out += [f"Modification progression as at {m['as_at']}", text_table(progression, columns)]
    notes = [
        f"{row['what']}: average over {row['figure']['averaged_over']} of {row['total']}; left out: "
        + ", ".join(f"{x['id']} ({x['why']})" for x in row["figure"]["left_out"])
        for row in summary + progression
        if row["figure"]["left_out"]
    ]
    if a.get("open_undated"):
        notes.append(
            "also open, without an acceptance date and so without a duration: "
            + ", ".join(f"{r['id']} {r['assessment']}" for r in a["open_undated"])
        )
    if m["decisions_without_date"]:
        notes.append(
            f"not counted as closed during {year}: {len(m['decisions_without_date'])} decisions recorded "
            f"without a date ({', '.join(m['decisions_without_date'])})"
        )
    return "\n".join(out) + ("\n" + "\n".join(notes) + "\n" if notes else "")


def _wd(days: int | None) -> str:
    return f"{days} WD" if days is not None else "not held"


def average_text(figure: dict[str, Any]) -> str:
    """An average in its cell, saying over how many records when not all (as the report's
    ``wording.average`` does): '294 WD (12 of 23)', 'not held', or 'none' with nothing to average."""
    if figure["count"] == 0:
        return "none"
    if figure["average_wd"] is None:
        return "not held"
    partial = f" ({figure['averaged_over']} of {figure['count']})" if figure["averaged_over"] < figure["count"] else ""
    return f"{figure['average_wd']} WD{partial}"


def _figure_row(what: str, figure: dict[str, Any]) -> dict[str, Any]:
    """A row of a statistics table, keeping its figure for the notes on what was left out."""
    return {"what": what, "total": figure["count"], "figure": figure, "average": average_text(figure)}


# Working days (wd) -------------------------------------------------------------------------------


def workdays_text(result: dict[str, Any]) -> str:
    """The date N WD on (``date``), or the count and, when asked, the days it skipped (``skipped``)."""
    if "date" in result:
        return result["date"].isoformat() + "\n"
    lines = [str(result["count"])]
    lines += [f"{day.isoformat()}  {day:%a}  {why}" for day, why in result.get("skipped") or ()]
    return "\n".join(lines) + "\n"


# git: changes and history ------------------------------------------------------------------------


def changes_text(result: dict[str, Any]) -> str:
    """One line per changed record, in the register's words (a file name holding a line break or
    an escape, from a pull request, shown escaped: ``one_line``)."""
    return "".join(one_line(change.summary()) + "\n" for change in result["changes"])


def changes_json(result: dict[str, Any]) -> str:
    return as_json(
        {"base": result["base"], "head": result["head"], "changes": [c.as_dict() for c in result["changes"]]}
    )


def changes_markdown(result: dict[str, Any]) -> str:
    """The pull-request comment, from the package's own ``changes.md``: never a register's, since
    what a reviewer reads of a change must not be written by that change."""
    render = rendering()
    return render.render_template(
        "changes.md",
        [render.PACKAGE_TEMPLATES],
        base=result["base"],
        head=result["head"],
        changes=[c.as_dict() for c in result["changes"]],
    )


def history_text(commits) -> str:
    """Each commit's short id, date, author and subject, then what it changed in words. Authors,
    subjects and file names come from pull requests: control characters (a terminal's escapes, a
    carriage return) are shown escaped (``one_line``)."""
    return "".join(
        f"{c.sha[:10]}  {c.date}  {one_line(c.author)}  {one_line(c.subject)}\n    {one_line(c.change.summary())}\n"
        for c in commits
    )


def history_json(commits) -> str:
    return as_json([c.as_dict() for c in commits])


# The monthly report ------------------------------------------------------------------------------


def report_template(name: str) -> Callable[[Document], bytes]:
    """A reporter that renders the report with the template ``name``, whose extension names its
    output and so its escaping (``render.output_of``): a new document format is its template and
    one ``Reporter(report_template(...))``."""

    def write(document: Document) -> bytes:
        return rendering().render_template(name, document.templates, report=document.report).encode("utf-8")

    return write


def report_pdf(document: Document) -> bytes:
    """The report's HTML laid out on A4, dated on the report's date (for SOURCE_DATE_EPOCH-free builds)."""
    render = rendering()
    html = render.render_template("report.html", document.templates, report=document.report)
    return render.render_pdf(html, document.templates, day=document.report.cover.date)


FORMATS: dict[str, dict[str, Reporter]] = {
    "diagnostics": {
        "text": Reporter(diagnostics_text, "text", "path:line:col: severity: message [code], as editors and CI read"),
        "json": Reporter(diagnostics_json, "JSON", "a list of diagnostics"),
    },
    "rows": {
        "table": Reporter(table_text, "table", "aligned columns"),
        "json": Reporter(table_json, "JSON", "every field of every row"),
        "csv": Reporter(table_csv, "CSV", "every field of every row, for a spreadsheet"),
    },
    "modification": {
        "text": Reporter(modification_text, "text", "readable lines"),
        "json": Reporter(as_json, "JSON", "the facts as data"),
    },
    "timescales": {
        "table": Reporter(timescales_text, "table", "the paper's two tables"),
        "json": Reporter(as_json, "JSON", "the figures as data"),
    },
    "workdays": {
        "text": Reporter(workdays_text, "text", "the date, or the count"),
    },
    "changes": {
        "text": Reporter(changes_text, "text", "a line per change"),
        "md": Reporter(changes_markdown, "Markdown", "for a pull-request comment"),
        "json": Reporter(changes_json, "JSON", "every change as data"),
    },
    "history": {
        "text": Reporter(history_text, "text", "each commit and what it changed"),
        "json": Reporter(history_json, "JSON", "the commits as data"),
    },
    "report": {
        "html": Reporter(report_template("report.html"), "HTML", "one self-contained file"),
        "pdf": Reporter(report_pdf, "PDF", "A4, through WeasyPrint", file_only=True, extra="pdf"),
        "md": Reporter(report_template("report.md"), "Markdown", "for a pull request or an email"),
    },
}
"""Each kind of result → its formats, the default first → the ``Reporter`` that writes it."""


def present(kind: str, fmt: str, result: Any) -> str | bytes:
    """The output of ``result`` (a result of ``kind``) in the format ``fmt``."""
    return FORMATS[kind][fmt].write(result)
