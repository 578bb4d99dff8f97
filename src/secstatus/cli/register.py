"""Reading the register: validate, list, show, schema."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from .common import (DeclaredChoice, as_at_option, calendar_of, data_root, emit, figures_day, format_option, keep,
                     load_or_fail, refusals, today)

def stage_choices() -> tuple[str, ...]:
    """The stages (timeline.STAGES), and 'open' for those before a decision."""
    from ..timeline import STAGES

    return (*STAGES, "open")
SCHEMA_NAMES = {"modification": "modifications", "release": "releases", "sec-version": "sec-versions",
                "meeting": "meetings", "report": "reports", "calendar": "calendar"}
"""``schema --type`` name → the register folder whose model it prints."""


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
    from ..checks import validate as run
    from ..diagnostics import fails, shown
    from ..reporters import diagnostics_summary, present

    register, diagnostics = run(data_root(ctx), freeze=True)  # the process is the command's (load_register)
    keep(register)  # freed only by the end of the process (``entry``)
    if paths:
        wanted = [os.path.normpath(os.path.relpath(p)) for p in paths]
        diagnostics = [d for d in diagnostics
                       if any(d.path == w or d.path.startswith(w.rstrip(os.sep) + os.sep) for w in wanted)]
    emit(present("diagnostics", fmt, shown(diagnostics, show_acknowledged)))
    click.echo(diagnostics_summary(diagnostics, register.files), err=True)
    ctx.exit(1 if fails(diagnostics, strict) else 0)


@click.command("list")
@as_at_option
@click.option("--stage", type=DeclaredChoice(stage_choices), help="Only this stage ('open' = define, refine and opine).")
@format_option("rows")
@click.pass_context
def list_(ctx: click.Context, as_at: dt.date | None, stage: str | None, fmt: str) -> None:
    """List the modifications with their stage and status on a day."""
    from ..query import list_rows
    from ..reporters import LIST_COLUMNS, present

    register = load_or_fail(ctx)
    day = as_at or today()
    with refusals():
        figures_day(register, day)  # a list holds no figure, but past the horizon it says so
        rows = list_rows(register, day, stage)
    emit(present("rows", fmt, rows, LIST_COLUMNS))


@click.command()
@click.argument("ident", metavar="ID")
@as_at_option
@format_option("modification")
@click.pass_context
def show(ctx: click.Context, ident: str, as_at: dt.date | None, fmt: str) -> None:
    """Show one modification as the register knew it on a day: its facts, stage and status, the
    events dated by then in words, its DCC assessments and its Appendix A status.

    Past the register's horizon (the last day its facts reach) durations are counted to the horizon."""
    from ..query import describe
    from ..reporters import present

    register = load_or_fail(ctx)
    day = as_at or today()
    with refusals():
        figures_day(register, day)  # past the register's horizon, said once; describe counts to it
        facts = describe(register, ident, day, calendar_of(register))
    emit(present("modification", fmt, facts))


@click.command()
@click.option("--type", "kind", type=click.Choice([*SCHEMA_NAMES, "all"]), default="all",
              show_default=True, help="Which record type.")
def schema(kind: str) -> None:
    """Print the JSON Schema of the records, for editors (yaml-language-server)."""
    import json

    from ..model import RECORD_TYPES

    if kind == "all":
        out = {name: RECORD_TYPES[folder].model_json_schema() for name, folder in SCHEMA_NAMES.items()}
    else:
        out = RECORD_TYPES[SCHEMA_NAMES[kind]].model_json_schema()
    click.echo(json.dumps(out, indent=2, ensure_ascii=False))


COMMANDS = (validate, list_, show, schema)
