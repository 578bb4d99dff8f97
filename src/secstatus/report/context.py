"""The report's contract: the typed, plain data that ``report.build`` gives the templates.

The report (``Report``): its cover, period and stage banner, then its sections (``Part``), each
declared in ``build.SECTIONS`` with the function that computes it. Here are the frozen dataclasses
the sections' data is made of (a section's own may sit beside its function instead). Values are
dates, numbers, identifiers and text taken from the register; wording, markup and CSS classes live
in the templates. Every field is printed by both the HTML and the Markdown template unless the
class names it in ``FORMAT_ONLY`` with the one format that prints it and why;
``tests/test_report_contract.py`` proves it.

The classes compare by identity (``eq=False``): nothing compares two contexts' parts, and value
equality is two generated methods a class, a fifth of the time it takes to import this module
on every report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True, eq=False)
class Cover:
    """The paper's cover: its month, date, reference and classification."""

    month: dt.date  # the first day of the report's month
    author: str | None
    team: str
    date: dt.date
    reference: str | None  # SECP_<panel number>_<ddmm>_<paper>, when the report record says
    classification: str


@dataclass(frozen=True, eq=False)
class ReportPeriod:
    """The statistics' cut-off and the previous report's date (see ``report.Period``); the report's
    own date is the cover's. ``horizon``: where the register's facts end, when the report's date
    is past it (``report.horizon``): the report is then a draft and says so."""

    cut_off: dt.date
    since: dt.date
    horizon: dt.date | None


@dataclass(frozen=True, eq=False)
class Stage:
    """A box of the stage banner: how many modifications were in the stage at the cut-off."""

    name: str
    count: int


@dataclass(frozen=True, eq=False)
class Mod:
    """A modification as it is named on the report's date: its id then, title and link."""

    id: str
    title: str
    url: str | None


@dataclass(frozen=True, eq=False)
class OtherChange(Mod):
    """An event of the period whose kind has no section of its own (``events.OTHER_CHANGES``)."""

    kind: str
    date: dt.date
    release: str | None  # the name of the release a modification was assigned to


@dataclass(frozen=True, eq=False)
class DocumentRow(Mod):
    """A document about a modification published in the period (``events.Document``): its day,
    its ``document`` title and its ``address``."""

    date: dt.date
    document: str
    address: str


@dataclass(frozen=True, eq=False)
class PlanChange(Mod):
    """A milestone of a modification's progression plan that moved in the period (``plans``):
    ``re-planned`` (a re-plan decided in the period: from ``previous`` to ``date``, on ``decided``),
    ``met-late`` (its event, on ``date``, came after the baseline) or ``missed`` (its planned
    ``date`` passed in the period with no event ``by`` the report's date, or the register's horizon
    when earlier: ``overdue_wd`` after it). ``slip_wd`` is against the ``baseline``: the new plan's,
    the actual date's, or, missed, the working days from the baseline to the day counted to."""

    milestone: str  # a kind in events.PLANNABLE
    change: str  # re-planned | met-late | missed
    baseline: dt.date
    date: dt.date
    slip_wd: int
    previous: dt.date | None = None  # re-planned only, as are decided and note
    decided: dt.date | None = None
    by: dt.date | None = None  # missed only, as is overdue_wd
    overdue_wd: int | None = None
    note: str | None = None  # a re-plan's reason, as recorded


@dataclass(frozen=True, eq=False)
class NewDraft(Mod):
    """A Draft Proposal raised in the period. The paper describes each by the issue it raises: its
    ``issue`` ("What is the issue?" on its page) where held, else its ``summary``."""

    raised: dt.date
    proposer: str | None
    summary: str | None
    issue: str | None


@dataclass(frozen=True, eq=False)
class OutcomeGroup:
    """Change Sub-Committee decisions with one outcome."""

    outcome: str
    entries: tuple[Mod, ...]


@dataclass(frozen=True, eq=False)
class Meeting:
    """A Working Group meeting in the period and the modifications it discussed."""

    date: dt.date
    entries: tuple[Mod, ...]


@dataclass(frozen=True, eq=False)
class WorkingGroups:
    """The Working Group meetings of the period, and the next one after the report's date."""

    meetings: tuple[Meeting, ...]
    next: dt.date | None


@dataclass(frozen=True, eq=False)
class Consultation(Mod):
    """A consultation issued in the period (open or closed by the report's date), or one issued
    before it and still open (``ongoing``: the report of its own period gave its issue)."""

    issued: dt.date
    closes: dt.date | None
    ongoing: bool


@dataclass(frozen=True, eq=False)
class Implementation:
    """When an approval takes effect: with a release, or a number of working days after it."""

    date: dt.date | None
    release: str | None  # the release's name
    working_days: int | None


@dataclass(frozen=True, eq=False)
class DecisionRow(Mod):
    """A decision; a Change Board vote on a route the Authority decides is a ``recommendation``
    (``events.is_recommendation``, the fold's own rule), with no implementation."""

    outcome: str
    self_governance: bool
    recommendation: bool
    implementation: Implementation | None


