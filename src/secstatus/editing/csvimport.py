"""Seeding the register from a spreadsheet: ``secstatus import FILE.csv``, one row a modification.

Rules:
- the first row names the columns; a column is a field of the modification model: its id, and
  every field ``secstatus set`` changes (``edit.settable_fields``), so a field added to the model
  is a column with nothing else to change. A column no field has is refused by name. Names are
  read without regard to case, and a space or hyphen counts as ``_`` (``Lead analyst``);
- a cell is text as written (one that looks like a formula too: it is data here); its surrounding
  spaces and line breaks are dropped, and an empty cell gives no value. A date is ISO
  ``YYYY-MM-DD``; a list field's cell holds one item a line;
- a row whose id the register holds in any form (MP071 names DP071) is refused, unless ``update``:
  then its non-empty cells set those fields of the record, as ``set`` does (as text: the field's
  own lines change, every other line and comment stays); a new record is made from the
  ``new-modification.yaml`` template, its fields then set the same way;
- all or nothing: every row is read, then the register is validated once with every new and
  changed file in place (``edit.check_edits``); any error refuses the whole import, each error
  located ``FILE.csv:ROW:COL`` (rows counted as a spreadsheet counts them, the header being row 1;
  a row whose cells hold line breaks spans several lines of the file).

A file from a spreadsheet is expected: UTF-8 with or without a byte-order mark, CRLF or LF line
endings, fields separated by commas (or by semicolons where the header has no comma, as
spreadsheets write CSV in locales whose decimal mark is a comma), rows padded with empty cells.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analysis.query import modification_id
from ..domain.diagnostics import Diagnostic, error
from ..domain.model import ID_PATTERN, RECORD_FOLDERS, RecordType
from ..history.compare import say
from ..register.load import Register
from .create import _new_file, new_record_environment, render_new
from .edit import (
    Edit,
    EditError,
    Settable,
    _top_level,
    _with_field,
    check_edits,
    parse_value,
    plain,
    read_exactly,
    settable_fields,
)

MODIFICATIONS = RECORD_FOLDERS["modifications"]
MADE_BY = "secstatus import"
"""What the new records' opening comment says made them."""


class ImportRefused(EditError):
    """The import is refused; ``diagnostics`` locate each reason in the CSV file. Nothing was written."""


@dataclass(frozen=True)
class Row:
    """One row of the file: the file's name, the row's number (the header is row 1) and its cells
    by column name, each with its column number (an empty cell's text is '')."""

    file: str
    number: int
    cells: dict[str, tuple[int, str]]

    def column(self, name: str) -> int:
        """The column number of field ``name`` (of the id, for a field the file has no column for)."""
        return self.cells.get(name, self.cells["id"])[0]


@dataclass
class Imported:
    """What an import does: the edits (a new file or a changed one a row, in the file's order), how
    many of them make new records and change held ones, how many rows changed nothing, and the
    warnings the edits bring in, located in the CSV file."""

    edits: list[Edit]
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[Diagnostic] = field(default_factory=list)


def columns(record_type: RecordType = MODIFICATIONS) -> dict[str, Settable | None]:
    """The columns a file may have, in the model's order: the fields a record's file is named
    after (None: not a field ``set`` changes) and the fields ``set`` changes."""
    settable = settable_fields(record_type)
    return {
        name: settable.get(name)
        for name in record_type.model.model_fields
        if name in record_type.identity or name in settable
    }


def column_name(header: str) -> str:
    """A header cell as a field name: 'Lead analyst' and 'lead-analyst' are lead_analyst."""
    return re.sub(r"[\s-]+", "_", header.strip()).lower()


# --- reading the file -----------------------------------------------------------------------------


