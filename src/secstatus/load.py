"""Read the register's data folder into records, with a diagnostic for every problem.

Each file is parsed by ``yamlread`` into plain Python, whose ``Source`` finds where every key and
value stands when asked, so that a Pydantic error can be reported at its line and column.
Duplicate keys, unknown fields, wrong types, impossible dates, tabs, non-UTF-8 bytes, empty
files, alias bombs and stray files are all diagnostics; nothing is skipped in silence.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

from pydantic import ValidationError

from .diagnostics import Diagnostic, error
from .model import (
    RECORD_TYPES,
    CalendarDay,
    Meeting,
    Modification,
    Record,
    Release,
    ReportRecord,
    SecVersion,
)
from .yamlread import LoadError, PathKey, Source, parse_yaml


@dataclass
class Register:
    """Every record of the data folder, and where each came from."""

    root: Path
    modifications: dict[str, Modification] = field(default_factory=dict)
    releases: dict[str, Release] = field(default_factory=dict)
    sec_versions: dict[str, SecVersion] = field(default_factory=dict)
    meetings: list[Meeting] = field(default_factory=list)
    reports: dict[str, ReportRecord] = field(default_factory=dict)
    calendar_days: list[CalendarDay] = field(default_factory=list)
    sources: dict[int, Source] = field(default_factory=dict)
    files: int = 0
    memo: dict[Any, Any] = field(default_factory=dict)
    """Values derived from the records, kept for the register's life (it is not changed after loading)."""

    def source_of(self, record: Record) -> Source:
        return self.sources[id(record)]

    def add(self, record: Record, source: Source) -> None:
        """File a record by its type. Duplicate ids are kept out and left to ``checks``."""
        self.sources[id(record)] = source
        if isinstance(record, Modification):
            self.modifications.setdefault(record.id, record)
        elif isinstance(record, Release):
            self.releases.setdefault(record.id, record)
        elif isinstance(record, SecVersion):
            self.sec_versions.setdefault(record.version, record)
        elif isinstance(record, Meeting):
            self.meetings.append(record)
        elif isinstance(record, ReportRecord):
            self.reports.setdefault(record.month, record)
        else:
            self.calendar_days.extend(record.days)  # type: ignore[attr-defined]


def find_data_dir(start: Path) -> Path | None:
    """The nearest ``data/`` folder at or above ``start``."""
    for folder in (start, *start.parents):
        candidate = folder / "data"
        if candidate.is_dir():
            return candidate
    return None


Overrides = Mapping[Path, bytes]


def load_register(root: Path, overrides: Overrides | None = None
                  ) -> tuple[Register, list[Diagnostic], list[tuple[Record, Source]]]:
    """Load every file under ``root``; return the register, the diagnostics and every record read.

    ``overrides`` maps file paths to the bytes to read instead of the disk's (a file that does
    not exist yet included), so that an edit can be validated before any file is touched. The
    list of records read includes those whose id duplicates another's, so that the checks can
    name both files.
    """
    # The records stay alive and hold no cycles, so the cyclic collector would only rescan an
    # ever-growing heap (a third of the time at 10,000 files): it is paused while loading, and
    # what was loaded is then frozen out of its view, so later collections stay as small as
    # the work done after loading.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load_all(root, {p.resolve(): data for p, data in (overrides or {}).items()})
    finally:
        gc.freeze()
        if paused:
            gc.enable()


def _load_all(root: Path, overrides: Overrides) -> tuple[Register, list[Diagnostic], list[tuple[Record, Source]]]:
    register = Register(root=root)
    diagnostics: list[Diagnostic] = []
    loaded: list[tuple[Record, Source]] = []
    for path, rel, folder, problem in _walk(root, overrides):
        register.files += 1
        if problem:
            diagnostics.append(problem)
            continue
        raw = overrides.get(path.resolve()) if overrides else None
        record, source, problems = load_file(path, folder, rel, raw)
        diagnostics.extend(problems)
        if record is None or source is None:
            continue
        register.add(record, source)
        loaded.append((record, source))
    return register, diagnostics, loaded


def _relative(path: Path | str) -> str:
    """``path`` as diagnostics name it: relative to the current folder."""
    try:
        return os.path.relpath(path, os.getcwd())
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)


def _child(folder_rel: str, name: str) -> str:
    """The relative name of a file in a folder whose relative name is known: the same string as
    ``_relative`` gives (a file cannot hold the current folder), without a system call."""
    return name if folder_rel == "." else folder_rel + os.sep + name


Walked = Iterator[tuple[Path, str, str, Diagnostic | None]]


