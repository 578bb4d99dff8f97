"""Editing the register: new dp / modification / release / meeting / report / sec-version, record, set,
plan, import, release move.

Every edit is validated with the whole register before its file is touched; a refused edit exits 1
and writes nothing. A malformed or impossible date is a usage error (exit 2), as everywhere.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .common import (
    DATE,
    MONTH,
    DeclaredChoice,
    Fail,
    checked_register,
    data_root,
    date_option,
    dry_run_option,
    edit_lock,
    note_option,
    record_ids,
    refusals,
)


def apply_edit(ctx: click.Context, edit, before, dry_run: bool, checked=None) -> None:
    """Validate the register with the edit in place, then write it (or, with --dry-run, show it);
    ``before`` are the register's diagnostics without it, ``checked`` the register as loaded and
    checked (``checks.Checked``), from which only what the edit changes is checked again."""
    from ..editing.edit import EditError, apply, check_edit
    from ..output.reporters import diagnostics_text

    try:
        warnings = check_edit(data_root(ctx), edit, before, checked)
    except EditError as exc:
        click.echo(diagnostics_text(exc.diagnostics), err=True, nl=False)
        raise Fail(str(exc)) from None
    click.echo(diagnostics_text(warnings), err=True, nl=False)
    if dry_run:
        show_diff(edit)
        click.echo(f"dry run: {edit.summary} (not written)", err=True)
        return
    try:
        apply(edit)
    except OSError as exc:
        raise Fail(f"{edit.path}: cannot write: {exc.strerror}; nothing was written") from None
    click.echo(f"{edit.summary}: {edit.path}", err=True)


def show_diff(edit) -> None:
    """What an edit would write, as a unified diff (a new file's every line added)."""
    import difflib

    before = (edit.before or "").splitlines(keepends=True)
    click.echo(
        "".join(difflib.unified_diff(before, edit.after.splitlines(keepends=True), str(edit.path), str(edit.path))),
        nl=False,
    )


@click.group()
def new() -> None:
    """Create a new record from a commented template."""


@new.command("dp")
@click.option("--title", required=True, help="The Draft Proposal's title.")
@click.option("--proposer", required=True, help="Who raised it.")
@date_option("--raised", required=True, help="The day it was raised.")
@click.option("--summary", help="A paragraph on the issue it raises.")
@dry_run_option("Show the new file; write nothing.")
@click.pass_context
def new_dp(ctx: click.Context, title: str, proposer: str, raised: dt.date, summary: str | None, dry_run: bool) -> None:
    """Create the next Draft Proposal (DP076 after DP075); prints its id and path."""
    from ..editing.create import new_draft

    edit = create(ctx, lambda register, dirs: new_draft(register, dirs, title, proposer, raised, summary), dry_run)
    if not dry_run:
        click.echo(f"{edit.path.stem} {edit.path}")


def route_choices() -> tuple[str, ...]:
    from typing import get_args

    from ..domain.model import Route

    return get_args(Route)


@new.command("modification")
@click.argument("ident", metavar="ID")
@click.option("--title", required=True, help="Its title.")
@click.option("--proposer", help="Who raised it.")
@date_option("--raised", help="The day it was raised.")
@click.option("--route", type=DeclaredChoice(route_choices), help="Its governance route.")
@dry_run_option("Show the new file; write nothing.")
@click.pass_context
def new_modification(
    ctx: click.Context,
    ident: str,
    title: str,
    proposer: str | None,
    raised: dt.date | None,
    route: str | None,
    dry_run: bool,
) -> None:
    """Add a modification that already has its number ID (SECMP0071, DP080, MP080 or MP080A), raised
    elsewhere; an id the register holds in any form (DP080 or MP080) is refused. For the next Draft
    Proposal's number, use 'secstatus new dp'."""
    from ..editing.create import new_modification as make

    create(ctx, lambda register, dirs: make(register, dirs, ident, title, proposer, raised, route), dry_run)


@new.command("release")
@click.argument("ident", metavar="ID")
@date_option("--planned", required=True, help="The day it is planned for.")
@click.option("--name", metavar="TEXT", help="Its name (default for an id YYYY-MM: 'June 2020 SEC Release').")
@dry_run_option("Show the new file; write nothing.")
@click.pass_context
def new_release(ctx: click.Context, ident: str, planned: dt.date, name: str | None, dry_run: bool) -> None:
    """Add the release ID (data/releases/ID.yaml), planned for --planned. Move it later with
    'secstatus release move'."""
    from ..editing.create import new_release as make

    create(ctx, lambda register, dirs: make(register, dirs, ident, planned, name), dry_run)


def create(ctx: click.Context, make, dry_run: bool):
    """Every edit's one way through: under the register's lock, load it, make the edit with
    ``make(register, template_dirs)``, validate the register with it (reading again only the edited
    file, running again only the rules that can see it), then write it (or, with --dry-run, show
    it, needing no lock and so no write access)."""
    import contextlib

    from ..editing.edit import EditError
    from ..output import render

    with contextlib.nullcontext() if dry_run else edit_lock(ctx):  # a dry run writes nothing to guard
        checked = checked_register(ctx)
        with refusals():
            try:
                edit = make(checked.register, render.template_dirs(data_root(ctx)))
            except EditError as exc:
                raise Fail(f"{exc}; nothing was written") from None
        apply_edit(ctx, edit, checked.diagnostics, dry_run, checked)
    return edit


def meeting_bodies() -> tuple[str, ...]:
    from ..editing.create import MEETING_BODIES

    return MEETING_BODIES


@new.command("meeting")
@click.argument("body", metavar="BODY", type=DeclaredChoice(meeting_bodies))
@click.argument("date", metavar="DATE", type=DATE)
@click.option("--number", type=click.IntRange(min=1), help="A Panel meeting's number (68 in SECP_68_1005_07).")
@dry_run_option("Show the new file; write nothing.")
@click.pass_context
def new_meeting(ctx: click.Context, body: str, date: dt.date, number: int | None, dry_run: bool) -> None:
    """Record a meeting of BODY on DATE (data/meetings/DATE-BODY.yaml)."""
    from ..editing.create import new_meeting as make

    create(ctx, lambda register, dirs: make(register, dirs, body, date, number), dry_run)


@new.command("report")
@click.argument("month", metavar="MONTH", type=MONTH)
@click.option("--author", required=True, help="Who writes the report.")
@date_option("--date", help="The report's date (default: the month's second working day).")
@date_option("--panel", help="The Panel meeting it goes to (a meeting in data/meetings/).")
@click.option("--paper", type=click.IntRange(min=1), help="Its paper number at that meeting (07 in SECP_68_1005_07).")
@dry_run_option("Show the new file; write nothing.")
@click.pass_context
def new_report(
    ctx: click.Context,
    month: str,
    author: str,
    date: dt.date | None,
    panel: dt.date | None,
    paper: int | None,
    dry_run: bool,
) -> None:
    """Record the MONTH's Change Status Report paper: author, date and Panel paper (data/reports/MONTH.yaml)."""
    from ..editing.create import new_report as make

    create(ctx, lambda register, dirs: make(register, dirs, month, author, date, panel, paper), dry_run)


@new.command("sec-version")
@click.argument("version", metavar="VERSION")
@date_option("--effective", required=True, help="The day the version takes effect.")
@click.option("--modification", metavar="ID", help="The modification whose implementation made it.")
@click.option("--designation", metavar="TEXT", help="Or the designation that made it (e.g. a BEIS designation).")
@dry_run_option("Show the new file; write nothing.")
@click.pass_context
def new_sec_version(
    ctx: click.Context,
    version: str,
    effective: dt.date,
    modification: str | None,
    designation: str | None,
    dry_run: bool,
) -> None:
    """Record a designated SEC VERSION and its one cause (data/sec-versions/VERSION.yaml)."""
    from ..editing.create import new_sec_version as make

    if (modification is None) == (designation is None):
        raise click.UsageError("give exactly one cause: --modification ID or --designation TEXT")
    create(ctx, lambda register, dirs: make(register, dirs, version, effective, modification, designation), dry_run)


RECORD_SUMMARY = "Append one event to a modification's record, validated first."


def record_help() -> str:
    """record --help, with each kind and the options it takes, from the event declarations."""
    from ..domain.events import RECORDABLE

    lines = [RECORD_SUMMARY, "", "\b", "KIND is one of:"]
    for name, kind in RECORDABLE.items():
        options = [f"--{o.replace('_', '-')}" for o in kind.required]
        options += [f"[--{o.replace('_', '-')}]" for o in kind.optional]
        lines.append(f"  {name:26}{' '.join(options)}")
    lines += [
        "  (every kind also takes [--note])",
        "",
        "The event is inserted as text in date order; every other line stays as written. The whole "
        "register is validated with the change before the file is touched; a refused edit (unknown id, "
        "an event that contradicts the timeline, a release or meeting that does not exist) exits 1 and "
        "leaves the file unchanged. An unknown kind, an option the kind needs and was not given or does "
        "not take, or a malformed or impossible date is a usage error (exit 2).",
    ]
    return "\n".join(lines)


def record_options() -> list[click.Option]:
    """One option per field that any recordable kind takes, typed from the kinds' models."""
    from ..domain.events import OPTION_HELP, option_values

    options = []
    for name, help_text in OPTION_HELP.items():
        values = option_values(name)
        kind = (
            DATE
            if values == "date"
            else click.INT
            if values == "int"
            else click.Choice(values)
            if isinstance(values, tuple)
            else click.STRING
        )
        options.append(click.Option([f"--{name.replace('_', '-')}", name], type=kind, help=help_text))
    return options


class DeclaredCommand(click.Command):
    """A command whose help, KIND choices and options come from the event declarations, built when
    first used, so that ``secstatus --help`` does not import the models."""

    def _declare(self) -> None:
        if not getattr(self, "_declared", False):
            from ..domain.events import RECORDABLE

            kind = next(p for p in self.params if p.name == "kind")
            kind.type = click.Choice(list(RECORDABLE))
            at = self.params.index(kind) + 2  # after ID, KIND and --date
            self.params[at:at] = record_options()
            self.help = record_help()
            self._declared = True

    def get_params(self, ctx):
        self._declare()
        return super().get_params(ctx)

    def get_help(self, ctx):
        self._declare()
        return super().get_help(ctx)

    def get_short_help_str(self, limit: int = 45) -> str:
        return RECORD_SUMMARY


def check_kind_options(kind_name: str, options: dict) -> None:
    """A usage error (exit 2) for an option KIND needs and was not given, or one it does not take,
    as the kind's declaration (``events.RECORDABLE``) says."""
    from ..domain.events import RECORDABLE

    kind = RECORDABLE[kind_name]
    flag = lambda name: "--" + name.replace("_", "-")  # noqa: E731
    missing = [flag(name) for name in kind.required if options.get(name) is None]
    if missing:
        several = len(missing) > 1
        raise click.UsageError(
            f"Missing option{'s' if several else ''} {' and '.join(repr(m) for m in missing)}: "
            f"'{kind_name}' needs {'them' if several else 'it'}"
        )
    foreign = [flag(name) for name, value in options.items() if value is not None and name not in kind.options]
    if foreign:
        raise click.UsageError(
            f"'{kind_name}' takes no {', '.join(foreign)}; it takes: {', '.join(flag(name) for name in kind.options)}"
        )


@click.command(cls=DeclaredCommand)
@click.argument("ident", metavar="ID", shell_complete=record_ids("modifications"))
@click.argument("kind", metavar="KIND")
@date_option("--date", required=True, help="The day it happened.")
@dry_run_option()
@click.pass_context
def record(ctx: click.Context, /, ident: str, kind: str, date: dt.date, dry_run: bool, **options) -> None:
    from ..editing.edit import record_event

    check_kind_options(kind, options)
    create(ctx, lambda register, dirs: record_event(register, ident, kind, date, options), dry_run)


SET_SUMMARY = "Change one field of any record, validated first."


def set_help() -> str:
    """set --help, with the fields of each record type, read from the models."""
    from ..domain.model import RECORD_FOLDERS
    from ..editing.edit import settable_fields

    lines = [
        SET_SUMMARY,
        "",
        "ID is any record's id, as 'secstatus history' takes it (SECMP0062, MP071, 2019-11, 6.11, "
        "2019-05-10-panel, 2019-05); where two types share an id, give it as type:id (release:2019-06, "
        "report:2019-06). FIELD is one of its type's fields; a list field takes several VALUEs; a dated "
        "field takes --date and its text.",
        "",
        "\b",
        "FIELD VALUE, by record type:",
    ]
    for record_type in RECORD_FOLDERS.values():
        fields = settable_fields(record_type)
        if fields:
            lines.append(f"  {record_type.name}:")
            lines += [f"    {name:20}{field.value}" for name, field in fields.items()]
    lines += [
        "",
        "Events are not set: they are recorded ('secstatus record'), as are DCC assessments; a "
        "release's date is moved with 'secstatus release move', a modification's plan planned with "
        "'secstatus plan'; the fields a file is named after (a "
        "record's id, a SEC version's number, a meeting's body and date, a report's month) are not "
        "changed. --unset removes an optional field.",
        "",
        "The field's own lines change; every other line and comment stays as written. The whole register "
        "is validated with the change before the file is touched; a refused value (or a record or field "
        "that does not exist) exits 1 and leaves the file byte for byte as it was.",
    ]
    return "\n".join(lines)


class SetCommand(click.Command):
    """``set``, whose help lists the fields of each record type from the models, built when asked
    for, so that ``secstatus --help`` does not import them."""

    def get_help(self, ctx):
        self.help = set_help()
        return super().get_help(ctx)

    def get_short_help_str(self, limit: int = 45) -> str:
        return SET_SUMMARY


@click.command("set", cls=SetCommand)
@click.argument("ident", metavar="ID", shell_complete=record_ids())
@click.argument("field", metavar="FIELD")
@click.argument("values", metavar="VALUE...", nargs=-1)
@click.option("--unset", is_flag=True, help="Remove the field (an optional one); give no VALUE.")
@date_option("--date", help="The day of a dated field's text (latest_update): set ID latest_update --date DATE TEXT.")
@dry_run_option()
@click.pass_context
def set_(
    ctx: click.Context,
    ident: str,
    field: str,
    values: tuple[str, ...],
    unset: bool,
    date: dt.date | None,
    dry_run: bool,
) -> None:
    from ..editing.edit import set_field

    if unset and (values or date):
        raise click.UsageError("--unset takes no VALUE" + (" and no --date" if date else ""))
    if not unset and not values:
        raise click.UsageError("Missing argument 'VALUE...' (or --unset to remove the field)")
    create(ctx, lambda register, dirs: set_field(register, ident, field, list(values), unset, date), dry_run)


@click.group("release")
def release_group() -> None:
    """Releases: move a planned date."""


@release_group.command("move")
@click.argument("release_id", metavar="RELEASE", shell_complete=record_ids("releases"))
@click.argument("date", metavar="DATE", type=DATE)
@date_option("--decided", required=True, help="The day the move was decided.")
@note_option("Why it moved.")
@dry_run_option()
@click.pass_context
def release_move(
    ctx: click.Context, release_id: str, date: dt.date, decided: dt.date, note: str | None, dry_run: bool
) -> None:
    """Record that RELEASE will now happen on DATE, as decided on --decided.

    Reports for months before the decision still show the date as it then stood.
    """
    from ..editing.edit import move_release

    create(ctx, lambda register, dirs: move_release(register, release_id, date, decided, note), dry_run)


def milestone_choices() -> tuple[str, ...]:
    from ..domain.events import PLANNABLE

    return PLANNABLE


@click.command("plan")
@click.argument("ident", metavar="ID", shell_complete=record_ids("modifications"))
@click.argument("milestone", metavar="MILESTONE", type=DeclaredChoice(milestone_choices))
@click.argument("date", metavar="DATE", type=DATE)
@date_option("--decided", help="The day this plan was decided: needed for a re-plan, optional for the baseline.")
@note_option("Why it was planned or moved.")
@dry_run_option()
@click.pass_context
def plan(
    ctx: click.Context,
    ident: str,
    milestone: str,
    date: dt.date,
    decided: dt.date | None,
    note: str | None,
    dry_run: bool,
) -> None:
    """Plan MILESTONE of modification ID for DATE: its progression plan.

    MILESTONE is the kind of event that meets it, a step the process takes once (a conversion, a
    consultation, the Modification Report to the Panel, a Change Board vote, the Authority's decision,
    the implementation: an unknown one is answered with the list, declared with the event kinds). The
    first plan of a milestone is its baseline; a later one is a re-plan and gives --decided. When
    the event is recorded the milestone is met, on time or late by N working days against its
    baseline; a planned date that passes with no event is shown by
    'secstatus assess plans'. The Authority's expected decision date is the plan of authority-decision.
    """
    from ..editing.edit import plan_milestone

    create(ctx, lambda register, dirs: plan_milestone(register, ident, milestone, date, decided, note), dry_run)


IMPORT_SUMMARY = "Add the modifications of a spreadsheet (CSV), one a row, validated first."


class ImportCommand(click.Command):
    """``import``, whose help lists the columns from the model, built when asked for, so that
    ``secstatus --help`` does not import it."""

    def get_help(self, ctx):
        from ..editing.csvimport import columns

        self.help = (
            f"{IMPORT_SUMMARY}\n\nThe first row of FILE.csv names the columns, each a field of a "
            f"modification: {', '.join(columns())} (docs/data-format.md says how each cell is written). "
            "A list field's cell holds one item a line; an empty cell gives nothing.\n\n"
            "All or nothing: every row is read and the whole register validated with every new and "
            "changed file before one is written; any error (each located FILE.csv:ROW:COL, the header "
            "being row 1) exits 1 and writes nothing. A row whose id the register holds, in any form "
            "(MP071 names DP071), is refused unless --update."
        )
        return super().get_help(ctx)

    def get_short_help_str(self, limit: int = 45) -> str:
        return IMPORT_SUMMARY


@click.command("import", cls=ImportCommand)
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--update",
    is_flag=True,
    help="A row whose id the register holds sets that record's fields from its non-empty cells (refused without it).",
)
@dry_run_option("Show what would be written (a diff per file); write nothing.")
@click.pass_context
def import_(ctx: click.Context, csv_file: Path, update: bool, dry_run: bool) -> None:
    import contextlib

    from ..editing.edit import apply_all
    from ..output.reporters import diagnostics_text

    with contextlib.nullcontext() if dry_run else edit_lock(ctx), refusals():  # a dry run writes nothing to guard
        checked = checked_register(ctx)
        imported = _imported(ctx, checked, csv_file, update)
        click.echo(diagnostics_text(imported.warnings), err=True, nl=False)
        if dry_run:
            for edit in imported.edits:
                show_diff(edit)
        else:
            apply_all(imported.edits)
            for edit in imported.edits:
                click.echo(f"{edit.summary}: {edit.path}", err=True)
    counts = f"modifications: {imported.new} new, {imported.updated} updated, {imported.unchanged} unchanged"
    click.echo(
        f"dry run: {csv_file}: {counts} (nothing written)" if dry_run else f"imported {csv_file}: {counts}", err=True
    )