def read_rows(path: Path, record_type: RecordType = MODIFICATIONS) -> tuple[list[Row], list[Diagnostic]]:
    """The file's rows (blank rows left out), or the diagnostics that refuse it."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], [error(name, 1, 1, "unreadable", f"cannot read: {exc.strerror}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [_not_utf8(name, raw, exc)]
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True))
    except csv.Error as exc:
        return [], [error(name, _records_before(text, exc) + 1, 1, "csv-syntax", f"not a well-formed CSV file: {exc}")]
    if not table or not any(cell.strip() for cell in table[0]):
        return [], [
            error(
                name,
                1,
                1,
                "csv-syntax",
                f"no header: the first row names the columns ({', '.join(columns(record_type))})",
            )
        ]
    names, problems = _header(name, table[0], record_type)
    if problems:
        return [], problems  # the rows would be read wrong: a misspelt column would leave its field empty in each
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        cells = [_cell(c) for c in cells]
        if not any(cells):
            continue  # a blank row, as a spreadsheet leaves between blocks or at the end
        if len(cells) < len(names) or any(cells[len(names) :]):
            problems.append(
                error(
                    name,
                    number,
                    min(len(cells), len(names)) + 1,
                    "ragged-row",
                    f"this row has {len(cells)} cells and the header {len(names)}: "
                    "a separator too many or too few, or a cell's quotes not closed",
                )
            )
            continue
        problems += [
            error(
                name,
                number,
                i + 1,
                "unknown-field",
                f"column {i + 1} has no name in the header, and this row has a value in it: name the column",
            )
            for i, cell in enumerate(cells[: len(names)])
            if cell and not names[i]
        ]
        rows.append(
            Row(name, number, {names[i]: (i + 1, cell) for i, cell in enumerate(cells) if i < len(names) and names[i]})
        )
    return rows, problems


def _not_utf8(name: str, raw: bytes, exc: UnicodeDecodeError) -> Diagnostic:
    before = raw[: exc.start]
    hint = (
        "it is UTF-16 (a spreadsheet's 'Unicode text')"
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff")
        else f"byte 0x{raw[exc.start]:02x} cannot be decoded"
    )
    return error(
        name,
        before.count(b"\n") + 1,
        1,
        "encoding",
        f"not UTF-8: {hint}; save the sheet as 'CSV UTF-8 (comma delimited)'",
    )


def _delimiter(text: str) -> str:
    """A comma, or a semicolon where the header has none but has semicolons."""
    header = text.split("\n", 1)[0]
    return ";" if "," not in header and ";" in header else ","


def _records_before(text: str, exc: csv.Error) -> int:
    """How many rows read well before the one csv refuses (its error names no row)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    count = 0
    try:
        for _ in reader:
            count += 1
    except csv.Error:
        pass
    return count


def _cell(text: str) -> str:
    """A cell's value: line endings as LF (a spreadsheet writes CRLF inside a cell), the
    surrounding spaces and line breaks dropped."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _header(name: str, header: list[str], record_type: RecordType) -> tuple[list[str], list[Diagnostic]]:
    """Each column's field name ('' for an unnamed column, which must then hold nothing), and the
    diagnostics that refuse the header: an unknown or repeated column, no id column."""
    accepted = columns(record_type)
    names: list[str] = []
    problems = []
    for number, cell in enumerate(header, start=1):
        field_name = column_name(cell)
        if field_name and field_name not in accepted:
            problems.append(
                error(
                    name,
                    1,
                    number,
                    "unknown-field",
                    f"unknown column {cell.strip()!r}; the columns are: {', '.join(accepted)}",
                )
            )
        elif field_name and field_name in names:
            first = names.index(field_name) + 1
            problems.append(
                error(
                    name,
                    1,
                    number,
                    "duplicate-key",
                    f"column {field_name!r} is given twice (columns {first} and {number})",
                )
            )
        names.append(field_name)
    for identity in record_type.identity:
        if identity not in names:
            problems.append(
                error(
                    name,
                    1,
                    1,
                    "missing-field",
                    f"no {identity!r} column: each row names its {record_type.label} by its {identity}",
                )
            )
    return names, problems


# --- each row as an edit ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """A row's edit, with where each field it writes stands in the file (for locating an error)."""

    row: Row
    ident: str
    edit: Edit
    written: tuple[str, ...]


def plan(register: Register, dirs: list[Path], path: Path, update: bool) -> tuple[list[Planned], int, list[Diagnostic]]:
    """Every row of the file as an edit (a row that changes nothing under ``update`` gives none):
    the edits, how many rows changed nothing, and the diagnostics of the rows refused."""
    rows, problems = read_rows(path)
    env = new_record_environment(dirs) if rows else None
    planned, unchanged = [], 0
    seen: dict[str, tuple[int, str]] = {}
    for row in rows:
        try:
            ident = _row_id(row, seen)
            values = _row_values(row)
            made = _row_edit(register, dirs, env, row, ident, values, update)
        except _RowProblems as exc:
            problems.extend(exc.problems)
            continue
        if made is None:
            unchanged += 1
        else:
            planned.append(Planned(row, ident, made, tuple(values)))
    return planned, unchanged, problems


