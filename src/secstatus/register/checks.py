"""Rules across records. Each rule is one function yielding diagnostics; ``check`` runs them all.

Errors are data the register cannot hold (a reference to nothing, a story that contradicts
itself). Warnings are anomalies faithfully recorded from a source (a target date before its
request, a malformed date as printed): the register keeps them, validation points at them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..domain.appendix import stale_status
from ..domain.diagnostics import Diagnostic, error, warning
from ..domain.events import KINDS, DccStatus, EventBase, event_words
from ..domain.model import (
    CalendarOverrides,
    Modification,
    Record,
    Release,
    ReportRecord,
    SecVersion,
    record_type_of,
    statistics_cut_off,
)
from ..domain.timeline import History, histories, history, reuse_histories
from . import acknowledgements
from .load import Reading, Register, Source, read_register

Loaded = list[tuple[Record, Source]]
RELEASE_KINDS = frozenset(name for name, kind in KINDS.items() if "release" in kind.model.model_fields)
CONSULTATION_KINDS = frozenset(name for name, kind in KINDS.items() if "closes" in kind.model.model_fields)
"""The event kinds that name a release, and those with a closing day (read from their models)."""
REFERRING_KINDS = RELEASE_KINDS | {name for name, kind in KINDS.items() if kind.meeting}
"""The event kinds that name something else in the register: a release, or a meeting."""
Rule = Callable[[Register, Loaded], Iterator[Diagnostic]]
ModificationRule = Callable[[Register, Modification, Source], Iterator[Diagnostic]]

DCC_WORDS = {
    "accepted",
    "approved",
    "assessment",
    "awaiting",
    "changes",
    "clarification",
    "from",
    "implementation",
    "implemented",
    "in",
    "hold",
    "ia",
    "no",
    "nov’19",
    "on",
    "outstanding",
    "pa",
    "progress",
    "rejected",
    "release",
    "request",
    "requested",
    "secas",
    "secmp",
    "seeking",
    "system",
    "wg",
    "withdrawn",
    "–",
    "-",
}


def check(register: Register, loaded: Loaded, warnings: bool = True) -> list[Diagnostic]:
    """Every cross-record rule over the loaded register, with acknowledged warnings as notes.

    Without ``warnings``, only the rules that find errors run (not ``MODIFICATION_ANOMALIES``, nor
    the acknowledgements' matching): for a command that needs a register it can trust and prints
    no warning, such as the report, whose run they would slow by some 7% at 5,000 records.
    """
    return _check(register, loaded, warnings, Findings())


@dataclass
class Findings:
    """What the rules about one modification found, by modification (its object's ``id``): kept,
    an edit's check runs them again only for the modifications the edit changed, and the rules
    that read other records (``READS_OTHER_RECORDS``) for every one when those records changed."""

    own: dict[int, list[Diagnostic]] = field(default_factory=dict)
    referring: dict[int, list[Diagnostic]] = field(default_factory=dict)
    references: tuple = ()
    """What the rules that read other records read: the release ids and the meetings."""


def _check(
    register: Register, loaded: Loaded, warnings: bool, findings: Findings, earlier: Findings | None = None
) -> list[Diagnostic]:
    """``check``, filling ``findings``; what ``earlier`` found about a modification it saw is
    taken as it is (the modification's object is the same: its file was not read again)."""
    found = [d for rule in RULES for d in rule(register, loaded)]
    mod_rules = MODIFICATION_RULES + MODIFICATION_ANOMALIES if warnings else MODIFICATION_RULES
    own_rules = [rule for rule in mod_rules if rule not in READS_OTHER_RECORDS]
    referring_rules = [rule for rule in mod_rules if rule in READS_OTHER_RECORDS]
    findings.references = (frozenset(register.releases), frozenset(_meetings(register)))
    same_references = earlier if earlier is not None and earlier.references == findings.references else None
    # One modification at a time through every rule about it: its events are read while they are
    # still in the processor's cache, rather than once per rule across the whole register.
    for mod, source in _modifications(loaded):
        key = id(mod)
        own = earlier.own.get(key) if earlier is not None else None
        if own is None:
            own = [d for mod_rule in own_rules for d in mod_rule(register, mod, source)]
        referring = same_references.referring.get(key) if same_references is not None else None
        if referring is None:
            referring = [d for mod_rule in referring_rules for d in mod_rule(register, mod, source)]
        findings.own[key], findings.referring[key] = own, referring
        found += own
        found += referring
    return acknowledgements.apply(found, loaded) if warnings else acknowledgements.excuse_errors(found, loaded)


def _expected_stem(record: Record) -> str | None:
    """The file name (without .yaml) the record's type requires of it; None where the name is free."""
    file_id = record_type_of(record).file_id
    return file_id(record) if file_id else None


def file_names_match_ids(register: Register, loaded: Loaded) -> Iterator[Diagnostic]:
    """A record's file is named after its id, so that history follows the file."""
    for record, source in loaded:
        stem = _expected_stem(record)
        if stem is not None and source.path.stem != stem:
            yield error(
                source.rel,
                *source.at(("id",)),
                "file-name",
                f"file name '{source.path.name}' does not match its record: expected '{stem}.yaml'",
            )


def ids_are_unique(register: Register, loaded: Loaded) -> Iterator[Diagnostic]:
    """No two files hold one id; DPnnn and MPnnn share their number, so they count as one."""
    seen: dict[str, Source] = {}
    for record, source in loaded:
        key = _expected_stem(record)
        if isinstance(record, Modification) and record.id[:2] in ("DP", "MP"):
            key = "number " + record.id[2:]
        if key is None:
            continue
        key = f"{type(record).__name__}:{key}"
        if key in seen:
            yield error(
                source.rel,
                *source.at(("id",)),
                "duplicate-id",
                f"{key.split(':', 1)[1]} is already recorded in {seen[key].rel}",
            )
        else:
            seen[key] = source


def references_resolve(register: Register, loaded: Loaded) -> Iterator[Diagnostic]:
    """Modifications and meetings named by a SEC version or a report exist in the register (a
    modification's events: ``events_reference_known_things``)."""
    meetings = _meetings(register)
    for record, source in loaded:
        if isinstance(record, SecVersion) and record.modification:
            if record.modification not in register.modifications:
                yield error(
                    source.rel,
                    *source.at(("modification",)),
                    "unknown-modification",
                    f"modification {record.modification} is not in data/modifications/; add it with "
                    f"'secstatus new modification {record.modification} --title TITLE'",
                )
        elif isinstance(record, ReportRecord) and record.panel:
            if ("panel", record.panel) not in meetings:
                yield error(source.rel, *source.at(("panel",)), "unknown-meeting", _no_meeting("panel", record.panel))


def events_reference_known_things(register: Register, mod: Modification, source: Source) -> Iterator[Diagnostic]:
    """The releases and meetings a modification's events name exist in the register."""
    meetings = _meetings(register)
    for i, event in enumerate(mod.events):
        if event.kind not in REFERRING_KINDS:
            continue
        release = getattr(event, "release", None) if event.kind in RELEASE_KINDS else None
        if release is not None and release not in register.releases:
            yield error(
                source.rel,
                *source.at(("events", i, "release")),
                "unknown-release",
                f"release '{release}' is not in data/releases/; add it with "
                f"'secstatus new release {release} --planned DATE'",
            )
        body = KINDS[event.kind].meeting
        if body and event.date is not None and (body, event.date) not in meetings:
            yield error(source.rel, *source.at(("events", i, "date")), "unknown-meeting", _no_meeting(body, event.date))


def _no_meeting(body: str, day: dt.date) -> str:
    """The message for a meeting the register lacks, naming the command that records it."""
    return f"no {body} meeting on {day} in data/meetings/; record it with 'secstatus new meeting {body} {day}'"


def events_in_date_order(register: Register, mod: Modification, source: Source) -> Iterator[Diagnostic]:
    """Dated events are listed oldest first, so that a file reads as its history."""
    dates = [event.date for event in mod.events if event.date is not None]
    if dates == sorted(dates):
        return  # the usual case, told at once
    latest: dt.date | None = None
    for i, event in enumerate(mod.events):
        if event.date is None:
            continue
        if latest is not None and event.date < latest:
            yield error(
                source.rel,
                *source.at(("events", i, "date")),
                "event-order",
                f"events out of order: {event.date} is listed after {latest}",
            )
        latest = max(latest or event.date, event.date)


def date_bounds_are_ordered(register: Register, mod: Modification, source: Source) -> Iterator[Diagnostic]:
    """An undated fact's window is not empty: on_or_after is not later than on_or_before."""
    for i, event in enumerate(mod.events):
        if event.on_or_after and event.on_or_before and event.on_or_after > event.on_or_before:
            yield error(
                source.rel,
                *source.at(("events", i, "on_or_after")),
                "date-window",
                f"on_or_after {event.on_or_after} is later than on_or_before {event.on_or_before}",
            )


def timeline_is_consistent(register: Register, mod: Modification, source: Source) -> Iterator[Diagnostic]:
    """The events tell a possible story: no decision after withdrawal, no implementation unapproved."""
    for index, problem in _history(register, mod).problems:
        yield error(source.rel, *source.at(("events", index, "kind")), "timeline", problem)


def events_follow_the_process(register: Register, mod: Modification, source: Source) -> Iterator[Diagnostic]:
    """Each event comes after what the process puts before it (``events.Kind.after``: a Change Board
    vote or an Authority decision after a Modification Report). An error, which the event may
    acknowledge (``acknowledged: [{code: process-order, reason: …}]``) where a legacy record lacks
    a predecessor that no source dates."""
    for index, problem in _history(register, mod).out_of_order:
        loc = ("events", index, "kind")
        yield error(source.rel, *source.at(loc), "process-order", problem, anchor=loc[:2])


def assessment_dates_in_order(register: Register, mod: Modification, source: Source) -> Iterator[Diagnostic]:
    """A target or delivery before the request was accepted is a source anomaly worth a look."""
    for i, a in enumerate(mod.assessments):
        for name in ("target", "delivered"):
            day = getattr(a, name)
            if a.accepted and day and day < a.accepted:
                yield _anomaly(
                    source,
                    ("assessments", i, name),
                    "assessment-dates",
                    f"{a.type} {name} {day} is before its acceptance {a.accepted}",
                )
        if a.status == "not-progressed" and a.delivered is None:
            yield _anomaly(
                source,
                ("assessments", i, "status"),
                "assessment-not-progressed",
                f"{a.type} accepted {a.accepted} was never delivered and is no longer outstanding",
            )


def printed_dates_match(register: Register, mod: Modification, source: Source) -> Iterator[Diagnostic]:
    """A date kept as printed (``printed``) that is not the recorded date in DD/MM/YYYY is flagged."""
    for i, event in enumerate(mod.events):
        if event.printed is not None and event.printed != event.when.strftime("%d/%m/%Y"):
            yield _anomaly(
                source,
                ("events", i, "printed"),
                "printed-date",
                f"the source printed '{event.printed}', recorded as {event.when}",
            )


def dcc_status_spelling(register: Register, mod: Modification, source: Source) -> Iterator[Diagnostic]:
    """A DCC status word that is nearly, but not, a known word is probably a typo in the source."""
    for i, event in enumerate(mod.events):
        if event.kind != "dcc-status":
            continue
        for word, near in misspelt(event.status):
            yield _anomaly(
                source,
                ("events", i, "status"),
                "dcc-status-spelling",
                f"'{word}' in DCC status '{event.status}': did you mean '{near}'?",
            )


@functools.lru_cache(maxsize=4096)
def misspelt(status: str) -> tuple[tuple[str, str], ...]:
    """Each word of a DCC status that is nearly, but not, a known word, with the word it is near
    (a register repeats its statuses, so each is looked at once)."""
    import difflib  # only the warnings need it, and validation finds few unknown words

    found = []
    for word in re.findall(r"[\w’'-]+", status.lower()):
        near = [] if word in DCC_WORDS else difflib.get_close_matches(word, DCC_WORDS, n=1, cutoff=0.85)
        if near:
            found.append((word, near[0]))
    return tuple(found)


def dcc_status_current(register: Register, mod: Modification, source: Source) -> Iterator[Diagnostic]:
    """A DCC status no recorded event settles is stale: the row the modification shows in table 3
    or 5 predates its move to Opine or Release, and only DCC can say what its status became
    (``appendix.stale_status``). A fact that settles the status (an implementation, a withdrawal,
    an assessment milestone) brings the row itself and needs no warning."""
    stale = stale_status(mod, _history(register, mod))
    if stale is None:
        return
    moved = mod.events[stale.moved_by]
    if stale.status_index is not None:
        status = mod.events[stale.status_index]
        assert isinstance(status, DccStatus), "an explicit row is a DCC status event"
        said, loc = f"DCC status '{status.status}' ({status.when})", ("events", stale.status_index, "status")
    else:
        said = f"Appendix A status '{stale.row.status}' (derived from '{stale.row.derived_from}')"
        loc = ("events", stale.moved_by, "kind")
    yield _anomaly(
        source,
        loc,
        "dcc-status-stale",
        f"{said} predates '{event_words(moved)}', which moved the modification to "
        f"{stale.stage.title()}, and no recorded event says what DCC's status is now "
        "(record it with 'secstatus record ID dcc-status')",
    )


def release_plans_in_order(register: Register, loaded: Loaded) -> Iterator[Diagnostic]:
    """A release's date changes are listed in the order they were decided."""
    for record, source in loaded:
        if not isinstance(record, Release):
            continue
        latest = None
        for i, plan in enumerate(record.planned):
            if i > 0 and plan.decided is None:
                yield error(
                    source.rel,
                    *source.at(("planned", i)),
                    "release-plan",
                    "only the first planned date may omit 'decided'",
                )
            elif plan.decided is not None and latest is not None and plan.decided < latest:
                yield error(
                    source.rel,
                    *source.at(("planned", i, "decided")),
                    "release-plan",
                    f"date change decided {plan.decided} is listed after one decided {latest}",
                )
            latest = plan.decided or latest


def plans_in_order(register: Register, mod: Modification, source: Source) -> Iterator[Diagnostic]:
    """A modification's plans of one milestone (``plan``): the first is the baseline; each later one
    is a re-plan, which gives the day it was decided, listed in the order they were decided; and a
    plan is for a day on or after the day it was decided."""
    latest: dict[str, dt.date | None] = {}
    for i, item in enumerate(mod.plan):
        if item.decided is not None and item.date < item.decided:
            yield error(
                source.rel,
                *source.at(("plan", i, "date")),
                "plan-before-decided",
                f"{item.milestone} planned for {item.date}, before the day it was decided ({item.decided})",
            )
        if item.milestone not in latest:
            latest[item.milestone] = item.decided
            continue
        before = latest[item.milestone]
        if item.decided is None:
            yield error(
                source.rel,
                *source.at(("plan", i)),
                "plan-order",
                f"a re-plan of {item.milestone} gives the day it was decided ('decided'); only its "
                "first plan, the baseline, may omit it",
            )
        elif before is not None and item.decided < before:
            yield error(
                source.rel,
                *source.at(("plan", i, "decided")),
                "plan-order",
                f"a re-plan of {item.milestone} decided {item.decided} is listed after one decided {before}",
            )
        latest[item.milestone] = item.decided or before


def calendar_days_unique(register: Register, loaded: Loaded) -> Iterator[Diagnostic]:
    """Each calendar override names a day once."""
    seen: set[dt.date] = set()
    for record, source in loaded:
        if not isinstance(record, CalendarOverrides):
            continue
        for i, day in enumerate(record.days):
            if day.date in seen:
                yield error(source.rel, *source.at(("days", i, "date")), "duplicate-day", f"{day.date} is listed twice")
            seen.add(day.date)


def horizon_set_once(register: Register, loaded: Loaded) -> Iterator[Diagnostic]:
    """The register's horizon is set in one calendar file at most (``model.CalendarOverrides``)."""
    first: Source | None = None
    for record, source in loaded:
        if isinstance(record, CalendarOverrides) and record.horizon is not None:
            if first is None:
                first = source
            else:
                yield error(
                    source.rel,
                    *source.at(("horizon",)),
                    "horizon-twice",
                    f"the register's horizon is already set in {first.rel}; set it in one calendar file",
                )


def consultations_close_after_they_open(register: Register, mod: Modification, source: Source) -> Iterator[Diagnostic]:
    """A consultation closes on or after the day it was issued."""
    for i, event in enumerate(mod.events):
        closes = getattr(event, "closes", None) if event.kind in CONSULTATION_KINDS else None
        if closes is not None and closes < event.when:
            yield error(
                source.rel,
                *source.at(("events", i, "closes")),
                "closes-before-issued",
                f"the consultation closes on {closes}, before it was issued ({event.when})",
            )


def events_are_not_repeated(register: Register, mod: Modification, source: Source) -> Iterator[Diagnostic]:
    """The same event (every field equal) listed twice is probably a repeated edit."""
    days = [(event.kind, event.date, event.on_or_before) for event in mod.events]
    if len(set(days)) == len(days):
        return  # the usual case: equal events would share all three, so none is repeated
    seen: dict[tuple, list[int]] = {}
    for i, event in enumerate(mod.events):
        earlier = seen.setdefault((event.kind, event.when), [])
        same = next((j for j in earlier if _same_fact(mod.events[j], event)), None)  # only on a shared day
        if same is not None:
            yield _anomaly(
                source,
                ("events", i, "kind"),
                "duplicate-event",
                f"the same {event.kind} event as item {same + 1} of events",
            )
        earlier.append(i)


def _same_fact(a: EventBase, b: EventBase) -> bool:
    """Two events that record the same fact: every field equal but their acknowledgements (so the
    repeat can acknowledge the warning about it)."""
    return a.model_copy(update={"acknowledged": []}) == b.model_copy(update={"acknowledged": []})


def report_dates_follow_their_month(register: Register, loaded: Loaded) -> Iterator[Diagnostic]:
    """A month's report is dated after its statistics' cut-off, the last day of the month before."""
    for record, source in loaded:
        if isinstance(record, ReportRecord) and record.date is not None:
            year, month = (int(part) for part in record.month.split("-"))
            cut_off = statistics_cut_off(year, month)
            if record.date <= cut_off:
                yield error(
                    source.rel,
                    *source.at(("date",)),
                    "report-before-cut-off",
                    f"the {record.month} report is dated {record.date}, on or before its statistics' "
                    f"cut-off {cut_off}; change it with 'secstatus set report:{record.month} date DATE'",
                )


def _anomaly(source: Source, loc: tuple, code: str, message: str) -> Diagnostic:
    """A warning about an event or assessment (``loc`` starts with its place), which that item can
    acknowledge (see ``acknowledgements``)."""
    return warning(source.rel, *source.at(loc), code, message, anchor=loc[:2])


def _modifications(loaded: Loaded) -> list[tuple[Modification, Source]]:
    return [(record, source) for record, source in loaded if record.__class__ is Modification]


def _history(register: Register, mod: Modification) -> History:
    """The modification's folded history: the register's, or its own where another file holds its id."""
    if register.modifications.get(mod.id) is mod:
        return histories(register)[mod.id]
    return history(mod)


def _meetings(register: Register) -> set[tuple[str, dt.date]]:
    """Every meeting in the register, as (body, date), gathered once per register."""
    found = register.memo.get("meeting-days")
    if found is None:
        found = register.memo["meeting-days"] = {(m.body, m.date) for m in register.meetings}
    return found


RULES: tuple[Rule, ...] = (
    file_names_match_ids,
    ids_are_unique,
    references_resolve,
    release_plans_in_order,
    calendar_days_unique,
    horizon_set_once,
    report_dates_follow_their_month,
)
"""The rules over the whole register."""

MODIFICATION_RULES: tuple[ModificationRule, ...] = (
    events_reference_known_things,
    events_in_date_order,
    date_bounds_are_ordered,
    timeline_is_consistent,
    events_follow_the_process,
    consultations_close_after_they_open,
    plans_in_order,
)
"""The rules about one modification (every file's, a duplicate id's included) that find errors."""

MODIFICATION_ANOMALIES: tuple[ModificationRule, ...] = (
    assessment_dates_in_order,
    printed_dates_match,
    dcc_status_spelling,
    dcc_status_current,
    events_are_not_repeated,
)
"""The rules about one modification that only warn: a source's anomalies, faithfully recorded."""


READS_OTHER_RECORDS: frozenset[ModificationRule] = frozenset({events_reference_known_things})
"""The rules about one modification that read other records (the releases and meetings its events
name); every other rule about one reads that modification alone (and its fold)."""


def validate(root, overrides=None, warnings: bool = True) -> tuple[Register, list[Diagnostic]]:
    """Load the register under ``root`` (with ``overrides``: path -> bytes to read instead of the
    disk's) and run every rule; diagnostics sorted by file and line. Without ``warnings`` only the
    rules that find errors run (``check``)."""
    checked = check_register(root, overrides, warnings)
    return checked.register, checked.diagnostics


@dataclass
class Checked:
    """A register loaded and checked, with what each file and each rule about one modification
    gave: kept, ``with_edits`` checks the register with an edit in place without doing again what
    the edit cannot change."""

    reading: Reading
    findings: Findings
    diagnostics: list[Diagnostic]

    @property
    def register(self) -> Register:
        return self.reading.register

    def with_edits(self, overrides) -> tuple[Register, list[Diagnostic]]:
        """``validate(root, overrides)`` (the same register and diagnostics), with only the files in
        ``overrides`` read again and only the rules that can see them run again: the rules about
        one modification for those the edit changed (all of them for the rules that read the
        releases and meetings, when those changed), and the rules across records, which are cheap."""
        checked = check_register(self.register.root, overrides, warnings=self.reading.warnings, earlier=self)
        return checked.register, checked.diagnostics


def check_register(root, overrides=None, warnings: bool = True, earlier: Checked | None = None) -> Checked:
    """``validate``, kept whole as a ``Checked``; with ``earlier`` (the same register checked
    before), what it read and found is taken where nothing in ``overrides`` changes it."""
    if earlier is not None and earlier.reading.warnings != warnings:
        earlier = None
    reading = read_register(root, overrides, warnings, earlier.reading if earlier else None)
    if earlier is not None:
        reuse_histories(reading.register, earlier.register)
    findings = Findings()
    diagnostics = reading.diagnostics + _check(
        reading.register, reading.loaded, warnings, findings, earlier.findings if earlier else None
    )
    return Checked(reading, findings, sorted(diagnostics))
