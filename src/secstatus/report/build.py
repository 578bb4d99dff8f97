"""The month's Change Status Report as plain data, computed from the register.

Reporting-period rule: the report for a month is dated on the month's report record's date, or
else its second working day; its statistics and stage banner are as at the last day of the
previous month (the cut-off); its "since the last report" lists cover events after the previous
month's report date up to and including this report's date. Every event of the period is in the
report, whatever its kind and whether or not it is still open on the report's date: each kind
declares its section (``events.Kind.report``) and its window (``events.Kind.window``: since the
last report, or the report's own month for what goes to the Panel the paper goes to), and the
report takes each section's events from the one list of the period's events.

Horizon rule: the register's facts reach its ``horizon`` (its latest report record's date, or a
later day its calendar sets). A report dated past it is a month with no report record yet, being
prepared: it is made, as a draft that says on its first page where the register's facts end
(``ReportPeriod.horizon``), so that the analyst can check the month's recording; it becomes the
month's report once its record is made, and the site never publishes a draft. ``build`` returns a
``report.context.Report``; the templates turn it into HTML, PDF and Markdown, and hold every word
and class name: nothing here knows about markup or wording.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, TypeVar

from ..analysis import consultations
from ..analysis.assessments import assessment_timescales, modification_timescales, target
from ..analysis.plans import known_plans, meeting_event, slip
from ..analysis.query import events_by_kind, in_order, stage_counts
from ..domain.appendix import dcc_rows
from ..domain.diagnostics import Refusal
from ..domain.events import (
    DCC_STATUS_GROUPS,
    DECISION_KINDS,
    KINDS,
    OTHER_CHANGES,
    REPORT_MONTH,
    CscDecision,
    DccStatus,
    EventBase,
    is_recommendation,
)
from ..domain.model import Assessment, Modification, statistics_cut_off
from ..domain.timeline import histories, planned_date, release_moves, state_on, states_on
from ..domain.workdays import Calendar
from ..register.load import Register
from . import context as rc

CLASSIFICATION = "White"


class ReportError(Refusal, ValueError):
    """The report cannot be made for this month (before the register's data, bad month)."""


@dataclass(frozen=True)
class Period:
    """The report's dates: its own date, the statistics cut-off and the news window."""

    month: str
    date: dt.date
    cut_off: dt.date
    since: dt.date  # exclusive: the previous report's date
    month_end: dt.date  # the last day of the report's month

    def covers(self, event: EventBase) -> bool:
        """An event is news when it falls after the previous report and up to this one."""
        return _within(event, self.since, self.date)

    def holds(self, event: EventBase) -> bool:
        """Whether the event is this report's, by its kind's window: news (``covers``), or for a
        kind whose window is the report's month, a day of that month."""
        if KINDS[event.kind].window == REPORT_MONTH:
            return _within(event, self.cut_off, self.month_end)
        return self.covers(event)


def _within(event: EventBase, after: dt.date, until: dt.date) -> bool:
    """The event falls after ``after`` and up to ``until``; an undated fact only when its whole
    window [on_or_after, on_or_before] is inside."""
    if event.date is not None:
        return after < event.date <= until
    return event.on_or_after is not None and event.on_or_after > after and event.when <= until


def parse_month(month: str) -> tuple[int, int]:
    try:
        year, number = (int(part) for part in month.split("-"))
        dt.date(year, number, 1)
    except ValueError:
        raise ReportError(f"month {month!r} is not YYYY-MM") from None
    return year, number


def default_report_date(year: int, month: int, cal: Calendar) -> dt.date:
    """The second working day of the month."""
    return cal.add(dt.date(year, month, 1) - dt.timedelta(days=1), 2)


def report_date(register: Register, year: int, month: int, cal: Calendar) -> dt.date:
    record = register.reports.get(f"{year:04d}-{month:02d}")
    if record is not None and record.date is not None:
        return record.date
    return default_report_date(year, month, cal)


def period_for(register: Register, month: str, cal: Calendar, date: dt.date | None = None) -> Period:
    """The month's period; a report dated on or before its statistics' cut-off is refused."""
    year, number = parse_month(month)
    first = dt.date(year, number, 1)
    cut_off = statistics_cut_off(year, number)
    prev_year, prev_month = (year, number - 1) if number > 1 else (year - 1, 12)
    if date is not None and date <= cut_off:
        raise ReportError(
            f"a {month} report cannot be dated {date}: its statistics are as at "
            f"{cut_off}, so it is dated from {first} on"
        )
    return Period(
        month=month,
        date=date or report_date(register, year, number, cal),
        cut_off=cut_off,
        since=report_date(register, prev_year, prev_month, cal),
        month_end=dt.date(year, number, month_calendar.monthrange(year, number)[1]),
    )


def horizon(register: Register, cal: Calendar) -> dt.date | None:
    """How far the register's facts reach: the date of its latest report record (the day that
    report's news runs to), or the later day its calendar record sets (``horizon:``); None when it
    has neither. Every view derives from it: one of a day past the horizon says so, and computes
    no figure past it (``within_horizon``)."""
    key = "horizon"
    if key not in register.memo:
        days = [report_date(register, *parse_month(month), cal) for month in register.reports]
        days += register.horizons
        register.memo[key] = max(days) if days else None
    return register.memo[key]


def within_horizon(register: Register, day: dt.date, cal: Calendar) -> dt.date:
    """The day a figure can be computed for: ``day``, or the register's horizon when ``day`` is past it."""
    last = horizon(register, cal)
    return last if last is not None and day > last else day


def has_record(register: Register, month: str) -> bool:
    """Whether the month has a report record (author, date, Panel paper) in data/reports/."""
    return month in register.reports


def first_data_day(register: Register) -> dt.date | None:
    """The earliest dated fact in the register."""
    days = [e.when for m in register.modifications.values() for e in m.events]
    days += [m.raised for m in register.modifications.values() if m.raised]
    return min(days) if days else None


def has_data_by(register: Register, day: dt.date) -> bool:
    """Whether the register holds a fact dated on or before ``day`` (it stops at the first)."""
    return any(
        (m.raised is not None and m.raised <= day) or any(e.when <= day for e in m.events)
        for m in register.modifications.values()
    )


def build(register: Register, month: str, cal: Calendar, date: dt.date | None = None) -> rc.Report:
    """Everything the templates print for the month, as typed plain data (see ``report.context``):
    the cover, the period, the stage banner, then each section of ``SECTIONS`` with its data."""
    year, number = parse_month(month)
    month_end = dt.date(year, number, month_calendar.monthrange(year, number)[1])
    if not has_data_by(register, month_end):
        first = first_data_day(register)
        if first is not None:
            raise ReportError(f"no report for {month}: the register's first dated fact is {first}")
    period = period_for(register, month, cal, date)
    mods = in_order(register)
    counts = stage_counts(register, period.cut_off)
    day = period.date
    last = horizon(register, cal)
    the_month = Month(register, cal, period, mods, sections_of(mods, period))
    return rc.Report(
        cover=cover(register, period),
        period=rc.ReportPeriod(
            cut_off=period.cut_off, since=period.since, horizon=last if last is not None and day > last else None
        ),
        stages=tuple(rc.Stage(name.title(), counts[name]) for name in ("define", "refine", "opine", "release")),
        open_count=counts["open"],
        sections=tuple(rc.Part(s.chapter, s.template, s.compute(the_month)) for s in SECTIONS),
    )


@dataclass(frozen=True, eq=False)
class Month:
    """What a section is computed from: the register and its calendar, the report's period, the
    modifications in register order, and the period's events by the section their kind names
    (``sections_of``)."""

    register: Register
    cal: Calendar
    period: Period
    mods: list[Modification]
    news: dict[str, list[tuple[Modification, EventBase]]]

    @property
    def day(self) -> dt.date:
        """The report's date."""
        return self.period.date


@dataclass(frozen=True)
class Section:
    """A section of the report, declared once in ``SECTIONS``, in the order the report prints it.

    ``key`` is ``chapter.name``: the name an event kind gives as the section that shows it
    (``events.Kind.report``), and the section's template, ``templates/sections/CHAPTER/NAME.jinja``,
    which holds its words and layout: a macro ``html`` and a macro ``md``, each given the data, and
    ``nothing``, what it says in both when it has nothing to show (a section with nothing to show
    and nothing to say prints no heading). ``compute`` gives the section's data for a month, typed
    by its return annotation (a frozen dataclass beside it, or the report's shared ones in
    ``context``): the report contract test reads it."""

    key: str
    compute: Callable[[Month], Any]

    @property
    def chapter(self) -> str:
        return self.key.partition(".")[0]

    @property
    def template(self) -> str:
        return rc.section_template(self.key)


# The sections, each computed from the month ------------------------------------------------------


def for_conversion(month: Month) -> tuple[rc.Mod, ...]:
    """The Draft Proposals ready for conversion on the report's date."""
    ready = _ready_for_conversion(month.register, month.mods, month.day)
    return tuple(_mod(month.register, m, month.day) for m in ready)


def reports_to_panel(month: Month) -> tuple[rc.Mod, ...]:
    return tuple(_mod(month.register, m, month.day) for m, e in month.news["summary.reports_to_panel"])


def other_changes(month: Month) -> tuple[rc.OtherChange, ...]:
    return _other_changes(month.register, month.news[OTHER_CHANGES])


def documents(month: Month) -> tuple[rc.DocumentRow, ...]:
    return _documents(month.register, month.news["summary.documents"])


def progression_against_plan(month: Month) -> tuple[rc.PlanChange, ...]:
    return against_plan(month.register, month.mods, month.period, month.cal)


def decisions(month: Month) -> tuple[rc.Decisions, ...]:
    """Every decision of the period, one ``Decisions`` per kind in ``DECISION_KINDS`` order."""
    return tuple(
        rc.Decisions(kind, _decisions(month.register, month.news["opine.decisions"], kind, month.cal))
        for kind in DECISION_KINDS
    )


def new_drafts(month: Month) -> tuple[rc.NewDraft, ...]:
    """The Draft Proposals raised in the period."""
    period, day = month.period, month.day
    return tuple(
        rc.NewDraft(
            **_ident(month.register, m, day), raised=m.raised, proposer=m.proposer, summary=m.summary, issue=m.issue
        )
        for m in month.mods
        if m.is_draft and m.raised and period.since < m.raised <= day
    )


EventKind = TypeVar("EventKind", bound=EventBase)


def of_kind(
    news: Iterable[tuple[Modification, EventBase]], kind: type[EventKind]
) -> Iterator[tuple[Modification, EventKind]]:
    """A section's news, for a section that reads one event kind: an event of another kind is an
    error, never left out (a kind declared to report there that the section cannot print would
    otherwise vanish from the report)."""
    for mod, event in news:
        if not isinstance(event, kind):
            raise TypeError(f"a {type(event).__name__} event reports to a section that prints only {kind.__name__}")
        yield mod, event


def csc_decisions(month: Month) -> tuple[rc.OutcomeGroup, ...]:
    return _group(
        [
            (e.outcome, _mod(month.register, m, month.day))
            for m, e in of_kind(month.news["define.csc_decisions"], CscDecision)
        ]
    )


def working_groups(month: Month) -> rc.WorkingGroups:
    return rc.WorkingGroups(
        _working_groups(month.register, month.period, month.news["refine.working_groups"]),
        next=_next_meeting(month.register, "working-group", month.day),
    )


def refinement_consultations(month: Month) -> tuple[rc.Consultation, ...]:
    return _consultations(month.register, month.period, month.news, "refine.refinement_consultations")


def assessments(month: Month) -> rc.AssessmentTimescales:
    return assessment_figures(assessment_timescales(month.register, month.period.cut_off, month.cal))


def report_consultations(month: Month) -> tuple[rc.Consultation, ...]:
    return _consultations(month.register, month.period, month.news, "opine.report_consultations")


def progression(month: Month) -> rc.Progression:
    return progression_figures(modification_timescales(month.register, month.period.cut_off, month.cal))


def designations(month: Month) -> tuple[rc.Designation, ...]:
    return tuple(v for v in _versions(month.register) if _in(month.period, v.effective))


def moves(month: Month) -> tuple[rc.ReleaseMove, ...]:
    return _release_moves(month.register, month.period)


def implemented(month: Month) -> tuple[rc.ImplementedRow, ...]:
    return _implemented(month.register, month.news["release.implemented"])


def releases(month: Month) -> tuple[rc.Release, ...]:
    return _releases(month.register, month.mods, month.day)


def appendix_tables(month: Month) -> rc.Appendix:
    return appendix(month.register, month.mods, month.day, month.cal)


def status_changes(month: Month) -> tuple[rc.StatusChange, ...]:
    """The DCC statuses given in the period, oldest first."""
    return tuple(
        sorted(
            (
                rc.StatusChange(**_ident(month.register, m, e.when), date=e.when, status=e.status, group=e.group)
                for m, e in of_kind(month.news["appendix.changes"], DccStatus)
            ),
            key=lambda r: r.date,
        )
    )


def sections_of(mods: list[Modification], period: Period) -> dict[str, list[tuple[Modification, EventBase]]]:
    """The period's events (``Period.holds``) by the report section their kind declares
    (``events.Kind.report``), each section in register and then file order. Every section a kind
    names has its list, empty or not, so a section reads its events from here and nowhere else."""
    sections: dict[str, list[tuple[Modification, EventBase]]] = {kind.report: [] for kind in KINDS.values()}
    for mod in mods:
        for event in mod.events:
            if period.holds(event):
                sections[KINDS[event.kind].report].append((mod, event))
    return sections


def cover(register: Register, period: Period) -> rc.Cover:
    record = register.reports.get(period.month)
    year, number = parse_month(period.month)
    panel = None
    if record is not None and record.panel is not None:
        panel = next((m for m in register.meetings if m.body == "panel" and m.date == record.panel), None)
    reference = None
    if panel is not None and panel.number is not None and record is not None and record.paper is not None:
        reference = f"SECP_{panel.number}_{panel.date:%d%m}_{record.paper:02d}"
    return rc.Cover(
        month=dt.date(year, number, 1),
        author=record.author if record else None,
        team=record.team if record else "SECAS Team",
        date=period.date,
        reference=reference,
        classification=CLASSIFICATION,
    )


def _ident(register: Register, mod: Modification, day: dt.date) -> dict[str, Any]:
    """The fields of ``report.context.Mod``: the modification as it is named on ``day``."""
    state = state_on(register, mod, day)
    return {"id": state.id if state else mod.id, "title": mod.title, "url": mod.url}


def _mod(register: Register, mod: Modification, day: dt.date) -> rc.Mod:
    return rc.Mod(**_ident(register, mod, day))


def _in(period: Period, day: dt.date) -> bool:
    return period.since < day <= period.date


def _ready_for_conversion(register: Register, mods: list[Modification], day: dt.date) -> list[Modification]:
    states = states_on(register, day)
    return [
        m
        for m in mods
        if (state := states[m.id]) is not None and state.stage == "define" and state.status == "Ready for conversion"
    ]


def _group(pairs: list[tuple[str, rc.Mod]]) -> tuple[rc.OutcomeGroup, ...]:
    groups: dict[str, list] = {}
    for key, item in pairs:
        groups.setdefault(key, []).append(item)
    return tuple(rc.OutcomeGroup(key, tuple(items)) for key, items in groups.items())


def _working_groups(register: Register, period: Period, news) -> tuple[rc.Meeting, ...]:
    """The Working Group meetings of the period, each with the modifications it discussed (a
    discussion must match a meeting: ``checks.events_reference_known_things``)."""
    meetings = {m.date for m in register.meetings if m.body == "working-group" and _in(period, m.date)}
    agendas: dict[dt.date, dict[str, rc.Mod]] = {day: {} for day in sorted(meetings | {e.when for _, e in news})}
    for mod, e in news:
        agendas[e.when].setdefault(mod.id, _mod(register, mod, period.date))  # once per meeting, in register order
    return tuple(rc.Meeting(day, tuple(agenda.values())) for day, agenda in agendas.items())


def _next_meeting(register: Register, body: str, day: dt.date) -> dt.date | None:
    later = [m.date for m in register.meetings if m.body == body and m.date > day]
    return min(later) if later else None


def _consultations(register: Register, period: Period, news, section: str) -> tuple[rc.Consultation, ...]:
    """The consultations issued in the period, whether or not still open on the report's date, then
    those issued before it and still open on that day (``ongoing``: the report of their own period
    gave their issue; ``consultations.is_open``, the rule the site's consultations page reads)."""
    issued = [(mod, e, False) for mod, e in news[section]]
    kinds = [name for name, kind in KINDS.items() if kind.report == section]
    issued += [
        (mod, e, True)
        for kind in kinds
        for mod, e in events_by_kind(register)[kind]
        if e.when <= period.since and consultations.is_open(e, period.date)
    ]
    return tuple(
        rc.Consultation(**_ident(register, mod, period.date), issued=e.when, closes=e.closes, ongoing=ongoing)
        for mod, e, ongoing in issued
    )


def _other_changes(register: Register, news) -> tuple[rc.OtherChange, ...]:
    """The period's events whose kinds have no section of their own, oldest first."""
    rows = [
        rc.OtherChange(
            **_ident(register, m, e.when),
            kind=e.kind,
            date=e.when,
            release=_release_name(register, getattr(e, "release", None)),
        )
        for m, e in news
    ]
    return tuple(sorted(rows, key=lambda r: r.date))


def _documents(register: Register, news) -> tuple[rc.DocumentRow, ...]:
    """The documents published in the period, oldest first (in register order within a day)."""
    rows = [
        rc.DocumentRow(**_ident(register, m, e.when), date=e.when, document=e.title, address=e.url) for m, e in news
    ]
    return tuple(sorted(rows, key=lambda r: r.date))


def against_plan(
    register: Register, mods: list[Modification], period: Period, cal: Calendar
) -> tuple[rc.PlanChange, ...]:
    """Progression against plan: the milestones re-planned (decided in the period), met late (their
    event in the period, after the baseline) or missed (their plan's date passed in the period, by
    the report's date or the register's horizon if earlier, with no event and the modification
    still open), in the order those happened (``plans``)."""
    counted_to = within_horizon(register, period.date, cal)
    every = histories(register)
    rows = []
    for mod in mods:
        if not mod.plan:
            continue
        ident = _ident(register, mod, period.date)
        for milestone in dict.fromkeys(p.milestone for p in mod.plan):
            plans = known_plans(mod, milestone, period.date)
            if not plans:
                continue
            baseline = plans[0]
            for before, replan in pairwise(plans):
                if replan.decided is not None and _in(period, replan.decided):
                    rows.append(
                        rc.PlanChange(
                            **ident,
                            milestone=milestone,
                            change="re-planned",
                            baseline=baseline.date,
                            date=replan.date,
                            previous=before.date,
                            decided=replan.decided,
                            slip_wd=slip(cal, baseline.date, replan.date),
                            note=replan.note,
                        )
                    )
            met = meeting_event(mod, baseline, period.date)
            current = plans[-1]
            if met is not None:
                late = slip(cal, baseline.date, met.when) if met.exact else 0
                if late > 0 and _within(met, period.since, period.date):
                    rows.append(
                        rc.PlanChange(
                            **ident,
                            milestone=milestone,
                            change="met-late",
                            baseline=baseline.date,
                            date=met.when,
                            slip_wd=late,
                        )
                    )
            elif period.since <= current.date < counted_to and _open(every[mod.id].on(counted_to)):
                rows.append(
                    rc.PlanChange(
                        **ident,
                        milestone=milestone,
                        change="missed",
                        baseline=baseline.date,
                        date=current.date,
                        slip_wd=slip(cal, baseline.date, counted_to),
                        by=counted_to,
                        overdue_wd=cal.count(current.date, counted_to),
                    )
                )
    happened = {"re-planned": lambda r: r.decided, "met-late": lambda r: r.date, "missed": lambda r: r.date}
    return tuple(sorted(rows, key=lambda r: happened[r.change](r)))


def _open(state) -> bool:
    return state is None or state.stage != "closed"


def _release_name(register: Register, release_id: str | None) -> str | None:
    release = register.releases.get(release_id) if release_id else None
    return release.name if release else release_id


def _decisions(register: Register, news, kind: str, cal: Calendar) -> tuple[rc.DecisionDay, ...]:
    """Decisions of one kind in the period, grouped by day, with how each is to be implemented."""
    days: dict[dt.date, list] = {}
    for mod, e in news:
        if e.kind == kind:
            recommendation = is_recommendation(e, mod.route)
            days.setdefault(e.when, []).append(
                rc.DecisionRow(
                    **_ident(register, mod, e.when),
                    outcome=e.outcome,
                    self_governance=mod.route == "self-governance",
                    recommendation=recommendation,
                    implementation=None if recommendation else implementation(register, e, cal),
                )
            )
    return tuple(rc.DecisionDay(day, tuple(items)) for day, items in sorted(days.items()))


def implementation(register: Register, decision, cal: Calendar) -> rc.Implementation | None:
    """When an approval is to take effect: a release's date as it stood, or N WD after the decision."""
    if decision.outcome != "approved":
        return None
    if decision.working_days_after_decision:
        n = decision.working_days_after_decision
        return rc.Implementation(date=cal.add(decision.when, n), release=None, working_days=n)
    if decision.release and decision.release in register.releases:
        release = register.releases[decision.release]
        return rc.Implementation(date=planned_date(release, decision.when), release=release.name, working_days=None)
    return None


def _figure(figure: dict[str, Any]) -> rc.Figure:
    return rc.Figure(
        count=figure["count"],
        average_wd=figure["average_wd"],
        averaged_over=figure["averaged_over"],
        left_out=tuple(rc.LeftOut(x["id"], x["why"]) for x in figure["left_out"]),
    )


def _duration(row: dict[str, Any]) -> rc.AssessmentDuration:
    start = row["duration_from"]
    return rc.AssessmentDuration(
        id=row["id"],
        assessment=row["assessment"],
        target_wd=row["target_wd"],
        duration_wd=row["duration_wd"],
        duration_from=dt.date.fromisoformat(start) if start else None,
    )


def assessment_figures(figures: dict[str, Any]) -> rc.AssessmentTimescales:
    """``assessments.assessment_timescales`` as the report prints it."""
    return rc.AssessmentTimescales(
        sec_year=figures["sec_year"],
        **{key.lower(): _figure(figures[key]) for key in ("PA_open", "PA_completed", "IA_open", "IA_completed")},
        open=tuple(_duration(r) for r in figures["open"]),
        completed=tuple(_duration(r) for r in figures["completed"]),
        open_undated=tuple(_duration(r) for r in figures["open_undated"]),
    )


def progression_figures(figures: dict[str, Any]) -> rc.Progression:
    """``assessments.modification_timescales`` as the report prints it."""
    return rc.Progression(
        sec_year=figures["sec_year"],
        open=_figure(figures["open"]),
        closed=_figure(figures["closed"]),
        decisions_without_date=tuple(figures["decisions_without_date"]),
    )


def _versions(register: Register) -> list[rc.Designation]:
    return [
        rc.Designation(version=v.version, effective=v.effective, designation=v.designation, url=v.url)
        for v in sorted(register.sec_versions.values(), key=lambda v: v.effective)
        if v.designation
    ]


def _implemented(register: Register, news) -> tuple[rc.ImplementedRow, ...]:
    versions = {v.modification: v for v in register.sec_versions.values() if v.modification}
    out = []
    for mod, e in news:
        version = versions.get(mod.id)
        out.append(
            rc.ImplementedRow(
                **_ident(register, mod, e.when),
                date=e.when,
                version=version.version if version else None,
                version_url=version.url if version else None,
            )
        )
    return tuple(sorted(out, key=lambda r: r.date))


def _release_moves(register: Register, period: Period) -> tuple[rc.ReleaseMove, ...]:
    """Every change of a release's planned date decided in the period, in the order decided."""
    moves = [
        rc.ReleaseMove(release.name, before.date if before else None, after.date, after.decided)
        for release in register.releases.values()
        for before, after in release_moves(release, period.date)
        if after.decided is not None and _in(period, after.decided)
    ]
    return tuple(sorted(moves, key=lambda m: (m.decided, m.name)))


def _releases(register: Register, mods: list[Modification], day: dt.date) -> tuple[rc.Release, ...]:
    """Each release with the modifications approved for it on ``day``, its date as it then stood."""
    members: dict[str, list] = {}
    states = states_on(register, day)
    for mod in mods:
        state = states[mod.id]
        if state is not None and state.stage == "release" and state.release:
            members.setdefault(state.release, []).append(_mod(register, mod, day))
    out = []
    for release_id, items in members.items():
        release = register.releases[release_id]
        out.append(
            rc.Release(
                name=release.name,
                standalone=release.standalone,
                date=planned_date(release, day),
                when_text=release.when_text,
                entries=tuple(items),
            )
        )
    return tuple(sorted(out, key=lambda r: (r.standalone, r.date or dt.date.max)))


IN_PROGRESS = {"pa in progress": "PA", "ia in progress": "IA"}
"""DCC statuses that say an assessment is in progress (the paper colours those rows)."""


def appendix(register: Register, mods: list[Modification], day: dt.date, cal: Calendar) -> rc.Appendix:
    """Appendix A: each modification under its DCC statuses on ``day`` (``appendix.dcc_rows``), in the
    paper's four tables."""
    tables: dict[str, list] = {group: [] for group in DCC_STATUS_GROUPS}
    every = histories(register)
    for mod in mods:
        rows = dcc_rows(mod, every[mod.id], day)
        if not rows:
            continue
        number = mod.id.removeprefix("SECMP") if mod.id.startswith("SECMP") else _ident(register, mod, day)["id"]
        for dcc in rows:
            assessed = dcc.group == "assessment"
            tables[dcc.group].append(
                rc.StatusRow(
                    number=number,
                    title=mod.title,
                    url=mod.url,
                    status=dcc.status,
                    note=dcc.note,
                    added=dcc.added,
                    derived_from=dcc.derived_from,
                    in_progress=IN_PROGRESS.get(dcc.status.lower()),
                    pa=_latest_of(mod.assessments, "PA", day, cal) if assessed else None,
                    ia=_latest_of(mod.assessments, "IA", day, cal) if assessed else None,
                )
            )
    return rc.Appendix(**{group.replace("-", "_"): tuple(rows) for group, rows in tables.items()})


def _latest_of(assessments: list[Assessment], kind: str, day: dt.date, cal: Calendar) -> rc.AssessmentDates | None:
    """The most recent assessment of a kind, with only the dates known on ``day``; its target is
    the one in force (``assessments.target``)."""
    chosen = [a for a in assessments if a.type == kind and (a.accepted is None or a.accepted <= day)]
    if not chosen:
        return None
    a = chosen[-1]
    due, basis = target(a, cal)
    return rc.AssessmentDates(
        accepted=a.accepted,
        target=due,
        target_agreed=basis == "agreed",
        delivered=a.delivered if a.delivered and a.delivered <= day else None,
    )


SECTIONS: tuple[Section, ...] = (
    Section("summary.for_conversion", for_conversion),
    Section("summary.reports_to_panel", reports_to_panel),
    Section(OTHER_CHANGES, other_changes),
    Section("summary.documents", documents),
    Section("summary.against_plan", progression_against_plan),
    Section("summary.decisions", decisions),
    Section("define.new_drafts", new_drafts),
    Section("define.csc_decisions", csc_decisions),
    Section("refine.working_groups", working_groups),
    Section("refine.refinement_consultations", refinement_consultations),
    Section("refine.assessments", assessments),
    Section("opine.report_consultations", report_consultations),
    Section("opine.decisions", decisions),
    Section("opine.progression", progression),
    Section("release.designations", designations),
    Section("release.moves", moves),
    Section("release.implemented", implemented),
    Section("release.releases", releases),
    Section("appendix.tables", appendix_tables),
    Section("appendix.changes", status_changes),
)
"""The report's sections, in the order it prints them, each chapter's together: the chapters
(summary, define, refine, opine, release, appendix) are the report templates' own; a section is
one line here, its function above, and its template."""
