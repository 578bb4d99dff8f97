"""The monthly Change Status Report: report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .common import (
    Fail,
    calendar_of,
    data_root,
    date_option,
    emit,
    follow_symlinks_option,
    format_option,
    load_or_fail,
    month_option,
    refusals,
)


@click.command()
@month_option
@format_option("report", to_file=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Output file ('-' for stdout, but for a format that goes to a file only). "
    "Default: change-status-report-YYYY-MM.<the format's extension> in the current folder.",
)
@date_option(
    "--date", "report_date", help="Date the report (default: the month's report record, else its second working day)."
)
@follow_symlinks_option
@click.pass_context
def report(
    ctx: click.Context, month: str, fmt: str, output: Path | None, report_date: dt.date | None, follow_symlinks: bool
) -> None:
    """Render the monthly Change Status Report in one of its formats (--format).

    Statistics are as at the end of the previous month; news covers the days after the previous
    month's report up to this one's date. The file is written atomically, never into the data
    folder, templates/ or .git.
    """
    from ..domain.events import long_date
    from ..output import render
    from ..output.files import check_output, write_output
    from ..output.reporters import FORMATS, Document
    from ..report.build import build, has_record

    reporter = FORMATS["report"][fmt]
    to_stdout = output is not None and str(output) == "-"
    if to_stdout and reporter.file_only:
        raise Fail(f"a {reporter.label} cannot be written to stdout; give -o FILE")
    if reporter.extra:
        from ..output.extras import require

        with refusals():
            require(reporter.extra)
    target = output or Path(f"change-status-report-{month}.{reporter.extension or fmt}")
    if not to_stdout:
        with refusals():
            check_output(target, data_root(ctx), follow_symlinks)
    register = load_or_fail(ctx)
    with refusals():
        context = build(register, month, calendar_of(register), report_date)
    if context.period.horizon is not None:
        click.echo(
            f"secstatus: warning: the register's facts end on {long_date(context.period.horizon)}, before the "
            f"{month} report's date ({long_date(context.cover.date)}): it is marked as a draft; once the month's "
            f"facts are recorded, make its record with: secstatus new report {month} --author NAME",
            err=True,
        )
    elif not has_record(register, month):
        click.echo(
            f"secstatus: warning: no report record for {month}: the cover has no author or paper "
            f"reference; make one with: secstatus new report {month} --author NAME",
            err=True,
        )
    if not to_stdout:
        click.echo(f"rendering {reporter.label} for {month}...", err=True)
    with refusals():
        data = reporter.write(Document(context, render.template_dirs(data_root(ctx))))
    if to_stdout:
        emit(data)
        return
    try:
        write_output(target, data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as exc:
        raise Fail(f"{target}: cannot write: {exc.strerror}") from None
    click.echo(f"wrote {target}", err=True)


COMMANDS = (report,)
