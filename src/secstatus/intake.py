"""Which files of the data folder the loader reads, and how it reads one safely.

Rules:
- files git ignores are skipped (one ``git ls-files`` per load, only inside a repository);
- the edit lock and placeholders (``.gitkeep``) are skipped; editor and OS droppings
  (``.DS_Store``, ``*.swp``, ``*~``, ``.#*``) are skipped with a warning;
- a symlink that leaves the register (or is broken, or loops) is an error and is never followed;
- a file over MAX_FILE_BYTES is refused before its bytes are read; a file that cannot be read
  (removed meanwhile, no permission) is an error at line 1, never a traceback.
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
from pathlib import Path
from typing import Iterator, Mapping

from .diagnostics import Diagnostic, error, warning
from .files import TEMPORARY_SUFFIX
from .lock import LOCK_NAME
from .model import RECORD_TYPES

Overrides = Mapping[Path, bytes]

MAX_FILE_BYTES = 1024 * 1024
"""A record file larger than this (1 MiB) is refused before it is read: the largest real record
is a few kilobytes, and a huge one would cost memory and pages of PDF."""

DROPPINGS = (".DS_Store", "Thumbs.db", "desktop.ini", "*.swp", "*.swo", "*~", ".#*", "#*#", "*" + TEMPORARY_SUFFIX)
"""Names of files that editors and operating systems leave beside records: skipped with a warning."""


class LoadError(Exception):
    """A file cannot become a record; carries the diagnostic that says why."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def relative(path: Path, root: Path) -> str:
    try:
        return os.path.relpath(path, Path.cwd())
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)


def walk(root: Path, overrides: Overrides) -> Iterator[tuple[Path, str, Diagnostic | None]]:
    """Every file under ``root`` with its record folder, or a diagnostic for a file that has none."""
    boundary = root.resolve()
    for entry in _entries(root, root):
        rel = relative(entry, root)
        if entry.name in (".gitkeep", LOCK_NAME):
            continue  # an empty placeholder that keeps a folder in git; the edit lock
        problem = _skipped(entry, rel, boundary)
        if problem:
            yield entry, "", problem
        elif entry.is_dir() and entry.name in RECORD_TYPES:
            yield from _walk_folder(entry, root, overrides, boundary)
        elif entry.is_dir():
            yield entry, "", error(rel, 1, 1, "unknown-folder",
                                   f"not a register folder; expected one of: {', '.join(RECORD_TYPES)}")
        else:
            yield entry, "", error(rel, 1, 1, "not-a-record",
                                   f"a file outside the record folders ({', '.join(RECORD_TYPES)})")


def _walk_folder(folder: Path, root: Path, overrides: Overrides, boundary: Path
                 ) -> Iterator[tuple[Path, str, Diagnostic | None]]:
    new = {p for p in overrides if p.parent == folder.resolve() and not p.exists()}
    for entry in sorted([*_entries(folder, root), *new]):
        rel = relative(entry, root)
        if entry.name in (".gitkeep",):
            continue
        problem = _skipped(entry, rel, boundary)
        if problem:
            yield entry, "", problem
        elif entry.is_dir():
            yield entry, "", error(rel, 1, 1, "not-a-record", "folders inside record folders are not read")
        elif entry.suffix != ".yaml":
            yield entry, "", error(rel, 1, 1, "not-a-record",
                                   f"not a record: files in {folder.name}/ must end in .yaml")
        else:
            yield entry, folder.name, None


def _entries(folder: Path, root: Path) -> list[Path]:
    """The folder's entries, sorted; a folder that cannot be listed raises LoadError."""
    try:
        return sorted(folder.iterdir())
    except OSError as exc:
        raise LoadError(error(relative(folder, root), 1, 1, "unreadable",
                              f"cannot list the folder: {exc.strerror}")) from None


def is_dropping(name: str) -> bool:
    """An editor's swap or backup file, or an operating system's folder metadata."""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in DROPPINGS)


def _skipped(entry: Path, rel: str, boundary: Path) -> Diagnostic | None:
    """A warning for a dropping, an error for a symlink that leaves the register; else None."""
    if is_dropping(entry.name):
        return warning(rel, 1, 1, "ignored-file", "skipped: an editor or operating-system file, not a record")
    if entry.is_symlink():
        try:
            target = entry.resolve(strict=True)
        except (OSError, RuntimeError):
            return error(rel, 1, 1, "symlink", "a broken or looping symlink: not read")
        if not target.is_relative_to(boundary):
            return error(rel, 1, 1, "symlink",
                         f"a symlink to {target}, outside the register: not read (copy the file in instead)")
    return None


def git_ignored(root: Path) -> set[Path]:
    """The files and folders under ``root`` that git ignores (one git call; none outside a
    repository or without git)."""
    if not any((folder / ".git").exists() for folder in (root.resolve(), *root.resolve().parents)):
        return set()
    try:
        done = subprocess.run(["git", "-C", str(root), "ls-files", "--others", "--ignored", "--exclude-standard",
                               "--directory", "-z", "--", "."], capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return set()
    if done.returncode != 0:
        return set()
    names = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    return {root / name.rstrip("/") for name in names if name}


def read_limited(path: Path, rel: str) -> bytes:
    """The file's bytes; LoadError if it is over MAX_FILE_BYTES (checked before reading) or
    cannot be read (gone, no permission, not a file)."""
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
                raise LoadError(_too_large(rel))
            return limited(handle.read(MAX_FILE_BYTES + 1), rel)
    except OSError as exc:
        gone = " (removed while it was being read?)" if isinstance(exc, FileNotFoundError) else ""
        raise LoadError(error(rel, 1, 1, "unreadable", f"cannot read the file: {exc.strerror}{gone}")) from None


def limited(raw: bytes, rel: str) -> bytes:
    if len(raw) > MAX_FILE_BYTES:
        raise LoadError(_too_large(rel))
    return raw


def _too_large(rel: str) -> Diagnostic:
    return error(rel, 1, 1, "too-large", f"file over {MAX_FILE_BYTES // 1024} KiB: refused before reading; "
                                         "a record holds facts, not documents")
