"""The month's Change Status Report as plain data, computed from the register.

Reporting-period rule: the report for a month is dated on the month's report record's date, or
else its second working day; its statistics and stage banner are as at the last day of the
previous month (the cut-off); its "since the last report" lists cover events after the previous
month's report date up to and including this report's date. The templates turn this data into
HTML, PDF and Markdown; nothing here knows about markup.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from .appendix import dcc_row
from .assessments import assessment_timescales, modification_timescales, sec_year_label
from .load import Register
from .events import EventBase
from .model import Assessment, Modification
from .query import sort_key, stage_counts
from .timeline import histories, planned_date, states_on
from .workdays import Calendar

CLASSIFICATION = "White"
CLASSIFICATION_TEXT = ("This document is classified as White in accordance with the Panel Information Policy. "
                       "Information can be shared with the public, and any members may publish the information, "
                       "subject to copyright.")


class ReportError(ValueError):
    """The report cannot be made for this month (before the register's data, bad month)."""


@dataclass(frozen=True)
class Period:
    """The report's dates: its own date, the statistics cut-off and the news window."""

    month: str
    date: dt.date
    cut_off: dt.date
    since: dt.date  # exclusive: the previous report's date

    def covers(self, event: EventBase) -> bool:
        """An event is news when it falls after the previous report and up to this one.

        An undated fact counts only when its whole window [on_or_after, on_or_before] is inside.
        """
        if event.exact:
            return self.since < event.date <= self.date
        return (event.on_or_after is not None and event.on_or_after > self.since
                and event.on_or_before <= self.date)


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
    year, number = parse_month(month)
    first = dt.date(year, number, 1)
    prev_year, prev_month = (year, number - 1) if number > 1 else (year - 1, 12)
    return Period(
        month=month,
        date=date or report_date(register, year, number, cal),
        cut_off=first - dt.timedelta(days=1),
        since=report_date(register, prev_year, prev_month, cal),
    )


def first_data_day(register: Register) -> dt.date | None:
    """The earliest dated fact in the register."""
    days = [e.when for m in register.modifications.values() for e in m.events]
    days += [m.raised for m in register.modifications.values() if m.raised]
    return min(days) if days else None


def build(register: Register, month: str, cal: Calendar, date: dt.date | None = None) -> dict[str, Any]:
    """Everything the templates print for the month, as plain data."""
    year, number = parse_month(month)
    first = first_data_day(register)
    month_end = dt.date(year, number, month_calendar.monthrange(year, number)[1])
    if first is None or month_end < first:
        raise ReportError(f"no report for {month}: the register's first dated fact is {first}")
    period = period_for(register, month, cal, date)
    mods = sorted(register.modifications.values(), key=sort_key)
    counts = stage_counts(register, period.cut_off)
    news = [(m, e) for m in mods for e in m.events if period.covers(e)]
    return {
        "cover": cover(register, period),
        "period": {"date": period.date, "cut_off": period.cut_off, "since": period.since,
                   "sec_year": sec_year_label(period.cut_off)},
        "stages": [{"name": name.title(), "count": counts[name.lower()]}
                   for name in ("Define", "Refine", "Opine", "Release")],
        "open_count": counts["open"],
        "summary": {
            "for_conversion": [_mod(register, m, period.date) for m in mods if _ready_for_conversion(register, m, period.date)],
            "reports_to_panel": [_mod(register, m, period.date) for m, e in _reports_to_panel(mods, period)],
        },
        "define": {
            "new_drafts": [{**_mod(register, m, period.date), "raised": m.raised, "proposer": m.proposer,
                            "summary": m.summary}
                           for m in mods if m.is_draft and m.raised and period.since < m.raised <= period.date],
            "csc_decisions": _group([(e.outcome, _mod(register, m, period.date)) for m, e in news
                                     if e.kind == "csc-decision"]),
        },
        "refine": {
            "working_groups": _working_groups(register, mods, period),
            "next_working_group": _next_meeting(register, "working-group", period.date),
            "refinement_consultations": _consultations(register, mods, period, "refinement-consultation"),
            "assessments": assessment_timescales(register, period.cut_off, cal),
        },
        "opine": {
            "report_consultations": _consultations(register, mods, period, "report-consultation"),
            "change_board": _decisions(register, news, "change-board-vote", cal),
            "authority": _decisions(register, news, "authority-decision", cal),
            "other_decisions": _decisions(register, news, "panel-decision", cal)
                               + _decisions(register, news, "decision", cal),
            "progression": modification_timescales(register, period.cut_off, cal),
        },
        "release": {
            "designations": [v for v in _versions(register) if v["designation"] and _in(period, v["effective"])],
            "implemented": _implemented(register, news),
            "releases": _releases(register, mods, period.date, cal),
        },
        "appendix": appendix(register, mods, period.date, cal),
    }


def cover(register: Register, period: Period) -> dict[str, Any]:
    record = register.reports.get(period.month)
    year, number = parse_month(period.month)
    panel = None
    if record is not None and record.panel is not None:
        panel = next((m for m in register.meetings if m.body == "panel" and m.date == record.panel), None)
    reference = None
    if panel is not None and panel.number is not None and record is not None and record.paper is not None:
        reference = f"SECP_{panel.number}_{panel.date:%d%m}_{record.paper:02d}"
    return {
        "title": f"Change Status Report – {month_calendar.month_name[number]} {year}",
        "month_name": f"{month_calendar.month_name[number]} {year}",
        "author": record.author if record else None,
        "team": record.team if record else "SECAS Team",
        "date": period.date,
        "reference": reference,
        "classification": CLASSIFICATION,
        "classification_text": CLASSIFICATION_TEXT,
    }


def _mod(register: Register, mod: Modification, day: dt.date) -> dict[str, Any]:
    state = states_on(register, day)[mod.id]
    return {"id": state.id if state else mod.id, "title": mod.title, "url": mod.url,
            "number": mod.id.removeprefix("SECMP") if mod.id.startswith("SECMP") else (state.id if state else mod.id)}


def _in(period: Period, day: dt.date) -> bool:
    return period.since < day <= period.date


def _ready_for_conversion(register: Register, mod: Modification, day: dt.date) -> bool:
    state = states_on(register, day)[mod.id]
    return state is not None and state.stage == "define" and state.status == "Ready for conversion"


def _reports_to_panel(mods: list[Modification], period: Period):
    year, number = parse_month(period.month)
    return [(m, e) for m in mods for e in m.events
            if e.kind == "report-to-panel" and e.exact and (e.date.year, e.date.month) == (year, number)]


def _group(pairs: list[tuple[str, dict]]) -> list[dict[str, Any]]:
    groups: dict[str, list] = {}
    for key, item in pairs:
        groups.setdefault(key, []).append(item)
    return [{"outcome": key, "entries": items} for key, items in groups.items()]


def _working_groups(register: Register, mods: list[Modification], period: Period) -> list[dict[str, Any]]:
    meetings = sorted(m.date for m in register.meetings if m.body == "working-group" and _in(period, m.date))
    agendas: dict[dt.date, list] = {day: [] for day in meetings}
    for mod in mods:
        for day in sorted({e.date for e in mod.events if e.kind == "working-group" and e.date in agendas}):
            agendas[day].append(_mod(register, mod, period.date))
    return [{"date": day, "entries": agendas[day]} for day in meetings]


def _next_meeting(register: Register, body: str, day: dt.date) -> dt.date | None:
    later = [m.date for m in register.meetings if m.body == body and m.date > day]
    return min(later) if later else None


def _consultations(register: Register, mods: list[Modification], period: Period, kind: str) -> list[dict]:
    """Consultations open on the report date: issued by then, closing on or after it."""
    out = []
    for mod in mods:
        for e in mod.events:
            if e.kind == kind and e.when <= period.date and (e.closes or e.when) >= period.date:
                out.append({**_mod(register, mod, period.date), "issued": e.when, "closes": e.closes})
    return out


def _decisions(register: Register, news, kind: str, cal: Calendar) -> list[dict[str, Any]]:
    """Decisions of one kind in the period, grouped by day, with how each is to be implemented."""
    rows = []
    for mod, e in news:
        if e.kind != kind:
            continue
        item = {**_mod(register, mod, e.when), "outcome": e.outcome, "date": e.when,
                "self_governance": mod.route == "self-governance",
                "implementation": _implementation(register, e, cal)}
        rows.append(item)
    days: dict[dt.date, list] = {}
    for item in rows:
        days.setdefault(item["date"], []).append(item)
    return [{"date": day, "entries": items} for day, items in sorted(days.items())]


def _implementation(register: Register, decision, cal: Calendar) -> dict[str, Any] | None:
    """When an approval is to take effect: a release's date as it stood, or N WD after the decision."""
    if decision.outcome != "approved":
        return None
    if decision.working_days_after_decision:
        n = decision.working_days_after_decision
        return {"date": cal.add(decision.when, n), "rule": f"{n} Working Days following approval", "release": None}
    if decision.release and decision.release in register.releases:
        release = register.releases[decision.release]
        return {"date": planned_date(release, decision.when), "rule": release.when_text,
                "release": release.name}
    return None


def _versions(register: Register) -> list[dict[str, Any]]:
    return [{"version": v.version, "effective": v.effective, "designation": v.designation,
             "modification": v.modification, "url": v.url}
            for v in sorted(register.sec_versions.values(), key=lambda v: v.effective)]


def _implemented(register: Register, news) -> list[dict[str, Any]]:
    versions = {v.modification: v for v in register.sec_versions.values() if v.modification}
    out = []
    for mod, e in news:
        if e.kind == "implemented":
            version = versions.get(mod.id)
            out.append({**_mod(register, mod, e.when), "date": e.when,
                        "version": version.version if version else None,
                        "version_url": version.url if version else None})
    return sorted(out, key=lambda r: r["date"])


def _releases(register: Register, mods: list[Modification], day: dt.date, cal: Calendar) -> list[dict[str, Any]]:
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
        out.append({"id": release_id, "name": release.name, "standalone": release.standalone,
                    "date": planned_date(release, day), "when_text": release.when_text, "entries": items})
    return sorted(out, key=lambda r: (r["standalone"], r["date"] or dt.date.max))


ROW_CLASSES = {"pa in progress": "pa", "ia in progress": "ia"}


def appendix(register: Register, mods: list[Modification], day: dt.date, cal: Calendar) -> dict[str, list]:
    """Appendix A: each modification under its DCC status on ``day`` (``appendix.dcc_row``), in the paper's four tables."""
    tables: dict[str, list] = {"assessment": [], "implementation": [], "no-assessment-requested": [],
                               "no-further-assessment": []}
    for mod in mods:
        dcc = dcc_row(mod, histories(register)[mod.id], day)
        if dcc is None:
            continue
        row = {**_mod(register, mod, day), "status": dcc.status, "note": dcc.note, "added": dcc.added,
               "derived_from": dcc.derived_from, "row_class": ROW_CLASSES.get(dcc.status.lower(), "none")}
        if dcc.group == "assessment":
            row["pa"] = _latest_of(mod.assessments, "PA", day)
            row["ia"] = _latest_of(mod.assessments, "IA", day)
        tables[dcc.group].append(row)
    return tables


def _latest_of(assessments: list[Assessment], kind: str, day: dt.date) -> dict[str, Any] | None:
    """The most recent assessment of a kind, with only the dates known on ``day``."""
    chosen = [a for a in assessments if a.type == kind and (a.accepted is None or a.accepted <= day)]
    if not chosen:
        return None
    a = chosen[-1]
    return {"accepted": a.accepted, "target": a.target,
            "delivered": a.delivered if a.delivered and a.delivered <= day else None}