def _imported(ctx: click.Context, checked, csv_file: Path, update: bool):
    """The import's edits, validated; a refused import prints each problem, located in the file, and exits 1."""
    from ..editing.csvimport import ImportRefused, import_csv
    from ..output import render
    from ..output.reporters import diagnostics_text

    try:
        return import_csv(
            checked.register, render.template_dirs(data_root(ctx)), csv_file, update, checked.diagnostics, checked
        )
    except ImportRefused as exc:
        click.echo(diagnostics_text(exc.diagnostics), err=True, nl=False)
        raise Fail(str(exc)) from None


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--requirement",
    metavar="SPEC",
    help="How to install secstatus, pinned (default: this secstatus, as it was installed: "
    "its git repository at its commit, its version from the package index, or its local path).",
)
def init(folder: Path, requirement: str | None) -> None:
    """Make FOLDER (new or empty) a register repository, ready to use.

    The record folders under data/, the pre-commit hook and the pull-request and publishing
    workflows (all running the secstatus pinned in requirements.txt), a pull-request template,
    .gitignore, the records' JSON Schemas wired for editors, and a README for the register's
    maintainers; then git init. Prints what it pinned and where that came from.
    """
    from ..editing.repository import init_register

    with refusals():
        made = init_register(folder, requirement)
    pin = made.pin
    click.echo(f"pinned {pin.requirement} in requirements.txt ({pin.source})", err=True)
    if pin.hook_repo:
        click.echo(f"pre-commit hook: secstatus-validate as {pin.hook_repo} publishes it, at {pin.hook_rev}", err=True)
    else:
        click.echo(
            "pre-commit hook: the secstatus installed by 'pip install -r requirements.txt' (repo: local)", err=True
        )
    if not pin.portable:
        click.echo(
            "secstatus: warning: this pin installs on this machine only (a local path): CI and other "
            "machines cannot install it; to share the register, run init again with --requirement: a git "
            "address with its commit ('secstatus[pdf,site] @ git+URL@COMMIT') or a released version "
            "('secstatus[pdf,site]==VERSION')",
            err=True,
        )
    click.echo(f"wrote {len(made.files)} files into {folder}; next: see {folder / 'README.md'}", err=True)


COMMANDS = (new, record, set_, plan, import_, release_group, init)
