"""Safe edits to the register: one more event, a release's date moved (new records: ``create``).

Rules:
- an edit is made as text: lines are inserted, nothing a person wrote (lines, comments, key
  order) is rewritten; there is no round trip through a YAML dumper;
- the whole register is validated with the edit in place before any file is touched; an edit
  that leaves an error anywhere (an event before the record was raised, a decision on a
  withdrawn modification, a release that does not exist) is refused and nothing is written;
- a new event goes in date order: before the first dated event that is later than it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analysis.assessments import TARGET_WD, standard_target
from ..analysis.query import UnknownId, find, find_record
from ..domain.diagnostics import Diagnostic, Refusal
from ..domain.events import PLANNABLE, RECORDABLE, Kind, Milestone, option_values
from ..domain.model import Assessment, DatedText, Modification
from ..domain.timeline import planned_date
from ..domain.workdays import Calendar, calendar_for
from ..history.compare import say
from ..output.files import write_output
from ..register.checks import Checked, validate
from ..register.load import Register, Source, load_file


class EditError(Refusal, ValueError):
    """The edit is refused; nothing was written."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None):
        super().__init__(message)
        self.diagnostics = diagnostics or []


@dataclass(frozen=True)
class Edit:
    """A whole file's text before and after one change, and the change in words."""

    path: Path
    before: str | None
    after: str
    summary: str


def scalar(value: Any) -> str:
    """A YAML scalar for ``value``: ISO dates and plain words bare, anything else double-quoted."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if re.fullmatch(r"[\w][\w .()/-]*", text) and not text.endswith(" ") and _reads_back(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _reads_back(text: str) -> bool:
    """Whether ``text`` written bare is read back as the same string (not a date, number or bool)."""
    import yaml

    try:
        return yaml.safe_load(f"k: {text}") == {"k": text}
    except (yaml.YAMLError, ValueError, OverflowError):  # '2019-13-01' reads as an impossible date
        return False


def item_lines(fields: dict[str, Any], indent: int, newline: str = "\n") -> list[str]:
    """A YAML block-sequence item: '- first: value' then the other keys aligned under it."""
    pad = " " * indent
    keys = [k for k, v in fields.items() if v is not None]
    lines = [f"{pad}- {keys[0]}: {scalar(fields[keys[0]])}{newline}"]
    lines += [f"{pad}  {k}: {scalar(fields[k])}{newline}" for k in keys[1:]]
    return lines


def newline_of(text: str) -> str:
    """The file's own line ending, so that inserted lines match the lines around them."""
    return "\r\n" if "\r\n" in text else "\n"


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += newline_of(text)
    return lines


def _is_filler(line: str) -> bool:
    """Blank lines, comments and document markers, which belong to whatever follows them."""
    stripped = line.strip()
    return not stripped or stripped.startswith("#") or stripped in ("...", "---")


def _block_end(lines: list[str], source: Source, key: str) -> int:
    """The index just after the last line of the top-level ``key``'s block (trailing blank,
    comment and document-marker lines belong to whatever follows)."""
    start = source.keys[(key,)][0]
    later = sorted(pos[0] for path, pos in source.keys.items() if len(path) == 1 and pos[0] > start)
    end = later[0] - 1 if later else len(lines)
    while end > start and _is_filler(lines[end - 1]):
        end -= 1
    return end


def _dash(lines: list[str], source: Source, key: str, index: int) -> tuple[int, int]:
    """The line index and column of the dash that opens item ``index`` of the list ``key``
    (on the item's first line, or alone on the line above it)."""
    line, column = source.values[(key, index)]
    text = lines[line - 1][: column - 1]
    if "-" in text:
        return line - 1, text.rindex("-")
    previous = lines[line - 2]
    return line - 2, previous.index("-")


def _comments_above(lines: list[str], at: int) -> int:
    """Move an insertion point up past the comment lines that introduce the line at ``at``."""
    while at > 0 and lines[at - 1].strip().startswith("#"):
        at -= 1
    return at


