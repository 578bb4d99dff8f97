"""Every event of a report's period is in that report, and in no other (the period rule, as a property).

Events of every kind (``events.KINDS``: a new kind must say here what has to come before it) fall
on random days from May to September 2019, each on a modification of its own with a title of its
own. Each must be printed, in HTML and in Markdown, in the section its kind declares
(``Kind.report``) of exactly the report whose period holds it: after the previous report's date
and up to its own (``Kind.window`` since the last report), or within its month (the report's
month), whether or not the event (a consultation) is still open on the report's date.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from itertools import pairwise
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secstatus.domain.events import KINDS, REPORT_MONTH
from secstatus.domain.workdays import default_calendar
from secstatus.output.render import render_text, template_dirs
from secstatus.register.checks import validate
from secstatus.report.build import build

# Each month's report date, the second working day (written out here, not computed by the code
# under test): a report holds the news after the previous one's date, up to its own.
REPORT_DATES = {
    "2019-05": dt.date(2019, 5, 2),
    "2019-06": dt.date(2019, 6, 4),
    "2019-07": dt.date(2019, 7, 2),
    "2019-08": dt.date(2019, 8, 2),
    "2019-09": dt.date(2019, 9, 3),
}
FIRST_NEWS, LAST_NEWS = dt.date(2019, 5, 3), dt.date(2019, 9, 3)
BEFORE = dt.date(2019, 1, 15)  # what must come first happens here, before every report rendered

# For each kind: the record it happens to (a Draft Proposal or a legacy SECMP, under a route), what
# must come before it (on BEFORE), and its own fields. A kind missing here fails the test.
SETUP: dict[str, tuple[str, str | None, list[dict], dict]] = {
    "converted": ("DP", None, [], {}),
    "csc-decision": ("DP", None, [], {"outcome": "further-development"}),
    "initial-report": ("SECMP", None, [], {}),
    "working-group": ("SECMP", None, [], {}),
    "refinement-consultation": ("SECMP", None, [], {}),
    "report-to-panel": ("SECMP", None, [], {}),
    "report-approved": ("SECMP", None, [], {}),
    "report-consultation": ("SECMP", None, [{"kind": "report-approved"}], {}),
    "change-board-vote": ("SECMP", "self-governance", [{"kind": "report-approved"}], {"outcome": "approved"}),
    "authority-decision": ("SECMP", "authority", [{"kind": "report-approved"}], {"outcome": "rejected"}),
    "panel-decision": ("SECMP", "fast-track", [], {"outcome": "approved", "working_days_after_decision": 10}),
    "decision": ("SECMP", None, [], {"outcome": "rejected"}),
    "release-assigned": ("SECMP", None, [{"kind": "decision", "outcome": "approved"}], {"release": "2019-11"}),
    "implemented": ("SECMP", None, [{"kind": "decision", "outcome": "approved"}], {}),
    "withdrawn": ("SECMP", None, [], {}),
    "on-hold": ("SECMP", None, [], {}),
    "resumed": ("SECMP", None, [{"kind": "on-hold"}], {}),
    "dcc-status": ("SECMP", None, [], {"group": "assessment", "status": "PA in progress"}),
    "document": ("SECMP", None, [], {"title": "Working Group summary", "url": "https://example.org/wg.pdf"}),
}

# Where each section prints its events: the heading it stands under, in HTML and in Markdown (where
# the summary's parts are bold labels). Decisions stand under their deciding body's heading.
HEADINGS = {
    "summary.other_changes": "Other changes since the last report",
    "summary.reports_to_panel": "Modification Reports",
    "define.csc_decisions": "Change Sub-Committee decisions",
    "refine.working_groups": "Working Group meetings",
    "refine.refinement_consultations": "Refinement Consultations",
    "opine.report_consultations": "Modification Report Consultations",
    "release.implemented": "Implemented",
    "appendix.changes": "DCC statuses given since the last report",
    "summary.documents": "Documents published since the last report",
}
DECISION_HEADINGS = {"change-board-vote": "Change Board votes", "authority-decision": "Authority decisions"}
UNDATED = {"define.csc_decisions", "summary.reports_to_panel"}
"""Sections that name the modification without the event's day ("this month", "since the last report")."""


