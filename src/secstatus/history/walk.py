"""One walk of the register's history: every commit that changed the data folder, from one
``git log``, and each record's commits found in it, renames followed.

``git log --follow`` follows one path only, so asking it for each record costs records × commits.
Instead one ``git log --raw -M`` over the data folder lists every commit's changed files with
their blob ids, and each record's line (``RegisterLog.lineage``) is followed through that list
the way ``git log --follow`` follows it, newest commit first:

- a commit shows the path followed when it adds, modifies or deletes it, or renames to it; a
  rename to it is shown as one, and the older commits are then followed under the old name;
- a commit that renames the path followed to another name shows it deleted (``--follow`` diffs
  that one path, which that commit removes), and the older commits keep the name;
- an addition without a rename keeps the name too, so a file deleted and added again shows both
  lives, as ``--follow`` does; merge commits are left out, as ``--follow`` leaves them out.

Renames are found by git among the files of the data folder (``-M``, git's default similarity,
no limit on the number of files compared). A copy is an addition: ``--follow`` also looked for
copies of any file of the repository and took a copied record's history for its own, called
the copy a rename; ``changes`` has always called it a new record, and so does the walk.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

LOG_FORMAT = "%x00%H%x00%ad%x00%an%x00%s"
"""NUL separates a commit's fields: its author or subject (from a pull request) cannot hold one."""

NO_BLOB = frozenset({"0" * 40, "0" * 64})
"""The id ``--raw`` gives the side of a change where the file is absent."""


def log_args(prefix: str) -> tuple[str, ...]:
    """The one ``git log`` of the register's history: every commit but merges, newest first (git's
    order, which ``--follow`` walks too), the files under ``prefix`` it changed, renames found,
    with both sides' blob ids. Each flag that git's configuration could otherwise set is given."""
    return (
        "log",
        "-z",
        "--raw",
        "--no-abbrev",
        "-M",
        "-l0",
        "--no-merges",
        "--full-history",
        "--root",
        "--date=short",
        f"--format={LOG_FORMAT}",
        "--",
        prefix,
    )


@dataclass(frozen=True)
class LogCommit:
    sha: str
    date: str
    author: str
    subject: str


@dataclass(frozen=True)
class FileChange:
    """One file's change in one commit, as ``git log --follow`` shows it for the path followed:
    its status (A, M, D, T or R), both paths (the same but for a rename), and the blob id of each
    side (None where the file is absent)."""

    commit: int
    """The commit's place in the log, newest first."""
    status: str
    old_path: str
    new_path: str
    old_blob: str | None
    new_blob: str | None


class RegisterLog:
    """Every commit of the walk and the changes it made, found by path."""

    def __init__(self, commits: list[LogCommit], changes: list[FileChange]):
        self.commits = commits
        self._by_path: dict[str, list[FileChange]] = {}
        for change in changes:  # newest first: each path's list stays in the log's order
            self._by_path.setdefault(change.new_path, []).append(change)
            if change.status == "R":
                self._by_path.setdefault(change.old_path, []).append(change)
        self._places = {path: [change.commit for change in found] for path, found in self._by_path.items()}

    def lineage(self, path: str) -> list[FileChange]:
        """The changes that made the file at ``path`` (relative to the repository), newest first,
        renames followed: each commit's change as ``git log --follow -- path`` shows it."""
        out: list[FileChange] = []
        name, start = path, 0
        while name in self._by_path:
            at = bisect.bisect_left(self._places[name], start)
            if at == len(self._places[name]):
                break
            change = self._by_path[name][at]
            if change.status == "R" and change.old_path == name:  # renamed away: a deletion of this name
                change = FileChange(change.commit, "D", name, name, change.old_blob, None)
            out.append(change)
            if change.status == "R":
                name = change.old_path
            start = change.commit + 1
        return out


def parse_log(text: str) -> RegisterLog:
    """Read the output of ``log_args``: per commit, NUL-separated, its four fields, then a
    ``:mode mode blob blob STATUS`` field per changed file followed by its path (two for a rename)."""
    fields = text.split("\0")
    commits: list[LogCommit] = []
    changes: list[FileChange] = []
    at = 0
    while at < len(fields):
        if not fields[at]:
            at += 1
            continue
        commits.append(LogCommit(*fields[at : at + 4]))
        at += 4
        while at < len(fields) and fields[at].lstrip("\n").startswith(":"):
            _, _, old_blob, new_blob, status = fields[at].lstrip("\n")[1:].split(" ")
            letter = status[:1]
            if letter in "RC":
                old_path, new_path = fields[at + 1], fields[at + 2]
                at += 3
            else:
                old_path = new_path = fields[at + 1]
                at += 2
            if letter == "C":  # not asked for (no -C); a copy is a new file
                letter, old_path = "A", new_path
            changes.append(
                FileChange(
                    len(commits) - 1,
                    letter,
                    old_path,
                    new_path,
                    None if old_blob in NO_BLOB or letter == "A" else old_blob,
                    None if new_blob in NO_BLOB else new_blob,
                )
            )
    return RegisterLog(commits, changes)