def _is_block_list(lines: list[str], source: Source, key: str) -> bool:
    line = re.sub(r"\s+#.*$", "", lines[source.keys[(key,)][0] - 1].rstrip("\r\n"))
    return line.rstrip().endswith(":")


def append_to_list(text: str, source: Source, key: str, fields: dict[str, Any], before_item: int | None = None) -> str:
    """Insert one item into the top-level list ``key`` (before item ``before_item``, else last)."""
    lines, newline = _lines(text), newline_of(text)
    if (key,) not in source.keys:
        return "".join(lines) + f"{key}:{newline}" + "".join(item_lines(fields, 2, newline))
    if not _is_block_list(lines, source, key):
        raise EditError(f"'{key}' is written in flow style ([...]) in {source.rel}; write it as a block list first")
    indent = _dash(lines, source, key, 0)[1] if (key, 0) in source.values else 2
    new = item_lines(fields, indent, newline)
    if before_item is not None:
        at = _comments_above(lines, _dash(lines, source, key, before_item)[0])
    else:
        at = _block_end(lines, source, key)
    return "".join(lines[:at] + new + lines[at:])


def add_to_item(text: str, source: Source, key: str, index: int, fields: dict[str, Any]) -> str:
    """Add keys at the end of item ``index`` of the top-level list ``key``."""
    lines, newline = _lines(text), newline_of(text)
    line, column = source.values[(key, index)]
    if (key, index + 1) in source.values:
        end = _comments_above(lines, _dash(lines, source, key, index + 1)[0])
    else:
        end = _block_end(lines, source, key)
    while end > line and _is_filler(lines[end - 1]):
        end -= 1
    pad = " " * (column - 1)
    new = [f"{pad}{k}: {scalar(v)}{newline}" for k, v in fields.items() if v is not None]
    return "".join(lines[:end] + new + lines[end:])


def event_fields(kind: Kind, date: dt.date, options: dict[str, Any]) -> dict[str, Any]:
    """The keys of a new event: its kind and date, then its options as the kind declares them."""
    fields: dict[str, Any] = {"kind": kind.name, "date": date}
    fields.update({name: options.get(name) for name in kind.options})
    return fields


def check_options(kind: Kind | Milestone, options: dict[str, Any]) -> None:
    """Refuse a missing required option, an option the kind does not take, or a choice it does not allow."""
    flag = lambda name: "--" + name.replace("_", "-")  # noqa: E731
    missing = [flag(o) for o in kind.required if options.get(o) is None]
    if missing:
        raise EditError(f"'{kind.name}' needs {' and '.join(missing)}")
    foreign = [flag(o) for o, v in options.items() if v is not None and o not in kind.options]
    if foreign:
        raise EditError(
            f"'{kind.name}' takes no {', '.join(foreign)}; it takes: {', '.join(flag(o) for o in kind.options)}"
        )
    for name in kind.options:
        allowed = _choices(kind, name)
        if options.get(name) is not None and allowed and options[name] not in allowed:
            raise EditError(f"'{kind.name}' --{name}: {options[name]!r} is not one of {', '.join(allowed)}")
    for name in ("title", "status", "note"):
        if isinstance(options.get(name), str) and not options[name].strip():
            raise EditError(f"{flag(name)} is empty")


def _choices(kind: Kind | Milestone, name: str) -> tuple[str, ...]:
    """The values this kind's field allows, when it is a choice."""
    if isinstance(kind, Milestone):
        values = option_values(name)
        return values if isinstance(values, tuple) else ()
    info = kind.model.model_fields.get(name)
    args = getattr(info.annotation, "__args__", ()) if info else ()
    return tuple(a for a in args if isinstance(a, str))


