"""June 2019, recorded by the analyst with commands only, as the README's "A month's work" walks it.

Every change of the month goes through a command (no YAML by hand: fields are set with `set`, a
modification raised elsewhere and a release are `new`), each edit is validated with the whole
register before it is written, `validate --strict` passes at the end, and the July report shows
SECMP0058 implemented on 27 June 2019, its DCC status derived from that fact. A second scenario walks what
happens between two reports.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from conftest import ROOT


def readme_month() -> list[list[str]]:
    """The commands of the README's "A month's work", in order (git, changes and report left to
    the tests below)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## A month's work", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [
        shlex.split(line.split(" # ")[0])
        for line in block.replace("\\\n", " ").splitlines()
        if line.startswith("secstatus ")
    ]
    return [argv[1:] for argv in lines if argv[1] not in ("changes", "report")]


JUNE = readme_month()


@pytest.fixture
def june(cli, data_copy: Path) -> Path:
    for argv in JUNE:
        result = cli("--data", str(data_copy), *argv)
        assert result.exit_code == 0, (argv, result.stderr)
        # The delivery and the implementation bring DCC's status with them: nothing to type twice.
        assert "warning:" not in result.stderr, (argv, result.stderr)
    return data_copy


def test_the_readme_walks_the_whole_month():
    kinds = {
        " ".join(argv[:2]) if argv[0] in ("new", "release") else f"{argv[0]} {argv[2]}"
        for argv in JUNE
        if argv[0] != "validate"
    }
    assert kinds == {
        "new meeting",
        "new report",
        "record working-group",
        "new dp",
        "record assessment-delivered",
        "record implemented",
        "new sec-version",
        "release move",
        "set route",
        "set proposer",
        "new modification",
        "new release",
    }


def test_june_is_recorded_with_commands_and_validates_strictly(cli, june: Path):
    result = cli("--data", str(june), "validate", "--strict")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings" in result.stderr
    assert (june / "modifications" / "DP076.yaml").is_file()
    from secstatus.register.checks import validate

    register, _ = validate(june)
    assert register.modifications["DP076"].route == "self-governance"
    assert register.modifications["SECMP0007"].proposer == "John Noad"
    assert (register.modifications["MP077"].route, register.modifications["MP077"].raised.isoformat()) == (
        "fast-track",
        "2019-06-14",
    )
    assert register.releases["2020-06"].name == "June 2020 SEC Release"
    dp076 = (june / "modifications" / "DP076.yaml").read_text(encoding="utf-8")
    assert "route: self-governance\n" in dp076 and "# route:" not in dp076  # set filled the template's line


def test_the_july_report_shows_the_june_release_and_no_stale_status(cli, june: Path):
    for fmt in ("html", "md"):
        result = cli("--data", str(june), "report", "--month", "2019-07", "--format", fmt, "-o", "-")
        assert result.exit_code == 0 and "warning" not in result.stderr, result.stderr
        text = re.sub(r"<[^>]+>|\[|\]\([^)]*\)|\\", "", result.stdout)
        text = re.sub(r"\s+", " ", text)
        assert (
            "SECMP0058 ‘Changes to the governance of the Self-Service Interface’ was implemented on "
            "27 June 2019. This resulted in SEC Version 6.13 being designated."
        ) in text, fmt
        assert "Implentation" not in text and "Awaiting implementation in Nov" not in text
    from secstatus.domain.workdays import default_calendar
    from secstatus.register.checks import validate
    from secstatus.report.build import build

    register, _ = validate(june)
    appendix = build(register, "2019-07", default_calendar()).section("appendix.tables")
    rows = {
        r.number: (r.status, r.added) for table in (appendix.assessment, appendix.no_further_assessment) for r in table
    }
    assert rows["0058"][0] == "Implemented" and rows["0062"][0] == "No outstanding assessment request"
    md = cli("--data", str(june), "report", "--month", "2019-06", "--format", "md", "-o", "-").stdout
    assert "SECP\\_69\\_1406\\_07" in md  # the June paper's reference, from its report and Panel records
    assert "Smart meter time synchronisation" not in md  # raised 10 June, after the June report
    july = cli("--data", str(june), "report", "--month", "2019-07", "--format", "md", "-o", "-").stdout
    assert "Smart meter time synchronisation" in july


def test_a_later_release_move_leaves_the_months_before_it_as_they_stood(cli, june: Path):
    july = cli("--data", str(june), "report", "--month", "2019-07", "--format", "md", "-o", "-").stdout
    assert "November 2019 SEC Release** (7 November 2019)" in july
    november = cli("--data", str(june), "report", "--month", "2019-11", "--format", "md", "-o", "-").stdout
    assert "moved from 7 November 2019 to 24 November 2019 (decided 8 October 2019)" in november


# --- A second scenario: what happens between two reports ------------------------------------------
# Consultations that open and close between the June and July reports, a route set with `set`, a
# new release, and a Change Board vote refused for want of its meeting, put right by running the
# command the refusal names.

