"""A progression plan (issue 21 point 3): ``secstatus plan ID MILESTONE DATE [--decided DATE]``;
the first plan of a milestone is its baseline, each later one a re-plan kept with the day it was
decided; the event meets it, on time or late by N working days against the baseline; a planned
date that passed with no event is missed (``assess plans``, the site's page), and the month's
report prints what was re-planned, met late or missed in its period.

The scenario, on SECMP0062 (in Refine) of the shipped register with its horizon moved to
30 September 2019 (so that a day of the summer is one its facts reach):
- refinement-consultation: baseline 3 June 2019 (decided 10 April); issued 12 June: 7 WD late;
- change-board-vote: baseline 24 July 2019 (decided 10 April), re-planned on 20 May to 28 August
  (24 WD later: the late summer bank holiday on 26 August is not counted); no vote by 3 September,
  the September report's date: missed, 4 WD overdue, 28 WD after the baseline;
- authority-decision: baseline 15 October 2019, as first announced: the expected decision.
The working days were counted by hand on the calendar (and agree with ``secstatus wd``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from test_page_fields import page, text_of

PLANS = [
    ["refinement-consultation", "2019-06-03", "--decided", "2019-04-10", "--note", "timetable agreed"],
    ["change-board-vote", "2019-07-24", "--decided", "2019-04-10"],
    ["authority-decision", "2019-10-15"],
    ["change-board-vote", "2019-08-28", "--decided", "2019-05-20", "--note", "the IA is late"],
]


def reaching(data: Path, horizon: str = "2019-09-30") -> None:
    """The register's facts reach ``horizon``."""
    overrides = data / "calendar" / "overrides.yaml"
    overrides.write_text(overrides.read_text(encoding="utf-8") + f"horizon: {horizon}\n", encoding="utf-8")


@pytest.fixture
def planned(cli, data_copy: Path) -> Path:
    reaching(data_copy)
    for args in PLANS:
        result = cli("--data", str(data_copy), "plan", "SECMP0062", *args)
        assert result.exit_code == 0, result.stderr
    result = cli(
        "--data",
        str(data_copy),
        "record",
        "SECMP0062",
        "refinement-consultation",
        "--date",
        "2019-06-12",
        "--closes",
        "2019-07-10",
    )
    assert result.exit_code == 0, result.stderr
    return data_copy


def load(data: Path):
    from secstatus.register.checks import validate

    register, diagnostics = validate(data)
    assert [d for d in diagnostics if d.severity == "error"] == [], diagnostics
    return register


# --- the record and the edit ------------------------------------------------------------------------


def test_plan_writes_the_baseline_and_each_replan_in_the_order_decided(planned: Path):
    mod = load(planned).modifications["SECMP0062"]
    assert [(p.milestone, p.date.isoformat(), p.decided and p.decided.isoformat(), p.note) for p in mod.plan] == [
        ("refinement-consultation", "2019-06-03", "2019-04-10", "timetable agreed"),
        ("change-board-vote", "2019-07-24", "2019-04-10", None),
        ("authority-decision", "2019-10-15", None, None),
        ("change-board-vote", "2019-08-28", "2019-05-20", "the IA is late"),  # after every plan decided before it
    ]
    text = (planned / "modifications" / "SECMP0062.yaml").read_text(encoding="utf-8")
    assert text.index("\nevents:") < text.index("\nplan:") < text.index("\nassessments:")  # where the model says
    assert "plan:\n  - milestone: refinement-consultation\n    date: 2019-06-03\n    decided: 2019-04-10\n" in text