def record_event(register: Register, ident: str, kind_name: str, date: dt.date, options: dict[str, Any]) -> Edit:
    """The edit that records one event (or DCC assessment milestone) on a modification."""
    kind = RECORDABLE.get(kind_name)
    if kind is None:
        raise EditError(f"unknown event kind '{kind_name}'; expected one of: {', '.join(RECORDABLE)}")
    check_options(kind, options)
    try:
        mod = find(register, ident)
    except UnknownId as exc:
        raise EditError(str(exc)) from None
    source = register.source_of(mod)
    text = read_exactly(source.path)
    if isinstance(kind, Milestone):
        cal = calendar_for(register.calendar_days)
        after, words = _assessment_milestone(text, source, mod, kind.name, date, options, cal)
    else:
        later = [i for i, e in enumerate(mod.events) if e.date is not None and e.date > date]
        after = append_to_list(
            text, source, "events", event_fields(kind, date, options), before_item=later[0] if later else None
        )
        words = f"{mod.id}: {kind.label} on {date.isoformat()}"
    return Edit(source.path, text, after, words)


def _assessment_milestone(
    text: str, source: Source, mod: Modification, kind: str, date: dt.date, options: dict[str, Any], cal: Calendar
) -> tuple[str, str]:
    """Requested adds an assessment; accepted and delivered complete the latest open one.

    On acceptance the target follows the SEC's timescale (``assessments.standard_target``) and is
    not written; a ``--target`` is written only when it is an agreed other date."""
    kind_of = options["assessment"]
    target, notes = options.get("target"), options.get("note")
    milestone = kind.removeprefix("assessment-")
    open_items = [
        i
        for i, a in enumerate(mod.assessments)
        if a.type == kind_of and a.delivered is None and (milestone == "delivered" or a.accepted is None)
    ]
    words = f"{mod.id}: {kind_of} {milestone} on {date.isoformat()}"
    if milestone == "accepted":
        standard = standard_target(Assessment(type=kind_of, accepted=date), cal)
        assert standard is not None, "an accepted assessment has its standard target"
        timescale = f"the standard {TARGET_WD[kind_of]} WD after acceptance"
        if target is None or target == standard:
            target = None
            words += f"; target {standard.isoformat()}, {timescale} (derived, not written)"
        else:
            words += f"; target {target.isoformat()} agreed ({timescale} would be {standard.isoformat()})"
    if milestone == "requested" or (milestone == "accepted" and not open_items):
        fields = {"type": kind_of, milestone: date, "target": target, "notes": notes}
        return append_to_list(text, source, "assessments", fields), words
    if not open_items:
        raise EditError(
            f"{mod.id} has no {kind_of} awaiting delivery; record its acceptance first with "
            f"'secstatus record {mod.id} assessment-accepted --assessment {kind_of} --date DATE'"
        )
    return add_to_item(
        text, source, "assessments", open_items[-1], {milestone: date, "target": target, "notes": notes}
    ), words


def read_exactly(path: Path) -> str:
    """The file's text with its line endings as they are (no universal-newline translation)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def move_release(register: Register, release_id: str, date: dt.date, decided: dt.date, note: str | None) -> Edit:
    """The edit that records a release's new planned date and the day that was decided."""
    release = register.releases.get(release_id)
    if release is None:
        raise EditError(
            f"no release '{release_id}' in the register (known: {', '.join(sorted(register.releases))}); "
            f"add it with 'secstatus new release {release_id} --planned DATE'"
        )
    if date < decided:
        raise EditError(f"a move decided on {decided.isoformat()} cannot be to an earlier day ({date.isoformat()})")
    for plan in release.planned:
        if plan.date == date and plan.decided == decided:
            raise EditError(
                f"{release.name}: the move to {date.isoformat()} decided {decided.isoformat()} is already recorded"
            )
    if planned_date(release, decided) == date:
        raise EditError(f"{release.name} is already planned for {date.isoformat()} as at {decided.isoformat()}")
    source = register.source_of(release)
    text = read_exactly(source.path)
    later = [i for i, plan in enumerate(release.planned) if plan.decided is not None and plan.decided > decided]
    after = append_to_list(
        text,
        source,
        "planned",
        {"date": date, "decided": decided, "note": note},
        before_item=later[0] if later else None,
    )
    return Edit(
        source.path, text, after, f"{release.name}: moved to {date.isoformat()} (decided {decided.isoformat()})"
    )


