"""The register's record types: shapes and field-level rules only, no I/O.

Every model forbids unknown fields and validates strictly (a date must be a YAML date, not a
string or a number), so a typo in the register is an error rather than a silently ignored key.
Stages and statuses are never stored: ``timeline`` folds them from the dated events.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

LEGACY_ID = re.compile(r"^SECMP\d{4}$")
NEW_ID = re.compile(r"^(DP|MP)(\d{3})([A-Z]?)$")
ID_PATTERN = r"^(SECMP\d{4}|DP\d{3}|MP\d{3}[A-Z]?)$"

_LINE_BREAKS_AND_CONTROLS = re.compile("[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]")
_CONTROLS = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]")


def _one_line(value: str) -> str:
    """A single-line field (a title, a name, an id) holds no line break or control character:
    it is printed inside a heading, a table row or a link, where one would start another."""
    found = _LINE_BREAKS_AND_CONTROLS.search(value)
    if found:
        raise PydanticCustomError("control-character", "a line break or control character ({char}) is not allowed "
                                  "in this one-line field", {"char": f"U+{ord(found.group()):04X}"})
    return value


def _text(value: str) -> str:
    """A free-text field (a summary, a note) may run over lines but holds no control character."""
    found = _CONTROLS.search(value)
    if found:
        raise PydanticCustomError("control-character", "a control character ({char}) is not allowed in text",
                                  {"char": f"U+{ord(found.group()):04X}"})
    return value


OneLine = Annotated[str, AfterValidator(_one_line)]
"""A string printed on one line: newlines and control characters are refused."""
Text = Annotated[str, AfterValidator(_text)]
"""Free text: lines allowed, control characters refused."""

CUSTOM_ERROR_CODES = frozenset({"control-character"})
"""The Pydantic error types raised here, reported under their own diagnostic code."""

Route = Literal["authority-led", "authority", "self-governance", "fast-track", "urgent"]
Outcome = Literal["approved", "rejected"]
AssessmentType = Literal["PA", "IA"]


class Record(BaseModel):
    """Base of every record and nested item: unknown fields are errors, types are strict."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class EventBase(Record):
    """A dated fact in a modification's life.

    Exactly one of ``date`` (the day it happened) or ``on_or_before`` (the latest day it can have
    happened, when the source states the fact without its date) is given. ``on_or_after`` narrows
    an ``on_or_before`` fact from below. ``printed`` keeps a date exactly as a source printed it
    when that text is malformed, so validation can point at the anomaly.
    """

    date: dt.date | None = None
    on_or_before: dt.date | None = None
    on_or_after: dt.date | None = None
    note: Text | None = None
    source: Text | None = None
    printed: OneLine | None = None

    @model_validator(mode="after")
    def _one_date(self):
        if (self.date is None) == (self.on_or_before is None):
            raise ValueError("give exactly one of 'date' or 'on_or_before'")
        if self.on_or_after is not None and self.date is not None:
            raise ValueError("'on_or_after' only narrows an 'on_or_before' fact")
        return self

    @property
    def when(self) -> dt.date:
        """The day the fact is known to hold from: its date, or the latest it can have happened."""
        return self.date if self.date is not None else self.on_or_before  # type: ignore[return-value]

    @property
    def exact(self) -> bool:
        return self.date is not None


class Converted(EventBase):
    """The Panel converted a Draft Proposal into a Modification Proposal (DPnnn becomes MPnnn)."""

    kind: Literal["converted"]


class CscDecision(EventBase):
    """The Change Sub-Committee decided whether a Draft Proposal is ready for conversion."""

    kind: Literal["csc-decision"]
    outcome: Literal["ready-for-conversion", "further-development"]


class WorkingGroup(EventBase):
    """The modification was discussed at a Working Group meeting held on ``date``."""

    kind: Literal["working-group"]


class RefinementConsultation(EventBase):
    """A Refinement Consultation was issued; ``closes`` is its closing day."""

    kind: Literal["refinement-consultation"]
    closes: dt.date | None = None


class ReportToPanel(EventBase):
    """The Modification Report is presented to the Panel meeting on ``date``."""

    kind: Literal["report-to-panel"]


class ReportApproved(EventBase):
    """The Panel approved the Modification Report: the modification moves from Refine to Opine."""

    kind: Literal["report-approved"]


class ReportConsultation(EventBase):
    """A Modification Report Consultation was issued; ``closes`` is its closing day."""

    kind: Literal["report-consultation"]
    closes: dt.date | None = None


class DecisionBase(EventBase):
    """A decision on the modification. Approval names how it is to be implemented."""

    outcome: Outcome
    release: OneLine | None = None
    working_days_after_decision: int | None = Field(default=None, ge=1, le=400)

    @model_validator(mode="after")
    def _implementation_only_when_approved(self):
        if self.outcome == "rejected" and (self.release or self.working_days_after_decision):
            raise ValueError("a rejection has no release or implementation date")
        if self.release and self.working_days_after_decision:
            raise ValueError("give either 'release' or 'working_days_after_decision', not both")
        return self


class ChangeBoardVote(DecisionBase):
    """The Change Board voted: a decision under Self-Governance, otherwise a recommendation."""

    kind: Literal["change-board-vote"]


class AuthorityDecision(DecisionBase):
    """The Authority (Ofgem) decided an Authority-determined modification."""

    kind: Literal["authority-decision"]


