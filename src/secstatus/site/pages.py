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
  milestone of its progression plan not yet met (``plans``), and, once approved, its release's planned date or its implementation date;
- the feed's changes are new Draft Proposals, conversions, decisions, implementations,
  withdrawals, documents published, re-plans of a progression plan's milestones (on the day
  decided) and release moves, dated up to the as-at day, newest first; a document's entry names
  the document's own address (``related``), where the feed links it.
Nothing here knows about markup; the templates under ``templates/site/`` draw it.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from typing import Any

from . import sources as src
from ..domain.events import long_date

STAGE_ORDER = src.STAGES
BODY_FOR_STAGE = {"define": "change-sub-committee", "refine": "working-group", "opine": "change-board"}
BODY_NAMES = {"change-sub-committee": "Change Sub-Committee", "working-group": "Working Group",
              "change-board": "Change Board", "panel": "SEC Panel"}
FEED_KINDS = ("converted", "withdrawn", "implemented")



def mod_page(file_id: str) -> str:
    return f"modifications/{file_id}.html"


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
    for event in src.ordered_events(mod):
        if event.kind == "report-to-panel" and event.exact and event.date >= as_at:
            found.append({"date": event.date, "what": "Modification Report to the SEC Panel"})
        closes = getattr(event, "closes", None)
        if closes and event.when <= as_at <= closes:
            found.append({"date": closes, "what": f"{src.kind_label(event.kind)} closes"})
    for a in mod.assessments:
        due = src.assessment_target(a, cal)
        if due and due >= as_at and src.assessment_outstanding(a, state.stage, as_at) and a.status == "in-progress":
            found.append({"date": due, "what": f"DCC {a.type} target delivery"})
    if mod.plan:
        found += [{"date": p.current.date, "what": f"{src.kind_label(p.milestone)} (planned)"}
                  for p in src.milestone_plans(register, mod, as_at, cal)
                  if p.status == "planned" and p.current.date >= as_at]
    if state.stage == "release":
        found += _release_dates(register, state, cal, as_at)
    return sorted(found, key=lambda k: k["date"])


def _release_dates(register, state, cal, as_at: dt.date) -> list[dict]:
    release = register.releases.get(state.release) if state.release else None
    if release is not None:
        day = src.release_date(release, as_at)
        return [{"date": day, "what": release.name}] if day and day >= as_at else []
    day = src.implementation_date(register, state.decision, cal) if state.decision else None
    return [{"date": day, "what": "Implementation"}] if day and day >= as_at else []


def index_rows(register, cal, as_at: dt.date) -> list[dict[str, Any]]:
    """The index: every modification existing on ``as_at``, by stage then id, with its next key date;
    ``order`` is its place in the register's id order (legacy SECMP records first), for sorting by id."""
    meetings = meetings_by_body(register)
    states = src.register_states(register, as_at)
    rows = []
    for order, row in enumerate(src.list_rows(register, as_at)):
        mod = register.modifications[row["file_id"]]
        upcoming = upcoming_dates(register, mod, states[mod.id], cal, as_at, meetings)
        release = register.releases.get(row["release"]) if row["release"] else None
        rows.append({**row, "page": mod_page(mod.id), "stage_rank": STAGE_ORDER.index(row["stage"]), "order": order,
                     "release_name": release.name if release else row["release"],
                     "next": upcoming[0] if upcoming else None})
    rows.sort(key=lambda r: r["stage_rank"])  # stable: keeps the register's order within a stage
    return rows


def banner(register, as_at: dt.date) -> list[dict[str, Any]]:
    counts = src.stage_counts(register, as_at)
    return [{"stage": s, "name": s.title(), "count": counts[s]} for s in STAGE_ORDER]