def _walk(root: Path, overrides: Overrides) -> Walked:
    """Every file under ``root`` with its relative name and record folder, or a diagnostic for a
    file that has none."""
    root_rel = _relative(root)
    for entry in _entries(root, overrides={}):
        rel = _relative(entry.path) if entry.is_dir else _child(root_rel, entry.name)
        if entry.is_dir and entry.name in RECORD_TYPES:
            yield from _walk_folder(entry.path, overrides)
        elif entry.name == ".gitkeep":
            continue  # an empty placeholder that keeps a folder in git
        elif entry.is_dir:
            yield entry.path, rel, "", error(rel, 1, 1, "unknown-folder",
                                             f"not a register folder; expected one of: {', '.join(RECORD_TYPES)}")
        else:
            yield entry.path, rel, "", error(rel, 1, 1, "not-a-record",
                                             f"a file outside the record folders ({', '.join(RECORD_TYPES)})")


def _walk_folder(folder: Path, overrides: Overrides) -> Walked:
    folder_rel = _relative(folder)
    for entry in _entries(folder, overrides):
        rel = _relative(entry.path) if entry.is_dir or entry.new else _child(folder_rel, entry.name)
        if entry.name in (".gitkeep",):
            continue
        if entry.is_dir:
            yield entry.path, rel, "", error(rel, 1, 1, "not-a-record", "folders inside record folders are not read")
        elif not entry.name.endswith(".yaml") or entry.name == ".yaml":
            yield entry.path, rel, "", error(rel, 1, 1, "not-a-record",
                                             f"not a record: files in {folder.name}/ must end in .yaml")
        else:
            yield entry.path, rel, folder.name, None


@dataclass(frozen=True)
class _Entry:
    path: Path
    name: str
    is_dir: bool
    new: bool = False


def _entries(folder: Path, overrides: Overrides) -> list[_Entry]:
    """The folder's entries in name order (one directory read, no stat per file), with the files
    an edit in ``overrides`` would create there."""
    with os.scandir(folder) as scan:
        entries = sorted((_Entry(folder / e.name, e.name, e.is_dir()) for e in scan), key=lambda e: e.name)
    if not overrides:
        return entries
    resolved = folder.resolve()
    new = [_Entry(p, p.name, False, True) for p in overrides if p.parent == resolved and not p.exists()]
    return sorted([*entries, *new], key=lambda e: e.path)


def load_file(path: Path, folder: str, rel: str, raw: bytes | None = None
              ) -> tuple[Record | None, Source | None, list[Diagnostic]]:
    """Read one record file (or ``raw``, its would-be bytes): the record and its positions, or
    the diagnostics that refuse it."""
    try:
        text = _read_text(path.read_bytes() if raw is None else raw, rel)
        data, source = parse_yaml(text, path, rel)
    except LoadError as exc:
        return None, None, [exc.diagnostic]
    try:
        return RECORD_TYPES[folder].model_validate(data), source, []
    except ValidationError as exc:
        return None, source, [_diagnostic(source, err) for err in exc.errors(include_url=False)]


def _diagnostic(source: Source, err: Any) -> Diagnostic:
    """Turn one Pydantic error into a diagnostic at the key or value it is about."""
    loc: PathKey = tuple(err["loc"])
    kind = err["type"]
    named = source.resolve(loc)
    if kind in ("extra_forbidden", "missing") and loc and loc[-1] not in named:
        named = named + (loc[-1],)
    where = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in named).replace(".[", "[")
    if kind == "extra_forbidden":
        return error(source.rel, *source.at(loc, key=True), "unknown-field", f"unknown field '{loc[-1]}'")
    if kind == "missing":
        return error(source.rel, *source.at(loc), "missing-field", f"missing required field '{where}'")
    if kind in ("date_type", "date_parsing", "date_from_datetime_inexact", "date_from_datetime_parsing"):
        value = err.get("input")
        return error(source.rel, *source.at(loc), "not-a-date",
                     f"{where}: expected an ISO date YYYY-MM-DD, got {value!r}")
    if kind == "union_tag_invalid":
        ctx = err.get("ctx", {})
        return error(source.rel, *source.at(loc + ("kind",)), "unknown-kind",
                     f"{where}: unknown event kind {ctx.get('tag')!r}; expected one of {ctx.get('expected_tags')}")
    message = err["msg"].removeprefix("Value error, ")
    return error(source.rel, *source.at(loc), "invalid", f"{where}: {message}" if where else message)


def _read_text(raw: bytes, rel: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1  # in characters
        raise LoadError(error(rel, line, column, "encoding",
                              f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded")) from None
    if not text.strip():
        raise LoadError(error(rel, 1, 1, "empty-file", "empty file: a record file holds one YAML mapping"))
    tab = text.find("\t")
    if tab >= 0:
        line = text.count("\n", 0, tab) + 1
        column = tab - (text.rfind("\n", 0, tab) + 1) + 1
        raise LoadError(error(rel, line, column, "tab", "tab character: indent and separate with spaces"))
    return text