BETWEEN = [
    ["new", "meeting", "panel", "2019-06-14", "--number", "69"],
    [
        "new",
        "report",
        "2019-06",
        "--author",
        "Jordan Crase",
        "--date",
        "2019-06-04",
        "--panel",
        "2019-06-14",
        "--paper",
        "7",
    ],
    ["new", "report", "2019-07", "--author", "Jordan Crase", "--date", "2019-07-02"],
    # SECMP0055's Modification Report Consultation, 13 May - 3 June 2019: inside the June report's period.
    ["record", "SECMP0055", "report-approved", "--date", "2019-05-10"],
    # Its DCC status from before the report no longer settles it once it moves to Opine: DCC's new one.
    [
        "record",
        "SECMP0055",
        "dcc-status",
        "--date",
        "2019-05-10",
        "--group",
        "assessment",
        "--status",
        "No system changes",
    ],
    ["record", "SECMP0055", "report-consultation", "--date", "2019-05-13", "--closes", "2019-06-03"],
    # SECMP0056's Refinement Consultation, 7 - 28 June 2019: inside the July report's period.
    ["record", "SECMP0056", "refinement-consultation", "--date", "2019-06-07", "--closes", "2019-06-28"],
    ["set", "SECMP0055", "route", "self-governance"],
    ["new", "release", "2020-06", "--planned", "2020-06-25"],
]
VOTE = [
    "record",
    "SECMP0055",
    "change-board-vote",
    "--date",
    "2019-06-26",
    "--outcome",
    "approved",
    "--release",
    "2020-06",
]


@pytest.fixture
def between(cli, data_copy: Path) -> tuple[Path, str]:
    """The scenario recorded; returns the register and what the refused vote said."""
    data = ["--data", str(data_copy)]
    for argv in BETWEEN:
        result = cli(*data, *argv)
        # The report's approval moves SECMP0055 to Opine past DCC's last status: the edit warns
        # (dcc-status-stale) until the next step records DCC's new one.
        expected = {"[dcc-status-stale]"} if argv[2:3] == ["report-approved"] else set()
        warned = set(re.findall(r"warning: .*?(\[[a-z-]+\])$", result.stderr, re.M))
        assert result.exit_code == 0 and warned == expected, (argv, result.stderr)
    refused = cli(*data, *VOTE)
    assert refused.exit_code == 1
    fix = re.search(r"record it with '(secstatus [^']+)'", refused.stderr)
    assert fix, refused.stderr
    assert cli(*data, *shlex.split(fix.group(1))[1:]).exit_code == 0
    again = cli(*data, *VOTE)
    assert again.exit_code == 0, again.stderr
    # Approved: an approval settles no DCC status (the paper files its April approvals in three
    # different tables), so DCC's new one is recorded, as the paper's table 6 has SECMP0058's.
    assert (
        cli(
            *data,
            "record",
            "SECMP0055",
            "dcc-status",
            "--date",
            "2019-06-26",
            "--group",
            "no-further-assessment",
            "--status",
            "Awaiting implementation",
        ).exit_code
        == 0
    )
    return data_copy, refused.stderr


def report_text(cli, data: Path, month: str, fmt: str) -> str:
    result = cli("--data", str(data), "report", "--month", month, "--format", fmt, "-o", "-")
    assert result.exit_code == 0, result.stderr
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>|\[|\]\([^)]*\)|\\", "", result.stdout))


def test_a_missing_meeting_is_put_right_by_the_command_its_refusal_names(cli, between):
    data, refused = between
    assert (
        "no change-board meeting on 2019-06-26 in data/meetings/; record it with "
        "'secstatus new meeting change-board 2019-06-26' [unknown-meeting]"
    ) in refused
    assert (data / "meetings" / "2019-06-26-change-board.yaml").is_file()
    assert cli("--data", str(data), "validate", "--strict").exit_code == 0


def test_the_route_set_and_the_new_release_carry_into_the_july_report(cli, between):
    data, _ = between
    shown = cli("--data", str(data), "show", "SECMP0055", "--as-at", "2019-07-02", "--format", "json")
    assert '"route": "self-governance"' in shown.stdout and '"stage": "release"' in shown.stdout
    for fmt in ("html", "md"):
        july = report_text(cli, data, "2019-07", fmt)
        assert (
            "SECMP0055 ‘Incorporation of multiple Issue Resolution Proposals into the SEC’ was approved under "
            "Self-Governance for implementation on 25 June 2020 (June 2020 SEC Release)"
        ) in july, fmt
        assert "June 2020 SEC Release (25 June 2020)" in july.replace("*", ""), fmt


def test_a_consultation_that_opens_and_closes_between_reports_is_in_the_next_one(cli, between):
    data, _ = between
    for fmt in ("html", "md"):
        june, july = (report_text(cli, data, month, fmt) for month in ("2019-06", "2019-07"))
        assert told(june, "SECMP0055", "Modification Report Consultation", ("13 May 2019", "3 June 2019")), fmt
        assert "There are currently no modifications out for Modification Report Consultation" not in june, fmt
        assert told(july, "SECMP0056", "Refinement Consultation", ("7 June 2019", "28 June 2019")), fmt
        assert "There are currently no modifications out for Refinement Consultation" not in july, fmt
        assert not told(july, "SECMP0055", "Modification Report Consultation", ("13 May 2019", "3 June 2019")), fmt


def told(text: str, ident: str, what: str, days: tuple[str, ...]) -> bool:
    """Whether the report says, near a mention of ``ident``, ``what`` and one of its ``days``."""
    for found in re.finditer(ident, text):
        near = text[max(0, found.start() - 300) : found.end() + 300]
        if what in near and any(day in near for day in days):
            return True
    return False
