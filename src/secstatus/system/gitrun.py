"""Every git process secstatus starts, started one way: nothing the repository's configuration
names is run.

A register's repository can come from someone else (a clone handed over, a checkout in CI), and
its ``.git/config`` and ``.gitattributes`` can name commands for git to run: an fsmonitor hook
on every index read, clean and smudge filters, diff drivers and external diffs, a pager, hooks,
an SSH command or a credential helper for a fetch (a partial clone fetches missing files by
itself), a GPG program for ``log.showSignature``. ``start`` (and ``run`` on top of it) is the
one place a git process is made; it switches each of those off, whoever configured it:

- ``-c`` overrides, which outrank every configuration file: no fsmonitor, no hooks, no pager,
  no editor, no signature checks, no SSH command or credential helper, and no transport at all
  (so no fetch, nor a remote's upload-pack command); submodules are left alone;
- every filter driver that any configuration defines has its commands emptied, for each git
  command that can read the working tree's files (git lists the drivers with ``git config
  --get-regexp``, which runs nothing);
- ``diff`` and ``log`` get ``--no-ext-diff --no-textconv``;
- the environment asks for no prompt, no optional lock (a read never rewrites the index) and no
  lazy fetch.

The user's own global and system configuration is still read (an identity, ``safe.directory``
in CI); only what can run a command is overridden. Merge drivers, ``core.alternateRefsCommand``
and the like run only when git merges, fetches or serves a fetch, which secstatus never asks for,
and ``uploadpack.packObjectsHook`` is honoured only outside a repository's own configuration.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

OVERRIDES = {
    "core.fsmonitor": "false",
    "core.hooksPath": os.devnull,
    "core.pager": "cat",
    "core.editor": "false",
    "sequence.editor": "false",
    "core.sshCommand": "false",
    "credential.helper": "",
    "protocol.allow": "never",
    "diff.external": "",
    "log.showSignature": "false",
    "submodule.recurse": "false",
    "diff.ignoreSubmodules": "all",
    "core.quotePath": "false",
}
"""What git would otherwise take from the repository's configuration and run (or, for
``core.quotePath``, print in a form secstatus does not read)."""

ENVIRONMENT = {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "GIT_NO_LAZY_FETCH": "1"}

SUBCOMMAND_FLAGS = {"diff": ("--no-ext-diff", "--no-textconv"), "log": ("--no-ext-diff", "--no-textconv")}
"""Flags a subcommand takes so that no diff driver runs."""

NO_FILTERS = frozenset({"cat-file", "log", "rev-parse", "merge-base", "config", "init", "check-ignore"})
"""Subcommands that never read a working-tree file through a filter (``cat-file`` without
``--filters`` or ``--textconv``): they need no listing of the filter drivers."""

_VALUES = {"SECSTATUS_GIT_EMPTY": "", "SECSTATUS_GIT_FALSE": "false"}
"""The environment variables that hold a filter driver's new values for a driver whose name holds
``=``: ``-c`` splits at the first ``=``, ``--config-env`` (git 2.32) at the last."""


def start(repo: Path, *args: str, **popen: Any) -> subprocess.Popen:
    """Start ``git -C repo ARGS`` with nothing of the repository's configuration run; ``popen``
    are ``subprocess.Popen``'s arguments. Paths after ``--`` are literal (a file named
    ``[a].yaml`` is that file, not a pattern)."""
    filters = () if _never_filters(args) else _filter_overrides(repo)
    return _popen(repo, (*filters, *_subcommand(args)), **popen)


def run(
    repo: Path, *args: str, input: bytes | None = None, timeout: float | None = None
) -> subprocess.CompletedProcess:
    """Run git (``start``) to its end: its exit status, its output and its errors as bytes."""
    with start(
        repo,
        *args,
        stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        try:
            out, err = process.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _popen(repo: Path, args: tuple[str, ...], **popen: Any) -> subprocess.Popen:
    options = [item for key, value in OVERRIDES.items() for item in ("-c", f"{key}={value}")]
    literal = [] if args[:1] == ("check-ignore",) else ["--literal-pathspecs"]  # it takes names, not pathspecs
    return subprocess.Popen(
        ["git", "--no-pager", *literal, *options, "-C", str(repo), *args],
        env={**os.environ, **ENVIRONMENT, **_VALUES},
        **popen,
    )


def _subcommand(args: tuple[str, ...]) -> tuple[str, ...]:
    return (args[0], *SUBCOMMAND_FLAGS.get(args[0], ()), *args[1:]) if args else args


def _never_filters(args: tuple[str, ...]) -> bool:
    return bool(args) and args[0] in NO_FILTERS and "--filters" not in args and "--textconv" not in args


def _filter_overrides(repo: Path) -> tuple[str, ...]:
    """``--config-env`` options that empty the commands of every filter driver the configuration
    defines, and make each optional (git stops at a required filter that does nothing)."""
    with _popen(
        repo,
        ("config", "-z", "--name-only", "--get-regexp", r"^filter\."),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    ) as listing:
        names = listing.communicate()[0].decode("utf-8", "surrogateescape").split("\0")
    drivers = sorted({name[len("filter.") :].rpartition(".")[0] for name in names if name.count(".") >= 2})
    values = (
        ("clean", "SECSTATUS_GIT_EMPTY"),
        ("smudge", "SECSTATUS_GIT_EMPTY"),
        ("process", "SECSTATUS_GIT_EMPTY"),
        ("required", "SECSTATUS_GIT_FALSE"),
    )
    return tuple(
        item
        for driver in drivers
        for key, variable in values
        for item in (
            (f"--config-env=filter.{driver}.{key}={variable}",)
            if "=" in driver
            else ("-c", f"filter.{driver}.{key}={_VALUES[variable]}")
        )
    )
