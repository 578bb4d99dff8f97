"""Read the register's data folder into records, with a diagnostic for every problem.

``intake`` says which files are read (and skips what git ignores, the edit lock, and editor or
OS droppings, with a warning); each file is parsed by ``yamlread`` into plain Python, whose
``Source`` finds where every key and value stands when asked, so that a Pydantic error can be
reported at its line and column. Duplicate keys, unknown fields, wrong types, impossible dates,
tabs, control characters, non-UTF-8 bytes, empty files, alias bombs, files over
MAX_FILE_BYTES, text over MAX_TEXT_CHARS, unreadable files, symlinks that leave the register,
stray files and record files that git ignores are all diagnostics.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..domain.diagnostics import Diagnostic, error
from .intake import Overrides, git_ignored, ignore_rules, is_git_ignored, limited, read_limited, walk
from ..domain.model import (RECORD_TYPES, CalendarDay, CalendarOverrides, Meeting, Modification, Record, Release,
                            ReportRecord, SecVersion)
from ..domain.record import FIND_NONCHARACTERS, RULE_CODES, URL_PATTERN, noncharacter, text_problem
from .yamlread import LoadError, PathKey, Source, parse_yaml

_YAML_UNPRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""What YAML does not allow in a file: found first, to say where, rather than by the parser."""


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
    horizons: list[dt.date] = field(default_factory=list)
    """The horizons the calendar files set (``checks.horizon_set_once``: one at most)."""
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
        elif isinstance(record, CalendarOverrides):
            self.calendar_days.extend(record.days)
            if record.horizon is not None:
                self.horizons.append(record.horizon)
        else:  # a record type declared in model.RECORD_FOLDERS but not filed here
            raise TypeError(f"Register.add does not file a {type(record).__name__}")


def find_data_dir(start: Path) -> Path | None:
    """The nearest ``data/`` folder at or above ``start``."""
    for folder in (start, *start.parents):
        candidate = folder / "data"
        if candidate.is_dir():
            return candidate
    return None


def not_a_register(root: Path) -> str | None:
    """Why ``root`` is not a register's data folder, in one line: it holds none of the record
    folders (a home folder, say, whose every file would otherwise be one error); None when it is."""
    if any((root / folder).is_dir() for folder in RECORD_TYPES):
        return None
    return (f"{root}: not a register's data folder: it holds none of the record folders "
            f"({', '.join(RECORD_TYPES)}); give the data folder with --data DIR, or make a register "
            "with 'secstatus init FOLDER'")




def load_register(root: Path, overrides: Overrides | None = None, warnings: bool = True
                  ) -> tuple[Register, list[Diagnostic], list[tuple[Record, Source]]]:
    """Load every file under ``root``; return the register, the diagnostics and every record read.

    ``overrides`` maps file paths to the bytes to read instead of the disk's (a file that does
    not exist yet included), so that an edit can be validated before any file is touched. The
    list of records read includes those whose id duplicates another's, so that the checks can
    name both files. ``warnings``: whether the checks will look for warnings (``load_file``).
    """
    # The records stay alive and hold no cycles, so the cyclic collector would only rescan an
    # ever-growing heap (a third of the time at 10,000 files): it is paused while loading.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load_all(root, {p.resolve(): data for p, data in (overrides or {}).items()}, warnings)
    finally:
        if paused:
            gc.enable()


def _load_all(root: Path, overrides: Overrides, warnings: bool
              ) -> tuple[Register, list[Diagnostic], list[tuple[Record, Source]]]:
    register = Register(root=root)
    diagnostics: list[Diagnostic] = []
    loaded: list[tuple[Record, Source]] = []
    ignored = git_ignored(root)
    try:
        walked = list(walk(root, overrides))
    except LoadError as exc:
        return register, [exc.diagnostic], loaded
    hidden = _hidden_records(root, walked, ignored, overrides)
    for path, rel, folder, problem in walked:
        if path in hidden:
            register.files += 1
            diagnostics.append(error(rel, 1, 1, "git-ignored",
                                     f"git ignores this record file ({hidden[path]}): the register would not see it, "
                                     "nor would 'git add' keep it; change that rule or the file's name"))
            continue
        if ignored and is_git_ignored(path, root, ignored):
            continue  # not a record: git's to skip, silently
        if problem and problem.severity == "warning":
            diagnostics.append(problem)
            continue
        register.files += 1
        if problem:
            diagnostics.append(problem)
            continue
        raw = overrides.get(path.resolve()) if overrides else None
        record, source, problems = load_file(path, folder, rel, raw, warnings)
        diagnostics.extend(problems)
        if record is None or source is None:
            continue
        register.add(record, source)
        loaded.append((record, source))
    return register, diagnostics, loaded