def test_a_replan_decided_between_two_goes_between_them(cli, planned: Path):
    result = cli(
        "--data", str(planned), "plan", "SECMP0062", "change-board-vote", "2019-08-07", "--decided", "2019-05-01"
    )
    assert result.exit_code == 0, result.stderr
    assert (
        "SECMP0062: change-board-vote re-planned from 2019-07-24 to 2019-08-07 (decided 2019-05-01; baseline "
        "2019-07-24)"
    ) in result.stderr
    votes = [
        p.date.isoformat() for p in load(planned).modifications["SECMP0062"].plan if p.milestone == "change-board-vote"
    ]
    assert votes == ["2019-07-24", "2019-08-07", "2019-08-28"]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["change-board-vote", "2019-09-25"],
            "SECMP0062: change-board-vote has its baseline (2019-07-24); a re-plan "
            "gives the day it was decided: --decided DATE",
        ),
        (
            ["change-board-vote", "2019-05-01", "--decided", "2019-06-01"],
            "a plan decided on 2019-06-01 cannot be for an earlier day (2019-05-01)",
        ),
        (
            ["change-board-vote", "2019-08-28", "--decided", "2019-06-01"],
            "SECMP0062: change-board-vote is already planned for 2019-08-28 as at 2019-06-01",
        ),
        (
            ["refinement-consultation", "2019-07-01", "--decided", "2019-06-20"],
            "SECMP0062: refinement-consultation was met on 2019-06-12, before 2019-06-20",
        ),
    ],
)
def test_a_plan_that_cannot_be_is_refused_and_nothing_is_written(cli, planned: Path, args, message):
    path = planned / "modifications" / "SECMP0062.yaml"
    before = path.read_bytes()
    result = cli("--data", str(planned), "plan", "SECMP0062", *args)
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert path.read_bytes() == before


def test_a_milestone_that_is_not_plannable_is_refused_as_a_choice(cli, data_copy: Path):
    result = cli("--data", str(data_copy), "plan", "SECMP0062", "dcc-status", "2019-07-24")
    assert result.exit_code == 2
    assert "'dcc-status' is not one of 'converted', 'initial-report', 'refinement-consultation'" in result.stderr
    path = data_copy / "modifications" / "SECMP0062.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "plan:\n  - milestone: working-group\n    date: 2019-07-24\n",
        encoding="utf-8",
    )
    result = cli("--data", str(data_copy), "validate")
    assert "plan[0].milestone: 'working-group' is not one of" in result.stdout and "[bad-choice]" in result.stdout


def test_the_plannable_kinds_are_declared_with_the_event_kinds():
    """Each step the process takes once; not a meeting that recurs, a status, a note or a document."""
    from secstatus.domain.events import KINDS, PLANNABLE
    from secstatus.domain.model import PlannedMilestone

    assert PLANNABLE == (
        "converted",
        "initial-report",
        "refinement-consultation",
        "report-to-panel",
        "report-approved",
        "report-consultation",
        "change-board-vote",
        "authority-decision",
        "panel-decision",
        "implemented",
    )
    assert PlannedMilestone.model_fields["milestone"].annotation.__args__ == PLANNABLE
    assert not {"working-group", "dcc-status", "document", "on-hold", "decision"} & set(PLANNABLE)
    assert all(KINDS[name].plannable for name in PLANNABLE)


def test_every_milestone_has_its_name_in_the_report():
    from secstatus.domain.events import PLANNABLE
    from secstatus.output.render import PACKAGE_TEMPLATES

    wording = (PACKAGE_TEMPLATES / "wording.jinja").read_text(encoding="utf-8")
    block = wording.split("{% set milestone = {", 1)[1].split("} %}", 1)[0]
    assert re.findall(r'"([a-z-]+)":', block) == list(PLANNABLE)


def test_plan_is_recorded_not_set(cli, data_copy: Path):
    result = cli("--data", str(data_copy), "set", "SECMP0062", "plan", "x")
    assert result.exit_code == 1
    assert "a progression plan is planned, not set: 'secstatus plan SECMP0062 MILESTONE DATE" in result.stderr


# --- each milestone against its baseline -------------------------------------------------------------


def plan_of(data: Path, day: str, cli) -> dict[str, dict]:
    facts = json.loads(cli("--data", str(data), "show", "SECMP0062", "--as-at", day, "--format", "json").stdout)
    return {p["milestone"]: p for p in facts["plan"]} | {"expected": facts["expected_decision"]}


def test_met_late_by_working_days_against_the_baseline(cli, planned: Path):
    p = plan_of(planned, "2019-06-12", cli)["refinement-consultation"]
    assert (p["status"], p["baseline"], p["actual"], p["slip_wd"]) == ("met", "2019-06-03", "2019-06-12", 7)
    early = plan_of(planned, "2019-06-11", cli)["refinement-consultation"]
    assert (early["status"], early["overdue_wd"]) == ("missed", 6)  # the day before: 3 June passed with no event


