"""The command line: parse options, call the core, print, exit.

Exit codes: 0 success, 1 the data or the request is wrong, 2 usage error. Heavy libraries
(Pydantic, PyYAML, holidays, Jinja2, WeasyPrint) are imported inside the commands that use them,
so that ``secstatus --help`` starts as fast as click itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any, Callable

import click

FORMAT_HELP = "Output format."


class DateType(click.ParamType):
    """An ISO date YYYY-MM-DD."""

    name = "DATE"

    def convert(self, value: Any, param, ctx) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not an ISO date YYYY-MM-DD", param, ctx)


DATE = DateType()


def today() -> dt.date:
    """Today, or the day of SOURCE_DATE_EPOCH when set, so that outputs are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return dt.date.today()
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise Fail(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970") from None


def as_at_option(func: Callable) -> Callable:
    """--as-at DATE, shared by every command that reads the register on a day."""
    return click.option("--as-at", type=DATE, default=None,
                        help="Read the register as it stood on this day (default: today or SOURCE_DATE_EPOCH).")(func)


def format_option(*choices: str) -> Callable:
    def decorate(func: Callable) -> Callable:
        return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0],
                            show_default=True, help=FORMAT_HELP)(func)
    return decorate


class Fail(click.ClickException):
    """Bad data or a bad request: the message on stderr, exit 1."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


@contextlib.contextmanager
def refusals():
    """Turn the core's refusals of a request (unknown id, date off the calendar, no such month) into exit 1."""
    from .query import UnknownId
    from .report import ReportError
    from .workdays import CalendarRangeError

    try:
        yield
    except (UnknownId, ReportError, CalendarRangeError) as exc:
        raise Fail(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), envvar="SECSTATUS_DATA",
              help="The register's data folder (default: the nearest data/ at or above the current folder; "
                   "env SECSTATUS_DATA).")
@click.version_option(package_name="secstatus")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None) -> None:
    """Validate, query and report on the Smart Energy Code modification register."""
    ctx.obj = data_dir


def data_root(ctx: click.Context) -> Path:
    """The data folder given by --data, SECSTATUS_DATA or found above the current folder."""
    from .load import find_data_dir

    given = ctx.find_root().obj
    root = given if given is not None else find_data_dir(Path.cwd())
    if root is None:
        raise Fail("no data/ folder here or above; give one with --data DIR or SECSTATUS_DATA")
    if not root.is_dir():
        raise Fail(f"{root}: not a folder")
    return root


def load_or_fail(ctx: click.Context):
    """Load and check the register; refuse to go on (exit 1) when it holds errors."""
    from .checks import validate
    from .diagnostics import format_text, has_errors

    register, diagnostics = validate(data_root(ctx))
    if has_errors(diagnostics):
        errors = [d for d in diagnostics if d.severity == "error"]
        click.echo(format_text(errors), err=True, nl=False)
        raise Fail(f"the register has {len(errors)} error(s); run 'secstatus validate'")
    return register


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@format_option("text", "json")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], strict: bool, fmt: str) -> None:
    """Check every record of the register; show the findings in PATHS (default: all).

    Prints path:line:col: severity: message. Exit 0 when there are no errors (and, with
    --strict, no warnings), 1 otherwise.
    """
    from .checks import validate as run
    from .diagnostics import format_json, format_text, summary

    register, diagnostics = run(data_root(ctx))
    if paths:
        wanted = [os.path.normpath(os.path.relpath(p)) for p in paths]
        diagnostics = [d for d in diagnostics
                       if any(d.path == w or d.path.startswith(w.rstrip(os.sep) + os.sep) for w in wanted)]
    click.echo(format_json(diagnostics) if fmt == "json" else format_text(diagnostics), nl=False)
    click.echo(summary(diagnostics, register.files), err=True)
    failing = [d for d in diagnostics if d.severity == "error" or strict]
    ctx.exit(1 if failing else 0)


