"""What every command shares: its parameter types, option decorators, and error policy.

Exit codes: 0 success; 1 the data or the request is wrong (``Fail``); 2 a usage error, raised by
click itself: a malformed or impossible date, a bad month, an unknown choice, a path that matches
no file. Each parameter type words its errors once, so every command says the same thing.
Heavy libraries are imported inside functions, so that ``secstatus --help`` stays light.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..output.reporters import FORMATS
from ..output.text import one_line


class DateType(click.ParamType):
    """A day written exactly YYYY-MM-DD."""

    name = "DATE"

    def convert(self, value: Any, param, ctx) -> dt.date:
        if isinstance(value, dt.date):
            return value
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            self.fail(f"{value!r} is not a date YYYY-MM-DD", param, ctx)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is an impossible date", param, ctx)


class MonthType(click.ParamType):
    """A month written exactly YYYY-MM (month 01 to 12); the value stays that text."""

    name = "YYYY-MM"

    def convert(self, value: Any, param, ctx) -> str:
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}", value):
            self.fail(f"{value!r} is not a month YYYY-MM", param, ctx)
        if not 1 <= int(value[5:]) <= 12:
            self.fail(f"{value!r} is an impossible month", param, ctx)
        return value


class DeclaredChoice(click.Choice):
    """A choice among values declared in the core, read when first needed, so that loading the
    command does not import the models."""

    def __init__(self, load: Callable[[], Any]):
        self._load = load
        self._values: tuple[str, ...] | None = None
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:
        if self._values is None:
            self._values = tuple(self._load())
        return self._values

    @choices.setter
    def choices(self, values) -> None:
        self._values = tuple(values)


class FormatChoice(click.Choice):
    """The formats registered for a kind of result (``reporters.FORMATS``), read from the registry
    when asked, so that a format registered after the command was made is offered. A command that
    only prints leaves out the formats that go to a file alone (``Reporter.file_only``)."""

    def __init__(self, kind: str, to_file: bool):
        self.kind = kind
        self.to_file = to_file
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:
        return offered_formats(self.kind, self.to_file)

    @choices.setter
    def choices(self, values) -> None:
        pass  # the registry is the one source


def offered_formats(kind: str, to_file: bool = False) -> tuple[str, ...]:
    """The formats of ``kind`` a command offers, the default first: every one when it writes a
    file, else those that can be printed."""
    return tuple(name for name, reporter in FORMATS[kind].items() if to_file or not reporter.file_only)


class FormatOption(click.Option):
    """``--format`` for one kind of result: its choices, its default (the first) and its help
    (each format and what it is for) come from the registry."""

    def __init__(self, param_decls, kind: str, to_file: bool = False, **attrs: Any):
        self.formats = FormatChoice(kind, to_file)
        super().__init__(param_decls, type=self.formats, show_default=True, **attrs)
        self.kind = kind

    def get_default(self, ctx: click.Context, call: bool = True) -> str:
        return self.formats.choices[0]

    @property
    def help(self) -> str:
        said = []
        for name in self.formats.choices:
            reporter = FORMATS[self.kind][name]
            said.append(f"{name} ({reporter.purpose}{'; to a file only' if reporter.file_only else ''})")
        return f"Output format: {', '.join(said)}."

    @help.setter
    def help(self, value) -> None:
        pass  # written from the registry


DATE = DateType()
MONTH = MonthType()


def date_option(*names: str, help: str, required: bool = False) -> Callable:
    """An option that takes a DATE. No default is given: since click 8.3 an explicit
    ``default=None`` counts as a value, and a required option left out went unnoticed."""
    return click.option(*names, type=DATE, required=required, help=help)


def as_at_option(func: Callable) -> Callable:
    """--as-at DATE, shared by every command that reads the register on a day."""
    return date_option(
        "--as-at", help="Read the register as it stood on this day (default: today or SOURCE_DATE_EPOCH)."
    )(func)


def month_option(func: Callable) -> Callable:
    """--month YYYY-MM (required)."""
    return click.option("--month", type=MONTH, required=True, help="The report's month, e.g. 2019-05.")(func)


def format_option(kind: str, to_file: bool = False) -> Callable:
    """--format, with the formats registered for this kind of result (``FormatOption``); ``to_file``
    for a command that writes its output to a file, which offers the formats that go to a file alone."""
    return click.option("--format", "fmt", cls=FormatOption, kind=kind, to_file=to_file)


def follow_symlinks_option(func: Callable) -> Callable:
    """--follow-symlinks, for the commands that write an output (report, site)."""
    return click.option(
        "--follow-symlinks",
        is_flag=True,
        help="Write through a symlink inside the register's repository (refused by default: "
        "a pull request can commit one to send the output elsewhere).",
    )(func)


DATA_HELP = (
    "The register's data folder (default: the nearest data/ at or above the current folder; env SECSTATUS_DATA)."
)
DATA_DIR = click.Path(exists=True, file_okay=False, path_type=Path)
"""A folder that exists: one that does not is a usage error (exit 2), named by click."""


def data_option(command: Callable) -> Callable:
    """--data DIR after the command (``secstatus list --data DIR``), as well as before it: shared by
    every command that reads a register. Given here, it wins over the one before the command and
    over SECSTATUS_DATA (read by ``main``'s own --data)."""

    def remember(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
        if value is not None:
            ctx.find_root().obj = value

    return click.option(
        "--data", "data_dir", type=DATA_DIR, metavar="DIR", expose_value=False, callback=remember, help=DATA_HELP
    )(command)


def record_ids(*folders: str) -> Callable:
    """Shell completion for an ID argument: the ids of the register's records in ``folders`` (every
    record folder when none is named), read from their file names (``SECMP0046.yaml``), not loaded."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
        from click.shell_completion import CompletionItem

        from ..domain.model import RECORD_FOLDERS

        main = ctx.find_root()
        if main.obj is None:  # the group's callback, which keeps --data, does not run while completing
            main.obj = main.params.get("data_dir")
        try:
            root = data_root(ctx)
        except click.ClickException:
            return []
        ids: set[str] = set()
        for folder in folders or tuple(RECORD_FOLDERS):
            with contextlib.suppress(OSError):
                ids.update(
                    entry.name[:-5]
                    for entry in os.scandir(root / folder)
                    if entry.name.endswith(".yaml") and not entry.name.startswith(".")
                )
        return [CompletionItem(i) for i in sorted(ids) if i.casefold().startswith(incomplete.casefold())]

    return complete


def dry_run_option(help: str = "Show the change as a diff; write nothing.") -> Callable:
    return click.option("--dry-run", is_flag=True, help=help)


def note_option(help: str = "A note kept with the change.") -> Callable:
    return click.option("--note", help=help)


class Fail(click.ClickException):
    """Bad data or a bad request: the message on stderr, exit 1. The message can quote a pull
    request's text (a file name, a symlink's target, git's words on them): it is printed as one
    line, control characters escaped (``one_line``)."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"secstatus: error: {one_line(self.format_message())}", err=True)


def today() -> dt.date:
    """Today, or the day of SOURCE_DATE_EPOCH when set, so that outputs are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return dt.date.today()
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise Fail(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970") from None


@contextlib.contextmanager
def refusals():
    """Turn the core's refusals of a request (unknown id, date off the calendar, no such month,
    a git failure) into exit 1."""
    from ..domain.diagnostics import Refusal

    try:
        yield
    except Refusal as exc:
        raise Fail(str(exc)) from None


@contextlib.contextmanager
def edit_lock(ctx: click.Context):
    """Hold the register's edit lock from loading it to writing the edit (see ``lock``)."""
    import sys

    from ..editing.lock import register_lock

    with refusals(), register_lock(data_root(ctx), " ".join(["secstatus", *sys.argv[1:]])):
        yield


def data_root(ctx: click.Context) -> Path:
    """The data folder given by --data, SECSTATUS_DATA or found above the current folder; one that
    is a symlink out of the folder that holds it is refused (``intake.check_data_folder``), and so
    is a folder with none of the record folders (``load.not_a_register``)."""
    from ..register.intake import check_data_folder
    from ..register.load import find_data_dir, not_a_register

    given = ctx.find_root().obj
    root = given if given is not None else find_data_dir(Path.cwd())
    if root is None:
        raise Fail("no data/ folder here or above; give one with --data DIR or SECSTATUS_DATA")
    if not root.is_dir():
        raise Fail(f"{root}: not a folder")
    with refusals():
        check_data_folder(root)
    problem = not_a_register(root)
    if problem:
        raise Fail(problem)
    return root


def load_or_fail(ctx: click.Context):
    """Load and check the register; refuse to go on (exit 1) when it holds errors. Its warnings,
    which such a command does not print, are not looked for (``checks.check``)."""
    return load_checked(ctx, warnings=False)[0]


def load_checked(ctx: click.Context, warnings: bool = True):
    """The register and its diagnostics (warnings, notes); refuse to go on (exit 1) when it holds errors."""
    checked = checked_register(ctx, warnings)
    return checked.register, checked.diagnostics


def checked_register(ctx: click.Context, warnings: bool = True):
    """``load_checked`` kept whole (``checks.Checked``): an edit checks the register with it in
    place from it, reading and checking again only what the edit changes."""
    from ..domain.diagnostics import fails
    from ..output.reporters import diagnostics_text
    from ..register.checks import check_register

    checked = check_register(data_root(ctx), warnings=warnings)
    if fails(checked.diagnostics):
        errors = [d for d in checked.diagnostics if d.severity == "error"]
        click.echo(diagnostics_text(errors), err=True, nl=False)
        raise Fail(f"the register has {len(errors)} error(s); run 'secstatus validate'")
    return checked


def figures_day(register, day: dt.date) -> dt.date:
    """The day the figures of a view of ``day`` are computed for: ``day``, or the register's
    horizon when ``day`` is past it (``report.within_horizon``), which is then said once on stderr."""
    from ..domain.events import long_date
    from ..report.build import within_horizon

    known = within_horizon(register, day, calendar_of(register))
    if known != day:
        click.echo(
            f"secstatus: note: the register's facts end on {long_date(known)}; what is shown for a later day "
            "is only what was recorded, and figures after that day are not computed",
            err=True,
        )
    return known


def calendar_of(register):
    """The working-day calendar with the register's own overrides."""
    from ..domain.workdays import calendar_for

    return calendar_for(register.calendar_days)


def emit(text: str | bytes) -> None:
    """Print a reporter's whole output as it is."""
    click.echo(text, nl=False)
