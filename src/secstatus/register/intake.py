"""Which files of the data folder the loader reads, and how it reads one safely.

Rules:
- files git ignores are skipped (one ``git ls-files`` per load, only inside a repository), but a
  record file git ignores is an error: the register would not see it, nor ``git add`` keep it;
- the edit lock, placeholders (``.gitkeep``) and the temporary files of a killed write
  (``is_temporary``: an edit removes them, under the lock) are skipped; editor and OS droppings
  (``.DS_Store``, ``*.swp``, ``*~``, ``.#*``) are skipped with a warning;
- a symlink that leaves the register (or is broken, or loops) is an error and is never followed;
  a data folder that is itself a symlink out of the folder that holds it is refused;
- a file over MAX_FILE_BYTES is refused before its bytes are read; a file that cannot be read
  (removed meanwhile, no permission) is an error at line 1, never a traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..domain.diagnostics import Diagnostic, Refusal, error, warning
from ..domain.model import RECORD_TYPES
from ..system import gitrun
from .yamlread import LoadError

Overrides = Mapping[Path, bytes]

TEMPORARY_SUFFIX = ".secstatus-tmp"
"""The end of the name of a temporary file that ``files.write_output`` writes beside its target:
declared here, where the loader skips such files, and the writer names its files by it."""

LOCK_NAME = ".secstatus.lock"
"""The edit lock's file in the data folder (``editing.lock``): named here, where the loader skips
it without importing the lock, which needs a platform's file locking."""

_TEMPORARY = re.compile(r"\..+\.[0-9a-f]{8}" + re.escape(TEMPORARY_SUFFIX), re.DOTALL)


def is_temporary(name: str) -> bool:
    """A name ``write_output`` gives its temporary files (``.DP071.yaml.1a2b3c4d.secstatus-tmp``)."""
    return _TEMPORARY.fullmatch(name) is not None


MAX_FILE_BYTES = 1024 * 1024
"""A record file larger than this (1 MiB) is refused before it is read: the largest real record
is a few kilobytes, and a huge one would cost memory and pages of PDF."""

DROPPING_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
DROPPING_ENDS = (".swp", ".swo", "~", TEMPORARY_SUFFIX)
DROPPING_STARTS = (".#",)
"""Files that editors and operating systems leave beside records (``.DS_Store``, ``*.swp``,
``*~``, ``.#*``, ``#*#``, a name that ends like a write's temporary file but is not one of
``write_output``'s own): skipped with a warning."""


class DataFolderError(Refusal, ValueError):
    """The data folder itself cannot be read safely."""


def check_data_folder(root: Path) -> None:
    """Refuse a data folder that is a symlink leading out of the folder that holds it (the
    repository): a pull request could commit ``data`` as a link to any folder of the machine,
    whose files would be read, and an edit would write there."""
    if not root.is_symlink():
        return
    target = root.resolve()
    holder = root.absolute().parent.resolve()
    if not target.is_relative_to(holder):
        raise DataFolderError(
            f"{root}: a symlink to {target}, outside the repository that holds it ({holder}): "
            f"not read (to read that register, give --data {target})"
        )


def relative(path: Path | str) -> str:
    """``path`` as diagnostics name it: relative to the current folder."""
    try:
        return os.path.relpath(path, os.getcwd())
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)


def _child(folder_rel: str, name: str) -> str:
    """The relative name of an entry of a folder whose relative name is known: the same string as
    ``relative`` gives (an entry cannot hold the current folder), without a system call per file."""
    return name if folder_rel == "." else folder_rel + os.sep + name


WalkEntry = tuple[Path, str, str, Diagnostic | None]
"""Each entry: its path, its relative name, its record folder ("" when it is not a record), and
the diagnostic that says why it is not read (None: read it)."""
Walked = Iterator[WalkEntry]


@dataclass(frozen=True)
class _Entry:
    path: Path
    name: str
    is_dir: bool
    is_symlink: bool
    new: bool = False  # a file an edit would create