@main.command("list")
@as_at_option
@click.option("--stage", type=click.Choice(["define", "refine", "opine", "release", "closed", "open"]),
              help="Only this stage ('open' = define, refine and opine).")
@format_option("table", "json", "csv")
@click.pass_context
def list_(ctx: click.Context, as_at: dt.date | None, stage: str | None, fmt: str) -> None:
    """List the modifications with their stage and status on a day."""
    from .query import list_rows
    from .tables import render_rows

    register = load_or_fail(ctx)
    with refusals():
        rows = list_rows(register, as_at or today(), stage)
    click.echo(render_rows(rows, ["id", "stage", "status", "title"], fmt), nl=False)


@main.command()
@click.argument("ident", metavar="ID")
@as_at_option
@format_option("text", "json")
@click.pass_context
def show(ctx: click.Context, ident: str, as_at: dt.date | None, fmt: str) -> None:
    """Show one modification: its facts, its stage and status on a day, and its timeline."""
    import json

    from .query import describe, show_text

    register = load_or_fail(ctx)
    with refusals():
        facts = describe(register, ident, as_at or today())
    click.echo(json.dumps(facts, indent=2, ensure_ascii=False) if fmt == "json" else show_text(facts))


@main.command()
@click.option("--type", "kind", type=click.Choice(["modification", "release", "sec-version", "meeting",
                                                     "report", "calendar", "all"]), default="all",
              show_default=True, help="Which record type.")
def schema(kind: str) -> None:
    """Print the JSON Schema of the records, for editors (yaml-language-server)."""
    import json

    from .model import RECORD_TYPES

    names = {"modification": "modifications", "release": "releases", "sec-version": "sec-versions",
             "meeting": "meetings", "report": "reports", "calendar": "calendar"}
    if kind == "all":
        out = {name: RECORD_TYPES[folder].model_json_schema() for name, folder in names.items()}
    else:
        out = RECORD_TYPES[names[kind]].model_json_schema()
    click.echo(json.dumps(out, indent=2, ensure_ascii=False))


def calendar_of(register):
    from .workdays import calendar_for

    return calendar_for(register.calendar_days)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, metavar="START END | add START N")
@click.option("--explain", is_flag=True, help="List the weekend days and holidays skipped, by name.")
@click.pass_context
def wd(ctx: click.Context, args: tuple[str, ...], explain: bool) -> None:
    """Count working days, or add them to a date (England and Wales).

    \b
    secstatus wd START END      WD after START up to and including END
    secstatus wd add START N    the date N WD after START (before it if N < 0)

    The register's calendar overrides (data/calendar/) apply when a register is found.
    """
    from .load import find_data_dir
    from .workdays import default_calendar

    if len(args) == 3 and args[0] == "add":
        start, n = DATE.convert(args[1], None, ctx), click.INT.convert(args[2], None, ctx)
    elif len(args) == 2:
        start, end = (DATE.convert(a, None, ctx) for a in args)
    else:
        raise click.UsageError("expected START END, or add START N")
    found = ctx.find_root().obj or find_data_dir(Path.cwd())
    cal = calendar_of(load_or_fail(ctx)) if found else default_calendar()
    with refusals():
        if args[0] == "add":
            click.echo(cal.add(start, n).isoformat())
            return
        click.echo(cal.count(start, end))
        if explain:
            for day, why in cal.explain(start, end):
                click.echo(f"{day.isoformat()}  {day:%a}  {why}")


@main.group()
def assess() -> None:
    """DCC Preliminary and Impact Assessments: what is overdue, and the paper's timescales."""


@assess.command("overdue")
@as_at_option
@format_option("table", "json", "csv")
@click.pass_context
def assess_overdue(ctx: click.Context, as_at: dt.date | None, fmt: str) -> None:
    """Every assessment not delivered by the day whose target date has passed."""
    from .assessments import overdue
    from .tables import render_rows

    register = load_or_fail(ctx)
    with refusals():
        rows = overdue(register, as_at or today(), calendar_of(register))
    click.echo(render_rows(rows, ["id", "assessment", "accepted", "target", "overdue_wd", "title"], fmt), nl=False)


