"""June 2019, recorded by the analyst with commands only, as the README's "A month's work" walks it.

Every change of the month goes through a command (no YAML by hand), each edit is validated with
the whole register before it is written, `validate --strict` passes at the end, and the July
report shows SECMP0058 implemented on 27 June 2019, its DCC status derived from that fact.
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
    lines = [shlex.split(line.split(" # ")[0]) for line in block.replace("\\\n", " ").splitlines()
             if line.startswith("secstatus ")]
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
    kinds = {" ".join(argv[:2]) if argv[0] in ("new", "release") else f"{argv[0]} {argv[2]}" for argv in JUNE
             if argv[0] != "validate"}
    assert kinds == {"new meeting", "new report", "record working-group", "new dp", "record assessment-delivered",
                     "record implemented", "new sec-version", "release move"}


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
    july = cli("--data", str(june), "report", "--month", "2019-07", "--format", "md", "-o", "-").stdout
    assert "November 2019 SEC Release** (7 November 2019)" in july
    november = cli("--data", str(june), "report", "--month", "2019-11", "--format", "md", "-o", "-").stdout
    assert "moved from 7 November 2019 to 24 November 2019 (decided 8 October 2019)" in november