def plan_milestone(
    register: Register, ident: str, milestone: str, date: dt.date, decided: dt.date | None, note: str | None
) -> Edit:
    """The edit that plans a milestone of a modification's progression plan: the first plan of a
    milestone is its baseline (``decided`` optional); a later one is a re-plan, which needs the
    day it was decided and goes among the milestone's plans in the order they were decided. A plan
    for a day before its decision, one the plan already says as at that day, or one decided after
    the milestone was met is refused."""
    if milestone not in PLANNABLE:
        raise EditError(f"'{milestone}' is not a milestone a plan can hold; expected one of: {', '.join(PLANNABLE)}")
    try:
        mod = find(register, ident)
    except UnknownId as exc:
        raise EditError(str(exc)) from None
    plans = [(i, item) for i, item in enumerate(mod.plan) if item.milestone == milestone]
    if plans and decided is None:
        raise EditError(
            f"{mod.id}: {milestone} has its baseline ({plans[0][1].date.isoformat()}); a re-plan gives "
            "the day it was decided: --decided DATE"
        )
    if decided is not None and date < decided:
        raise EditError(f"a plan decided on {decided.isoformat()} cannot be for an earlier day ({date.isoformat()})")
    met = next((e for e in mod.events if e.kind == milestone), None)
    if met is not None and decided is not None and met.when < decided:
        raise EditError(
            f"{mod.id}: {milestone} was met on {met.when.isoformat()}, before {decided.isoformat()}; "
            "a plan decided after it changes nothing"
        )
    known = [item for _, item in plans if decided is None or item.decided is None or item.decided <= decided]
    if known and known[-1].date == date:
        raise EditError(
            f"{mod.id}: {milestone} is already planned for {date.isoformat()}"
            + (f" as at {decided.isoformat()}" if decided else "")
        )
    source = register.source_of(mod)
    text = read_exactly(source.path)
    fields = {"milestone": milestone, "date": date, "decided": decided, "note": note}
    later = [i for i, item in plans if decided is not None and item.decided is not None and item.decided > decided]
    if ("plan",) in source.keys:
        after = append_to_list(text, source, "plan", fields, before_item=later[0] if later else None)
    else:
        after = _with_new_list(text, source.path, "plan", fields)
    words = (
        f"{mod.id}: {milestone} planned for {date.isoformat()}"
        if not plans or decided is None
        else f"{mod.id}: {milestone} re-planned from {known[-1].date.isoformat()} to {date.isoformat()} "
        f"(decided {decided.isoformat()}; baseline {plans[0][1].date.isoformat()})"
    )
    return Edit(source.path, text, after, words)


def _with_new_list(text: str, path: Path, name: str, item: dict[str, Any]) -> str:
    """``text`` with a new top-level list ``name`` of one item, where the model declares it."""
    lines, newline = _lines(text), newline_of(text)
    at = _insertion_line(lines, _top_level(text, path), list(Modification.model_fields), name)
    placeholder = at < len(lines) and re.match(rf"#\s*{re.escape(name)}:", lines[at])
    lines[at : at + (1 if placeholder else 0)] = [f"{name}:{newline}"] + item_lines(item, 2, newline)
    return "".join(lines)


def check_edit(root: Path, edit: Edit, before: list[Diagnostic], checked: Checked | None = None) -> list[Diagnostic]:
    """Validate the whole register with the edit in place; refuse it if any error results.

    Returns the warnings the edit brings in: those it leaves that ``before`` (the register's
    diagnostics without the edit) did not have, compared by file, code and message, since the
    edit moves lines. ``checked``, the register as loaded and checked for the edit, is checked
    again with only what the edit changes (``Checked.with_edits``): the same diagnostics as
    loading and checking it whole again."""
    return check_edits(root, [edit], before, checked)


