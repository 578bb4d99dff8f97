"""The website's pages as plain data, computed from the register as it stood on one day.

Rules:
- only what the register knows on the as-at day is shown: events dated after it are left out
  (except a Modification Report's presentation to a Panel, which is scheduled ahead), and a
  release's date is the plan decided by then;
- a modification's *next key date* is the earliest day on or after the as-at day among: the
  next meeting of the body that will consider it (Change Sub-Committee in Define, Working
  Group in Refine, Change Board in Opine; none while on hold), its Modification Report's
  Panel date, the closing day of an open consultation, the target in force of an outstanding
  DCC assessment (``assessments.target``, ``assessments.is_outstanding``), the current plan of a
  milestone of its progression plan not yet met (``plans``), and, once approved, its release's
  planned date or its implementation date;
- the site's feed holds new Draft Proposals, conversions, decisions, implementations,
  withdrawals, documents published, re-plans of a progression plan's milestones (on the day
  decided) and release moves, dated up to the as-at day, newest first; a modification's own feed
  holds every event and re-plan of it; neither announces a fact known only ``on_or_before`` a
  day; a document's entry names the document's own address (``related``), where the feed links it.
Nothing here knows about markup; the templates under ``templates/site/`` draw it.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from collections.abc import Collection
from itertools import pairwise
from pathlib import Path
from typing import Any

from ..analysis.assessments import each_assessment, is_outstanding, target
from ..analysis.assessments import row as assessment_row
from ..analysis.consultations import RECENT_MONTHS, is_open, open_on, recent_since, recently_closed, working_days_left
from ..analysis.plans import expected_decision as expected
from ..analysis.plans import known_plans
from ..analysis.plans import milestone_plans as plans_of
from ..analysis.query import list_rows, page_fields, stage_counts, stage_not_known
from ..domain.appendix import dcc_rows
from ..domain.events import DECISION_KINDS, KINDS, PLANNABLE, event_words, long_date
from ..domain.timeline import STAGES, ordered_events, planned_date, plans_by, release_moves, state_on, states_on
from ..domain.timeline import histories as folds
from ..history.gitlog import Blobs, GitError, Histories, repo_root
from ..report.build import first_data_day, implementation, parse_month, report_date, within_horizon
from ..report.show import describe

STAGE_ORDER = STAGES
BODY_FOR_STAGE = {"define": "change-sub-committee", "refine": "working-group", "opine": "change-board"}
BODY_NAMES = {
    "change-sub-committee": "Change Sub-Committee",
    "working-group": "Working Group",
    "change-board": "Change Board",
    "panel": "SEC Panel",
}
FEED_KINDS = ("converted", "withdrawn", "implemented")


def mod_page(file_id: str) -> str:
    return f"modifications/{file_id}.html"


def mod_data(file_id: str) -> str:
    return f"modifications/{file_id}.json"


def mod_feed(file_id: str) -> str:
    return f"modifications/{file_id}.atom"


def release_page(release_id: str) -> str:
    return f"releases/{release_id}.html"


def meetings_by_body(register) -> dict[str, list[dt.date]]:
    """Each body's meeting days, sorted."""
    out: dict[str, list[dt.date]] = {}
    for meeting in register.meetings:
        out.setdefault(meeting.body, []).append(meeting.date)
    return {body: sorted(days) for body, days in out.items()}


def upcoming_dates(register, mod, state, cal, as_at: dt.date, meetings: dict[str, list[dt.date]]) -> list[dict]:
    """Every key date of one modification on or after ``as_at`` that the register knows, earliest first."""
    if state is None or state.stage == "closed":
        return []
    found: list[dict] = []
    body = BODY_FOR_STAGE.get(state.stage)
    if body and not state.on_hold:
        day = next((d for d in meetings.get(body, []) if d >= as_at), None)
        if day:
            found.append({"date": day, "what": f"{BODY_NAMES[body]} meeting"})
    for _, event in ordered_events(mod):
        if event.kind == "report-to-panel" and event.date is not None and event.date >= as_at:
            found.append({"date": event.date, "what": "Modification Report to the SEC Panel"})
        if is_open(event, as_at):
            found.append({"date": getattr(event, "closes", None), "what": f"{KINDS[event.kind].label} closes"})
    for a in mod.assessments:
        due = target(a, cal)[0]
        if due and due >= as_at and is_outstanding(a, state.stage, as_at) and a.status == "in-progress":
            found.append({"date": due, "what": f"DCC {a.type} target delivery"})
    if mod.plan:
        found += [
            {"date": p.current.date, "what": f"{KINDS[p.milestone].label} (planned)"}
            for p in milestone_plans(register, mod, as_at, cal)
            if p.status == "planned" and p.current.date >= as_at
        ]
    if state.stage == "release":
        found += _release_dates(register, state, cal, as_at)
    return sorted(found, key=lambda k: k["date"])