def _hidden_records(root: Path, walked: list, ignored: set[Path], overrides: Overrides) -> dict[Path, str]:
    """The record files git ignores, each with the rule that does it: those on disk that
    ``git_ignored`` lists, and those an edit would create (``overrides``) that git would ignore."""
    records = [path for path, _, folder, problem in walked if folder and problem is None]
    listed = [path for path in records if ignored and is_git_ignored(path, root, ignored)]
    new = [path for path in records if path in overrides and not path.exists()]
    if not listed and not new:
        return {}
    rules = ignore_rules(root, listed + new)
    return {**{path: "a git ignore rule" for path in listed}, **rules}


def load_file(path: Path, folder: str, rel: str, raw: bytes | None = None, warnings: bool = True
              ) -> tuple[Record | None, Source | None, list[Diagnostic]]:
    """Read one record file (or ``raw``, its would-be bytes): the record and its positions, or
    the diagnostics that refuse it. ``warnings``: whether the checks will look for warnings."""
    try:
        text = _read_text(read_limited(path, rel) if raw is None else limited(raw, rel), rel)
        # When warnings are looked for, a file that acknowledges one is always asked where things
        # stand: by the warning it acknowledges, or by the stale-acknowledgement warning when it
        # has none. Its positions are noted from this parse (else they are found when asked).
        data, source = parse_yaml(text, path, rel, positions=warnings and "acknowledged" in text)
    except LoadError as exc:
        return None, None, [exc.diagnostic]
    try:
        return RECORD_TYPES[folder].model_validate(data), source, []
    except ValidationError as exc:
        return None, source, [_diagnostic(source, err) for err in exc.errors(include_url=False)]


IDENTIFIER_FIELDS = frozenset({"id", "modification", "version", "month"})
"""Fields that hold a record's id or name another's: a value of the wrong form there is ``bad-id``."""


def _diagnostic(source: Source, err: Any) -> Diagnostic:
    """Turn one Pydantic error into a diagnostic at the key or value it is about, with the code of
    its kind: a model rule's own code (``record.RULE_CODES``), or one per kind of field error."""
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
    if kind == "union_tag_invalid":
        ctx = err.get("ctx", {})
        return error(source.rel, *source.at(loc + ("kind",)), "unknown-kind",
                     f"{where}: unknown event kind {ctx.get('tag')!r}; expected one of {ctx.get('expected_tags')}")
    if kind in RULE_CODES:
        return error(source.rel, *source.at(loc), kind, f"{where}: {err['msg']}" if where else err["msg"])
    return _value_diagnostic(source, err, loc, where)


def _value_diagnostic(source: Source, err: Any, loc: PathKey, where: str) -> Diagnostic:
    """A field's value that its type refuses: the code says how (a date, an id, a choice, …)."""
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    at = source.at(loc)
    if kind in ("date_type", "date_parsing", "date_from_datetime_inexact", "date_from_datetime_parsing"):
        return error(source.rel, *at, "not-a-date", f"{where}: expected an ISO date YYYY-MM-DD, got {value!r}")
    if kind == "string_unicode" and isinstance(value, str) and FIND_NONCHARACTERS.search(value):
        return error(source.rel, *at, "noncharacter", f"{where}: {noncharacter(value)[1]}")
    if kind == "string_pattern_mismatch" and text_problem(value, ctx.get("pattern", "")):
        code, message = text_problem(value, ctx["pattern"])  # type: ignore[misc]
        return error(source.rel, *at, code, f"{where}: {message}")
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == URL_PATTERN:
        return error(source.rel, *at, "bad-value", f"{where}: {value!r} is not a web address (http:// or https://, "
                                                   "no spaces)")
    if kind == "string_pattern_mismatch":
        return error(source.rel, *at, "bad-id" if loc and loc[-1] in IDENTIFIER_FIELDS else "bad-value",
                     f"{where}: {value!r} does not have the form {ctx.get('pattern')}")
    if kind == "literal_error":
        return error(source.rel, *at, "bad-choice", f"{where}: {value!r} is not one of {ctx.get('expected')}")
    if kind == "string_too_short":
        return error(source.rel, *at, "empty-value", f"{where}: must not be empty")
    if kind in ("greater_than_equal", "less_than_equal"):
        return error(source.rel, *at, "out-of-range", f"{where}: {err['msg'].removeprefix('Input ')}, got {value!r}")
    message = err["msg"].removeprefix("Value error, ")
    return error(source.rel, *at, "invalid", f"{where}: {message}" if where else message)


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
        raise LoadError(error(rel, *_position(text, tab), "tab", "tab character: indent and separate with spaces"))
    control = _YAML_UNPRINTABLE.search(text)
    if control and FIND_NONCHARACTERS.match(control.group()):
        raise LoadError(error(rel, *_position(text, control.start()), "noncharacter", noncharacter(control.group())[1]))
    if control:
        raise LoadError(error(rel, *_position(text, control.start()), "control-character",
                              f"control character U+{ord(control.group()):04X}: YAML does not allow it; remove it"))
    return text


def _position(text: str, index: int) -> tuple[int, int]:
    """The line and column (from 1, in characters) of ``text[index]``."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1