def check_edits(
    root: Path, edits: list[Edit], before: list[Diagnostic], checked: Checked | None = None
) -> list[Diagnostic]:
    """``check_edit`` for several edits made together (an import): the register is validated
    once with all of them in place, so that the work does not grow with the square of their number."""
    from collections import Counter

    for edit in edits:
        if Path(edit.path).resolve().parent.parent != Path(root).resolve():
            raise EditError(f"{edit.path} is not a file in a record folder of {root}; nothing was written")
    overrides = {edit.path: edit.after.encode("utf-8") for edit in edits}
    _, diagnostics = checked.with_edits(overrides) if checked is not None else validate(root, overrides)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        raise EditError(f"refused: the register would have {len(errors)} error(s); nothing was written", errors)
    known = Counter((d.path, d.code, d.message) for d in before if d.severity == "warning")
    new = []
    for d in diagnostics:
        key = (d.path, d.code, d.message)
        if d.severity == "warning" and not known[key]:
            new.append(d)
        known[key] -= 1
    return new


def apply(edit: Edit) -> None:
    """Write the edited file: a symlinked record is written through, its mode is kept. The lock
    keeps other secstatus runs out, not an editor or a git checkout: a file that changed since it
    was read (or a new one that appeared meanwhile) is refused, not overwritten."""
    _refuse_if_changed(edit, "the edit was")
    write_output(edit.path, edit.after.encode("utf-8"))


def apply_all(edits: list[Edit]) -> None:
    """Write several edits, all or none: each file is first checked unchanged since it was read
    (as ``apply`` does); a write that fails puts back the files already written (their old text,
    or no file) before the refusal."""
    for edit in edits:
        _refuse_if_changed(edit, "the edits were")
    done: list[Edit] = []
    try:
        for edit in edits:
            write_output(edit.path, edit.after.encode("utf-8"))
            done.append(edit)
    except OSError as exc:
        stuck = _undo(done)
        outcome = (
            "nothing was written"
            if not stuck
            else f"these could not be put back: {', '.join(str(e.path) for e in stuck)}"
        )
        raise EditError(f"{edit.path}: cannot write: {exc.strerror}; {outcome}") from None


def _refuse_if_changed(edit: Edit, checked: str) -> None:
    """Refuse an edit whose file is no longer the text it was made from (or now exists, for a new one)."""
    try:
        now = read_exactly(edit.path)
    except FileNotFoundError:
        now = None
    if now != edit.before:
        raise EditError(
            f"{edit.path} changed while {checked} being checked; nothing was written (run the command again)"
        )


def _undo(done: list[Edit]) -> list[Edit]:
    """Put back the files of edits already written; returns those that could not be."""
    stuck = []
    for edit in reversed(done):
        try:
            if edit.before is None:
                Path(edit.path).unlink(missing_ok=True)
            else:
                write_output(edit.path, edit.before.encode("utf-8"))
        except OSError:
            stuck.append(edit)
    return stuck


# --- one field of any record: ``secstatus set`` ----------------------------------------------------

RECORDED_ELSEWHERE: dict[str, str] = {
    "events": "events are recorded, not set: 'secstatus record {id} KIND --date DATE'",
    "assessments": "DCC assessments are recorded, not set: 'secstatus record {id} assessment-requested "
    "--assessment PA|IA --date DATE' (then assessment-accepted, assessment-delivered)",
    "planned": "a release's dates are moved, not set: 'secstatus release move {id} DATE --decided DATE'",
    "plan": "a progression plan is planned, not set: 'secstatus plan {id} MILESTONE DATE [--decided DATE]'",
}
"""The fields of items (not single values) that a command records, with the command."""


@dataclass(frozen=True)
class Settable:
    """A field ``secstatus set`` can change: its value kind ('text', 'date', 'int', 'bool',
    'choice', with its ``choices``, or 'dated': text as it stood on a day, ``{date, text}``),
    whether it holds a list of such values, and whether the record needs it (an optional one can
    be unset)."""

    name: str
    kind: str
    choices: tuple[str, ...] = ()
    many: bool = False
    required: bool = False

    @property
    def value(self) -> str:
        """The field's VALUE as help prints it: 'DATE', 'authority|self-governance', 'TEXT...',
        '--date DATE TEXT'."""
        if self.kind == "dated":
            return "--date DATE TEXT"
        one = "|".join(self.choices) if self.kind == "choice" else self.kind.upper()
        return f"{one}..." if self.many else one


