"""Appendix A rows that cannot go stale: derived from the register's facts unless DCC said later."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import DATA
from secstatus.appendix import assessment_row, dcc_rows as rows_of
from secstatus.checks import validate
from secstatus.report import build, period_for
from secstatus.timeline import histories
from secstatus.workdays import default_calendar

CAL = default_calendar()


def dcc_rows(register, month: str) -> dict[str, object]:
    """Every Appendix A row on the month's report date, by record id."""
    day = period_for(register, month, CAL).date
    folded = histories(register)
    found = {ident: rows_of(mod, folded[ident], day) for ident, mod in register.modifications.items()}
    return {ident: rows[0] for ident, rows in found.items() if rows}  # the assessment row, where there is one


def rows(register, month: str) -> dict[str, tuple]:
    """Every Appendix A row of the month's report: id -> (table, status, note, date added)."""
    return {ident: (r.group, r.status, r.note, r.added) for ident, r in dcc_rows(register, month).items()}


def test_the_report_prints_the_rows(register):
    appendix = build(register, "2019-05", CAL).appendix
    printed = {(group, r.status) for group in ("assessment", "implementation", "no_assessment_requested",
                                               "no_further_assessment") for r in getattr(appendix, group)}
    assert printed == {(r[0].replace("-", "_"), r[1]) for r in rows(register, "2019-05").values()}


def test_may_2019_rows_are_the_papers(register):
    may = rows(register, "2019-05")
    assert may["SECMP0010"] == ("assessment", "PA in progress", "PA costs being re-assessed to try to lower costs at DCC’s request", None)
    assert may["SECMP0058"] == ("no-further-assessment", "Awaiting Implentation", None, dt.date(2019, 4, 24))
    assert may["SECMP0009"] == ("no-further-assessment", "Accepted - implemented", None, dt.date(2019, 1, 3))
    assert may["SECMP0034"] == ("no-further-assessment", "Implemented", None, dt.date(2018, 5, 2))
    # Recorded once (the paper also lists it under Implementation Status): its explicit row stands.
    assert may["SECMP0025"] == ("no-further-assessment", "Awaiting implementation", None, dt.date(2019, 4, 5))
    assert may["SECMP0060"][:2] == ("implementation", "Approved – awaiting implementation in Nov’19 release")
    assert "SECMP0070" not in may  # implemented 26 April 2019, but DCC never listed it
    assert len(may) == 12 + 1 + 6 + 49


def test_secmp0025_is_in_both_tables_that_list_it(register):
    """The paper lists SECMP0025 under Implementation Status and under No further assessment."""
    appendix = build(register, "2019-05", CAL).appendix
    assert [(r.number, r.status) for r in appendix.implementation] == [
        ("0025", "Approved – awaiting implementation in Nov’19 release"),
        ("0060", "Approved – awaiting implementation in Nov’19 release")]
    assert ("0025", "Awaiting implementation") in [(r.number, r.status) for r in appendix.no_further_assessment]


def test_implementation_status_ends_when_it_is_implemented(cli, data_copy):
    """Once implemented, a modification leaves table 4; one DCC listed only there shows as Implemented."""
    for ident in ("SECMP0025", "SECMP0060"):
        result = cli("--data", str(data_copy), "record", ident, "implemented", "--date", "2019-11-29")
        assert result.exit_code == 0, result.stderr
    register, _ = validate(data_copy)
    december = build(register, "2019-12", CAL).appendix
    assert december.implementation == ()
    assert {(r.number, r.status) for r in december.no_further_assessment} >= {
        ("0025", "Implemented"), ("0060", "Implemented")}


def test_shipped_register_derives_no_row(register):
    """Every explicit status of the shipped register agrees with the facts after it."""
    for month in ("2019-05", "2019-08", "2020-01"):
        assert [i for i, r in dcc_rows(register, month).items() if r.derived_from] == []


@pytest.fixture
def june(cli, data_copy):
    """A copy of the register with June 2019's facts recorded by commands only."""
    for args in (["SECMP0058", "implemented", "--date", "2019-06-27"],  # the June 2019 release's planned day
                 ["SECMP0010", "assessment-delivered", "--assessment", "PA", "--date", "2019-06-14"]):
        result = cli("--data", str(data_copy), "record", *args)
        assert result.exit_code == 0, result.stderr
    return data_copy