class _RowProblems(Exception):
    """A row refused, with each of its problems."""

    def __init__(self, problems: list[Diagnostic]):
        super().__init__(problems)
        self.problems = problems


def _row_id(row: Row, seen: dict[str, tuple[int, str]]) -> str:
    """The row's id; refused (with the row's other problems) when empty, not an id, or given by a
    row above in any form (DP071 and MP071 are one number; the row above may itself be refused)."""
    column, ident = row.cells["id"]
    ident = ident.upper()
    if not ident:
        problems = [error(row.file, row.number, column, "missing-field", "id: empty; each row names its modification")]
    elif not re.fullmatch(ID_PATTERN, ident):
        problems = [
            error(
                row.file,
                row.number,
                column,
                "bad-id",
                f"id: {ident!r} is not a modification id (SECMP0071, DP071, MP071 or MP071A)",
            )
        ]
    else:
        key = ident[2:] if ident[:2] in ("DP", "MP") else ident
        if key not in seen:
            seen[key] = (row.number, ident)
            return ident
        above, form = seen[key]
        also = "" if form == ident else f" (as {form}: DPnnn and MPnnn are one number)"
        problems = [
            error(row.file, row.number, column, "duplicate-id", f"id: {ident} is already given in row {above}{also}")
        ]
    try:
        _row_values(row)
    except _RowProblems as exc:
        problems += exc.problems
    raise _RowProblems(problems)


def _row_values(row: Row, record_type: RecordType = MODIFICATIONS) -> dict[str, Any]:
    """Each of the row's non-empty cells but its id as its field's value."""
    problems = []
    values = {}
    for name, field_ in columns(record_type).items():
        if field_ is None or not row.cells.get(name, (0, ""))[1]:
            continue
        try:
            values[name] = _value(row, field_, row.cells[name][1])
        except _RowProblems as exc:
            problems += exc.problems
    if problems:
        raise _RowProblems(problems)
    return values


def _value(row: Row, field_: Settable, text: str) -> Any:
    """A cell as its field's value (a list field's items one a line), or the problem, coded as
    validation codes the same fault in a record."""
    texts = [line.strip() for line in text.split("\n") if line.strip()] if field_.many else [text]
    try:
        parsed = [parse_value(field_, t.lower() if field_.kind == "bool" else t) for t in texts]
    except EditError as exc:
        at, message = (row.file, row.number, row.column(field_.name)), str(exc)
        if field_.kind in ("date", "dated") and "impossible" in message:
            problem = error(*at, "bad-date", message)
        elif field_.kind == "dated":
            problem = error(*at, "not-a-date", message)
        elif field_.kind == "date":
            problem = error(
                *at,
                "not-a-date",
                f"{message} (a spreadsheet may have written the date its own way: format the column as text)",
            )
        else:
            problem = error(*at, "bad-choice" if field_.kind == "choice" else "invalid", message)
        raise _RowProblems([problem]) from None
    return parsed if field_.many else parsed[0]


def _row_edit(
    register: Register, dirs: list[Path], env, row: Row, ident: str, values: dict[str, Any], update: bool
) -> Edit | None:
    """The edit a row makes: a new record, or (``update``) its changed fields; None if none changes."""
    held = modification_id(register.modifications, ident)
    if held is None:
        return _new_record(register, dirs, env, row, ident, values)
    if not update:
        also = f" (as {held})" if held != ident else ""
        raise _RowProblems(
            [
                error(
                    row.file,
                    row.number,
                    row.column("id"),
                    "duplicate-id",
                    f"id: {ident} is already in the register{also}: modifications/{held}.yaml; "
                    "give --update to set its fields from this row",
                )
            ]
        )
    return _changed_record(register, row, held, values)


