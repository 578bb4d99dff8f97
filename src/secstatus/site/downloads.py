"""The register as data: ``register.json``, ``register.csv`` and ``modifications/ID.json``, with the
JSON Schemas they follow (``register.schema.json``, ``modification.schema.json``).

Rules:
- the shapes are declared once, as the models below: the files are their dumps and the schemas
  their JSON Schemas (draft 2020-12), so the two cannot disagree; a page field's type is the
  register's own (``Modification``'s field of that name);
- they say what the site's pages say, on the same day: every modification existing on the as-at
  day, in the register's order (legacy SECMP records first, then DP/MP by number), with the id
  it is displayed by that day, its stage, status, next key date and the SEC pages' fields (the
  latest update once its day has come: ``query.page_fields``); a modification's own file adds
  its timeline (each event as recorded, with its words), its DCC assessments as its page shows
  them, its progression plan (``plans.MilestonePlan``), its Appendix A rows and its key dates ahead;
- stable from build to build: no timestamp but the as-at day and the horizon, keys in declared
  order, JSON indented with two spaces and UTF-8 as written;
- ``register.csv`` is ``register.json``'s rows, one column per value: a list's items one a line
  in their cell (as ``secstatus import`` reads them), a dated value as two columns (``*_date``),
  through the one CSV writer (``reporters.rows_csv``), which neutralises a cell a spreadsheet
  would read as a formula.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, field_serializer

from ..domain.events import PLANNABLE, AssessmentType, Event
from ..domain.model import Modification, Route
from ..domain.timeline import Stage
from ..output.reporters import rows_csv

DIALECT = "https://json-schema.org/draft/2020-12/schema"
FORMAT = 1
"""The version of these files' shapes: a change a reader must know of is a new number."""
PAGE_FIELDS = (
    "lead_analyst",
    "latest_update",
    "summary",
    "issue",
    "solution",
    "impacted_parties",
    "affected_documents",
)
"""The fields of the SEC's own modification pages (``query.page_fields``), typed as the register types them."""