def walk(root: Path, overrides: Overrides, links: dict[Path, Path] | None = None) -> Walked:
    """Every file under ``root`` with its record folder, or a diagnostic for a file that has none;
    each file of a record folder that is a symlink (within the register) is put in ``links``,
    with where it leads.

    One directory read per folder and no system call per ordinary file: a file's type comes with
    the listing, and only symlinks are resolved."""
    boundary = root.resolve()
    root_rel = relative(root)
    for entry in _entries(root, {}):
        rel = _child(root_rel, entry.name)
        if entry.name in (".gitkeep", LOCK_NAME) or _is_own_temporary(entry):
            continue  # an empty placeholder that keeps a folder in git; the edit lock; a killed write's file
        problem = _skipped(entry, rel, boundary)
        if problem:
            yield entry.path, rel, "", problem
        elif entry.is_dir and entry.name in RECORD_TYPES:
            yield from _walk_folder(entry.path, rel, overrides, boundary, links)
        elif entry.is_dir:
            yield (
                entry.path,
                rel,
                "",
                error(
                    rel, 1, 1, "unknown-folder", f"not a register folder; expected one of: {', '.join(RECORD_TYPES)}"
                ),
            )
        else:
            yield (
                entry.path,
                rel,
                "",
                error(rel, 1, 1, "not-a-record", f"a file outside the record folders ({', '.join(RECORD_TYPES)})"),
            )


def _walk_folder(
    folder: Path, folder_rel: str, overrides: Overrides, boundary: Path, links: dict[Path, Path] | None
) -> Walked:
    for entry in _entries(folder, overrides):
        rel = relative(entry.path) if entry.new else _child(folder_rel, entry.name)
        if entry.name == ".gitkeep" or _is_own_temporary(entry):
            continue
        problem = _skipped(entry, rel, boundary)
        if problem:
            yield entry.path, rel, "", problem
        elif entry.is_dir:
            yield entry.path, rel, "", error(rel, 1, 1, "not-a-record", "folders inside record folders are not read")
        elif not entry.name.endswith(".yaml") or entry.name == ".yaml":
            yield (
                entry.path,
                rel,
                "",
                error(rel, 1, 1, "not-a-record", f"not a record: files in {folder.name}/ must end in .yaml"),
            )
        else:
            if entry.is_symlink and links is not None:
                links[entry.path] = entry.path.resolve()
            yield entry.path, rel, folder.name, None


def _entries(folder: Path, overrides: Overrides) -> list[_Entry]:
    """The folder's entries in name order, with the files an edit in ``overrides`` would create
    there; a folder that cannot be listed raises LoadError."""
    try:
        with os.scandir(folder) as scan:
            entries = [_Entry(folder / e.name, e.name, e.is_dir(), e.is_symlink()) for e in scan]
    except OSError as exc:
        raise LoadError(
            error(relative(folder), 1, 1, "unreadable", f"cannot list the folder: {exc.strerror}")
        ) from None
    if overrides:
        resolved = folder.resolve()
        entries += [_Entry(p, p.name, False, False, True) for p in overrides if p.parent == resolved and not p.exists()]
    return sorted(entries, key=lambda e: e.name)


def is_skipped(name: str) -> bool:
    """A file the loader does not read as a record: a placeholder, the edit lock, a write's
    temporary file, or a dropping (the one rule ``walk`` and ``gitlog.changes`` share)."""
    return name in (".gitkeep", LOCK_NAME) or is_temporary(name) or is_dropping(name)


def _is_own_temporary(entry: _Entry) -> bool:
    """A temporary file of secstatus's own writer (not a folder), which a killed edit can leave:
    skipped without a word, so that it blocks no validation; the next edit removes it."""
    return not entry.is_dir and is_temporary(entry.name)


def is_dropping(name: str) -> bool:
    """An editor's swap or backup file, or an operating system's folder metadata."""
    return (
        name in DROPPING_NAMES
        or name.endswith(DROPPING_ENDS)
        or name.startswith(DROPPING_STARTS)
        or (len(name) > 1 and name[0] == name[-1] == "#")
    )


