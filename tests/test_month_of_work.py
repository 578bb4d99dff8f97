"""June 2019, recorded by the analyst with commands only, as the README's "A month's work" walks it.

Every change of the month goes through a command (no YAML by hand), each edit is validated with
the whole register before it is written, `validate --strict` passes at the end, and the July
report shows SECMP0058 implemented on 27 June 2019 with no stale DCC status.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

JUNE = [
    # The Panel meeting the June report goes to, and the report record itself.
    ["new", "meeting", "panel", "2019-06-14", "--number", "69"],
    ["new", "report", "2019-06", "--author", "Jordan Crase", "--date", "2019-06-04", "--panel", "2019-06-14",
     "--paper", "7"],
    # The 5 June Working Group (its meeting is already recorded) and what it discussed.
    ["record", "SECMP0007", "working-group", "--date", "2019-06-05", "--note", "IHD firmware update approach"],
    ["record", "SECMP0046", "working-group", "--date", "2019-06-05"],
    # A new Draft Proposal.
    ["new", "dp", "--title", "Smart meter time synchronisation", "--proposer", "A Supplier",
     "--raised", "2019-06-10"],
    # DCC delivered SECMP0062's Impact Assessment, and says so in Appendix A.
    ["record", "SECMP0062", "assessment-delivered", "--assessment", "IA", "--date", "2019-06-12"],
    ["record", "SECMP0062", "dcc-status", "--date", "2019-06-12", "--group", "assessment",
     "--status", "No outstanding assessment request"],
    # The June 2019 SEC Release: SECMP0058 implemented, SEC 6.13 designated, DCC's status.
    ["record", "SECMP0058", "implemented", "--date", "2019-06-27"],
    ["new", "sec-version", "6.13", "--effective", "2019-06-27", "--modification", "SECMP0058"],
    ["record", "SECMP0058", "dcc-status", "--date", "2019-06-27", "--group", "no-further-assessment",
     "--status", "Implemented"],
    # July's report record.
    ["new", "report", "2019-07", "--author", "Jordan Crase", "--date", "2019-07-02"],
]


@pytest.fixture
def june(cli, data_copy: Path) -> Path:
    for argv in JUNE:
        result = cli("--data", str(data_copy), *argv)
        assert result.exit_code == 0, (argv, result.stderr)
        if argv[2:3] in (["assessment-delivered"], ["implemented"]):
            # The tool says at once that DCC's status is now older than the delivery; the next
            # command records DCC's newer one.
            assert "[dcc-status-stale]" in result.stderr
        else:
            assert "warning:" not in result.stderr, (argv, result.stderr)
    return data_copy


def test_june_is_recorded_with_commands_and_validates_strictly(cli, june: Path):
    result = cli("--data", str(june), "validate", "--strict")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings" in result.stderr
    assert (june / "modifications" / "DP076.yaml").is_file()


def test_the_july_report_shows_the_june_release_and_no_stale_status(cli, june: Path):
    for fmt in ("html", "md"):
        result = cli("--data", str(june), "report", "--month", "2019-07", "--format", fmt, "-o", "-")
        assert result.exit_code == 0 and "warning" not in result.stderr, result.stderr
        text = re.sub(r"<[^>]+>|\[|\]\([^)]*\)|\\", "", result.stdout)
        text = re.sub(r"\s+", " ", text)
        assert ("SECMP0058 ‘Changes to the governance of the Self-Service Interface’ was implemented on "
                "27 June 2019. This resulted in SEC Version 6.13 being designated.") in text, fmt
        assert "Implentation" not in text and "Awaiting implementation in Nov" not in text
    from secstatus.checks import validate
    from secstatus.report import build
    from secstatus.workdays import default_calendar

    register, _ = validate(june)
    appendix = build(register, "2019-07", default_calendar()).appendix
    rows = {r.number: (r.status, r.added) for table in (appendix.assessment, appendix.no_further_assessment)
            for r in table}
    assert rows["0058"][0] == "Implemented" and rows["0062"][0] == "No outstanding assessment request"
    md = cli("--data", str(june), "report", "--month", "2019-06", "--format", "md", "-o", "-").stdout
    assert "SECP\\_69\\_1406\\_07" in md  # the June paper's reference, from its report and Panel records
    assert "Smart meter time synchronisation" not in md  # raised 10 June, after the June report
    july = cli("--data", str(june), "report", "--month", "2019-07", "--format", "md", "-o", "-").stdout
    assert "Smart meter time synchronisation" in july


def test_a_later_release_move_leaves_the_months_before_it_as_they_stood(cli, june: Path):
    moved = cli("--data", str(june), "release", "move", "2019-11", "2019-11-24", "--decided", "2019-10-08",
                "--note", "Authority approved the move")
    assert moved.exit_code == 0, moved.stderr
    july = cli("--data", str(june), "report", "--month", "2019-07", "--format", "md", "-o", "-").stdout
    assert "November 2019 SEC Release** (7 November 2019)" in july
    november = cli("--data", str(june), "report", "--month", "2019-11", "--format", "md", "-o", "-").stdout
    assert "moved from 7 November 2019 to 24 November 2019 (decided 8 October 2019)" in november