@assess.command("timescales")
@as_at_option
@format_option("table", "json")
@click.pass_context
def assess_timescales(ctx: click.Context, as_at: dt.date | None, fmt: str) -> None:
    """The paper's two statistics tables: DCC assessments and modification progression."""
    import json

    from .assessments import assessment_timescales, modification_timescales
    from .tables import timescales_text

    register = load_or_fail(ctx)
    day, cal = as_at or today(), calendar_of(register)
    with refusals():
        figures = {"assessments": assessment_timescales(register, day, cal),
                   "modifications": modification_timescales(register, day, cal)}
    click.echo(json.dumps(figures, indent=2, ensure_ascii=False) if fmt == "json" else timescales_text(figures),
               nl=fmt == "json")


@main.command()
@click.option("--month", required=True, metavar="YYYY-MM", help="The report's month, e.g. 2019-05.")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "md"]), default="html", show_default=True,
              help=FORMAT_HELP)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="Output file ('-' for stdout, HTML and Markdown only). "
                   "Default: change-status-report-YYYY-MM.<ext> in the current folder.")
@click.option("--date", "report_date", type=DATE, help="Date the report (default: the month's report record, "
                                                      "else its second working day).")
@click.pass_context
def report(ctx: click.Context, month: str, fmt: str, output: Path | None, report_date: dt.date | None) -> None:
    """Render the monthly Change Status Report as HTML, PDF or Markdown.

    Statistics are as at the end of the previous month; news covers the days after the previous
    month's report up to this one's date. The file is written atomically.
    """
    from . import render
    from .report import build

    register = load_or_fail(ctx)
    with refusals():
        context = build(register, month, calendar_of(register), report_date)
    dirs = render.template_dirs(data_root(ctx))
    try:
        text = render.render_text(context, fmt, dirs)
        if output is not None and str(output) == "-":
            if fmt == "pdf":
                raise Fail("a PDF cannot be written to stdout; give -o FILE")
            click.echo(text, nl=False)
            return
        click.echo(f"rendering {fmt.upper()} for {month}...", err=True)
        data = render.render_pdf(text, dirs, day=context["cover"]["date"]) if fmt == "pdf" else text.encode("utf-8")
    except render.RenderError as exc:
        raise Fail(str(exc)) from None
    target = output or Path(f"change-status-report-{month}.{fmt}")
    try:
        render.write_atomic(target, data)
    except OSError as exc:
        raise Fail(f"{target}: cannot write: {exc.strerror}") from None
    click.echo(f"wrote {target}", err=True)


def apply_edit(ctx: click.Context, edit, dry_run: bool) -> None:
    """Validate the register with the edit in place, then write it (or, with --dry-run, show it)."""
    import difflib

    from .diagnostics import format_text
    from .edit import EditError, apply, check_edit

    try:
        check_edit(data_root(ctx), edit)
    except EditError as exc:
        click.echo(format_text(exc.diagnostics), err=True, nl=False)
        raise Fail(str(exc)) from None
    if dry_run:
        before = (edit.before or "").splitlines(keepends=True)
        click.echo("".join(difflib.unified_diff(before, edit.after.splitlines(keepends=True),
                                                str(edit.path), str(edit.path))), nl=False)
        click.echo(f"dry run: {edit.summary} (not written)", err=True)
        return
    apply(edit)
    click.echo(f"{edit.summary}: {edit.path}", err=True)


