"""The published register: site."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .common import (
    as_at_option,
    calendar_of,
    data_root,
    figures_day,
    follow_symlinks_option,
    load_or_fail,
    refusals,
    today,
)


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("site"),
    show_default=True,
    help="The folder to build into; replaced whole, and only if empty or an earlier site.",
)
@click.option(
    "--base-url",
    metavar="URL",
    callback=lambda ctx, param, value: _base_url(value),
    help="The address the site is published at (https://…/): every link in its feeds and calendar is "
    "then absolute. Without it they are relative to the feed, as the pages' links are.",
)
@as_at_option
@follow_symlinks_option
@click.pass_context
def site(ctx: click.Context, output: Path, base_url: str | None, as_at: dt.date | None, follow_symlinks: bool) -> None:
    """Build the register's static website, Atom feeds and iCalendar of key dates.

    Pages per modification and release, the reports archive (HTML and PDF), charts, written
    into a fresh folder and swapped into place. A day past the register's horizon (the last day
    its facts reach) is built as at the horizon.
    """
    from ..output import render
    from ..output.extras import require
    from ..output.files import check_output
    from ..site.build import build_site

    with refusals():
        require("site")
    with refusals():
        check_output(output, data_root(ctx), follow_symlinks)
    register = load_or_fail(ctx)
    with refusals():
        day = figures_day(register, as_at or today())  # past the register's horizon, the site is as at it
    click.echo(f"building the site into {output}...", err=True)
    with refusals():
        built = build_site(
            register, data_root(ctx), output, day, calendar_of(register), render.template_dirs(data_root(ctx)), base_url
        )
    click.echo(f"wrote {output}: {len(built.pages)} pages, {len(built.files)} files", err=True)


def _base_url(value: str | None) -> str | None:
    """The option's URL as the site takes it (``site.build.base_url``); a malformed one is a usage error."""
    if value is None:
        return None
    from ..site.build import SiteError, base_url

    try:
        return base_url(value)
    except SiteError as exc:
        raise click.BadParameter(str(exc)) from None


COMMANDS = (site,)