def _unwrapped(annotation: Any) -> Any:
    """The type under Optional[...] and Annotated[...] (OneLine, Text)."""
    import types
    from typing import Annotated, Union, get_args, get_origin

    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return _unwrapped(args[0]) if len(args) == 1 else annotation
    if origin is Annotated:
        return _unwrapped(get_args(annotation)[0])
    return annotation


def _value_kind(annotation: Any) -> tuple[str, tuple[str, ...]] | None:
    """('date'|'int'|'bool'|'text'|'choice'|'dated', choices) for a single value's type; None for
    anything else."""
    from typing import Literal, get_args, get_origin

    annotation = _unwrapped(annotation)
    if get_origin(annotation) is Literal:
        return "choice", tuple(str(a) for a in get_args(annotation))
    if annotation is DatedText:
        return "dated", ()
    simple = {dt.date: "date", bool: "bool", int: "int", str: "text"}
    return (simple[annotation], ()) if annotation in simple else None


def settable_fields(record_type) -> dict[str, Settable]:
    """The fields of a record type that ``set`` changes, read from its model: every field of a
    single value or a list of values, but those its file is named after (``RecordType.identity``).
    A field added to a model is settable with nothing else to change."""
    from typing import get_args, get_origin

    found = {}
    for name, info in record_type.model.model_fields.items():
        if name in record_type.identity:
            continue
        annotation = _unwrapped(info.annotation)
        many = get_origin(annotation) is list
        kind = _value_kind(get_args(annotation)[0] if many else annotation)
        if kind is not None:
            found[name] = Settable(name, kind[0], kind[1], many, info.is_required())
    return found


DATED = re.compile(r"(\d{4}-\d{2}-\d{2})(?::\s*|\s+)(\S.*)", re.S)
"""A dated text written in one cell (``secstatus import``): its date, then a colon or a space, then the text."""