def parse_date_or_fail(value: str | None, name: str) -> dt.date | None:
    """A date given to an editing command: a bad one refuses the edit (exit 1), like bad data."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Fail(f"{name} {value!r} is not a real ISO date YYYY-MM-DD; nothing was written") from None


@main.group()
def new() -> None:
    """Create a new record from a commented template."""


@new.command("dp")
@click.option("--title", required=True, help="The Draft Proposal's title.")
@click.option("--proposer", required=True, help="Who raised it.")
@click.option("--raised", required=True, metavar="DATE", help="The day it was raised.")
@click.option("--summary", help="A paragraph on the issue it raises.")
@click.option("--dry-run", is_flag=True, help="Show the new file; write nothing.")
@click.pass_context
def new_dp(ctx: click.Context, title: str, proposer: str, raised: str, summary: str | None, dry_run: bool) -> None:
    """Create the next Draft Proposal (DP076 after DP075); prints its id and path."""
    from . import render
    from .edit import new_draft

    register = load_or_fail(ctx)
    edit = new_draft(register, render.template_dirs(data_root(ctx)), title, proposer,
                     parse_date_or_fail(raised, "--raised"), summary)
    apply_edit(ctx, edit, dry_run)
    if not dry_run:
        click.echo(f"{edit.path.stem} {edit.path}")


RECORD_HELP = """Append one event to a modification's record, validated first.

\b
KIND is one of:
  converted, csc-decision (--outcome ready-for-conversion|further-development),
  working-group, refinement-consultation, report-to-panel, report-approved,
  report-consultation, change-board-vote, authority-decision, panel-decision,
  decision (each --outcome approved|rejected [--release ID]),
  release-assigned (--release ID), implemented, withdrawn, on-hold, resumed,
  assessment-requested, assessment-accepted, assessment-delivered
  (--assessment PA|IA [--target DATE]).

