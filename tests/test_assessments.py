"""DCC assessment and progression figures against the May 2019 paper.

Where the paper is consistent its figures must come out; where its printed durations do not
follow from its own dates, the test pins the computed figure and names the difference (the data
files say the same in their `source` fields).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import DATA

from secstatus.analysis.assessments import (
    assessment_timescales,
    modification_timescales,
    overdue,
    sec_year_label,
    sec_year_start,
    target,
)
from secstatus.domain.workdays import default_calendar

APRIL_END = dt.date(2019, 4, 30)
CAL = default_calendar()


@pytest.fixture(scope="module")
def figures(register):
    return assessment_timescales(register, APRIL_END, CAL)


def test_sec_year():
    assert sec_year_start(dt.date(2019, 4, 30)) == dt.date(2019, 4, 1)
    assert sec_year_start(dt.date(2019, 3, 31)) == dt.date(2018, 4, 1)
    assert sec_year_label(dt.date(2020, 3, 31)) == "2019/20"


def test_counts_the_paper_prints(figures):
    assert figures["PA_open"]["count"] == 1
    assert figures["PA_completed"]["count"] == 2
    assert figures["IA_completed"]["count"] == 0


def test_open_impact_assessments_differ_from_the_paper(figures):
    # The paper counts 1 open IA (SECMP0062). Its own Appendix A gives SECMP0015's IA an
    # acceptance date of 25 April 2019 and no delivery, so at the end of April two are open.
    assert [(r["id"], r["assessment"]) for r in figures["open"]] == [
        ("SECMP0015", "IA"),
        ("SECMP0053", "PA"),
        ("SECMP0062", "IA"),
    ]
    assert figures["IA_open"]["count"] == 2


@pytest.mark.parametrize(
    "ident, kind, paper_wd, computed_wd, start, end",
    [
        ("SECMP0053", "PA", 85, 54, "2019-02-11", "2019-04-30"),  # open: current duration
        ("SECMP0062", "IA", 31, 27, "2019-03-20", "2019-04-30"),  # open: current duration
        ("SECMP0056", "PA", 65, 62, "2019-01-24", "2019-04-24"),  # completed: actual duration
    ],
)
def test_durations_the_paper_did_not_count_from_its_dates(figures, ident, kind, paper_wd, computed_wd, start, end):
    rows = {(r["id"], r["assessment"]): r for r in figures["open"] + figures["completed"]}
    row = rows[(ident, kind)]
    assert row["duration_wd"] == computed_wd != paper_wd
    assert (row["duration_from"], row["duration_to"]) == (start, end)


def test_a_duration_without_its_start_is_left_out_by_name(figures):
    # The paper prints 201 WD for SECMP0007's PA, whose acceptance date it prints as N/A.
    completed = figures["PA_completed"]
    assert completed["averaged_over"] == 1 and completed["average_wd"] == 62
    assert completed["left_out"] == [{"id": "SECMP0007", "why": "no acceptance date for its PA"}]


@pytest.mark.parametrize(
    "ident, kind, expected, basis",
    [
        ("SECMP0062", "PA", 15, "standard"),
        ("SECMP0062", "IA", 40, "standard"),
        ("SECMP0056", "PA", 18, "agreed"),
        ("SECMP0015", "IA", 39, "agreed"),
        ("SECMP0038", "IA", 27, "agreed"),
        ("SECMP0015", "PA", 5, "agreed"),
        ("SECMP0053", "PA", -13, "agreed"),
        ("SECMP0012", "PA", 15, "standard"),
    ],
)
def test_target_dates_against_the_15_and_40_wd_rule(register, ident, kind, expected, basis):
    """SECMP0062's printed targets are the SEC's timescales exactly, so the register derives them
    and stores none; the targets the paper prints that differ are kept as agreed dates; where the
    paper prints none (SECMP0012) the standard one is in force."""
    a = next(a for a in register.modifications[ident].assessments if a.type == kind)
    due, said = target(a, CAL)
    assert (CAL.count(a.accepted, due), said) == (expected, basis)
    assert (a.target is None) == (basis == "standard")


def test_a_target_without_an_acceptance_date_is_as_recorded(register):
    a = register.modifications["SECMP0010"].assessments[0]
    assert target(a, CAL) == (dt.date(2019, 3, 30), "recorded")


@pytest.mark.parametrize(
    "extra, expected",
    [
        ([], ("2019-07-19", None, "target 2019-07-19, the standard 40 WD after acceptance (derived, not written)")),
        (["--target", "2019-07-19"], ("2019-07-19", None, "target 2019-07-19, the standard 40 WD after acceptance")),
        (
            ["--target", "2019-08-30"],
            (
                "2019-08-30",
                dt.date(2019, 8, 30),
                "target 2019-08-30 agreed (the standard 40 WD after acceptance would be 2019-07-19)",
            ),
        ),
    ],
)
def test_acceptance_sets_the_standard_target_and_says_so(cli, data_copy, extra, expected):
    """`record assessment-accepted` writes no standard target (it is derived) and says which it is;
    an agreed other date is written, and the report marks it agreed."""
    result = cli(
        "--data",
        str(data_copy),
        "record",
        "SECMP0053",
        "assessment-accepted",
        "--assessment",
        "IA",
        "--date",
        "2019-05-23",
        *extra,
    )
    assert result.exit_code == 0, result.stderr
    shown, stored, words = expected
    assert words in result.stderr
    from secstatus.register.checks import validate
    from secstatus.report.build import build

    register, _ = validate(data_copy)
    ia = register.modifications["SECMP0053"].assessments[-1]
    assert (ia.accepted, ia.target) == (dt.date(2019, 5, 23), stored)
    late = [r for r in overdue(register, dt.date(2019, 9, 2), CAL) if (r["id"], r["assessment"]) == ("SECMP0053", "IA")]
    assert [r["target"] for r in late] == [shown]
    row = next(r for r in build(register, "2019-06", CAL).section("appendix.tables").assessment if r.number == "0053")
    assert (row.ia.target.isoformat(), row.ia.target_agreed) == (shown, stored is not None)
    md = cli("--data", str(data_copy), "report", "--month", "2019-06", "--format", "md", "-o", "-").stdout
    agreed = f"{dt.date.fromisoformat(shown):%d/%m/%Y} (agreed)"
    assert (agreed in md) == (stored is not None)


def test_modification_progression(register):
    progression = modification_timescales(register, APRIL_END, CAL)
    assert progression["open"]["count"] == 23
    assert progression["closed"]["count"] == 4
    # Raised dates are known for 12 of the 23 open and 2 of the 4 closed; the rest are named.
    assert progression["open"]["averaged_over"] == 12 and len(progression["open"]["left_out"]) == 11
    # Checked by hand with `secstatus wd RAISED 2019-04-30`: 799 (SECMP0007), 738 (0015), 553 (0032),
    # 484 (0037), 484 (0038), 207 (0056), 145 (0063), 102 (0067), 12 (DP072), 5, 2 and 0 (DP073-DP075):
    # 3531 / 12 = 294.25.
    assert progression["open"]["average_wd"] == 294
    assert [x["id"] for x in progression["closed"]["left_out"]] == ["SECMP0025", "SECMP0060"]
    # SECMP0043: 18 Nov 2017 -> 5 Apr 2019 and SECMP0058: 2 Aug 2018 -> 24 Apr 2019.
    expected = (
        CAL.count(dt.date(2017, 11, 18), dt.date(2019, 4, 5)) + CAL.count(dt.date(2018, 8, 2), dt.date(2019, 4, 24))
    ) / 2
    assert progression["closed"]["average_wd"] == int(expected + 0.5)
    assert progression["decisions_without_date"] == []


def test_overdue_as_at_the_end_of_april(register):
    """SECMP0010's and SECMP0013's PAs ("PA in progress", target 30 March 2019) are overdue although
    their acceptance dates are not held; SECMP0053's PA (target printed before its acceptance) too."""
    rows = overdue(register, APRIL_END, CAL)
    assert [(r["id"], r["assessment"], r["target"], r["overdue_wd"]) for r in rows] == [
        ("SECMP0053", "PA", "2019-01-23", CAL.count(dt.date(2019, 1, 23), APRIL_END)),
        ("SECMP0010", "PA", "2019-03-30", 20),
        ("SECMP0013", "PA", "2019-03-30", 20),
    ]