def _new_record(register: Register, dirs: list[Path], env, row: Row, ident: str, values: dict[str, Any]) -> Edit:
    """A new record's file: the template with its id and title, then each other value set in it."""
    missing = [
        error(
            row.file,
            row.number,
            row.column(name),
            "missing-field",
            f"{name}: {'empty' if name in row.cells else 'no column'}; a new modification needs one",
        )
        for name, field_ in columns().items()
        if field_ is not None and field_.required and name not in values
    ]
    if missing:
        raise _RowProblems(missing)
    blank = {name: None for name in columns()}
    text = render_new(
        dirs, "new-modification.yaml", env=env, **{**blank, "id": ident, "title": values["title"], "made_by": MADE_BY}
    )
    try:
        edit = _new_file(register, "modifications", ident, text, f"{ident}: new modification")
    except EditError as exc:
        raise _RowProblems([error(row.file, row.number, row.column("id"), "duplicate-id", f"id: {exc}")]) from None
    return Edit(edit.path, None, _set_all(row, edit.path, text, values, skip=("title",)), edit.summary)


def _changed_record(register: Register, row: Row, held: str, values: dict[str, Any]) -> Edit | None:
    """The existing record with the row's values set; None when it already holds them all."""
    mod = register.modifications[held]
    path = register.source_of(mod).path
    changed = {name: value for name, value in values.items() if plain(getattr(mod, name)) != value}
    if not changed:
        return None
    text = read_exactly(path)
    words = "; ".join(f"{name}: {say(plain(getattr(mod, name)))} → {say(value)}" for name, value in changed.items())
    return Edit(path, text, _set_all(row, path, text, changed), f"{held}: {words}")


def _set_all(row: Row, path: Path, text: str, values: dict[str, Any], skip: tuple[str, ...] = ()) -> str:
    """``text`` with each value set as ``set`` sets a field (``edit._with_field``)."""
    order = list(MODIFICATIONS.model.model_fields)
    for name, value in values.items():
        if name in skip:
            continue
        try:
            text = _with_field(text, path, order, name, value)
        except EditError as exc:
            raise _RowProblems([error(row.file, row.number, row.column(name), "invalid", f"{name}: {exc}")]) from None
    return text


# --- the whole import --------------------------------------------------------------------------------


def import_csv(
    register: Register, dirs: list[Path], path: Path, update: bool, before: list[Diagnostic], checked=None
) -> Imported:
    """The edits that import ``path`` into ``register``, validated with the whole register (once;
    from ``checked``, the register as loaded and checked, when given: ``edit.check_edits``);
    ImportRefused, with every problem located in the file, when any row or the register refuses."""
    planned, unchanged, problems = plan(register, dirs, path, update)
    edits = [p.edit for p in planned]
    locate = locator(path, planned)
    try:
        warnings = check_edits(register.root, edits, before, checked) if edits else []
    except EditError as exc:
        if not exc.diagnostics:
            raise
        problems += [locate(d) for d in exc.diagnostics]
    if problems:
        errors = sum(d.severity == "error" for d in problems)
        in_order = sorted(problems, key=lambda d: (d.path != str(path), d.path, d.line, d.column))  # the file's first
        raise ImportRefused(f"{path}: {errors} error(s); nothing was imported", in_order)
    return Imported(
        edits,
        sum(e.before is None for e in edits),
        sum(e.before is not None for e in edits),
        unchanged,
        [locate(d) for d in warnings],
    )


def locator(path: Path, planned: list[Planned]) -> Callable[[Diagnostic], Diagnostic]:
    """Locate a diagnostic of the register validated with the import in the CSV file, when it is
    about a file a row writes: at the cell of the field it is about (else at the row's id, naming
    the place in the record)."""
    from dataclasses import replace

    by_path = {Path(p.edit.path).resolve(): p for p in planned}

    def locate(d: Diagnostic) -> Diagnostic:
        found = by_path.get(Path(d.path).resolve())
        if found is None:
            return d
        key = _key_at(found.edit.after, found.edit.path, d.line)
        column = found.row.column(key or "id")
        where = "" if key in found.written else f" (modifications/{found.edit.path.name}:{d.line}:{d.column})"
        return replace(
            d, path=str(path), line=found.row.number, column=column, message=f"{found.ident}: {d.message}{where}"
        )

    return locate


def _key_at(text: str, path: Path, line: int) -> str | None:
    """The top-level field whose lines hold ``line`` (from 1) of the record's text."""
    import yaml

    try:
        keys = _top_level(text, path)
    except (EditError, yaml.YAMLError):  # text that is not a mapping has no field to name
        return None
    starts = sorted((key.start_mark.line + 1, name) for name, (key, _) in keys.items())
    at = [name for start, name in starts if start <= line]
    return at[-1] if at else None