The event is inserted as text in date order; every other line stays as written. The whole
register is validated with the change before the file is touched; a refused edit (unknown id
or kind, an impossible date, an event that contradicts the timeline, a release that does not
exist) exits 1 and leaves the file unchanged.
"""


@main.command(help=RECORD_HELP)
@click.argument("ident", metavar="ID")
@click.argument("kind", metavar="KIND")
@click.option("--date", "date_text", required=True, metavar="DATE", help="The day it happened.")
@click.option("--outcome", type=click.Choice(["approved", "rejected", "ready-for-conversion", "further-development"]),
              help="A decision's outcome.")
@click.option("--release", help="The release an approval or assignment is for (a file name in data/releases/).")
@click.option("--assessment", type=click.Choice(["PA", "IA"]), help="Which DCC assessment a milestone is for.")
@click.option("--target", "target_text", metavar="DATE", help="A DCC assessment's target delivery date.")
@click.option("--closes", "closes_text", metavar="DATE", help="A consultation's closing day.")
@click.option("--note", help="A note kept with the event.")
@click.option("--dry-run", is_flag=True, help="Show the change as a diff; write nothing.")
@click.pass_context
def record(ctx: click.Context, ident: str, kind: str, date_text: str, outcome, release, assessment,
           target_text, closes_text, note, dry_run: bool) -> None:
    from .edit import EditError, record_event

    date = parse_date_or_fail(date_text, "--date")
    options = {"outcome": outcome, "release": release, "assessment": assessment, "note": note,
               "target": parse_date_or_fail(target_text, "--target"),
               "closes": parse_date_or_fail(closes_text, "--closes")}
    register = load_or_fail(ctx)
    try:
        edit = record_event(register, ident, kind, date, options)
    except EditError as exc:
        raise Fail(f"{exc}; nothing was written") from None
    apply_edit(ctx, edit, dry_run)


@main.group("release")
def release_group() -> None:
    """Releases: move a planned date."""


@release_group.command("move")
@click.argument("release_id", metavar="RELEASE")
@click.argument("date_text", metavar="DATE")
@click.option("--decided", "decided_text", required=True, metavar="DATE", help="The day the move was decided.")
@click.option("--note", help="Why it moved.")
@click.option("--dry-run", is_flag=True, help="Show the change as a diff; write nothing.")
@click.pass_context
def release_move(ctx: click.Context, release_id: str, date_text: str, decided_text: str, note, dry_run: bool) -> None:
    """Record that RELEASE will now happen on DATE, as decided on --decided.

    Reports for months before the decision still show the date as it then stood.
    """
    from .edit import EditError, move_release

    register = load_or_fail(ctx)
    try:
        edit = move_release(register, release_id, parse_date_or_fail(date_text, "DATE"),
                            parse_date_or_fail(decided_text, "--decided"), note)
    except EditError as exc:
        raise Fail(f"{exc}; nothing was written") from None
    apply_edit(ctx, edit, dry_run)


@contextlib.contextmanager
def git_errors():
    from .gitlog import GitError

    try:
        yield
    except GitError as exc:
        raise Fail(str(exc)) from None


@main.command()
@click.option("--base", help="Compare from this commit (default: the merge base with main or origin/main).")
@click.option("--head", help="Compare to this commit (default: the working tree, untracked files included).")
@format_option("text", "md", "json")
@click.pass_context
def changes(ctx: click.Context, base: str | None, head: str | None, fmt: str) -> None:
    """What changed in the register between two commits, in the register's words.

    Records added, removed or renamed, events added, removed or changed, fields changed, and the
    stage transitions they make. --format md is made for a pull-request comment.
    """
    import json

    from .gitlog import changes as compute

    with git_errors():
        base_sha, head_name, found = compute(data_root(ctx), base, head)
    if fmt == "json":
        click.echo(json.dumps({"base": base_sha, "head": head_name, "changes": [c.as_dict() for c in found]},
                              indent=2, ensure_ascii=False))
    elif fmt == "md":
        from . import render

        env = render.environment(render.template_dirs(data_root(ctx)))
        click.echo(env.get_template("changes.md").render(base=base_sha, head=head_name,
                                                         changes=[c.as_dict() for c in found]), nl=False)
    else:
        for change in found:
            click.echo(change.summary())
        click.echo(f"{len(found)} record(s) changed since {base_sha[:12]}", err=True)


@main.command()
@click.argument("ident", metavar="ID")
@format_option("text", "json")
@click.pass_context
def history(ctx: click.Context, ident: str, fmt: str) -> None:
    """The commits that touched a record, newest first, each in the register's words.

    Follows renames; merge commits are left out, as `git log --follow` leaves them out.
    """
    import json

    from .gitlog import history as compute
    from .query import find

    register = load_or_fail(ctx)
    with refusals():
        mod = find(register, ident)
    with git_errors():
        commits = compute(data_root(ctx), register.source_of(mod).path)
    if fmt == "json":
        click.echo(json.dumps([c.as_dict() for c in commits], indent=2, ensure_ascii=False))
        return
    for commit in commits:
        click.echo(f"{commit.sha[:10]}  {commit.date}  {commit.author}  {commit.subject}")
        click.echo(f"    {commit.change.summary()}")


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("site"), show_default=True,
              help="The folder to build into; replaced whole, and only if empty or an earlier site.")
@as_at_option
@click.pass_context
def site(ctx: click.Context, output: Path, as_at: dt.date | None) -> None:
    """Build the register's static website, Atom feed and iCalendar of key dates.

    Pages per modification and release, the reports archive (HTML and PDF), charts, written
    into a fresh folder and swapped into place.
    """
    from . import render
    from .site import SiteError, build_site

    register = load_or_fail(ctx)
    click.echo(f"building the site into {output}...", err=True)
    with refusals():
        try:
            built = build_site(register, data_root(ctx), output, as_at or today(), calendar_of(register),
                               render.template_dirs(data_root(ctx)))
        except (SiteError, render.RenderError) as exc:
            raise Fail(str(exc)) from None
    click.echo(f"wrote {output}: {len(built.pages)} pages, {len(built.files)} files", err=True)


def run() -> None:  # pragma: no cover - console entry for python -m
    main(prog_name="secstatus")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