def test_a_replan_is_known_from_the_day_it_was_decided(cli, planned: Path):
    before = plan_of(planned, "2019-05-19", cli)["change-board-vote"]
    assert (before["planned"], before["replans"], before["slip_wd"]) == ("2019-07-24", [], 0)
    after = plan_of(planned, "2019-05-20", cli)["change-board-vote"]
    assert (after["baseline"], after["planned"], after["slip_wd"], after["status"]) == (
        "2019-07-24",
        "2019-08-28",
        24,
        "planned",
    )
    assert after["replans"] == [{"date": "2019-08-28", "decided": "2019-05-20", "note": "the IA is late"}]
    assert "refinement-consultation" not in plan_of(planned, "2019-04-09", cli)  # not yet planned on 9 April


def test_a_date_that_passed_with_no_event_is_missed_only_within_the_horizon(cli, planned: Path):
    p = plan_of(planned, "2019-09-03", cli)
    assert (p["change-board-vote"]["status"], p["change-board-vote"]["overdue_wd"]) == ("missed", 4)
    assert p["authority-decision"]["status"] == "planned" and p["expected"] == "2019-10-15"
    # a day past the horizon counts to the horizon, no further: 15 October is after it, so not missed
    assert plan_of(planned, "2019-12-02", cli)["change-board-vote"]["overdue_wd"] == 23
    assert plan_of(planned, "2019-12-02", cli)["authority-decision"]["status"] == "planned"
    # where the register's facts end on 2 May (its latest report), nothing of the summer is missed
    path = planned / "calendar" / "overrides.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("horizon: 2019-09-30\n", ""), encoding="utf-8")
    assert {k: v["status"] for k, v in plan_of(planned, "2019-09-03", cli).items() if k != "expected"} == {
        "refinement-consultation": "met",
        "change-board-vote": "planned",
        "authority-decision": "planned",
    }


def test_a_modification_closed_without_its_milestone_has_not_missed_it(cli, planned: Path):
    assert cli("--data", str(planned), "record", "SECMP0062", "withdrawn", "--date", "2019-08-01").exit_code == 0
    p = plan_of(planned, "2019-09-03", cli)
    assert p["change-board-vote"]["status"] == "closed" and p["expected"] is None
    rows = json.loads(
        cli("--data", str(planned), "assess", "plans", "--as-at", "2019-09-03", "--format", "json").stdout
    )
    assert rows == []


def test_show_says_each_milestone_in_words(cli, planned: Path):
    text = cli("--data", str(planned), "show", "SECMP0062", "--as-at", "2019-09-03").stdout.splitlines()
    at = text.index("progression plan:")
    assert text[at + 1 : at + 4] == [
        "  Refinement Consultation: baseline 3 June 2019: met 12 June 2019, 7 WD late",
        "  Change Board vote: baseline 24 July 2019, planned 28 August 2019 (re-planned 20 May 2019): missed, no event "
        "by 3 September 2019: 4 WD overdue, 28 WD after the baseline",
        "  Authority decision: baseline 15 October 2019: planned",
    ]


def test_assess_plans_lists_the_missed_milestones(cli, planned: Path):
    result = cli("--data", str(planned), "assess", "plans", "--as-at", "2019-09-03")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "ID",
        "MILESTONE",
        "STATUS",
        "BASELINE",
        "PLANNED",
        "ACTUAL",
        "SLIP_WD",
        "OVERDUE_WD",
        "TITLE",
    ]
    assert lines[1].split()[:7] == ["SECMP0062", "change-board-vote", "missed", "2019-07-24", "2019-08-28", "24", "4"]
    assert len(lines) == 2
    every = json.loads(
        cli("--data", str(planned), "assess", "plans", "--as-at", "2019-09-03", "--all", "--format", "json").stdout
    )
    assert [(r["milestone"], r["status"], r["actual"]) for r in every] == [
        ("refinement-consultation", "met", "2019-06-12"),
        ("change-board-vote", "missed", None),
        ("authority-decision", "planned", None),
    ]
    assert (
        len(cli("assess", "plans", "--as-at", "2019-05-02").stdout.splitlines()) == 1
    )  # the shipped register plans nothing


# --- the site's page ---------------------------------------------------------------------------------


def test_the_page_shows_the_plan_table_and_the_expected_decision(planned: Path):
    html = page(planned, "SECMP0062", dt.date(2019, 9, 3))
    text = text_of(html)
    assert "Expected decision 15 October 2019 Authority decision, as planned" in text
    table = text_of(html.split('<h2 id="plan">Progression plan</h2>', 1)[1].split("</table>", 1)[0])
    assert (
        "Milestone Baseline Current plan Actual Slippage against the baseline "
        "Refinement Consultation 3 June 2019 3 June 2019 12 June 2019 7 WD late "
        "Change Board vote 24 July 2019 28 August 2019 (re-planned 20 May 2019: the IA is late) "
        "Missed : no event by 3 September 2019, 4 WD overdue 28 WD late so far "
        "Authority decision 15 October 2019 15 October 2019 Not yet On time"
    ) in table
    assert '<tr class="missed">' in html
    assert 'id="plan"' not in page(planned, "SECMP0055", dt.date(2019, 9, 3))