def heading_of(kind: str) -> str:
    section = KINDS[kind].report
    if section == "opine.decisions":
        return DECISION_HEADINGS.get(kind, "Other decisions")
    return HEADINGS[section]


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def expected_month(kind: str, day: dt.date) -> str | None:
    """The month whose report's period holds the event, by the rule written out again here."""
    if KINDS[kind].window == REPORT_MONTH:
        return f"{day:%Y-%m}"
    months = list(REPORT_DATES)
    for before, month in pairwise(months):
        if REPORT_DATES[before] < day <= REPORT_DATES[month]:
            return month
    return None


def blocks(text: str, fmt: str) -> dict[str, str]:
    """The text under each heading, up to the next heading, by heading (tags and links removed)."""
    if fmt == "html":
        parts = re.split(r"<h[1-6][^>]*>(.*?)</h[1-6]>", text, flags=re.S)
        clean = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", p)) for p in parts]
    else:
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("\\", "")
        parts = re.split(r"^(?:#+ (.*)|\*\*([^*]+?):\*\*)", text, flags=re.M)
        clean, i = [parts[0]], 1
        while i < len(parts):
            clean += [parts[i] or parts[i + 1], parts[i + 2]]
            i += 3
        clean = [re.sub(r"\s+", " ", p or "") for p in clean]
    return {clean[i].strip(): clean[i + 1] for i in range(1, len(clean) - 1, 2)}


def printed(block: str, kind: str, day: dt.date) -> bool:
    section = KINDS[kind].report
    return f"‘Case {kind}’" in block and (section in UNDATED or long_date(day) in block)


def write_register(root: Path, days: dict[str, tuple[dt.date, int]]) -> None:
    """One modification per kind, the meetings its event needs, and a release to name."""
    for folder in ("modifications", "meetings", "releases"):
        (root / folder).mkdir(parents=True)
    (root / "releases" / "2019-11.yaml").write_text(
        "id: 2019-11\nname: November 2019 SEC Release\nplanned:\n  - date: 2019-11-07\n"
    )
    meetings = set()
    for number, (name, (day, length)) in enumerate(sorted(days.items()), start=101):
        start, route, before, fields = SETUP[name]
        kind = KINDS[name]
        ident = f"DP{number}" if start == "DP" else f"SECMP0{number}"
        event = {"kind": name, "date": day, **fields}
        if "closes" in kind.model.model_fields:
            event["closes"] = day + dt.timedelta(days=length)
        if kind.meeting:
            meetings.add((kind.meeting, day))
        record = {"id": ident, "title": f"Case {name}", "events": [{"date": BEFORE, **b} for b in before] + [event]}
        if route:
            record["route"] = route
        (root / "modifications" / f"{ident}.yaml").write_text(yaml.safe_dump(record, sort_keys=False))
    for body, day in meetings:
        (root / "meetings" / f"{day}-{body}.yaml").write_text(f"body: {body}\ndate: {day}\n")


def news_day(name: str):
    if KINDS[name].window == REPORT_MONTH:
        return st.dates(dt.date(2019, 5, 1), dt.date(2019, 9, 30))
    return st.dates(FIRST_NEWS, LAST_NEWS)


EVENTS = st.fixed_dictionaries({name: st.tuples(news_day(name), st.integers(0, 60)) for name in KINDS})


def test_every_kind_is_set_up():
    assert set(SETUP) == set(KINDS)
    assert {heading_of(name) for name in KINDS}


# In the fast tier though it draws examples: a missed event is the worst kind of bug, and twelve
# examples take two seconds.
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EVENTS)
def test_each_event_is_printed_in_exactly_the_report_whose_period_holds_it(days):
    cal = default_calendar()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "data"
        write_register(root, days)
        register, diagnostics = validate(root, warnings=False)
        assert [d for d in diagnostics if d.severity == "error"] == []
        texts = {}
        for month in REPORT_DATES:
            context = build(register, month, cal)
            for fmt in ("html", "md"):
                texts[month, fmt] = blocks(render_text(context, fmt, template_dirs(None)), fmt)
    wrong = []
    for name, (day, _) in days.items():
        heading = heading_of(name)
        for fmt in ("html", "md"):
            shown_in = [month for month in REPORT_DATES if printed(texts[month, fmt].get(heading, ""), name, day)]
            want = [expected_month(name, day)]
            if shown_in != want:
                wrong.append(f"{name} on {day} ({fmt}): printed in {shown_in}, belongs to {want}")
    assert wrong == []