def planned_milestones(register, mod, cal, as_at: dt.date) -> list[dict[str, Any]]:
    """The milestones of a modification's plan not met by ``as_at`` and not closed (planned, or
    missed: their day passed with no event), each on its current plan's day."""
    return [
        {
            "date": p.current.date,
            "milestone": p.milestone,
            "status": p.status,
            "what": f"{KINDS[p.milestone].label} (planned)",
        }
        for p in milestone_plans(register, mod, as_at, cal)
        if p.status in ("planned", "missed")
    ]


def _release_dates(register, state, cal, as_at: dt.date) -> list[dict]:
    release = register.releases.get(state.release) if state.release else None
    if release is not None:
        day = planned_date(release, as_at)
        return [{"date": day, "what": release.name}] if day and day >= as_at else []
    found = implementation(register, state.decision, cal) if state.decision else None
    day = found.date if found else None
    return [{"date": day, "what": "Implementation"}] if day and day >= as_at else []


def index_rows(register, cal, as_at: dt.date) -> list[dict[str, Any]]:
    """The index: every modification existing on ``as_at``, by stage then id, with its next key date;
    ``order`` is its place in the register's id order (legacy SECMP records first), for sorting by id."""
    meetings = meetings_by_body(register)
    states = states_on(register, as_at)
    rows = []
    for order, row in enumerate(list_rows(register, as_at)):
        mod = register.modifications[row["file_id"]]
        upcoming = upcoming_dates(register, mod, states[mod.id], cal, as_at, meetings)
        release = register.releases.get(row["release"]) if row["release"] else None
        rows.append(
            {
                **row,
                "page": mod_page(mod.id),
                "stage_rank": STAGE_ORDER.index(row["stage"]),
                "order": order,
                "release_name": release.name if release else row["release"],
                "next": upcoming[0] if upcoming else None,
                "route": mod.route,
                "proposer": mod.proposer,
                "raised": mod.raised,
                "url": mod.url,
                "data": mod_data(mod.id),
                "feed": mod_feed(mod.id),
                "expected_decision": expected_decision(register, mod, as_at, cal),
                **page_fields(mod, as_at),
            }
        )
    rows.sort(key=lambda r: r["stage_rank"])  # stable: keeps the register's order within a stage
    return rows


