"""The register knows how far its facts reach (its horizon), and no view computes past it."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from conftest import DATA

from secstatus.domain.workdays import default_calendar
from secstatus.register.checks import validate
from secstatus.report.build import horizon, within_horizon

CAL = default_calendar()
MAY_REPORT = dt.date(2019, 5, 2)
NOTE = (
    "secstatus: note: the register's facts end on 2 May 2019; what is shown for a later day is only what was "
    "recorded, and figures after that day are not computed\n"
)


def test_the_shipped_registers_facts_end_with_its_may_2019_report(register):
    assert horizon(register, CAL) == MAY_REPORT
    assert within_horizon(register, dt.date(2026, 1, 1), CAL) == MAY_REPORT
    assert within_horizon(register, dt.date(2019, 4, 30), CAL) == dt.date(2019, 4, 30)


@pytest.mark.parametrize(
    "set_day, expected",
    [
        ("2019-06-30", dt.date(2019, 6, 30)),  # facts recorded beyond the latest report
        ("2019-04-01", MAY_REPORT),  # never before what the latest report covers
    ],
)
def test_the_calendar_can_set_a_later_horizon(data_copy, set_day, expected):
    (data_copy / "calendar" / "overrides.yaml").write_text(f"days: []\nhorizon: {set_day}\n")
    register, diagnostics = validate(data_copy)
    assert not [d for d in diagnostics if d.severity == "error"]
    assert horizon(register, CAL) == expected


def test_a_new_report_record_moves_the_horizon(cli, data_copy):
    assert cli("--data", str(data_copy), "new", "report", "2019-06", "--author", "A. Analyst").exit_code == 0
    register, _ = validate(data_copy)
    assert horizon(register, CAL) == dt.date(2019, 6, 4)  # the June report's date: its second working day


def test_a_register_without_a_report_or_a_set_day_has_no_horizon(cli, data_copy):
    (data_copy / "reports" / "2019-05.yaml").unlink()
    register, _ = validate(data_copy)
    assert horizon(register, CAL) is None
    result = cli("--data", str(data_copy), "list", "--as-at", "2030-01-01")
    assert result.exit_code == 0 and result.stderr == ""


COMMANDS = [["list"], ["show", "SECMP0062"], ["assess", "overdue"], ["assess", "timescales"]]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_view_past_the_horizon_says_so_once(cli, command):
    past = cli("--data", str(DATA), *command, "--as-at", "2019-06-30")
    assert past.exit_code == 0 and past.stderr == NOTE
    today = cli("--data", str(DATA), *command)  # today, years after the shipped register's facts
    assert today.exit_code == 0 and today.stderr == NOTE
    at = cli("--data", str(DATA), *command, "--as-at", "2019-05-02")
    assert at.exit_code == 0 and at.stderr == ""


@pytest.mark.parametrize("command", [["assess", "overdue"], ["assess", "timescales"]])
def test_assess_past_the_horizon_computes_as_at_it(cli, command):
    """On 30 June 2019 the register cannot say whether SECMP0062's IA (target 20 May) was delivered."""
    args = ["--data", str(DATA), *command, "--format", "json"]
    past = json.loads(cli(*args, "--as-at", "2019-06-30").stdout)
    assert past == json.loads(cli(*args, "--as-at", "2019-05-02").stdout)
    if command[1] == "overdue":
        assert "SECMP0062" not in {r["id"] for r in past}


@pytest.mark.slow
def test_the_site_built_today_shows_the_register_as_at_its_horizon(cli, tmp_path):
    from site_support import text_of

    later = str(int(dt.datetime(2025, 1, 15, tzinfo=dt.UTC).timestamp()))
    result = cli("--data", str(DATA), "site", "-o", str(tmp_path / "site"), env={"SOURCE_DATE_EPOCH": later})
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(NOTE)
    index = text_of(tmp_path / "site" / "index.html")
    assert "The register as it stood on 2 May 2019" in index
    assert (
        "The register’s facts end on 2 May 2019: every page shows it as it stood that day, and no figure is "
        "computed past it."
    ) in index
    page = text_of(tmp_path / "site" / "modifications" / "SECMP0062.html")
    assert "29 WD so far" in page
    so_far = [
        int(n)
        for n in re.findall(
            r"(\d+) WD so far", " ".join(text_of(p) for p in (tmp_path / "site" / "modifications").glob("*.html"))
        )
    ]
    assert so_far and max(so_far) < 100


def test_a_report_past_the_horizon_is_a_draft_that_says_so(cli):
    for fmt in ("md", "html"):
        result = cli("--data", str(DATA), "report", "--month", "2019-06", "--format", fmt, "-o", "-")
        assert result.exit_code == 0
        text = re.sub(r"<[^>]+>|\*\*", "", result.stdout)
        assert (
            "Draft: the register’s facts end on 2 May 2019, before this report’s date (4 June 2019). What "
            "happened after that day is in it only as far as it has been recorded"
        ) in text
        assert "secstatus new report 2019-06" in text
        assert result.stderr.startswith(
            "secstatus: warning: the register's facts end on 2 May 2019, before the "
            "2019-06 report's date (4 June 2019): it is marked as a draft"
        )
    may = cli("--data", str(DATA), "report", "--month", "2019-05", "--format", "md", "-o", "-")
    assert "Draft:" not in may.stdout and may.stderr == ""
