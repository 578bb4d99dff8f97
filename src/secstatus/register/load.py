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
from ..domain.model import (
    RECORD_TYPES,
    CalendarDay,
    CalendarOverrides,
    Meeting,
    Modification,
    Record,
    Release,
    ReportRecord,
    SecVersion,
)
from ..domain.record import FIND_NONCHARACTERS, RULE_CODES, URL_PATTERN, noncharacter, text_problem
from .intake import Overrides, WalkEntry, git_ignored, ignore_rules, is_git_ignored, limited, read_limited, walk
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
    return (
        f"{root}: not a register's data folder: it holds none of the record folders "
        f"({', '.join(RECORD_TYPES)}); give the data folder with --data DIR, or make a register "
        "with 'secstatus init FOLDER'"
    )


def load_register(
    root: Path, overrides: Overrides | None = None, warnings: bool = True
) -> tuple[Register, list[Diagnostic], list[tuple[Record, Source]]]:
    """Load every file under ``root``; return the register, the diagnostics and every record read.

    ``overrides`` maps file paths to the bytes to read instead of the disk's (a file that does
    not exist yet included), so that an edit can be validated before any file is touched. The
    list of records read includes those whose id duplicates another's, so that the checks can
    name both files. ``warnings``: whether the checks will look for warnings (``load_file``).
    """
    reading = read_register(root, overrides, warnings)
    return reading.register, reading.diagnostics, reading.loaded


Outcome = tuple[bool, list[Diagnostic], Record | None, Source | None]
"""What one file of the walk gave: whether it counts as a file checked, its diagnostics, and its
record with its positions (None when it has none)."""


@dataclass
class Reading:
    """One load of the register, with what each file of the walk gave: kept, it lets a load of the
    register with an edit in place (``read_register(..., earlier=)``) read again only the edited files."""

    register: Register
    diagnostics: list[Diagnostic]
    loaded: list[tuple[Record, Source]]
    warnings: bool
    ignored: set[Path] = field(default_factory=set)
    """What git ignores under the data folder (``intake.git_ignored``), as it was at this load."""
    walked: list[WalkEntry] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    """What each file of ``walked`` gave, in its order."""
    hidden: dict[Path, str] = field(default_factory=dict)
    links: dict[Path, Path] = field(default_factory=dict)
    """The record files that are symlinks, with where they lead (``intake.walk``)."""


def read_register(
    root: Path, overrides: Overrides | None = None, warnings: bool = True, earlier: Reading | None = None
) -> Reading:
    """``load_register``, as a ``Reading``. Given the ``earlier`` reading of the same register
    (with the same ``warnings``), a file it read that ``overrides`` does not change is not read
    again: its record, positions and diagnostics are taken from it, as is what git ignores, and
    its walk of the data folder when the edit adds no file. The lock an edit holds keeps other
    edits out meanwhile: this is the register as loaded, with the edit in place."""
    # The records stay alive and hold no cycles, so the cyclic collector would only rescan an
    # ever-growing heap (a third of the time at 10,000 files): it is paused while loading.
    paused = gc.isenabled()
    gc.disable()
    try:
        if earlier is not None and earlier.warnings != warnings:
            earlier = None
        return _load_all(root, {p.resolve(): data for p, data in (overrides or {}).items()}, warnings, earlier)
    finally:
        if paused:
            gc.enable()


def _load_all(root: Path, overrides: Overrides, warnings: bool, earlier: Reading | None) -> Reading:
    reading = Reading(Register(root=root), [], [], warnings)
    reading.ignored = earlier.ignored if earlier is not None else git_ignored(root)
    if earlier is not None and earlier.walked and all(path.exists() for path in overrides):
        # The same files as the earlier walk: only the edited ones are looked at again.
        reading.walked, reading.hidden, reading.links = earlier.walked, earlier.hidden, earlier.links
        reading.outcomes = list(earlier.outcomes)
        targets = _targets(root, overrides, reading.links)
        for at, entry in enumerate(reading.walked):
            if entry[0] in targets:
                reading.outcomes[at] = _outcome(reading, *entry, targets[entry[0]])
        return _assemble(reading)
    try:
        reading.walked = list(walk(root, overrides, reading.links))
    except LoadError as exc:
        reading.diagnostics.append(exc.diagnostic)
        reading.walked = []
        return reading
    reading.hidden = _hidden_records(root, reading.walked, reading.ignored, overrides)
    targets = _targets(root, overrides, reading.links)
    before = (
        {entry[0]: outcome for entry, outcome in zip(earlier.walked, earlier.outcomes, strict=True)} if earlier else {}
    )
    for entry in reading.walked:
        path = entry[0]
        raw = targets.get(path)
        if raw is None and path in before:
            reading.outcomes.append(before[path])
        else:
            reading.outcomes.append(_outcome(reading, *entry, raw))
    return _assemble(reading)