class PanelDecision(DecisionBase):
    """The Panel decided a Fast-Track modification."""

    kind: Literal["panel-decision"]


class Decision(DecisionBase):
    """A decision whose deciding body the source does not name."""

    kind: Literal["decision"]


class ReleaseAssigned(EventBase):
    """The modification was (re)assigned to a release."""

    kind: Literal["release-assigned"]
    release: OneLine


class Implemented(EventBase):
    """The modification took effect in the SEC."""

    kind: Literal["implemented"]


class Withdrawn(EventBase):
    """The proposer withdrew the modification."""

    kind: Literal["withdrawn"]


class OnHold(EventBase):
    """Work on the modification was paused."""

    kind: Literal["on-hold"]


class Resumed(EventBase):
    """Work on a modification that was on hold started again."""

    kind: Literal["resumed"]


DCC_STATUS_GROUPS = ("assessment", "implementation", "no-assessment-requested", "no-further-assessment")


class DccStatus(EventBase):
    """The status DCC gives the modification in Appendix A of the report, worded as printed.

    ``group`` is the Appendix A table the modification appears in; for
    ``no-further-assessment`` the event's date is the table's "date added".
    """

    kind: Literal["dcc-status"]
    group: Literal["assessment", "implementation", "no-assessment-requested", "no-further-assessment"]
    status: OneLine


Event = Annotated[
    Union[
        Converted,
        CscDecision,
        WorkingGroup,
        RefinementConsultation,
        ReportToPanel,
        ReportApproved,
        ReportConsultation,
        ChangeBoardVote,
        AuthorityDecision,
        PanelDecision,
        Decision,
        ReleaseAssigned,
        Implemented,
        Withdrawn,
        OnHold,
        Resumed,
        DccStatus,
    ],
    Field(discriminator="kind"),
]

EVENT_KINDS: tuple[str, ...] = tuple(
    cls.model_fields["kind"].annotation.__args__[0]  # type: ignore[union-attr]
    for cls in Event.__origin__.__args__  # type: ignore[attr-defined]
)
DECISION_KINDS = ("change-board-vote", "authority-decision", "panel-decision", "decision")


class Assessment(Record):
    """A DCC Preliminary (PA) or Impact (IA) Assessment.

    ``requested``: SECAS asked DCC for it; ``accepted``: DCC accepted the Working Group's request
    (the day durations count from); ``target``/``delivered``: the delivery dates.
    ``status: not-progressed`` marks an accepted request that DCC reports as no longer
    outstanding although nothing was delivered.
    """

    type: AssessmentType
    requested: dt.date | None = None
    accepted: dt.date | None = None
    target: dt.date | None = None
    delivered: dt.date | None = None
    status: Literal["in-progress", "on-hold", "not-progressed"] = "in-progress"
    notes: Text | None = None
    source: Text | None = None


class Modification(Record):
    """One modification: its facts, its dated events and its DCC assessments.

    ``id`` is the identifier it was raised with and equals the file name; a Draft Proposal keeps
    its file when converted and is then displayed as MPnnn.
    """

    id: OneLine = Field(pattern=ID_PATTERN)
    title: OneLine = Field(min_length=1)
    proposer: OneLine | None = None
    raised: dt.date | None = None
    route: Route | None = None
    summary: Text | None = None
    url: OneLine | None = Field(default=None, pattern=r"^https?://")
    source: Text | None = None
    events: list[Event] = []
    assessments: list[Assessment] = []

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

    id: OneLine = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: OneLine
    standalone: bool = False
    planned: list[PlannedDate] = []
    when_text: OneLine | None = None
    source: Text | None = None

    @model_validator(mode="after")
    def _has_a_when(self):
        if not self.planned and not self.when_text:
            raise ValueError("give 'planned' dates or a 'when_text' such as 'UK EU Exit Day'")
        return self


class SecVersion(Record):
    """A designated version of the SEC and what caused it (a modification or a BEIS designation)."""

    version: OneLine = Field(pattern=r"^\d+\.\d+$")
    effective: dt.date
    modification: OneLine | None = Field(default=None, pattern=ID_PATTERN)
    designation: OneLine | None = None
    url: OneLine | None = Field(default=None, pattern=r"^https?://")
    source: Text | None = None

    @model_validator(mode="after")
    def _has_a_cause(self):
        if (self.modification is None) == (self.designation is None):
            raise ValueError("give exactly one cause: 'modification' or 'designation'")
        return self


class Meeting(Record):
    """A meeting of a SEC body on a date; Panel meetings carry their number (SECP_68_…)."""

    body: Literal["working-group", "change-board", "change-sub-committee", "panel"]
    date: dt.date
    number: int | None = Field(default=None, ge=1)
    source: Text | None = None


class ReportRecord(Record):
    """The month's Change Status Report paper: who wrote it, when, for which Panel meeting."""

    month: OneLine = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
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
    """Extra non-working days (or days to treat as working) with their reasons."""

    days: list[CalendarDay] = []


RECORD_TYPES: dict[str, type[Record]] = {
    "modifications": Modification,
    "releases": Release,
    "sec-versions": SecVersion,
    "meetings": Meeting,
    "reports": ReportRecord,
    "calendar": CalendarOverrides,
}