class Shape(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class KeyDate(Shape):
    """A key date ahead: its day and what happens on it."""

    date: dt.date
    what: str


def _fields(**declared: Any) -> dict[str, Any]:
    """Fields for ``create_model``: each a type, or (type, Field(...))."""
    return {name: value if isinstance(value, tuple) else (value, ...) for name, value in declared.items()}


ROW_FIELDS = _fields(
    id=(str, Field(description="as displayed on the day: MPnnn once a Draft Proposal DPnnn is converted")),
    file_id=(str, Field(description="the id it was raised with, its record's file name")),
    title=str,
    stage=Stage,
    status=str,
    on_hold=bool,
    route=Route | None,
    proposer=str | None,
    raised=dt.date | None,
    release=(str | None, Field(description="the release it is approved for, by its id")),
    release_name=str | None,
    next_key_date=(KeyDate | None, Field(description="the earliest key date on or after the day")),
    expected_decision=(dt.date | None, Field(description="the Authority's decision as planned, while not made")),
    **{
        name: (Modification.model_fields[name].annotation, Field(description=f"the SEC page's {name}, as recorded"))
        for name in PAGE_FIELDS
    },
    url=(str | None, Field(description="its page on the SEC website")),
    page=(str, Field(description="its page on this site, from the site's root")),
    data=(str, Field(description="its own data file on this site, from the site's root")),
    feed=(str, Field(description="its Atom feed on this site, from the site's root")),
)
"""A modification as the register's index has it on the day, in the order its files give them."""

Row = create_model("Row", __base__=Shape, __doc__="One modification on the day.", **ROW_FIELDS)

DAY_FIELDS = _fields(
    format=(Literal[FORMAT], FORMAT),
    as_at=(dt.date, Field(description="the day the register is shown as it stood")),
    horizon=(dt.date | None, Field(description="the last day the register's facts reach")),
)

RegisterData = create_model(
    "RegisterData",
    __base__=Shape,
    __doc__="register.json: every modification existing on the day.",
    schema_ref=(str, Field("register.schema.json", alias="$schema")),
    **DAY_FIELDS,
    modifications=list[Row],
)


class TimelineItem(Shape):
    """An event dated by the day: as recorded (its fields by the register's names) and in words."""

    words: str
    event: Event

    @field_serializer("event")
    def _as_recorded(self, event) -> dict[str, Any]:
        recorded = event.model_dump(mode="json", exclude_defaults=True)
        return {"kind": recorded.pop("kind"), **recorded}


class AssessmentItem(Shape):
    """A DCC assessment as the page shows it: its dates known by the day, its target in force and its duration."""

    type: AssessmentType
    requested: dt.date | None
    accepted: dt.date | None
    target: dt.date | None
    target_basis: str
    delivered: dt.date | None
    status: str
    duration_wd: int | None = Field(description="working days from acceptance to delivery, or to the day while open")
    target_wd: int
    over_target: bool
    notes: str | None


class Replan(Shape):
    """A later plan of a milestone: its day, the day it was decided and why."""

    date: dt.date
    decided: dt.date | None
    note: str | None


class PlanItem(Shape):
    """A milestone of the progression plan on the day (``plans.MilestonePlan``): its baseline (the
    first plan), its current plan, the day it was met, and the slippage in working days against
    the baseline (+ late)."""

    milestone: Literal[PLANNABLE]  # type: ignore[valid-type]  # choices read from the kinds' declarations
    label: str
    status: Literal["met", "missed", "planned", "closed"]
    baseline: dt.date
    baseline_decided: dt.date | None
    planned: dt.date
    decided: dt.date | None
    note: str | None
    replans: list[Replan]
    actual: dt.date | None
    actual_exact: bool | None = Field(description="false when the event is known only as on or before its day")
    slip_wd: int | None
    overdue_wd: int | None = Field(description="a missed milestone: working days from its plan to the day counted to")


class AppendixRow(Shape):
    """A row of the report's Appendix A on the day."""

    table: str
    status: str
    note: str | None
    added: dt.date | None
    derived_from: str | None


ModificationData = create_model(
    "ModificationData",
    __base__=Shape,
    __doc__="modifications/ID.json: one modification on the day.",
    schema_ref=(str, Field("../modification.schema.json", alias="$schema")),
    **DAY_FIELDS,
    **ROW_FIELDS,
    upcoming=(list[KeyDate], Field(description="every key date on or after the day, earliest first")),
    timeline=(list[TimelineItem], Field(description="its events dated by the day, in date order")),
    assessments=list[AssessmentItem],
    plan=(list[PlanItem], Field(description="its progression plan, milestone by milestone in the process's order")),
    appendix=list[AppendixRow],
)


SCHEMAS = {
    "register.schema.json": (RegisterData, "register", "The register as data: every modification on a day"),
    "modification.schema.json": (ModificationData, "modification", "One modification as data, on a day"),
}


def schema(model: type[BaseModel], name: str, title: str) -> dict[str, Any]:
    """The model's JSON Schema, as published."""
    body = model.model_json_schema(by_alias=True)
    body.pop("title", None)
    return {"$schema": DIALECT, "$id": f"urn:secstatus:site-data:{FORMAT}:{name}", "title": title, **body}


def text(model: BaseModel) -> bytes:
    return (json.dumps(model.model_dump(mode="json", by_alias=True), indent=2, ensure_ascii=False) + "\n").encode()


def row(index_row: dict[str, Any]) -> Row:
    """A modification's row from the site's index row (``pages.index_rows``: its page fields included)."""
    fields = {name: index_row[name] for name in Row.model_fields if name in index_row}
    update = index_row["latest_update"]
    if update is not None:
        fields["latest_update"] = {"date": dt.date.fromisoformat(update["date"]), "text": update["text"]}
    return Row.model_validate({**fields, "next_key_date": index_row["next"]})


def modification(base: Row, page: dict[str, Any], as_at: dt.date, horizon: dt.date | None) -> ModificationData:
    """A modification's own file from its row and its page's data (``pages.modification``)."""
    return ModificationData.model_validate(
        {
            **base.model_dump(),
            "as_at": as_at,
            "horizon": horizon,
            "upcoming": page["upcoming"],
            "timeline": [{"words": e["words"], "event": e["event"]} for e in page["timeline"]],
            "assessments": [
                {"type": a["assessment"], **{k: a[k] for k in AssessmentItem.model_fields if k in a}}
                for a in page["assessments"]
            ],
            "appendix": [
                {"table": r.group, "status": r.status, "note": r.note, "added": r.added, "derived_from": r.derived_from}
                for r in page["appendix"]
            ],
            "plan": page["facts"]["plan"],
        }
    )


CSV_COLUMNS = (
    "id",
    "file_id",
    "title",
    "stage",
    "status",
    "on_hold",
    "route",
    "proposer",
    "raised",
    "release",
    "release_name",
    "next_key_date",
    "next_key_date_what",
    "expected_decision",
    "lead_analyst",
    "latest_update_date",
    "latest_update",
    "summary",
    "issue",
    "solution",
    "impacted_parties",
    "affected_documents",
    "url",
    "page",
    "data",
    "feed",
)


def csv_text(rows: list[Row]) -> bytes:
    """``register.csv``: one line per row, its columns ``CSV_COLUMNS``."""

    def cells(r: Row) -> dict[str, Any]:
        flat = r.model_dump(mode="json")
        upcoming, update = flat.pop("next_key_date"), flat.pop("latest_update")
        flat.update(
            next_key_date=upcoming and upcoming["date"],
            next_key_date_what=upcoming and upcoming["what"],
            latest_update_date=update and update["date"],
            latest_update=update and update["text"],
            on_hold="true" if flat["on_hold"] else "false",
            impacted_parties="\n".join(flat["impacted_parties"]),
            affected_documents="\n".join(flat["affected_documents"]),
        )
        return {name: "" if flat[name] is None else flat[name] for name in CSV_COLUMNS}

    return rows_csv([cells(r) for r in rows], CSV_COLUMNS).encode()