def test_an_assessment_was_overdue_until_it_was_delivered(register):
    """SECMP0007's PA (target 15 March, delivered 2 April 2019, acceptance date N/A)."""

    def secmp0007(day):
        return [r["overdue_wd"] for r in overdue(register, day, CAL) if r["id"] == "SECMP0007"]

    assert secmp0007(dt.date(2019, 3, 15)) == []
    assert secmp0007(dt.date(2019, 4, 1)) == [11]
    assert secmp0007(dt.date(2019, 4, 2)) == []


@pytest.mark.parametrize(
    "change, overdue_on_30_april",
    [
        ({}, True),
        ({"status": "not-progressed"}, False),
        ({"delivered": dt.date(2019, 4, 30)}, False),
        ({"requested": dt.date(2019, 5, 1)}, False),  # not yet known on the day
    ],
)
def test_what_keeps_an_assessment_off_the_overdue_list(register, change, overdue_on_30_april):
    from secstatus.analysis.assessments import is_outstanding

    a = register.modifications["SECMP0010"].assessments[0].model_copy(update=change)
    assert is_outstanding(a, "refine", APRIL_END) is overdue_on_30_april
    assert not is_outstanding(a, "closed", APRIL_END)
    bare_request = a.model_copy(update={"target": None, "requested": dt.date(2019, 4, 1)})
    assert not is_outstanding(bare_request, "refine", APRIL_END)  # a request DCC has not accepted


