"""Git as the change record: changes, history."""

from __future__ import annotations

import click

from .common import data_root, emit, format_option, record_ids, refusals


@click.command()
@click.option("--base", help="Compare from this commit (default: the merge base with main or origin/main).")
@click.option("--head", help="Compare to this commit (default: the working tree, untracked files included).")
@format_option("changes")
@click.pass_context
def changes(ctx: click.Context, base: str | None, head: str | None, fmt: str) -> None:
    """What changed in the register between two commits, in the register's words.

    Records added, removed or renamed, events added, removed or changed, fields changed, and the
    stage transitions they make; then every other file that changed (templates, workflows,
    .gitignore, anything), to review as code. Every format is written by secstatus's own
    templates, never the register's.
    """
    from ..history.gitlog import changes as compute
    from ..output.reporters import present

    with refusals():
        base_sha, head_name, found = compute(data_root(ctx), base, head)
    emit(present("changes", fmt, {"base": base_sha, "head": head_name, "changes": found}))
    code = sum(change.kind == "code" for change in found)
    click.echo(
        f"{len(found) - code} record(s) changed and {code} other file(s) to review as code since {base_sha[:12]}",
        err=True,
    )


@click.command()
@click.argument("ident", metavar="ID", shell_complete=record_ids())
@format_option("history")
@click.pass_context
def history(ctx: click.Context, ident: str, fmt: str) -> None:
    """The commits that touched a record, newest first, each in the register's words.

    ID is any record's id, its file name without .yaml: SECMP0058 (or 58, MP071 for DP071),
    2019-11 (a release), 2019-05 (a report), 6.11 (a SEC version), 2019-05-01-working-group,
    overrides (the calendar). Where two types share an id, give it as type:id (release:2019-05).
    Follows renames (a copied file is a new record, as in `changes`); merge commits are left out,
    as `git log --follow` leaves them out.
    """
    from ..analysis.query import find_record
    from ..history.gitlog import history as compute
    from ..output.reporters import present

    with refusals():
        found = find_record(data_root(ctx), ident)
        commits = compute(data_root(ctx), found.path)
    emit(present("history", fmt, commits))


COMMANDS = (changes, history)