@dataclass(frozen=True, eq=False)
class DecisionDay:
    date: dt.date
    entries: tuple[DecisionRow, ...]


@dataclass(frozen=True, eq=False)
class Decisions:
    """Every decision of one kind (a name in ``events.DECISION_KINDS``) in the period, by day."""

    kind: str
    days: tuple[DecisionDay, ...]


@dataclass(frozen=True, eq=False)
class LeftOut:
    id: str
    why: str


@dataclass(frozen=True, eq=False)
class Figure:
    """A count and average duration in WD, and the records the average could not use."""

    count: int
    average_wd: int | None
    averaged_over: int
    left_out: tuple[LeftOut, ...]


@dataclass(frozen=True, eq=False)
class AssessmentDuration:
    """An open or completed DCC assessment against its target, in working days."""

    id: str
    assessment: str  # PA or IA
    target_wd: int
    duration_wd: int | None
    duration_from: dt.date | None


@dataclass(frozen=True, eq=False)
class AssessmentTimescales:
    sec_year: str
    pa_open: Figure
    pa_completed: Figure
    ia_open: Figure
    ia_completed: Figure
    open: tuple[AssessmentDuration, ...]
    completed: tuple[AssessmentDuration, ...]
    open_undated: tuple[AssessmentDuration, ...]  # open, but with no acceptance date: no duration


@dataclass(frozen=True, eq=False)
class Progression:
    sec_year: str
    open: Figure
    closed: Figure
    decisions_without_date: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Designation:
    """A SEC version BEIS designated, effective in the period."""

    version: str
    effective: dt.date
    designation: str
    url: str | None


@dataclass(frozen=True, eq=False)
class ImplementedRow(Mod):
    date: dt.date
    version: str | None
    version_url: str | None


@dataclass(frozen=True, eq=False)
class Release:
    """A release with the modifications approved for it, its date as it stood on the report's date."""

    name: str
    standalone: bool
    date: dt.date | None
    when_text: str | None
    entries: tuple[Mod, ...]


@dataclass(frozen=True, eq=False)
class ReleaseMove:
    """A release's planned date changed by a decision in the report's period."""

    name: str
    before: dt.date | None  # the date as it stood before the decision (None: none was set)
    after: dt.date
    decided: dt.date


@dataclass(frozen=True, eq=False)
class AssessmentDates:
    """An assessment's dates in Appendix A: its target is the one in force, the SEC's standard
    (``assessments.TARGET_WD`` after acceptance) unless ``target_agreed`` says another was agreed."""

    accepted: dt.date | None
    target: dt.date | None
    target_agreed: bool
    delivered: dt.date | None


@dataclass(frozen=True, eq=False)
class StatusRow:
    """A modification under its DCC status in an Appendix A table: DCC's own, or one derived from
    a fact of the register (``appendix``), which the report shows as derived."""

    FORMAT_ONLY: ClassVar[dict[str, tuple[str, str]]] = {
        "in_progress": ("html", "colours the row as the paper's key does; the status column says it in words"),
    }

    number: str  # the paper's 'SECMP #' column: 0043 for SECMP0043, else the id on the day
    title: str
    url: str | None
    status: str
    note: str | None
    added: dt.date | None  # the DCC status's date, when exact
    derived_from: str | None  # the register's fact the status follows from, in words; None: DCC's own status
    in_progress: str | None  # 'PA' or 'IA' when the status says that assessment is in progress
    pa: AssessmentDates | None  # the latest of each, for the assessment table only
    ia: AssessmentDates | None


@dataclass(frozen=True, eq=False)
class StatusChange(Mod):
    """A DCC status given in the period: the day, the status and its Appendix A table."""

    date: dt.date
    status: str
    group: str  # one of events.DCC_STATUS_GROUPS


@dataclass(frozen=True, eq=False)
class Appendix:
    """Appendix A's tables, one per ``events.DCC_STATUS_GROUPS`` group."""

    assessment: tuple[StatusRow, ...]
    implementation: tuple[StatusRow, ...]
    no_assessment_requested: tuple[StatusRow, ...]
    no_further_assessment: tuple[StatusRow, ...]


def section_template(key: str) -> str:
    """The template of the section ``key`` (``chapter.name``): ``sections/CHAPTER/NAME.jinja``."""
    chapter, _, name = key.partition(".")
    return f"sections/{chapter}/{name}.jinja"


@dataclass(frozen=True, eq=False)
class Part:
    """A section of the report (``build.SECTIONS``) with its data for the month: each report
    template prints the sections of a chapter in order, with the macro of its output (``html``,
    ``md``) in the section's ``template``."""

    chapter: str
    template: str
    data: Any


@dataclass(frozen=True, eq=False)
class Report:
    """The whole Change Status Report for a month: its cover, its period, the stage banner, and
    its sections."""

    cover: Cover
    period: ReportPeriod
    stages: tuple[Stage, ...]
    open_count: int
    sections: tuple[Part, ...]

    def section(self, key: str) -> Any:
        """The data of the section ``key`` (``define.new_drafts``)."""
        return next(part.data for part in self.sections if part.template == section_template(key))