def index_filters(rows: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The index's filters beyond stage and text: every impacted party and every affected document
    the rows name, each once, in alphabetical order."""

    def each(key: str) -> list[str]:
        return sorted({item for row in rows for item in row[key]}, key=lambda item: (item.casefold(), item))

    return {"parties": each("impacted_parties"), "documents": each("affected_documents")}


def banner(register, as_at: dt.date) -> list[dict[str, Any]]:
    counts = stage_counts(register, as_at)
    return [{"stage": s, "name": s.title(), "count": counts[s]} for s in STAGE_ORDER]


def modification(register, mod, cal, as_at: dt.date, histories, meetings) -> dict[str, Any]:
    """One modification's page: facts, timeline in words, assessments, release, Appendix A, and its
    change history from git (``RecordHistories``; None when the register is not in git)."""
    facts = describe(register, mod.id, as_at, cal)
    state = states_on(register, as_at)[mod.id]
    timeline = [
        {
            "date": e.when,
            "exact": e.exact,
            "words": event_words(e, release_names(register)),
            "kind": e.kind,
            "note": e.note,
            "source": e.source,
            "title": getattr(e, "title", None),
            "url": getattr(e, "url", None),
            "event": e,
        }
        for _, e in ordered_events(mod)
        if e.when <= as_at
    ]
    assessments = []
    for a in mod.assessments:
        known = a.accepted or a.requested
        if known is not None and known > as_at:
            continue
        item = assessment_row(mod, facts["id"], a, cal, as_at)
        item["over_target"] = item["duration_wd"] is not None and item["duration_wd"] > item["target_wd"]
        assessments.append(item)
    upcoming = upcoming_dates(register, mod, state, cal, as_at, meetings)
    return {
        "facts": facts,
        "file_id": mod.id,
        "summary": mod.summary,
        "source": mod.source,
        "feed": mod_feed(mod.id),
        "data": mod_data(mod.id),
        "timeline": timeline,
        "documents": [e for e in timeline if e["kind"] == "document"],
        "assessments": assessments,
        "release": _release_of(register, state, as_at),
        "appendix": dcc_rows(mod, folds(register)[mod.id], as_at),
        "upcoming": upcoming,
        "next": upcoming[0] if upcoming else None,
        "history": histories(register.source_of(mod).path) if histories else None,
    }


def _release_of(register, state, as_at: dt.date) -> dict[str, Any] | None:
    if state is None or not state.release or state.release not in register.releases:
        return None
    release = register.releases[state.release]
    return {
        "id": release.id,
        "name": release.name,
        "date": planned_date(release, as_at),
        "when_text": release.when_text,
        "page": release_page(release.id),
    }


def releases(register, as_at: dt.date) -> list[dict[str, Any]]:
    """Each release: its plans decided by ``as_at``, the moves between them, and what it holds."""
    members: dict[str, list] = {}
    for item in list_rows(register, as_at):
        if item["release"]:
            members.setdefault(item["release"], []).append({**item, "page": mod_page(item["file_id"])})
    out = []
    for release in sorted(register.releases.values(), key=lambda r: (r.standalone, r.id)):
        plans = plans_by(release, as_at)
        moves = [
            {"from": before.date, "to": after.date, "decided": after.decided, "note": after.note}
            for before, after in release_moves(release, as_at)
            if before
        ]
        out.append(
            {
                "id": release.id,
                "name": release.name,
                "standalone": release.standalone,
                "when_text": release.when_text,
                "date": planned_date(release, as_at),
                "plans": plans,
                "moves": moves,
                "members": members.get(release.id, []),
                "page": release_page(release.id),
                "source": release.source,
            }
        )
    return out


def archive(register, cal, as_at: dt.date) -> list[dict[str, Any]]:
    """Every month with a report record whose report is dated by ``as_at``, the latest first."""
    out = []
    for month in sorted(register.reports, reverse=True):
        day = report_date(register, *parse_month(month), cal)
        if day > as_at:
            continue
        year, number = (int(part) for part in month.split("-"))
        out.append(
            {
                "month": month,
                "label": f"{month_calendar.month_name[number]} {year}",
                "date": day,
                "html": f"reports/{month}.html",
                "pdf": f"reports/{month}.pdf",
            }
        )
    return out


def consultations(register, cal, as_at: dt.date) -> dict[str, Any]:
    """The consultations open on ``as_at``, the first to close first, with their working days left,
    and those closed since ``since`` (``consultations.recent_since``), the latest first."""
    states = states_on(register, as_at)

    def row(mod, event) -> dict[str, Any]:
        state = states[mod.id]
        return {
            "id": state.id if state else mod.id,
            "title": mod.title,
            "page": mod_page(mod.id),
            "what": KINDS[event.kind].label,
            "issued": event.when,
            "issued_exact": event.exact,
            "closes": event.closes,
        }

    since, months = recent_since(as_at), RECENT_MONTHS
    return {
        "open": [{**row(mod, e), "wd_left": working_days_left(e, as_at, cal)} for mod, e in open_on(register, as_at)],
        "closed": [row(mod, e) for mod, e in recently_closed(register, as_at)],
        "since": since,
        "months": months,
    }


def key_dates(register, cal, as_at: dt.date) -> list[dict[str, Any]]:
    """The calendar: meetings, consultation closings, assessment targets, the milestones planned and
    not met (each on its current plan's day, its uid the same through re-plans) and release dates
    known on ``as_at``."""
    out = [
        {
            "date": m.date,
            "summary": f"{BODY_NAMES[m.body]} meeting" + (f" {m.number}" if m.number else ""),
            "uid": f"meeting-{m.body}-{m.date}",
            "page": None,
        }
        for m in register.meetings
    ]
    states = states_on(register, as_at)
    for mod in register.modifications.values():
        state = states[mod.id]
        if state is None:
            continue
        for _, event in ordered_events(mod):
            closes = getattr(event, "closes", None)
            if closes and event.when <= as_at:
                out.append(
                    {
                        "date": closes,
                        "summary": f"{state.id}: {KINDS[event.kind].label} closes",
                        "uid": f"{mod.id}-{event.kind}-{event.when}-closes",
                        "page": mod_page(mod.id),
                    }
                )
        for n, a in enumerate(mod.assessments):
            due = target(a, cal)[0]
            if a.accepted and a.accepted <= as_at and due:
                out.append(
                    {
                        "date": due,
                        "summary": f"{state.id}: DCC {a.type} target delivery",
                        "uid": f"{mod.id}-assessment-{n}-target",
                        "page": mod_page(mod.id),
                    }
                )
        for p in planned_milestones(register, mod, cal, as_at):  # one event a milestone: a re-plan moves it
            missed = ", missed" if p["status"] == "missed" else ""
            out.append(
                {
                    "date": p["date"],
                    "summary": f"{state.id}: {p['what']}{missed}",
                    "uid": f"{mod.id}-plan-{p['milestone']}",
                    "page": mod_page(mod.id),
                }
            )
    for release in register.releases.values():
        day = planned_date(release, as_at)
        if day:
            out.append(
                {"date": day, "summary": release.name, "uid": f"release-{release.id}", "page": release_page(release.id)}
            )
    return sorted(out, key=lambda k: (k["date"], k["uid"]))


def release_names(register) -> dict[str, str]:
    """Each release's name by its id: how an event names the release it is for."""
    return {release.id: release.name for release in register.releases.values()}


def news(register, mod, as_at: dt.date, kinds: Collection[str] | None = None) -> list[dict[str, Any]]:
    """One modification's news for a feed, oldest first: a new Draft Proposal, each event of
    ``kinds`` (every kind when None) dated by ``as_at``, titled in the register's words
    (``events.event_words``) with a summary, and each re-plan of its progression plan on the day
    decided. A fact the register knows only as ``on_or_before`` a day is not news: no one can say
    when it happened, so it is on the modification's page only.
    An entry's ``uid`` is its modification's file id, kind, day and place among the same kind's
    events of that day: it stays the same when other events are recorded around it."""
    state = states_on(register, as_at)[mod.id]
    if state is None:
        return []
    names, page = release_names(register), mod_page(mod.id)
    seen: dict[str, int] = {}
    out = []
    if mod.is_draft and mod.raised:
        out.append(
            {
                "date": mod.raised,
                "title": f"New Draft Proposal {mod.id}: {mod.title}",
                "summary": f"{mod.id} {mod.title}: a new Draft Proposal, raised {long_date(mod.raised)}.",
                "uid": f"{mod.id}-raised",
                "page": page,
            }
        )
    for _, event in ordered_events(mod):
        if event.date is None or event.date > as_at or (kinds is not None and event.kind not in kinds):
            continue
        words = event_words(event, names)
        then = state_on(register, mod, event.date)
        after = f" It then stood in {then.stage.title()}: {then.status}." if then else ""
        note = f" {event.note}" if event.note and event.note not in words else ""
        key = f"{mod.id}-event-{event.kind}-{event.date}"
        seen[key] = seen.get(key, -1) + 1
        item = {
            "date": event.date,
            "title": f"{state.id}: {words}",
            "summary": f"{state.id} {mod.title}: {words}.{note}{after}",
            "uid": f"{key}-{seen[key]}",
            "page": page,
        }
        if event.kind == "document":  # the entry is the document: titled by its title, linking to it
            item.update(title=f"{state.id}: ‘{event.title}’ published", related=event.url)
        out.append(item)
    for before, after in replans(mod, as_at):
        moved = f"{KINDS[after.milestone].label} re-planned from {long_date(before.date)} to {long_date(after.date)}"
        why = f" ({after.note})" if after.note else ""
        out.append(
            {
                "date": after.decided,
                "title": f"{state.id}: {moved}",
                "summary": f"{state.id} {mod.title}: {moved}, decided on {long_date(after.decided)}{why}.",
                "uid": f"{mod.id}-plan-{after.milestone}-{after.decided}-{after.date}",
                "page": page,
            }
        )
    return sorted(out, key=lambda item: item["date"])  # stable: events in date order, a re-plan after that day's events


def changes(register, as_at: dt.date) -> list[dict[str, Any]]:
    """The register's changes for the site's feed, newest first: new Draft Proposals, decisions,
    documents, the kinds in ``FEED_KINDS`` and re-plans (``news``), and release moves, each with its
    day, words and page."""
    kinds = set(DECISION_KINDS) | {"csc-decision", "document"} | set(FEED_KINDS)
    out = [item for mod in register.modifications.values() for item in news(register, mod, as_at, kinds)]
    for release in register.releases.values():
        for before, after in release_moves(release, as_at):
            if before is None or after.decided is None:  # (a move is decided: release_moves gives no other)
                continue
            moved = f"{release.name} moved from {long_date(before.date)} to {long_date(after.date)}"
            out.append(
                {
                    "date": after.decided,
                    "title": moved,
                    "summary": f"{moved}, decided on {long_date(after.decided)}"
                    + (f" ({after.note})." if after.note else "."),
                    "uid": f"release-{release.id}-moved-{after.decided}-{after.date}",
                    "page": release_page(release.id),
                }
            )
    return sorted(out, key=lambda c: (c["date"], c["uid"]), reverse=True)


def assessment_rows(register, cal, as_at: dt.date) -> list[dict[str, Any]]:
    """Every DCC assessment accepted by ``as_at`` with its duration, by acceptance day."""
    out = []
    for mod, state, a in each_assessment(register, as_at):
        if a.accepted and a.accepted <= as_at and a.status != "not-progressed":
            item = assessment_row(mod, state.id, a, cal, as_at)
            item["page"] = mod_page(mod.id)
            item["open"] = item["delivered"] is None
            out.append(item)
    return sorted(out, key=lambda r: (r["accepted"], r["id"], r["assessment"]))


def flow_points(register, as_at: dt.date) -> list[dict[str, Any]]:
    """Stage counts at each month end from the register's first dated month, and on ``as_at`` (at
    most the register's horizon: the chart ends where its facts end). A modification whose stage
    on a day rests on a fact known only by a bound (``query.stage_not_known``) is counted in no
    stage that day but as ``unknown``: the chart does not guess it into one."""
    first = first_data_day(register)
    if first is None or first > as_at:
        return []
    points = []
    year, month = first.year, first.month
    while True:
        end = dt.date(year, month, month_calendar.monthrange(year, month)[1])
        if end >= as_at:
            break
        points.append({"date": end, "label": f"{end:%b %Y}", "counts": _known_counts(register, end)})
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    points.append({"date": as_at, "label": long_date(as_at), "counts": _known_counts(register, as_at)})
    return points


def _known_counts(register, day: dt.date) -> dict[str, int]:
    """How many modifications are known to be in each stage on ``day``, and how many in a stage not known."""
    counts = dict(stage_counts(register, day))
    unknown = stage_not_known(register, day)
    states = states_on(register, day)
    for file_id in unknown:
        state = states[file_id]
        assert state is not None, "a modification whose stage is not known is one raised by the day"
        counts[state.stage] -= 1
    counts["unknown"] = len(unknown)
    counts.pop("open", None)
    return counts


def milestone_plans(register, mod, day: dt.date, cal) -> list:
    """The modification's planned milestones on ``day``, each against its baseline, their figures
    counted to the register's horizon (``plans.milestone_plans``)."""
    return plans_of(mod, folds(register)[mod.id], day, within_horizon(register, day, cal), cal)


def expected_decision(register, mod, day: dt.date, cal) -> dt.date | None:
    """The Authority's decision on ``mod`` as planned on ``day``, while not made (``plans.expected_decision``)."""
    if not mod.plan:
        return None
    found = expected(milestone_plans(register, mod, day, cal))
    return found.current.date if found else None


def replans(mod, day: dt.date) -> list:
    """Each re-plan of the modification's milestones decided by ``day``: (the plan it replaced, the re-plan)."""
    found = []
    for milestone in PLANNABLE:
        plans = known_plans(mod, milestone, day)
        found += list(pairwise(plans))
    return found


class RecordHistories:
    """Each record's commits, newest first, in the register's words (``gitlog.Histories``: one walk
    of the history for the whole site, its files read through one git process); close it after."""

    def __init__(self, data_root: Path, repo: Path, register=None):
        self.blobs = Blobs(repo)
        self.histories = Histories(data_root, self.blobs, register)

    def __call__(self, path: Path) -> list[dict[str, Any]] | None:
        """The record's commits; None when git cannot say."""
        try:
            commits = self.histories(path)
        except GitError:
            return None
        return [
            {"commit": c.sha, "date": c.date, "author": c.author, "subject": c.subject, "summary": c.change.summary()}
            for c in commits
        ]

    def close(self) -> None:
        self.blobs.close()


def record_histories(data_root: Path, register=None) -> RecordHistories | None:
    """The site's reader of record histories (the ``register``'s records standing for their files'
    versions as loaded); None when the data folder is not in a git repository."""
    try:
        return RecordHistories(data_root, repo_root(data_root), register)
    except GitError:
        return None
