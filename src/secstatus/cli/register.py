"""Reading the register: validate, list, show, schema."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from .common import (
    DeclaredChoice,
    Fail,
    as_at_option,
    calendar_of,
    data_root,
    emit,
    figures_day,
    format_option,
    load_or_fail,
    record_ids,
    refusals,
    today,
)


def stage_choices() -> tuple[str, ...]:
    """The stages (timeline.STAGES), and 'open' for those before a decision."""
    from ..domain.timeline import STAGES

    return (*STAGES, "open")


def schema_choices() -> tuple[str, ...]:
    """Each record type's name (``schemas.schema_names``), and 'all'."""
    from ..output.schemas import schema_names

    return (*schema_names(), "all")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on warnings too (not on acknowledged ones).")
@click.option("--show-acknowledged", is_flag=True, help="Also print acknowledged warnings, as notes.")
@format_option("diagnostics")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], strict: bool, show_acknowledged: bool, fmt: str) -> None:
    """Check every record of the register; show the findings in PATHS (default: all).

    Prints path:line:col: severity: message. Exit 0 when there are no errors (and, with
    --strict, no unacknowledged warnings), 1 otherwise; 2 when a PATH matches no file.
    """
    from ..domain.diagnostics import fails, shown
    from ..output.reporters import diagnostics_summary, present
    from ..register.checks import validate as run

    register, diagnostics = run(data_root(ctx))
    if paths:
        wanted = [os.path.normpath(os.path.relpath(p)) for p in paths]
        diagnostics = [
            d for d in diagnostics if any(d.path == w or d.path.startswith(w.rstrip(os.sep) + os.sep) for w in wanted)
        ]
    emit(present("diagnostics", fmt, shown(diagnostics, show_acknowledged)))
    click.echo(diagnostics_summary(diagnostics, register.files), err=True)
    ctx.exit(1 if fails(diagnostics, strict) else 0)


@click.command("list")
@as_at_option
@click.option(
    "--stage", type=DeclaredChoice(stage_choices), help="Only this stage ('open' = define, refine and opine)."
)
@format_option("rows")
@click.pass_context
def list_(ctx: click.Context, as_at: dt.date | None, stage: str | None, fmt: str) -> None:
    """List the modifications with their stage and status on a day."""
    from ..analysis.query import list_rows
    from ..output.reporters import LIST_COLUMNS, Table, present

    register = load_or_fail(ctx)
    day = as_at or today()
    with refusals():
        figures_day(register, day)  # a list holds no figure, but past the horizon it says so
        rows = list_rows(register, day, stage)
    emit(present("rows", fmt, Table(rows, LIST_COLUMNS)))


@click.command()
@click.argument("ident", metavar="ID", shell_complete=record_ids("modifications"))
@as_at_option
@format_option("modification")
@click.pass_context
def show(ctx: click.Context, ident: str, as_at: dt.date | None, fmt: str) -> None:
    """Show one modification as the register knew it on a day: its facts, stage and status, the
    events dated by then in words, its DCC assessments and its Appendix A status.

    Past the register's horizon (the last day its facts reach) durations are counted to the horizon."""
    from ..output.reporters import present
    from ..report.show import describe

    register = load_or_fail(ctx)
    day = as_at or today()
    with refusals():
        figures_day(register, day)  # past the register's horizon, said once; describe counts to it
        facts = describe(register, ident, day, calendar_of(register))
    emit(present("modification", fmt, facts))


@click.command()
@click.option(
    "--type",
    "kind",
    type=DeclaredChoice(schema_choices),
    default="all",
    show_default=True,
    help="Which record type ('all': one schema that accepts a record of any type).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Write every type's schema to DIR/TYPE.schema.json instead of printing one "
    "(refreshes a register's schemas/ after an upgrade).",
)
def schema(kind: str, out: Path | None) -> None:
    """Print the JSON Schema of the records (draft 2020-12), for editors (yaml-language-server)."""
    from ..output.schemas import all_schema, record_schema, schema_text, write_schemas

    if out is not None:
        with refusals():
            try:
                written = write_schemas(out)
            except OSError as exc:
                raise Fail(f"{exc.filename or out}: cannot write: {exc.strerror}") from None
        click.echo(f"wrote {len(written)} schemas into {out}", err=True)
        return
    emit(schema_text(all_schema() if kind == "all" else record_schema(kind)))


COMMANDS = (validate, list_, show, schema)