def parse_value(field: Settable, text: str) -> Any:
    """One VALUE as the field's type; a value it cannot be is refused with what it should be. A
    dated text written as one value is 'YYYY-MM-DD TEXT' (``DATED``), as a spreadsheet's cell holds it."""
    if field.kind == "dated":
        found = DATED.fullmatch(text)
        if found is None:
            raise EditError(f"{field.name}: {text!r} is not a date YYYY-MM-DD followed by its text")
        return dated_value(field, parse_value(Settable(field.name, "date"), found.group(1)), found.group(2))
    if field.kind == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise EditError(f"{field.name}: {text!r} is not a date YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise EditError(f"{field.name}: {text!r} is an impossible date") from None
    if field.kind == "int":
        if not re.fullmatch(r"-?\d{1,9}", text):
            raise EditError(f"{field.name}: {text!r} is not a whole number")
        return int(text)
    if field.kind == "bool":
        if text not in ("true", "false"):
            raise EditError(f"{field.name}: {text!r} is not true or false")
        return text == "true"
    if field.kind == "choice" and text not in field.choices:
        raise EditError(f"{field.name}: {text!r} is not one of {', '.join(field.choices)}")
    return text


def dated_value(field: Settable, day: dt.date, text: str) -> dict[str, Any]:
    """A dated text's value as the record holds it: ``{date, text}``."""
    if not text.strip():
        raise EditError(f"{field.name}: the text is empty")
    return {"date": day, "text": text}


def plain(value: Any) -> Any:
    """A field's value as YAML reads it back: a nested record as its mapping (its fields that are set)."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return value.model_dump(exclude_none=True)
    return value


def set_field(
    register: Register, ident: str, name: str, values: list[str], unset: bool = False, date: dt.date | None = None
) -> Edit:
    """The edit that sets (or, with ``unset``, removes) one field of the record ``ident`` names
    (any record, as ``query.find_record`` finds it), as text: the field's own lines change, every
    other line stays as written. A list field takes several values; a dated field
    (``latest_update``) takes its ``date`` and its text."""
    try:
        found = find_record(register.root, ident)
    except UnknownId as exc:
        raise EditError(str(exc)) from None
    field = _settable(found, name.replace("-", "_"))
    text = read_exactly(found.path)
    record, _, _ = load_file(found.path, found.type.folder, str(found.path))
    if record is None:
        raise EditError(f"{found.path} does not load; run 'secstatus validate'")
    old = plain(getattr(record, field.name))
    if date is not None and field.kind != "dated":
        raise EditError(
            f"'{field.name}' is not dated; --date is for a dated field (set {ident} FIELD --date DATE TEXT)"
        )
    if unset:
        new = _unset(found, field, text)
    else:
        new = _new_value(field, values, ident, date)
        if new == old:
            raise EditError(f"{found.label}: '{field.name}' is already {say(old)}")
    after = _with_field(text, found.path, list(found.type.model.model_fields), field.name, None if unset else new)
    return Edit(found.path, text, after, f"{found.label}: {field.name}: {say(old)} → {say(new)}")


def _unset(found, field: Settable, text: str) -> Any:
    """The value an optional field has once removed (None, or an empty list); a required field,
    or one the file does not hold, is refused."""
    if field.required:
        raise EditError(f"{found.label}: '{field.name}' is required; give it a new value instead of --unset")
    if field.name not in _top_level(text, found.path):
        raise EditError(f"{found.label} has no '{field.name}' to unset")
    return [] if field.many else None


def _new_value(field: Settable, values: list[str], ident: str, date: dt.date | None = None) -> Any:
    """The VALUEs given as the field's value: one, a list for a list field, or a dated field's
    text with its ``date``."""
    if not values:
        raise EditError(f"give a value for '{field.name}', or --unset")
    if field.kind == "dated":
        if date is None:
            raise EditError(
                f"'{field.name}' is dated: give its day and its text "
                f'(secstatus set {ident} {field.name} --date DATE "...")'
            )
        if len(values) > 1:
            raise EditError(
                f"'{field.name}' takes one text, not {len(values)}; quote a text with spaces "
                f'(secstatus set {ident} {field.name} --date DATE "...")'
            )
        return dated_value(field, date, values[0])
    if len(values) > 1 and not field.many:
        raise EditError(
            f"'{field.name}' takes one value, not {len(values)}; quote a value with spaces "
            f'(secstatus set {ident} {field.name} "...")'
        )
    parsed = [parse_value(field, v) for v in values]
    return parsed if field.many else parsed[0]


def _settable(found, name: str) -> Settable:
    """The field ``name`` of the found record's type, or a refusal that says what to do instead."""
    fields = settable_fields(found.type)
    if name in fields:
        return fields[name]
    if name in found.type.identity:
        raise EditError(f"'{name}' names the file ({found.type.folder}/{found.path.name}) and is not changed by set")
    if name in RECORDED_ELSEWHERE and name in found.type.model.model_fields:
        raise EditError(RECORDED_ELSEWHERE[name].format(id=found.id))
    if name in found.type.model.model_fields:
        raise EditError(f"'{name}' holds items, not values: edit it in {found.path}")
    raise EditError(f"a {found.type.label} has no field '{name}'; it has: {', '.join(fields)}")


def _top_level(text: str, path: Path) -> dict[str, tuple[Any, Any]]:
    """The file's top-level keys, each with its key and value nodes (their marks give where
    they stand)."""
    import yaml

    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        raise EditError(f"{path} is not written as a block mapping (one 'key: value' a line); edit it by hand")
    return {key.value: (key, value) for key, value in node.value}


def _value_lines(name: str, value: Any, newline: str, indent: str = "") -> list[str]:
    """The lines of 'name: value': a list as a block list, a mapping (a dated text) as a block
    mapping, text with line breaks as a literal block."""
    if isinstance(value, list):
        return [f"{indent}{name}:{newline}"] + [f"{indent}  - {scalar(item)}{newline}" for item in value]
    if isinstance(value, dict):
        return [f"{indent}{name}:{newline}"] + [
            line for key, item in value.items() for line in _value_lines(key, item, newline, indent + "  ")
        ]
    if (
        isinstance(value, str)
        and "\n" in value
        and not re.search(r"[\r\t]", value)
        and not value.startswith((" ", "\n"))
    ):
        body, chomp = (value[:-1], "") if value.endswith("\n") and not value.endswith("\n\n") else (value, "-")
        if not body.endswith("\n"):
            return [f"{indent}{name}: |{chomp}{newline}"] + [
                f"{indent}  {line}{newline}" if line else newline for line in body.split("\n")
            ]
    return [f"{indent}{name}: {scalar(value)}{newline}"]


def _with_field(text: str, path: Path, order: list[str], name: str, value: Any) -> str:
    """``text`` with the top-level field ``name`` replaced by ``value`` (added where the model
    declares it, or in place of a commented-out '# name:' line; removed when None). The result
    must read back as that value, or the edit is refused."""
    import yaml

    keys = _top_level(text, path)
    lines, newline = _lines(text), newline_of(text)
    new = [] if value is None else _value_lines(name, value, newline)
    if name in keys:
        key, node = keys[name]
        first, last = key.start_mark.line, _last_line(lines, node)
        if (
            len(new) == 1
            and first == last == node.start_mark.line
            and isinstance(node, yaml.ScalarNode)
            and node.style not in ("|", ">")
            and node.end_mark.index > node.start_mark.index
        ):
            line = lines[first]  # a value on the key's own line: only the value changes, a comment stays
            start, end = node.start_mark.column, node.end_mark.column
            lines[first] = line[:start] + new[0][len(name) + 2 :].rstrip("\r\n") + line[end:]
        else:
            lines[first : last + 1] = new
    else:
        at = _insertion_line(lines, keys, order, name)
        placeholder = at < len(lines) and re.match(rf"#\s*{re.escape(name)}:", lines[at])
        lines[at : at + (1 if placeholder else 0)] = new
    after = "".join(lines)
    _reads_back_as(after, path, name, value)
    return after


def _last_line(lines: list[str], node: Any) -> int:
    """The index of the last line of a value (trailing blank lines, and a list's trailing comments,
    belong to what follows)."""
    import yaml

    end = node.end_mark
    last = end.line if end.column > 0 else end.line - 1
    start = node.start_mark.line
    while last > start and (
        not lines[last].strip() or (isinstance(node, yaml.SequenceNode) and lines[last].lstrip().startswith("#"))
    ):
        last -= 1
    return last


def _insertion_line(lines: list[str], keys: dict[str, tuple[Any, Any]], order: list[str], name: str) -> int:
    """Where a new top-level field goes: in place of a commented-out '# name:' line; else before
    the first field the model declares after it (above the comments that introduce that field);
    else after the last field (before the comments and document markers that end the file)."""
    for i, line in enumerate(lines):
        if re.match(rf"#\s*{re.escape(name)}:", line):
            return i
    later = [keys[k][0].start_mark.line for k in order[order.index(name) + 1 :] if k in keys]
    if later:
        return _comments_above(lines, min(later))
    at = len(lines)
    while at > 0 and _is_filler(lines[at - 1]):
        at -= 1
    return at


def _reads_back_as(text: str, path: Path, name: str, value: Any) -> None:
    """Refuse an edit whose text does not read back with ``value`` in ``name`` (None: absent)."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError) as exc:
        raise EditError(f"{path}: the edited text does not read back ({exc}); edit it by hand") from None
    if (data.get(name) if isinstance(data, dict) else None) != value:
        raise EditError(
            f"{path}: the value of '{name}' cannot be written so that it reads back as given; edit it by hand"
        )
