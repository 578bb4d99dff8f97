"""The command line: a thin click layer that parses arguments, calls the core, and prints through
the reporters (``output.reporters``); the console entry (``entry``) owns the process.

Commands live by group: ``register`` (validate, list, show, schema), ``assessments`` (wd, assess),
``report`` (report), ``editing`` (new, record, release), ``git`` (changes, history), ``site``
(site). Shared
parameter types, option decorators and the exit-code policy are in ``common``. Heavy libraries
(Pydantic, PyYAML, holidays, Jinja2, WeasyPrint) are imported inside the commands that use them,
so that ``secstatus --help`` starts as fast as click itself: the commands import the core's
modules inside their functions, the one layer allowed to.

May import: ``system/``, ``domain/``, ``register/``, ``analysis/``, ``report/``, ``history/``, ``output/``,
``editing/``, ``site/``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..output.text import one_line
from . import assessments, editing, git, register, report, site
from .common import DATA_DIR, DATA_HELP, data_option


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", "data_dir", type=DATA_DIR, metavar="DIR", envvar="SECSTATUS_DATA", help=DATA_HELP)
@click.version_option(package_name="secstatus")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None) -> None:
    """Validate, query and report on the Smart Energy Code modification register."""
    ctx.obj = data_dir


WITHOUT_REGISTER = ("init", "schema")
"""The commands that read no register (init makes one, schema prints the models): no --data."""


def _leaves(command: click.Command) -> list[click.Command]:
    if isinstance(command, click.Group):
        return [leaf for sub in command.commands.values() for leaf in _leaves(sub)]
    return [command]


for group in (register, assessments, report, editing, git, site):
    for command in group.COMMANDS:
        main.add_command(command)
        for leaf in _leaves(command):
            if leaf.name not in WITHOUT_REGISTER:
                data_option(leaf)


def run(argv: list[str] | None = None) -> None:
    """The console entry: the CLI, with a last-resort guard so that nothing from the data or the
    environment ends in a traceback. Any exception that escapes becomes one line
    ``secstatus: error: ...`` and exit 1; SECSTATUS_DEBUG=1 shows the traceback instead."""
    try:
        main(args=argv, prog_name="secstatus")
    except Exception as exc:
        if os.environ.get("SECSTATUS_DEBUG"):
            raise
        click.echo(f"secstatus: error: {one_line(last_resort_message(exc))}", err=True)
        sys.exit(1)


def last_resort_message(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror}"
    return f"unexpected {type(exc).__name__}: {exc} (run with SECSTATUS_DEBUG=1 for the traceback)"


if __name__ == "__main__":  # pragma: no cover
    run()
