"""Write docs/data-format.md from the models, so the record format's documentation cannot drift.

Run ``python -m secstatus.editing.formatdoc > docs/data-format.md``; a test fails when the file differs.
Python gathers the models' fields as plain data; ``templates/data-format.md`` words and lays them out.
"""

from __future__ import annotations

import datetime as dt
import inspect
import types
import typing
from dataclasses import dataclass
from pathlib import Path

from ..domain.events import EVENT_KINDS, KIND_LIST, EventBase
from ..domain.model import RECORD_TYPES, Assessment, CalendarDay, DatedText, PlannedDate, PlannedMilestone
from ..domain.record import ONE_LINE_PATTERN, Acknowledgement
from ..domain.timeline import STAGES
from ..output.render import PACKAGE_TEMPLATES, environment
from .csvimport import MODIFICATIONS, columns
from .edit import _unwrapped

EXAMPLES = {
    "modifications": "data/modifications/SECMP0043.yaml",
    "releases": "data/releases/2019-11.yaml",
    "sec-versions": "data/sec-versions/6.11.yaml",
    "meetings": "data/meetings/2019-05-10-panel.yaml",
    "reports": "data/reports/2019-05.yaml",
    "calendar": "data/calendar/overrides.yaml",
}

LISTS = ("events", "plan", "assessments", "planned", "days", "acknowledged")
"""Fields that hold a list of items; the template says what each item is."""
SIMPLE_TYPES = {dt.date: "date", str: "text", int: "int", bool: "bool"}


@dataclass(frozen=True)
class FieldDoc:
    name: str
    type: str  # date, text, int, bool, choice, list, or the annotation as Python writes it
    choices: tuple[str, ...]  # for a choice
    required: bool
    default: str | None  # a default worth stating (not none or empty)


@dataclass(frozen=True)
class ModelDoc:
    name: str  # the model's class name, or an event's kind
    doc: str
    fields: tuple[FieldDoc, ...]


@dataclass(frozen=True)
class RecordDoc:
    folder: str
    model: ModelDoc
    example_path: str
    example: str


@dataclass(frozen=True)
class ProcessStep:
    """An event kind's place in the process: the stages it may happen in, what must come before it."""

    name: str
    label: str
    stages: tuple[str, ...]  # in the order of timeline.STAGES
    after: tuple[str, ...]  # kinds, one of which must have happened before it


@dataclass(frozen=True)
class ColumnDoc:
    """A column of ``secstatus import``'s spreadsheet: the field it sets, how its cell is written,
    and whether a new record needs it."""

    name: str
    kind: str  # id, date, text, int, bool or choice
    choices: tuple[str, ...]
    many: bool  # a list: one item a line
    required: bool


@dataclass(frozen=True)
class FormatDoc:
    records: tuple[RecordDoc, ...]
    event_fields: tuple[FieldDoc, ...]  # what every event has
    kinds: tuple[ModelDoc, ...]  # each event kind with its own fields
    items: dict[str, ModelDoc]  # the items of the nested lists: assessments, planned, days
    kind_names: tuple[str, ...]
    process: tuple[ProcessStep, ...]  # each event kind's place in the process (events.Kind)
    columns: tuple[ColumnDoc, ...]  # the columns of a spreadsheet to import (csvimport.columns)


def field_type(name: str, annotation) -> tuple[str, tuple[str, ...]]:
    """A field's type as (type, choices)."""
    if name in LISTS:
        return "list", ()
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        annotation = args[0]
    if typing.get_origin(annotation) is list:  # a list of values, one an item
        return f"list of {field_type(name + '[]', typing.get_args(annotation)[0])[0]}", ()
    if annotation is DatedText:
        return "dated", ()
    if typing.get_origin(annotation) is typing.Annotated:  # OneLine, Text, Item
        one_line = any(getattr(m, "pattern", None) == ONE_LINE_PATTERN for m in typing.get_args(annotation)[1:])
        return ("text on one line" if one_line else "text"), ()
    if typing.get_origin(annotation) is typing.Literal:
        return "choice", tuple(typing.get_args(annotation))
    return SIMPLE_TYPES.get(annotation, str(annotation)), ()


def fields_of(model, skip: tuple[str, ...] = ()) -> tuple[FieldDoc, ...]:
    out = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        kind, choices = field_type(name, info.annotation)
        stated = info.default_factory is None and info.default not in (None, [])
        default = str(info.default) if stated and not info.is_required() else None
        out.append(FieldDoc(name, kind, choices, info.is_required(), default))
    return tuple(out)


def model_doc(model, name: str | None = None, skip: tuple[str, ...] = ()) -> ModelDoc:
    return ModelDoc(name or model.__name__, inspect.cleandoc(model.__doc__ or ""), fields_of(model, skip))


def gather(root: Path) -> FormatDoc:
    """The record format as plain data, each example read from the shipped register under ``root``."""
    own = tuple(EventBase.model_fields) + ("kind",)
    return FormatDoc(
        records=tuple(
            RecordDoc(folder, model_doc(model), EXAMPLES[folder], (root / EXAMPLES[folder]).read_text(encoding="utf-8"))
            for folder, model in RECORD_TYPES.items()
        ),
        event_fields=fields_of(EventBase),
        kinds=tuple(model_doc(kind.model, kind.name, skip=own) for kind in KIND_LIST),
        items={
            "assessments": model_doc(Assessment),
            "planned": model_doc(PlannedDate),
            "plan": model_doc(PlannedMilestone),
            "days": model_doc(CalendarDay),
            "acknowledged": model_doc(Acknowledgement),
        },
        kind_names=EVENT_KINDS,
        process=tuple(
            ProcessStep(kind.name, kind.label, tuple(s for s in STAGES if s in kind.allowed), kind.after)
            for kind in KIND_LIST
        ),
        columns=import_columns(),
    )


def import_columns() -> tuple[ColumnDoc, ...]:
    """The columns ``secstatus import`` reads, from the modification model as it derives them."""

    def kind(name: str, field) -> str:
        """'text on one line' where the model says so; else the kind ``set`` reads it as."""
        info = MODIFICATIONS.model.model_fields[name]
        if field.kind != "text":
            return field.kind
        if any(getattr(m, "pattern", None) == ONE_LINE_PATTERN for m in info.metadata):
            return "text on one line"  # a OneLine field with constraints of its own (a title's length)
        return field_type(name, typing.get_args(_unwrapped(info.annotation))[0] if field.many else info.annotation)[0]

    return tuple(
        ColumnDoc(name, "id", (), False, True)
        if field is None
        else ColumnDoc(name, kind(name, field), field.choices, field.many, field.required)
        for name, field in columns().items()
    )


def render(root: Path) -> str:
    """The whole document."""
    return environment([PACKAGE_TEMPLATES], "text").get_template("data-format.md").render(doc=gather(root))


if __name__ == "__main__":  # pragma: no cover
    print(render(Path.cwd()), end="")