# --- the monthly report --------------------------------------------------------------------------


def section(text: str, fmt: str) -> str:
    """The text of the report's "Progression against plan" (tags, links and escapes removed), or ''."""
    if fmt == "html":
        found = re.search(r"<h3>Progression against plan</h3>(.*?)</table>", text, re.S)
        return text_of(found.group(1)) if found else ""
    found = re.search(r"\*\*Progression against plan:\*\*(.*?)\n(?:\*\*|## )", text.replace("\\", ""), re.S)
    return re.sub(r"\s+", " ", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", found.group(1))) if found else ""


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_report_prints_what_moved_in_its_period_and_nothing_else(cli, planned: Path, fmt: str):
    """Each change of the plan in exactly the report whose period holds it: the re-plan of 20 May,
    and the consultation planned for 3 June and not issued by the report's date, in June's (2 May
    to 4 June); the consultation issued late on 12 June in July's (to 2 July); the vote missed on
    28 August in September's (2 August to 3 September); August's has none, and no heading."""
    got = {}
    for month in ("2019-05", "2019-06", "2019-07", "2019-08", "2019-09"):
        result = cli("--data", str(planned), "report", "--month", month, "--format", fmt, "-o", "-")
        assert result.exit_code == 0, result.stderr
        got[month] = section(result.stdout, fmt)
    title = "‘Northbound Application Traffic Management - Alert Storm Protection’"
    assert "re-planned from 24 July 2019 to 28 August 2019 (decided 20 May 2019: the IA is late)" in got["2019-06"]
    assert f"SECMP0062 {title}" in got["2019-06"] and "Change Board vote" in got["2019-06"]
    assert "24 WD late" in got["2019-06"]
    assert "missed: planned for 3 June 2019, no event by 4 June 2019 (1 WD overdue)" in got["2019-06"]
    assert "Refinement Consultation" in got["2019-07"] and "met on 12 June 2019" in got["2019-07"]
    assert "7 WD late" in got["2019-07"] and "3 June 2019" in got["2019-07"]
    assert (
        "missed: planned for 28 August 2019, no event by 3 September 2019 (4 WD overdue)" in got["2019-09"]
        and "28 WD late so far" in got["2019-09"]
    )
    assert got["2019-05"] == got["2019-08"] == ""
    rows = {month: text.count("SECMP0062") for month, text in got.items()}
    assert rows == {"2019-05": 0, "2019-06": 2, "2019-07": 1, "2019-08": 0, "2019-09": 1}  # each once


def test_a_milestone_met_on_time_is_not_news(cli, planned: Path):
    assert (
        cli(
            "--data", str(planned), "plan", "SECMP0062", "report-to-panel", "2019-06-14", "--decided", "2019-05-10"
        ).exit_code
        == 0
    )
    assert cli("--data", str(planned), "new", "meeting", "panel", "2019-06-14").exit_code == 0
    assert cli("--data", str(planned), "record", "SECMP0062", "report-to-panel", "--date", "2019-06-14").exit_code == 0
    july = cli("--data", str(planned), "report", "--month", "2019-07", "--format", "md", "-o", "-").stdout
    assert "Modification Report to the Panel" not in section(july, "md")
    assert plan_of(planned, "2019-06-14", cli)["report-to-panel"]["slip_wd"] == 0


def test_changes_says_a_replan_in_words(tmp_path: Path, cli):
    from conftest import make_register_repo

    repo = make_register_repo(tmp_path / "register")
    data = str(repo / "data")
    for args in PLANS[1:2] + PLANS[3:]:
        assert cli("--data", data, "plan", "SECMP0062", *args).exit_code == 0
    said = cli("--data", data, "changes", "--base", "main").stdout
    assert "added planned milestone 'change-board-vote' (date 24 July 2019, decided 10 April 2019)" in said
    assert (
        "added planned milestone 'change-board-vote' (date 28 August 2019, decided 20 May 2019, note 'the IA is "
        "late')" in said
    )