def test_july_report_shows_no_stale_dcc_status(june):
    register, _ = validate(june)
    july = rows(register, "2019-07")
    assert july["SECMP0058"] == ("no-further-assessment", "Implemented", None, dt.date(2019, 6, 27))
    assert july["SECMP0010"] == ("assessment", "No outstanding assessment request", "Awaiting IA request", None)
    pa = next(r for r in build(register, "2019-07", CAL).appendix.assessment if r.number == "0010").pa
    assert pa.delivered == dt.date(2019, 6, 14)
    # The June report, dated before both facts, still shows the statuses as they then stood.
    june_rows = rows(register, "2019-06")
    assert june_rows["SECMP0058"][1] == "Awaiting Implentation" and june_rows["SECMP0010"][1] == "PA in progress"


def test_july_html_has_no_stale_words(cli, june, tmp_path):
    out = tmp_path / "july.html"
    assert cli("--data", str(june), "report", "--month", "2019-07", "-o", str(out)).exit_code == 0
    html = out.read_text().split('id="appendix-a"')[1]
    row_0010 = re.search(r"<tr[^>]*>\s*<th scope=\"row\">[^<]*(?:<a[^>]*>)?0010<.*?</tr>", html, re.S).group(0)
    assert "No outstanding assessment request" in row_0010 and "PA in progress" not in row_0010
    row_0058 = re.search(r"<tr[^>]*>\s*<th scope=\"row\">[^<]*(?:<a[^>]*>)?0058<.*?</tr>", html, re.S).group(0)
    assert "Implemented" in row_0058 and "27/06/2019" in row_0058
    assert "Awaiting Implentation" not in html


def test_validate_warns_of_a_stale_status_until_dcc_gives_a_newer_one(cli, june):
    _, diagnostics = validate(june)
    stale = {(d.path.rsplit("/", 1)[1], d.code): d.message for d in diagnostics if d.severity == "warning"}
    assert set(stale) == {("SECMP0058.yaml", "dcc-status-stale"), ("SECMP0010.yaml", "dcc-status-stale")}
    assert stale[("SECMP0058.yaml", "dcc-status-stale")].startswith(
        "DCC status 'Awaiting Implentation' (2019-04-24) is older than 'implemented 27 June 2019'")
    assert "the report shows 'Implemented' instead" in stale[("SECMP0058.yaml", "dcc-status-stale")]

    # DCC's own wording, recorded after the fact, overrides the derived row and clears the warning.
    result = cli("--data", str(june), "record", "SECMP0010", "dcc-status", "--date", "2019-06-20",
                 "--group", "assessment", "--status", "No outstanding assessment request",
                 "--note", "WG to decide whether to request an IA")
    assert result.exit_code == 0, result.stderr
    register, diagnostics = validate(june)
    assert [d.path.rsplit("/", 1)[1] for d in diagnostics if d.code == "dcc-status-stale"] == ["SECMP0058.yaml"]
    assert rows(register, "2019-07")["SECMP0010"][2] == "WG to decide whether to request an IA"


def test_a_status_that_agrees_with_a_later_fact_stands(data_copy):
    """SECMP0009: 'Accepted - implemented' on 3 January, implemented on 28 February 2019."""
    register, _ = validate(data_copy)
    mod = register.modifications["SECMP0009"]
    row = assessment_row(mod, histories(register)["SECMP0009"], dt.date(2019, 5, 2))
    assert (row.status, row.added, row.derived_from) == ("Accepted - implemented", dt.date(2019, 1, 3), None)


def test_withdrawal_and_accepted_assessment_derive_rows(cli, data_copy):
    assert cli("--data", str(data_copy), "record", "SECMP0067", "withdrawn", "--date", "2019-06-10").exit_code == 0
    assert cli("--data", str(data_copy), "record", "SECMP0053", "assessment-accepted", "--assessment", "IA",
               "--date", "2019-06-12", "--target", "2019-08-08").exit_code == 0
    register, _ = validate(data_copy)
    july = rows(register, "2019-07")
    assert july["SECMP0067"] == ("no-further-assessment", "Withdrawn", None, dt.date(2019, 6, 10))
    assert july["SECMP0053"][:2] == ("assessment", "IA in progress")
    row = next(r for r in build(register, "2019-07", CAL).appendix.assessment if r.number == "0053")
    assert row.in_progress == "IA"