def test_open_assessments_without_an_acceptance_date_are_counted_beside_the_papers(figures):
    """The paper's count of open PAs (1, with a duration) stands; SECMP0010's and SECMP0013's are open too."""
    assert figures["PA_open"]["count"] == 1
    assert [(r["id"], r["assessment"], r["duration_wd"]) for r in figures["open_undated"]] == [
        ("SECMP0010", "PA", None),
        ("SECMP0013", "PA", None),
    ]


def test_the_report_says_how_many_more_are_open(cli):
    md = cli("--data", str(DATA), "report", "--month", "2019-05", "--format", "md", "-o", "-").stdout
    assert (
        "2 more Preliminary Assessments are open without an acceptance date, so without a duration: "
        "SECMP0010 and SECMP0013."
    ) in md
    html = cli("--data", str(DATA), "report", "--month", "2019-05", "-o", "-").stdout
    assert "2 more Preliminary Assessments are open without an acceptance date" in html


def test_overdue_at_the_end_of_june_is_the_open_assessments_past_their_targets(register):
    """On 30 June 2019, as far as the register's facts go: both IAs past target, and SECMP0010's
    and SECMP0013's PAs; SECMP0053's PA was delivered on 1 May."""
    day = dt.date(2019, 6, 30)
    rows = overdue(register, day, CAL)
    assert [(r["id"], r["assessment"], r["overdue_wd"]) for r in rows] == [
        ("SECMP0010", "PA", CAL.count(dt.date(2019, 3, 30), day)),
        ("SECMP0013", "PA", CAL.count(dt.date(2019, 3, 30), day)),
        ("SECMP0062", "IA", CAL.count(dt.date(2019, 5, 20), day)),
        ("SECMP0015", "IA", CAL.count(dt.date(2019, 6, 21), day)),
    ]
    assert {r["id"] for r in assessment_timescales(register, day, CAL)["open"]} == {"SECMP0015", "SECMP0062"}


def test_assess_overdue_json(cli):
    rows = json.loads(cli("--data", str(DATA), "assess", "overdue", "--as-at", "2019-05-02", "--format", "json").stdout)
    assert {"id", "assessment", "target", "target_basis", "overdue_wd", "accepted", "requested"} <= set(rows[0])
    assert [(r["id"], r["target_basis"]) for r in rows] == [("SECMP0010", "recorded"), ("SECMP0013", "recorded")]


def test_assess_overdue_uses_source_date_epoch(cli):
    epoch = str(int(dt.datetime(2019, 4, 30, tzinfo=dt.UTC).timestamp()))
    text = cli("--data", str(DATA), "assess", "overdue", env={"SOURCE_DATE_EPOCH": epoch}).stdout
    assert text.splitlines()[1].startswith("SECMP0053")


def test_assess_timescales_text_names_what_it_left_out(cli):
    text = cli("--data", str(DATA), "assess", "timescales", "--as-at", "2019-04-30").stdout
    assert "Preliminary Assessments completed during 2019/20  2      62 WD" in text
    assert "left out: SECMP0007 (no acceptance date for its PA)" in text


def test_wd_commands(cli):
    assert cli("wd", "2019-04-05", "2019-04-23").stdout == "10\n"
    assert cli("wd", "add", "2019-04-05", "10").stdout == "2019-04-23\n"
    explained = cli("wd", "2019-04-18", "2019-04-23", "--explain").stdout.splitlines()
    assert explained == [
        "1",
        "2019-04-19  Fri  Good Friday",
        "2019-04-20  Sat  Saturday",
        "2019-04-21  Sun  Sunday",
        "2019-04-22  Mon  Easter Monday",
    ]
    assert cli("wd", "1990-01-01", "2019-01-01").exit_code == 1
    assert cli("wd", "2019-01-01").exit_code == 2


def test_calendar_overrides_from_the_register(cli, data_copy):
    (data_copy / "calendar" / "overrides.yaml").write_text(
        "days:\n  - date: 2019-04-24\n    working: false\n    reason: office closed\n"
    )
    assert cli("--data", str(data_copy), "wd", "2019-04-05", "2019-04-24").stdout == "10\n"
