"""The report says what moved: a release's date changed in the period, with both dates and the decision."""

from __future__ import annotations

from pathlib import Path

MOVED = "The November 2019 SEC Release moved from 7 November 2019 to 24 November 2019 (decided 8 October 2019)."


def report(cli, data: Path, month: str, fmt: str) -> str:
    result = cli("--data", str(data), "report", "--month", month, "--format", fmt, "-o", "-")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_a_release_move_is_reported_in_its_period_and_not_before(cli, data_copy: Path):
    done = cli("--data", str(data_copy), "release", "move", "2019-11", "2019-11-24", "--decided", "2019-10-08")
    assert done.exit_code == 0, done.stderr
    for fmt in ("html", "md"):
        assert MOVED in report(cli, data_copy, "2019-11", fmt)
        october = report(cli, data_copy, "2019-10", fmt)  # dated 2 October, before the decision
        assert "moved from" not in october and "7 November 2019" in october
        assert "moved from" not in report(cli, data_copy, "2019-12", fmt)  # the news is not repeated


def test_a_month_without_a_report_record_warns_and_names_the_command(cli):
    result = cli("report", "--month", "2019-06", "--format", "md", "-o", "-")
    assert result.exit_code == 0
    assert "secstatus new report 2019-06 --author NAME" in result.stderr
    assert "warning" not in cli("report", "--month", "2019-05", "--format", "md", "-o", "-").stderr


def test_a_partial_average_says_so_in_its_cell_and_nothing_reads_dash_wd(cli):
    """'294 WD (12 of 23)', not '294 WD' with only a footnote; 'not held', never '- WD'."""
    outputs = [cli("report", "--month", "2019-05", "--format", fmt, "-o", "-").stdout for fmt in ("html", "md")]
    outputs.append(cli("assess", "timescales", "--as-at", "2019-04-30").stdout)
    for text in outputs:
        assert "294 WD (12 of 23)" in text and "266 WD (2 of 4)" in text and "62 WD (1 of 2)" in text
        assert "- WD" not in text and "-&nbsp;WD" not in text
    for text in outputs[:2]:
        assert "not held" in text  # SECMP0007's PA, whose acceptance date the paper prints as N/A
