"""Working days, DCC assessments and progression plans: wd, assess overdue, assess plans, assess timescales."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .common import DATE, as_at_option, calendar_of, emit, figures_day, format_option, load_or_fail, refusals, today


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, metavar="START END | add START N")
@click.option("--explain", is_flag=True, help="List the weekend days and holidays skipped, by name.")
@format_option("workdays")
@click.pass_context
def wd(ctx: click.Context, args: tuple[str, ...], explain: bool, fmt: str) -> None:
    """Count working days, or add them to a date (England and Wales).

    \b
    secstatus wd START END      WD after START up to and including END
    secstatus wd add START N    the date N WD after START (before it if N < 0)

    The register's calendar overrides (data/calendar/) apply when a register is found.
    """
    from ..domain.workdays import default_calendar
    from ..output.reporters import present
    from ..register.load import find_data_dir

    if len(args) == 3 and args[0] == "add":
        start, n = _argument(ctx, DATE, args[1], "START"), _argument(ctx, click.INT, args[2], "N")
    elif len(args) == 2:
        start, end = _argument(ctx, DATE, args[0], "START"), _argument(ctx, DATE, args[1], "END")
    else:
        raise click.UsageError("expected START END, or add START N")
    found = ctx.find_root().obj or find_data_dir(Path.cwd())
    cal = calendar_of(load_or_fail(ctx)) if found else default_calendar()
    with refusals():
        if args[0] == "add":
            result = {"start": start, "n": n, "date": cal.add(start, n)}
        else:
            result = {
                "start": start,
                "end": end,
                "count": cal.count(start, end),
                "skipped": cal.explain(start, end) if explain else None,
            }
    emit(present("workdays", fmt, result))


def _argument(ctx: click.Context, kind: click.ParamType, value: str, name: str):
    """One of wd's free-form arguments, converted by its type; a bad one is a usage error naming it."""
    try:
        return kind.convert(value, None, ctx)
    except click.BadParameter as exc:
        exc.param_hint = f"'{name}'"
        raise


@click.group()
def assess() -> None:
    """DCC assessments and progression plans: what is overdue, and the paper's timescales."""


@assess.command("overdue")
@as_at_option
@format_option("rows")
@click.pass_context
def assess_overdue(ctx: click.Context, as_at: dt.date | None, fmt: str) -> None:
    """Every assessment outstanding on the day whose target has passed, acceptance date held or not.

    Past the register's horizon (the last day its facts reach) the figures are as at the horizon."""
    from ..analysis.assessments import overdue
    from ..output.reporters import OVERDUE_COLUMNS, Table, present

    register = load_or_fail(ctx)
    with refusals():
        rows = overdue(register, figures_day(register, as_at or today()), calendar_of(register))
    emit(present("rows", fmt, Table(rows, OVERDUE_COLUMNS)))


@assess.command("plans")
@as_at_option
@click.option("--all", "every", is_flag=True, help="Every planned milestone, met, planned or closed too.")
@format_option("rows")
@click.pass_context
def assess_plans(ctx: click.Context, as_at: dt.date | None, every: bool, fmt: str) -> None:
    """Every milestone of a progression plan whose planned date passed with no event, most overdue
    first: its baseline, its current plan, the WD it is overdue and the current plan's slippage
    against the baseline (with --all, every planned milestone and its status).

    Past the register's horizon (the last day its facts reach) a date is missed only before the horizon."""
    from ..analysis.plans import plan_rows
    from ..output.reporters import PLAN_COLUMNS, Table, present

    register = load_or_fail(ctx)
    day = as_at or today()
    with refusals():
        rows = plan_rows(register, day, figures_day(register, day), calendar_of(register), every)
    emit(present("rows", fmt, Table(rows, PLAN_COLUMNS)))


@assess.command("timescales")
@as_at_option
@format_option("timescales")
@click.pass_context
def assess_timescales(ctx: click.Context, as_at: dt.date | None, fmt: str) -> None:
    """The paper's two statistics tables: DCC assessments and modification progression.

    Past the register's horizon (the last day its facts reach) the figures are as at the horizon."""
    from ..analysis.assessments import assessment_timescales, modification_timescales
    from ..output.reporters import present

    register = load_or_fail(ctx)
    cal = calendar_of(register)
    with refusals():
        day = figures_day(register, as_at or today())
        figures = {
            "assessments": assessment_timescales(register, day, cal),
            "modifications": modification_timescales(register, day, cal),
        }
    emit(present("timescales", fmt, figures))


COMMANDS = (wd, assess)