def _skipped(entry: _Entry, rel: str, boundary: Path) -> Diagnostic | None:
    """A warning for a dropping, an error for a symlink that leaves the register; else None."""
    if is_dropping(entry.name):
        return warning(rel, 1, 1, "ignored-file", "skipped: an editor or operating-system file, not a record")
    if entry.is_symlink:
        try:
            target = entry.path.resolve(strict=True)
        except (OSError, RuntimeError):
            return error(rel, 1, 1, "symlink", "a broken or looping symlink: not read")
        if not target.is_relative_to(boundary):
            return error(
                rel,
                1,
                1,
                "symlink",
                f"a symlink to {relative(target)}, outside the register: not read (copy the file in instead)",
            )
    return None


def _in_repository(root: Path) -> bool:
    return any((folder / ".git").exists() for folder in (root.resolve(), *root.resolve().parents))


def git_ignored(root: Path) -> set[Path]:
    """The files and folders under ``root`` that git ignores (one git call; none outside a
    repository or without git)."""
    if not _in_repository(root):
        return set()
    try:
        done = gitrun.run(
            root, "ls-files", "--others", "--ignored", "--exclude-standard", "--directory", "-z", "--", ".", timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    if done.returncode != 0:
        return set()
    names = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    return {root / name.rstrip("/") for name in names if name}


def is_git_ignored(path: Path, root: Path, ignored: set[Path]) -> bool:
    """Whether ``path`` (under ``root``) or a folder it is in is in ``ignored`` (``git_ignored``)."""
    while path not in ignored:
        if path == root or path.parent == path:
            return False
        path = path.parent
    return True


def ignore_rules(root: Path, paths: list[Path]) -> dict[Path, str]:
    """Of ``paths`` (under ``root``; a file an edit would create included), those git ignores,
    each with the rule that does it (``.gitignore:3: DP*.yaml``): one git call, none when there
    is nothing to ask or no repository."""
    if not paths or not _in_repository(root):
        return {}
    base = root.resolve()
    asked = {os.path.relpath(path.resolve(), base): path for path in paths}
    try:
        done = gitrun.run(
            root,
            "check-ignore",
            "--verbose",
            "-z",
            "--stdin",
            timeout=60,
            input=b"".join(name.encode("utf-8", "surrogateescape") + b"\0" for name in asked),
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    fields = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    rules = {}
    for at in range(0, len(fields) - 3, 4):
        source, line, pattern, name = fields[at : at + 4]
        if name in asked:
            rules[asked[name]] = f"{source}:{line}: {pattern}"
    return rules


def read_limited(path: Path, rel: str) -> bytes:
    """The file's bytes; LoadError if it is over MAX_FILE_BYTES (checked before reading) or
    cannot be read (gone, no permission, not a file)."""
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            size = os.fstat(fd).st_size
            if size > MAX_FILE_BYTES:
                raise LoadError(_too_large(rel))
            # A buffer of the file's size, not of the limit (that would map a MiB per file); a
            # file that grew since, or is not a regular file, is read on, up to the limit.
            raw = os.read(fd, size + 1)
            while len(raw) > size and len(raw) <= MAX_FILE_BYTES:
                more = os.read(fd, MAX_FILE_BYTES + 1 - len(raw))
                if not more:
                    break
                raw += more
            return limited(raw, rel)
        finally:
            os.close(fd)
    except OSError as exc:
        gone = " (removed while it was being read?)" if isinstance(exc, FileNotFoundError) else ""
        raise LoadError(error(rel, 1, 1, "unreadable", f"cannot read the file: {exc.strerror}{gone}")) from None


def limited(raw: bytes, rel: str) -> bytes:
    if len(raw) > MAX_FILE_BYTES:
        raise LoadError(_too_large(rel))
    return raw


def _too_large(rel: str) -> Diagnostic:
    return error(
        rel,
        1,
        1,
        "too-large",
        f"file over {MAX_FILE_BYTES // 1024} KiB: refused before reading; a record holds facts, not documents",
    )
