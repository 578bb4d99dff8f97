"""The register's record types: shapes and field-level rules only, no I/O.

Every model forbids unknown fields and validates strictly (``record.Record``). A modification's
events are declared, kind by kind, in ``events``. Stages and statuses are never stored:
``timeline`` folds them from the dated events.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from .events import PLANNABLE, AssessmentType, Event
from .record import (
    ONE_LINE_PATTERN,
    Acknowledgement,
    OneLine,
    Record,
    Text,
    WebAddress,
    empty_list,
    no_astral_noncharacter,
    rule,
    rule_error,
)

ID_PATTERN = r"^(SECMP\d{4}|DP\d{3}|MP\d{3}[A-Z]?)$"

Route = Literal["authority-led", "authority", "self-governance", "fast-track", "urgent"]

Item = Annotated[str, StringConstraints(min_length=1, pattern=ONE_LINE_PATTERN), AfterValidator(no_astral_noncharacter)]
"""One item of a list of names (an impacted party, an affected document): text on one line."""

RELEASE_WHEN = rule("release-without-date", "a release gives 'planned' dates or a 'when_text'")
ONE_CAUSE = rule("sec-version-cause", "a SEC version names exactly one cause: a modification or a designation")


class Assessment(Record):
    """A DCC Preliminary (PA) or Impact (IA) Assessment.

    ``requested``: SECAS asked DCC for it; ``accepted``: DCC accepted the Working Group's request
    (the day durations count from); ``delivered``: the day DCC delivered it. ``target`` is only an
    *agreed* delivery date other than the SEC's standard one (15 WD after acceptance for a PA,
    40 WD for an IA: ``assessments.TARGET_WD``), which is derived and never stored; where the
    acceptance date is not held, it is the target as the source printed it.
    ``status: not-progressed`` marks an accepted request that DCC reports as no longer
    outstanding although nothing was delivered. ``acknowledged`` keeps a warning about this
    assessment on purpose, with its reason (``[{code: assessment-dates, reason: …}]``).
    """

    type: AssessmentType
    requested: dt.date | None = None
    accepted: dt.date | None = None
    target: dt.date | None = None
    delivered: dt.date | None = None
    status: Literal["in-progress", "on-hold", "not-progressed"] = "in-progress"
    notes: Text | None = None
    source: Text | None = None
    acknowledged: list[Acknowledgement] = Field(default_factory=empty_list)


class PlannedMilestone(Record):
    """A date planned for a milestone of the modification's progression plan: ``milestone`` is
    the kind of event that meets it (one of ``events.PLANNABLE``), ``date`` the day it is planned
    for, as decided on ``decided``. The first plan of a milestone is its baseline (``decided`` may
    be left out: as first announced); each later one is a re-plan, which gives the day it was
    decided. The milestone is met when an event of its kind is recorded, on time or late by N
    working days against the baseline (``plans``)."""

    milestone: Literal[PLANNABLE]  # type: ignore[valid-type]  # choices read from the kinds' declarations
    date: dt.date
    decided: dt.date | None = None
    note: Text | None = None
    source: Text | None = None


class DatedText(Record):
    """Text as it stood on a day: ``{date, text}`` (a modification's ``latest_update``)."""

    date: dt.date
    text: Text = Field(min_length=1)


class Modification(Record):
    """One modification: its facts, its dated events and its DCC assessments.

    ``id`` is the identifier it was raised with and equals the file name; a Draft Proposal keeps
    its file when converted and is then displayed as MPnnn. ``acknowledged`` keeps a warning about
    the whole record on purpose; a warning about one event or assessment is acknowledged there.

    The fields of the SEC's own modification pages: ``lead_analyst`` (the SECAS analyst who runs
    it), ``latest_update`` (the page's dated "latest update"), ``issue`` ("What is the issue?"),
    ``solution`` ("What is the solution?"), ``impacted_parties`` ("Who is impacted?", one party
    category an item, such as "Large Suppliers" or "DCC") and ``affected_documents`` ("What SEC
    documents are affected?", one an item, named as the SEC names them: "Section D",
    "Appendix AB"). ``summary`` is a paragraph on the whole modification, as the monthly report
    describes a new Draft Proposal. ``plan`` is its progression plan: dates planned for its
    milestones, each re-plan kept with the day it was decided.
    """

    id: str = Field(pattern=ID_PATTERN)
    title: OneLine = Field(min_length=1)
    proposer: OneLine | None = None
    lead_analyst: OneLine | None = None
    raised: dt.date | None = None
    route: Route | None = None
    summary: Text | None = None
    issue: Text | None = None
    solution: Text | None = None
    impacted_parties: list[Item] = Field(default_factory=empty_list)
    affected_documents: list[Item] = Field(default_factory=empty_list)
    latest_update: DatedText | None = None
    url: WebAddress | None = None
    source: Text | None = None
    events: list[Event] = Field(default_factory=empty_list)
    plan: list[PlannedMilestone] = Field(default_factory=empty_list)
    assessments: list[Assessment] = Field(default_factory=empty_list)
    acknowledged: list[Acknowledgement] = Field(default_factory=empty_list)

    @property
    def is_draft(self) -> bool:
        return self.id.startswith("DP")


class PlannedDate(Record):
    """A release date as planned from ``decided`` on (None: as first announced)."""

    date: dt.date
    decided: dt.date | None = None
    note: Text | None = None
    source: Text | None = None


class Release(Record):
    """A SEC release. A scheduled release has dated plans; a standalone one may have only words."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: OneLine
    standalone: bool = False
    planned: list[PlannedDate] = Field(default_factory=empty_list)
    when_text: OneLine | None = None
    source: Text | None = None

    @model_validator(mode="after")
    def _has_a_when(self):
        if not self.planned and not self.when_text:
            raise rule_error(RELEASE_WHEN, "give 'planned' dates or a 'when_text' such as 'UK EU Exit Day'")
        return self


class SecVersion(Record):
    """A designated version of the SEC and what caused it (a modification or a BEIS designation)."""

    version: str = Field(pattern=r"^\d+\.\d+$")
    effective: dt.date
    modification: str | None = Field(default=None, pattern=ID_PATTERN)
    designation: OneLine | None = None
    url: WebAddress | None = None
    source: Text | None = None

    @model_validator(mode="after")
    def _has_a_cause(self):
        if (self.modification is None) == (self.designation is None):
            raise rule_error(ONE_CAUSE, "give exactly one cause: 'modification' or 'designation'")
        return self


class Meeting(Record):
    """A meeting of a SEC body on a date; Panel meetings carry their number (SECP_68_…)."""

    body: Literal["working-group", "change-board", "change-sub-committee", "panel"]
    date: dt.date
    number: int | None = Field(default=None, ge=1)
    source: Text | None = None


def statistics_cut_off(year: int, month: int) -> dt.date:
    """The day a month's report states its statistics as at: the last day of the month before.
    The report is dated after it (``report.period_for``, ``checks.report_dates_follow_their_month``)."""
    return dt.date(year, month, 1) - dt.timedelta(days=1)


class ReportRecord(Record):
    """The month's Change Status Report paper: who wrote it, when, for which Panel meeting."""

    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    date: dt.date | None = None
    author: OneLine
    team: OneLine = "SECAS Team"
    panel: dt.date | None = None
    paper: int | None = Field(default=None, ge=1)
    source: Text | None = None


class CalendarDay(Record):
    """A day whose working status differs from the England and Wales bank-holiday calendar."""

    date: dt.date
    working: bool
    reason: OneLine = Field(min_length=1)


class CalendarOverrides(Record):
    """The register's days: extra non-working days (or days to treat as working) with their
    reasons, and, optionally, its ``horizon``.

    The horizon is the last day the register's facts reach: by default the date of its latest
    report record (that report's news runs to its date); ``horizon`` sets a later day, for a
    register whose facts are recorded beyond its latest report. A view of a day past the horizon
    says so and computes no figure past it (``report.horizon``). One calendar file at most sets it.
    """

    days: list[CalendarDay] = Field(default_factory=empty_list)
    horizon: dt.date | None = None


@dataclass(frozen=True)
class RecordType:
    """One type of record file: the folder it lives in, its model, and how it is named.

    ``name`` is how a command names the type (``history --type sec-version``, ``sec-version:6.11``),
    ``label`` how ``changes`` and ``history`` say it. ``file_id`` is the id a record of the type
    carries, which its file must be named after (None: the file name is free, as for the calendar);
    ``says`` is how that id is printed; ``identity`` the fields that id is made of, which
    ``secstatus set`` leaves alone (changing one would mean renaming the file).
    """

    name: str
    label: str
    folder: str
    model: type[Record]
    file_id: Callable[[Any], str] | None = None
    says: Callable[[str], str] = str
    identity: tuple[str, ...] = ()


def _meeting_words(stem: str) -> str:
    """'2019-05-01-working-group' is said '2019-05-01 working-group'."""
    return f"{stem[:10]} {stem[11:]}" if re.fullmatch(r"\d{4}-\d\d-\d\d-.+", stem) else stem


RECORD_FOLDERS: dict[str, RecordType] = {
    t.folder: t
    for t in (
        RecordType("modification", "modification", "modifications", Modification, lambda r: r.id, identity=("id",)),
        RecordType("release", "release", "releases", Release, lambda r: r.id, identity=("id",)),
        RecordType(
            "sec-version", "SEC version", "sec-versions", SecVersion, lambda r: r.version, identity=("version",)
        ),
        RecordType(
            "meeting",
            "meeting",
            "meetings",
            Meeting,
            lambda r: f"{r.date.isoformat()}-{r.body}",
            _meeting_words,
            identity=("body", "date"),
        ),
        RecordType("report", "report", "reports", ReportRecord, lambda r: r.month, identity=("month",)),
        RecordType("calendar", "calendar", "calendar", CalendarOverrides),
    )
}
"""Every record type by its folder under data/: the one declaration of the register's record types."""

RECORD_TYPES: dict[str, type[Record]] = {folder: t.model for folder, t in RECORD_FOLDERS.items()}


_TYPE_OF_CLASS: dict[type, RecordType] = {t.model: t for t in RECORD_FOLDERS.values()}


def record_type_of(record: Record) -> RecordType:
    """The declared type of ``record``."""
    found = _TYPE_OF_CLASS.get(type(record))
    return found if found is not None else next(t for t in RECORD_FOLDERS.values() if isinstance(record, t.model))
