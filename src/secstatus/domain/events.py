"""Each kind of event in a modification's timeline, declared once beside its model.

A declaration (``Kind``) says everything the tool needs to know about the kind:
- ``model``: its fields, as a strict Pydantic model;
- ``allowed``/``refusal``: the stages in which it can happen, and what is said when it cannot;
- ``after``: the kinds of event one of which must have happened before it, in the order SEC
  Section D sets the process (the table "The process's order" in docs/data-format.md is made from
  these; ``checks.events_follow_the_process`` checks it);
- ``effect``: how it moves the record's stage and status (None: it is neutral);
- ``meeting``: the body whose meeting on the event's date must be in data/meetings/;
- ``required``/``optional``: the fields ``secstatus record`` takes as options;
- ``label``: how ``changes``, ``history`` and ``show`` name it;
- ``report``: the part of the monthly report that shows it (a field of ``report.context.Report``);
  ``OTHER_CHANGES`` for a kind that has no section of its own, listed as "other changes";
- ``window``: which report's period holds it: ``SINCE_LAST_REPORT`` (after the previous report,
  up to this one: news) or ``REPORT_MONTH`` (the report's calendar month: what goes to the Panel
  the paper goes to). Either way every event is in exactly one month's report;
- ``plannable``: whether a modification's progression plan may hold a date for it (a milestone,
  met when an event of the kind is recorded: ``secstatus plan``, ``plans``): the steps of the
  process that happen once, not a monthly meeting, a note or a DCC status.
The fold (``timeline``), the cross-record checks, the edit commands, the git descriptions and
``record --help`` all read these declarations; the report's wording of each kind lives in its
templates. ``KINDS`` lists every kind, and a test walks it so that a forgotten consumer fails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    Literal,
    Protocol,
    TypeAlias,
    TypedDict,
    get_args,
)

from pydantic import Field, model_validator

from .record import Acknowledgement, OneLine, Record, Text, WebAddress, empty_list, rule, rule_error

Outcome = Literal["approved", "rejected"]
AssessmentType = Literal["PA", "IA"]
"""A DCC Preliminary or Impact Assessment (``model.Assessment``; a milestone's ``--assessment``)."""
DccStatusGroup = Literal["assessment", "implementation", "no-assessment-requested", "no-further-assessment"]
DCC_STATUS_GROUPS: tuple[DccStatusGroup, ...] = get_args(DccStatusGroup)
"""Appendix A's tables of DCC statuses, in the paper's order: its tables 3 to 6."""

ONE_DATE = rule("one-date", "an event gives exactly one of 'date' or 'on_or_before'")
NARROW_ONLY = rule("on-or-after-needs-bound", "'on_or_after' only narrows an 'on_or_before' fact")
REJECTION_IMPLEMENTED = rule("rejection-implementation", "a rejection names no release or implementation date")
TWO_IMPLEMENTATIONS = rule("implementation-twice", "an approval names a release or a number of working days, not both")


class EventBase(Record):
    """A dated fact in a modification's life.

    Exactly one of ``date`` (the day it happened) or ``on_or_before`` (the latest day it can have
    happened, when the source states the fact without its date) is given. ``on_or_after`` narrows
    an ``on_or_before`` fact from below. ``printed`` keeps a date exactly as a source printed it
    when that text is malformed, so validation can point at the anomaly. ``acknowledged`` keeps a
    warning about this event on purpose, with its reason (``[{code: printed-date, reason: …}]``).
    """

    date: dt.date | None = None
    on_or_before: dt.date | None = None
    on_or_after: dt.date | None = None
    note: Text | None = None
    source: Text | None = None
    printed: OneLine | None = None
    acknowledged: list[Acknowledgement] = Field(default_factory=empty_list)
    if TYPE_CHECKING:
        kind: str
        """Every event's kind, for the type checker: each kind's model declares its own ``kind``, a
        ``Literal`` after the fields above (a field declared here would come first in every model)."""

    @model_validator(mode="after")
    def _one_date(self):
        if (self.date is None) == (self.on_or_before is None):
            raise rule_error(ONE_DATE, "give exactly one of 'date' or 'on_or_before'")
        if self.on_or_after is not None and self.date is not None:
            raise rule_error(NARROW_ONLY, "'on_or_after' only narrows an 'on_or_before' fact")
        return self

    @property
    def when(self) -> dt.date:
        """The day the fact is known to hold from: its date, or the latest it can have happened."""
        if self.date is not None:
            return self.date
        assert self.on_or_before is not None, "the model's rule: exactly one of 'date' or 'on_or_before'"
        return self.on_or_before

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


class InitialReport(EventBase):
    """The Panel considered the modification's Initial Modification Report at its meeting on
    ``date`` (the legacy process: it set the path and the timetable of refinement)."""

    kind: Literal["initial-report"]


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
            raise rule_error(REJECTION_IMPLEMENTED, "a rejection has no release or implementation date")
        if self.release and self.working_days_after_decision:
            raise rule_error(TWO_IMPLEMENTATIONS, "give either 'release' or 'working_days_after_decision', not both")
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


class DccStatus(EventBase):
    """The status DCC gives the modification in Appendix A of the report, worded as printed.

    ``group`` is the Appendix A table the modification appears in; for
    ``no-further-assessment`` the event's date is the table's "date added".
    """

    kind: Literal["dcc-status"]
    group: DccStatusGroup
    status: OneLine


class Document(EventBase):
    """A document about the modification was published on ``date``: its ``title`` as published
    and its address ``url`` (the proposal form, the Initial Modification Report, a Working Group
    summary, a DCC assessment, the legal text, the Modification Report, the decision letter)."""

    kind: Literal["document"]
    title: OneLine = Field(min_length=1)
    url: WebAddress


# --- effects: how each kind moves the fold (``timeline.Fold``); a returned text is a contradiction


class Fold(Protocol):
    """What an effect sees of the fold in progress (``timeline.Fold``, the one fold, which imports
    this module): the record, its state so far, and the change to make."""

    @property
    def mod(self) -> Any: ...  # the Modification (``model`` imports this module)

    @property
    def now(self) -> Any: ...  # its ``timeline.State``

    def set(self, **changes: Any) -> None: ...


def _convert(fold: Fold, event: EventBase) -> str | None:
    if not fold.mod.is_draft:
        return "only a Draft Proposal can be converted"
    fold.set(id="MP" + fold.mod.id[2:], stage="refine", status="Refinement")
    return None


def _csc(fold: Fold, event: CscDecision) -> None:
    fold.set(status="Further development" if event.outcome == "further-development" else "Ready for conversion")


def _status(status: str, stage: str | None = None) -> Callable[[Fold, EventBase], None]:
    """An effect that sets the status (and the stage, when given)."""

    def effect(fold: Fold, event: EventBase) -> None:
        fold.set(status=status, **({"stage": stage} if stage else {}))

    return effect


def is_recommendation(event: EventBase, route: str | None) -> bool:
    """A Change Board vote on a route the Authority decides (any route recorded but Self-Governance)
    is a recommendation to the Authority, not a decision. Where no route is recorded the vote
    counts as the decision: the fold and the report's wording both read this one rule."""
    return event.kind == "change-board-vote" and route not in (None, "self-governance")


def _decide(fold: Fold, event: DecisionBase) -> str | None:
    """Approval moves to Release, rejection closes; a recommendation (``is_recommendation``) moves
    nothing: the modification waits in Opine for the Authority."""
    if fold.now.stage == "release":
        first = fold.now.decision
        return f"a second decision: already approved ({first.kind} on {first.when})"
    if is_recommendation(event, fold.mod.route):
        verdict = "approval" if event.outcome == "approved" else "rejection"
        fold.set(stage="opine", status=f"Change Board recommended {verdict}")
    elif event.outcome == "approved":
        fold.set(decision=event, stage="release", status="Approved – awaiting implementation", release=event.release)
    else:
        fold.set(decision=event, stage="closed", status="Rejected", closed_by=event)
    return None


def _assign(fold: Fold, event: ReleaseAssigned) -> None:
    fold.set(release=event.release)


def _close(status: str) -> Callable[[Fold, EventBase], None]:
    def effect(fold: Fold, event: EventBase) -> None:
        fold.set(stage="closed", status=status, closed_by=event)

    return effect


def _hold(on_hold: bool) -> Callable[[Fold, EventBase], str | None]:
    def effect(fold: Fold, event: EventBase) -> str | None:
        if fold.now.on_hold == on_hold:
            return "put on hold while already on hold" if on_hold else "resumed while not on hold"
        fold.set(on_hold=on_hold)
        return None

    return effect


OPEN = frozenset({"define", "refine", "opine", "release"})
"""Every stage but closed: where most events can happen."""
AFTER_DEFINE = OPEN - {"define"}
ANY = OPEN | {"closed"}


OTHER_CHANGES = "summary.other_changes"
SINCE_LAST_REPORT = "since-last-report"
REPORT_MONTH = "report-month"

MODIFICATION_REPORT = ("report-to-panel", "report-approved")
"""A Modification Report: presented to the Panel, or approved by it (either may be all a source gives)."""


@dataclass(frozen=True)
class Kind:
    """Everything about one kind of event, declared once (see the module's docstring)."""

    model: type[EventBase]
    label: str
    allowed: frozenset[str]
    refusal: str = ""
    effect: Callable[..., str | None] | None = None
    meeting: str | None = None
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    report: str = OTHER_CHANGES
    after: tuple[str, ...] = ()
    window: str = SINCE_LAST_REPORT
    plannable: bool = False
    name: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", get_args(self.model.model_fields["kind"].annotation)[0])

    @property
    def options(self) -> tuple[str, ...]:
        """Every field ``secstatus record`` can set for this kind, required ones first."""
        return self.required + self.optional + ("note",)


class _DecisionDeclaration(TypedDict):
    """What the four kinds of decision declare alike (``Kind``'s fields of the same names)."""

    allowed: frozenset[str]
    report: str
    refusal: str
    effect: Callable[..., str | None]
    required: tuple[str, ...]
    optional: tuple[str, ...]


_DECISION = _DecisionDeclaration(
    allowed=AFTER_DEFINE,
    report="opine.decisions",
    refusal="a Draft Proposal must be converted before it is decided",
    effect=_decide,
    required=("outcome",),
    optional=("release", "working_days_after_decision"),
)

KIND_LIST: tuple[Kind, ...] = (
    Kind(
        Converted,
        "converted to a Modification Proposal",
        frozenset({"define"}),
        "only a Draft Proposal in Define can be converted",
        _convert,
        plannable=True,
    ),
    Kind(
        CscDecision,
        "Change Sub-Committee decision",
        frozenset({"define"}),
        "a Change Sub-Committee decision is for Draft Proposals in Define",
        _csc,
        required=("outcome",),
        report="define.csc_decisions",
    ),
    Kind(
        InitialReport,
        "Initial Modification Report to the Panel",
        frozenset({"refine"}),
        "the Initial Modification Report opens Refine",
        meeting="panel",
        plannable=True,
    ),
    Kind(
        WorkingGroup,
        "Working Group meeting",
        AFTER_DEFINE,
        "'working-group' before the Draft Proposal was converted",
        meeting="working-group",
        report="refine.working_groups",
    ),
    Kind(
        RefinementConsultation,
        "Refinement Consultation",
        frozenset({"refine"}),
        "a Refinement Consultation is for a modification in Refine",
        _status("Refinement Consultation"),
        optional=("closes",),
        report="refine.refinement_consultations",
        plannable=True,
    ),
    Kind(
        ReportToPanel,
        "Modification Report to the Panel",
        AFTER_DEFINE,
        "'report-to-panel' before the Draft Proposal was converted",
        meeting="panel",
        report="summary.reports_to_panel",
        window=REPORT_MONTH,
        plannable=True,
    ),
    Kind(
        ReportApproved,
        "Modification Report approved",
        frozenset({"refine"}),
        "the Modification Report can only be approved in Refine",
        _status("Report Phase", "opine"),
        plannable=True,
    ),
    Kind(
        ReportConsultation,
        "Modification Report Consultation",
        frozenset({"opine"}),
        "a Modification Report Consultation needs an approved Modification Report",
        _status("Modification Report Consultation"),
        optional=("closes",),
        report="opine.report_consultations",
        plannable=True,
    ),
    Kind(
        ChangeBoardVote,
        "Change Board vote",
        meeting="change-board",
        after=MODIFICATION_REPORT,
        plannable=True,
        **_DECISION,
    ),
    Kind(AuthorityDecision, "Authority decision", after=MODIFICATION_REPORT, plannable=True, **_DECISION),
    Kind(PanelDecision, "Panel decision", plannable=True, **_DECISION),
    Kind(Decision, "decision", **_DECISION),
    Kind(
        ReleaseAssigned,
        "release assigned",
        frozenset({"release"}),
        "a release can only be assigned to an approved modification",
        _assign,
        required=("release",),
    ),
    Kind(
        Implemented,
        "implemented",
        frozenset({"release"}),
        "implemented before it was approved",
        _close("Implemented"),
        report="release.implemented",
        plannable=True,
    ),
    Kind(Withdrawn, "withdrawn", OPEN, "", _close("Withdrawn")),
    Kind(OnHold, "put on hold", OPEN, "", _hold(True)),
    Kind(Resumed, "resumed", OPEN, "", _hold(False)),
    Kind(DccStatus, "DCC status", ANY, "", required=("group", "status"), report="appendix.changes"),
    Kind(Document, "document published", ANY, "", required=("title", "url"), report="summary.documents"),
)

KINDS: dict[str, Kind] = {kind.name: kind for kind in KIND_LIST}
EVENT_KINDS: tuple[str, ...] = tuple(KINDS)
DECISION_KINDS: tuple[str, ...] = tuple(k.name for k in KIND_LIST if issubclass(k.model, DecisionBase))
PLANNABLE: tuple[str, ...] = tuple(k.name for k in KIND_LIST if k.plannable)
"""The milestones a progression plan may hold, in the process's order: the plannable kinds."""

Event: TypeAlias = Annotated[
    Converted
    | CscDecision
    | InitialReport
    | WorkingGroup
    | RefinementConsultation
    | ReportToPanel
    | ReportApproved
    | ReportConsultation
    | ChangeBoardVote
    | AuthorityDecision
    | PanelDecision
    | Decision
    | ReleaseAssigned
    | Implemented
    | Withdrawn
    | OnHold
    | Resumed
    | DccStatus
    | Document,
    Field(discriminator="kind"),
]
"""Any one event, told apart by its ``kind``: the models of ``KIND_LIST``, in its order, written out
so that a type checker reads it (a test holds it to ``KIND_LIST``)."""


@dataclass(frozen=True)
class Milestone:
    """A DCC assessment milestone that ``secstatus record`` writes into ``assessments`` (not an event)."""

    name: str
    label: str
    required: tuple[str, ...] = ("assessment",)
    optional: tuple[str, ...] = ("target",)

    @property
    def options(self) -> tuple[str, ...]:
        return self.required + self.optional + ("note",)


MILESTONES: dict[str, Milestone] = {
    m.name: m
    for m in (
        Milestone("assessment-requested", "DCC assessment requested"),
        Milestone("assessment-accepted", "DCC assessment accepted"),
        Milestone("assessment-delivered", "DCC assessment delivered"),
    )
}

RECORDABLE: dict[str, Kind | Milestone] = {**KINDS, **MILESTONES}
"""Everything ``secstatus record ID KIND`` can write."""


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


VALUE_WORDS: dict[str, str] = {
    "ready-for-conversion": "ready for conversion",
    "further-development": "further development needed",
}
"""A coded value of an event's field said in words, where the code is not a word itself (the
outcomes ``approved`` and ``rejected`` are); a test checks every choice of every kind."""


def event_words(event: EventBase, releases: Mapping[str, str] | None = None) -> str:
    """An event as the register says it, in words and never a record's code: 'Change Board vote
    approved 24 April 2019 (release 2019-06)', or with ``releases`` (a release's name by its id)
    '… (June 2019 SEC Release)'; a DCC status names its Appendix A table by the paper's number."""
    kind = KINDS[event.kind]
    when = long_date(event.date) if event.date is not None else f"on or before {long_date(event.when)}"
    words = [kind.label]
    for name in ("outcome", "status"):
        if getattr(event, name, None):
            value = str(getattr(event, name))
            words.append(VALUE_WORDS.get(value, value))
    title = getattr(event, "title", None)
    if title:
        words.append(f"‘{title}’")
    words.append(when)
    extras = []
    release = getattr(event, "release", None)
    if release:
        extras.append(releases[release] if releases and release in releases else f"release {release}")
    closes = getattr(event, "closes", None)
    if closes:
        extras.append(f"closes {long_date(closes)}")
    group = getattr(event, "group", None)
    if group:
        extras.append(f"Appendix A table {DCC_STATUS_GROUPS.index(group) + 3}")
    url = getattr(event, "url", None)
    if url:
        extras.append(url)
    working_days = getattr(event, "working_days_after_decision", None)
    if working_days:
        extras.append(f"implementation {working_days} WD after")
    return " ".join(words) + (f" ({', '.join(extras)})" if extras else "")


OPTION_HELP: dict[str, str] = {
    "outcome": "A decision's outcome.",
    "release": "The release an approval or assignment is for (a file name in data/releases/).",
    "working_days_after_decision": "An approval that takes effect N working days after the decision.",
    "closes": "A consultation's closing day.",
    "group": "The Appendix A table a DCC status belongs in.",
    "status": "The DCC status, worded as DCC gives it.",
    "assessment": "Which DCC assessment a milestone is for.",
    "target": "An agreed target delivery date other than the SEC's standard (PA 15 WD, IA 40 WD after acceptance), "
    "which is derived and not written when this is left out.",
    "title": "A document's title, as published.",
    "url": "A document's address (http:// or https://).",
    "note": "A note kept with the event.",
}
"""The help of each option of ``secstatus record``: one per field a kind takes (see ``Kind.options``)."""


def option_values(name: str) -> str | tuple[str, ...]:
    """What an option of ``secstatus record`` takes: 'date', 'int', 'text', or its choices.

    Read from the annotations of the models that have the field, so that a new choice in a
    model is a new choice on the command line.
    """
    if name == "assessment":
        return get_args(AssessmentType)
    if name == "target":
        return "date"
    choices: list[str] = []
    for kind in KIND_LIST:
        info = kind.model.model_fields.get(name)
        if info is None:
            continue
        annotation = info.annotation
        args = getattr(annotation, "__args__", ())
        if getattr(annotation, "__origin__", None) is Literal:
            choices += [a for a in args if a not in choices]
        elif dt.date in (annotation, *args):
            return "date"
        elif int in (annotation, *args):
            return "int"
    return tuple(choices) if choices else "text"