def modification(register, mod, cal, as_at: dt.date, histories, meetings) -> dict[str, Any]:
    """One modification's page: facts, timeline in words, assessments, release, Appendix A, and its
    change history from git (``site_sources.RecordHistories``; None when the register is not in git)."""
    facts = src.describe(register, mod.id, as_at, cal)
    state = src.register_states(register, as_at)[mod.id]
    timeline = [{"date": e.when, "exact": e.exact, "words": src.event_words(e), "kind": e.kind,
                 "note": e.note, "source": e.source, "title": getattr(e, "title", None), "url": getattr(e, "url", None)}
                for e in src.ordered_events(mod) if e.when <= as_at]
    assessments = []
    for a in mod.assessments:
        known = a.accepted or a.requested
        if known is not None and known > as_at:
            continue
        item = src.assessment_row(mod, facts["id"], a, cal, as_at)
        item["over_target"] = item["duration_wd"] is not None and item["duration_wd"] > item["target_wd"]
        assessments.append(item)
    upcoming = upcoming_dates(register, mod, state, cal, as_at, meetings)
    return {"facts": facts, "file_id": mod.id, "summary": mod.summary, "source": mod.source,
            "timeline": timeline, "documents": [e for e in timeline if e["kind"] == "document"], "assessments": assessments, "release": _release_of(register, state, as_at),
            "appendix": src.dcc_rows(register, mod, as_at), "upcoming": upcoming,
            "next": upcoming[0] if upcoming else None,
            "history": histories(register.source_of(mod).path) if histories else None}


def _release_of(register, state, as_at: dt.date) -> dict[str, Any] | None:
    if state is None or not state.release or state.release not in register.releases:
        return None
    release = register.releases[state.release]
    return {"id": release.id, "name": release.name, "date": src.release_date(release, as_at),
            "when_text": release.when_text, "page": release_page(release.id)}


def releases(register, as_at: dt.date) -> list[dict[str, Any]]:
    """Each release: its plans decided by ``as_at``, the moves between them, and what it holds."""
    members: dict[str, list] = {}
    for row in src.list_rows(register, as_at):
        if row["release"]:
            members.setdefault(row["release"], []).append({**row, "page": mod_page(row["file_id"])})
    out = []
    for release in sorted(register.releases.values(), key=lambda r: (r.standalone, r.id)):
        plans = src.plans_by(release, as_at)
        moves = [{"from": before.date, "to": after.date, "decided": after.decided, "note": after.note}
                 for before, after in src.release_moves(release, as_at) if before]
        out.append({"id": release.id, "name": release.name, "standalone": release.standalone,
                    "when_text": release.when_text, "date": src.release_date(release, as_at),
                    "plans": plans, "moves": moves, "members": members.get(release.id, []),
                    "page": release_page(release.id), "source": release.source})
    return out


def archive(register, cal, as_at: dt.date) -> list[dict[str, Any]]:
    """Every month with a report record whose report is dated by ``as_at``, the latest first."""
    out = []
    for month in sorted(register.reports, reverse=True):
        day = src.report_date(register, month, cal)
        if day > as_at:
            continue
        year, number = (int(part) for part in month.split("-"))
        out.append({"month": month, "label": f"{month_calendar.month_name[number]} {year}", "date": day,
                    "html": f"reports/{month}.html", "pdf": f"reports/{month}.pdf"})
    return out


def key_dates(register, cal, as_at: dt.date) -> list[dict[str, Any]]:
    """The calendar: meetings, consultation closings, assessment targets and release dates known on ``as_at``."""
    out = [{"date": m.date, "summary": f"{BODY_NAMES[m.body]} meeting" + (f" {m.number}" if m.number else ""),
            "uid": f"meeting-{m.body}-{m.date}", "page": None} for m in register.meetings]
    states = src.register_states(register, as_at)
    for mod in register.modifications.values():
        state = states[mod.id]
        if state is None:
            continue
        for event in src.ordered_events(mod):
            closes = getattr(event, "closes", None)
            if closes and event.when <= as_at:
                out.append({"date": closes, "summary": f"{state.id}: {src.kind_label(event.kind)} closes",
                            "uid": f"{mod.id}-{event.kind}-{event.when}-closes", "page": mod_page(mod.id)})
        for n, a in enumerate(mod.assessments):
            due = src.assessment_target(a, cal)
            if a.accepted and a.accepted <= as_at and due:
                out.append({"date": due, "summary": f"{state.id}: DCC {a.type} target delivery",
                            "uid": f"{mod.id}-assessment-{n}-target", "page": mod_page(mod.id)})
    for release in register.releases.values():
        day = src.release_date(release, as_at)
        if day:
            out.append({"date": day, "summary": release.name, "uid": f"release-{release.id}",
                        "page": release_page(release.id)})
    return sorted(out, key=lambda k: (k["date"], k["uid"]))