def _outcome(
    reading: Reading, path: Path, rel: str, folder: str, problem: Diagnostic | None, raw: bytes | None
) -> Outcome:
    """What one file of the walk gives (``raw``: its bytes as an edit would make them)."""
    if path in reading.hidden:
        return (
            True,
            [
                error(
                    rel,
                    1,
                    1,
                    "git-ignored",
                    f"git ignores this record file ({reading.hidden[path]}): the register would not see it, "
                    "nor would 'git add' keep it; change that rule or the file's name",
                )
            ],
            None,
            None,
        )
    if reading.ignored and is_git_ignored(path, reading.register.root, reading.ignored):
        return False, [], None, None  # not a record: git's to skip, silently
    if problem:
        return problem.severity != "warning", [problem], None, None
    record, source, problems = load_file(path, folder, rel, raw, reading.warnings)
    return True, problems, record, source


def _assemble(reading: Reading) -> Reading:
    """The register, its diagnostics and its records, from what each file gave."""
    register, diagnostics, loaded = reading.register, reading.diagnostics, reading.loaded
    for counted, problems, record, source in reading.outcomes:
        register.files += counted
        diagnostics.extend(problems)
        if record is not None and source is not None:
            register.add(record, source)
            loaded.append((record, source))
    return reading


def _targets(root: Path, overrides: Overrides, links: dict[Path, Path]) -> dict[Path, bytes]:
    """Which files of the walk ``overrides`` (by resolved path) gives new bytes for: each folder is
    resolved once, and each file that is a symlink by where it leads (``Path.resolve`` for every
    file of a large register costs a good part of loading it)."""
    if not overrides:
        return {}
    folders: dict[Path, list[Path]] = {}
    for name in RECORD_TYPES:
        folder = root / name
        if folder.is_dir():
            folders.setdefault(folder.resolve(), []).append(folder)
    targets = {path: raw for path, raw in overrides.items() if path not in links}  # a new file: the walk has it so
    targets.update(
        {
            folder / path.name: raw
            for path, raw in overrides.items()
            for folder in folders.get(path.parent, [])
            if folder / path.name not in links
        }
    )
    targets.update({link: overrides[target] for link, target in links.items() if target in overrides})
    return targets


def _hidden_records(root: Path, walked: list[WalkEntry], ignored: set[Path], overrides: Overrides) -> dict[Path, str]:
    """The record files git ignores, each with the rule that does it: those on disk that
    ``git_ignored`` lists, and those an edit would create (``overrides``) that git would ignore."""
    records = [path for path, _, folder, problem in walked if folder and problem is None]
    listed = [path for path in records if ignored and is_git_ignored(path, root, ignored)]
    new = [path for path in records if path in overrides and not path.exists()]
    if not listed and not new:
        return {}
    rules = ignore_rules(root, listed + new)
    return {**{path: "a git ignore rule" for path in listed}, **rules}


def load_file(
    path: Path, folder: str, rel: str, raw: bytes | None = None, warnings: bool = True
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
        return error(
            source.rel,
            *source.at(loc + ("kind",)),
            "unknown-kind",
            f"{where}: unknown event kind {ctx.get('tag')!r}; expected one of {ctx.get('expected_tags')}",
        )
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
    if kind == "string_pattern_mismatch" and (problem := text_problem(value, ctx.get("pattern", ""))):
        code, message = problem
        return error(source.rel, *at, code, f"{where}: {message}")
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == URL_PATTERN:
        return error(
            source.rel, *at, "bad-value", f"{where}: {value!r} is not a web address (http:// or https://, no spaces)"
        )
    if kind == "string_pattern_mismatch":
        return error(
            source.rel,
            *at,
            "bad-id" if loc and loc[-1] in IDENTIFIER_FIELDS else "bad-value",
            f"{where}: {value!r} does not have the form {ctx.get('pattern')}",
        )
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
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1  # in characters
        raise LoadError(
            error(rel, line, column, "encoding", f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded")
        ) from None
    if not text.strip():
        raise LoadError(error(rel, 1, 1, "empty-file", "empty file: a record file holds one YAML mapping"))
    tab = text.find("\t")
    if tab >= 0:
        raise LoadError(error(rel, *_position(text, tab), "tab", "tab character: indent and separate with spaces"))
    control = _YAML_UNPRINTABLE.search(text)
    if control and FIND_NONCHARACTERS.match(control.group()):
        raise LoadError(error(rel, *_position(text, control.start()), "noncharacter", noncharacter(control.group())[1]))
    if control:
        raise LoadError(
            error(
                rel,
                *_position(text, control.start()),
                "control-character",
                f"control character U+{ord(control.group()):04X}: YAML does not allow it; remove it",
            )
        )
    return text


def _position(text: str, index: int) -> tuple[int, int]:
    """The line and column (from 1, in characters) of ``text[index]``."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1