def changes(register, as_at: dt.date) -> list[dict[str, Any]]:
    """The register's changes for the feed, newest first: each with its day, words and page."""
    decisions = set(src.decision_kinds()) | {"csc-decision"}
    states = src.register_states(register, as_at)
    out = []
    for mod in register.modifications.values():
        state = states[mod.id]
        if state is None:
            continue
        if mod.is_draft and mod.raised:
            out.append({"date": mod.raised, "title": f"New Draft Proposal {mod.id}: {mod.title}",
                        "uid": f"{mod.id}-raised", "page": mod_page(mod.id)})
        for n, event in enumerate(mod.events):
            if event.when > as_at:
                continue
            uid = f"{mod.id}-event-{event.kind}-{event.when}-{n}"
            if event.kind == "document":
                out.append({"date": event.when, "title": f"{state.id}: ‘{event.title}’ published", "uid": uid,
                            "page": mod_page(mod.id), "related": event.url})
            elif event.kind in decisions or event.kind in FEED_KINDS:
                out.append({"date": event.when, "title": f"{state.id}: {src.event_words(event)}", "uid": uid,
                            "page": mod_page(mod.id)})
        for before, after in src.replans(mod, as_at):
            out.append({"date": after.decided, "title": f"{state.id}: {src.kind_label(after.milestone)} re-planned "
                                                        f"from {long_date(before.date)} to {long_date(after.date)}",
                        "uid": f"{mod.id}-plan-{after.milestone}-{after.decided}-{after.date}", "page": mod_page(mod.id)})
    for release in register.releases.values():
        for before, after in src.release_moves(release, as_at):
            if before is None:
                continue
            out.append({"date": after.decided, "title": f"{release.name} moved from {long_date(before.date)} "
                                                        f"to {long_date(after.date)}",
                        "uid": f"release-{release.id}-moved-{after.decided}-{after.date}",
                        "page": release_page(release.id)})
    return sorted(out, key=lambda c: (c["date"], c["uid"]), reverse=True)


def assessment_rows(register, cal, as_at: dt.date) -> list[dict[str, Any]]:
    """Every DCC assessment accepted by ``as_at`` with its duration, by acceptance day."""
    out = []
    for mod, display_id, a in src.assessments(register, as_at):
        if a.accepted and a.accepted <= as_at and a.status != "not-progressed":
            item = src.assessment_row(mod, display_id, a, cal, as_at)
            item["page"] = mod_page(mod.id)
            item["open"] = item["delivered"] is None
            out.append(item)
    return sorted(out, key=lambda r: (r["accepted"], r["id"], r["assessment"]))


def flow_points(register, as_at: dt.date) -> list[dict[str, Any]]:
    """Stage counts at each month end from the register's first dated month, and on ``as_at``."""
    first = src.first_data_day(register)
    if first is None or first > as_at:
        return []
    points = []
    year, month = first.year, first.month
    while True:
        end = dt.date(year, month, month_calendar.monthrange(year, month)[1])
        if end >= as_at:
            break
        points.append({"date": end, "label": f"{end:%b %Y}", "counts": src.stage_counts(register, end)})
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    points.append({"date": as_at, "label": long_date(as_at), "counts": src.stage_counts(register, as_at)})
    return points
