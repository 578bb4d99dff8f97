"""Appendix A rows that cannot go stale: derived from the register's facts unless DCC said later."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from secstatus.domain.appendix import assessment_row
from secstatus.domain.appendix import dcc_rows as rows_of
from secstatus.domain.timeline import histories
from secstatus.domain.workdays import default_calendar
from secstatus.register.checks import validate
from secstatus.report.build import build, period_for

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
    appendix = build(register, "2019-05", CAL).section("appendix.tables")
    printed = {
        (group, r.status)
        for group in ("assessment", "implementation", "no_assessment_requested", "no_further_assessment")
        for r in getattr(appendix, group)
    }
    assert printed == {(r[0].replace("-", "_"), r[1]) for r in rows(register, "2019-05").values()}


def test_may_2019_rows_are_the_papers(register):
    may = rows(register, "2019-05")
    assert may["SECMP0010"] == (
        "assessment",
        "PA in progress",
        "PA costs being re-assessed to try to lower costs at DCC’s request",
        None,
    )
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
    appendix = build(register, "2019-05", CAL).section("appendix.tables")
    assert [(r.number, r.status) for r in appendix.implementation] == [
        ("0025", "Approved – awaiting implementation in Nov’19 release"),
        ("0060", "Approved – awaiting implementation in Nov’19 release"),
    ]
    assert ("0025", "Awaiting implementation") in [(r.number, r.status) for r in appendix.no_further_assessment]


def test_implementation_status_ends_when_it_is_implemented(cli, data_copy):
    """Once implemented, a modification leaves table 4; one DCC listed only there shows as Implemented."""
    for ident in ("SECMP0025", "SECMP0060"):
        result = cli("--data", str(data_copy), "record", ident, "implemented", "--date", "2019-11-29")
        assert result.exit_code == 0, result.stderr
    register, _ = validate(data_copy)
    december = build(register, "2019-12", CAL).section("appendix.tables")
    assert december.implementation == ()
    assert {(r.number, r.status) for r in december.no_further_assessment} >= {
        ("0025", "Implemented"),
        ("0060", "Implemented"),
    }


def test_shipped_register_derives_no_row(register):
    """Every explicit status of the shipped register agrees with the facts after it."""
    for month in ("2019-05", "2019-08", "2020-01"):
        assert [i for i, r in dcc_rows(register, month).items() if r.derived_from] == []


@pytest.fixture
def june(cli, data_copy):
    """A copy of the register with June 2019's facts recorded by commands only."""
    for args in (
        ["SECMP0058", "implemented", "--date", "2019-06-27"],  # the June 2019 release's planned day
        ["SECMP0010", "assessment-delivered", "--assessment", "PA", "--date", "2019-06-14"],
    ):
        result = cli("--data", str(data_copy), "record", *args)
        assert result.exit_code == 0, result.stderr
    return data_copy


def test_july_report_shows_no_stale_dcc_status(june):
    register, _ = validate(june)
    july = rows(register, "2019-07")
    assert july["SECMP0058"] == ("no-further-assessment", "Implemented", None, dt.date(2019, 6, 27))
    assert july["SECMP0010"] == ("assessment", "No outstanding assessment request", "Awaiting IA request", None)
    pa = next(r for r in build(register, "2019-07", CAL).section("appendix.tables").assessment if r.number == "0010").pa
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


def test_a_fact_that_settles_the_status_brings_its_row_without_a_warning(june):
    """No double entry: an implementation and a delivery bring DCC's status, shown as derived."""
    register, diagnostics = validate(june)
    assert [d for d in diagnostics if d.code == "dcc-status-stale"] == []
    july = dcc_rows(register, "2019-07")
    assert july["SECMP0058"].derived_from == "implemented 27 June 2019"
    assert july["SECMP0010"].derived_from == "PA delivered 14 June 2019"


def test_the_report_shows_a_derived_status_as_derived(cli, june):
    md = cli("--data", str(june), "report", "--month", "2019-07", "--format", "md", "-o", "-").stdout
    assert "| 27/06/2019 | Implemented (derived from the register: implemented 27 June 2019) |" in md
    html = cli("--data", str(june), "report", "--month", "2019-07", "-o", "-").stdout
    assert 'Implemented <span class="derived">(derived from the register: implemented 27 June 2019)</span>' in html


def test_dcc_own_wording_after_the_fact_stands(cli, june):
    result = cli(
        "--data",
        str(june),
        "record",
        "SECMP0010",
        "dcc-status",
        "--date",
        "2019-06-20",
        "--group",
        "assessment",
        "--status",
        "No outstanding assessment request",
        "--note",
        "WG to decide whether to request an IA",
    )
    assert result.exit_code == 0, result.stderr
    register, _ = validate(june)
    row = dcc_rows(register, "2019-07")["SECMP0010"]
    assert (row.note, row.derived_from) == ("WG to decide whether to request an IA", None)


def test_a_status_no_recorded_event_settles_is_stale_until_dcc_gives_one(cli, data_copy):
    """SECMP0055's 'No system changes. In WG' cannot stand once its Modification Report is approved,
    and no fact says what DCC's status became: validate asks for it, and DCC's status clears it."""
    result = cli("--data", str(data_copy), "record", "SECMP0055", "report-approved", "--date", "2019-05-10")
    assert result.exit_code == 0, result.stderr
    assert "[dcc-status-stale]" in result.stderr
    _, diagnostics = validate(data_copy)
    [stale] = [d for d in diagnostics if d.code == "dcc-status-stale"]
    assert stale.path.endswith("SECMP0055.yaml") and stale.line == 11  # the status it is about
    assert stale.message.startswith(
        "DCC status 'No system changes. In WG' (2019-05-02) predates 'Modification Report approved 10 May 2019', "
        "which moved the modification to Opine, and no recorded event says what DCC's status is now"
    )
    assert (
        cli(
            "--data",
            str(data_copy),
            "record",
            "SECMP0055",
            "dcc-status",
            "--date",
            "2019-05-20",
            "--group",
            "no-further-assessment",
            "--status",
            "No system changes",
        ).exit_code
        == 0
    )
    _, diagnostics = validate(data_copy)
    assert [d for d in diagnostics if d.code == "dcc-status-stale"] == []


def test_a_newly_converted_draft_proposal_is_awaiting_a_pa_request(cli, data_copy):
    """Converted, it is a Modification Proposal in Refine with no PA requested: table 5, as the
    paper lists SECMP0046, with no status typed by hand; its PA request then moves it on."""
    assert cli("--data", str(data_copy), "record", "DP075", "converted", "--date", "2019-06-14").exit_code == 0
    register, _ = validate(data_copy)
    appendix = build(register, "2019-07", CAL).section("appendix.tables")
    [row] = [r for r in appendix.no_assessment_requested if r.number == "MP075"]
    assert (row.status, row.derived_from) == (
        "Awaiting PA request",
        "converted to a Modification Proposal 14 June 2019",
    )
    june = build(register, "2019-06", CAL).section("appendix.tables")
    assert "MP075" not in [r.number for r in june.no_assessment_requested]
    assert (
        cli(
            "--data",
            str(data_copy),
            "record",
            "MP075",
            "assessment-requested",
            "--assessment",
            "PA",
            "--date",
            "2019-06-20",
        ).exit_code
        == 0
    )
    register, diagnostics = validate(data_copy)
    assert [d for d in diagnostics if d.code == "dcc-status-stale"] == []
    assert rows(register, "2019-07")["DP075"][:2] == ("no-assessment-requested", "PA requested")


def test_a_derived_status_goes_stale_too(cli, data_copy):
    """A converted proposal whose Modification Report is approved with no DCC status recorded:
    the warning points at the event that moved it on."""
    for args in (["converted", "--date", "2019-06-14"], ["report-approved", "--date", "2019-07-12"]):
        assert cli("--data", str(data_copy), "record", "DP075", *args).exit_code == 0
    _, diagnostics = validate(data_copy)
    [stale] = [d for d in diagnostics if d.code == "dcc-status-stale"]
    assert stale.message.startswith(
        "Appendix A status 'Awaiting PA request' (derived from 'converted to a "
        "Modification Proposal 14 June 2019') predates 'Modification Report approved "
        "12 July 2019'"
    )


PAPER = dt.date(2019, 5, 2)


def without_statuses(mod, *extra):
    """The modification with its DCC statuses taken out (and ``extra`` events put in)."""
    from secstatus.domain.model import Modification

    events = [e.model_dump() for e in mod.events if e.kind != "dcc-status"] + list(extra)
    return Modification.model_validate({**mod.model_dump(exclude={"events"}), "events": events})


def paper_row(register, ident):
    row = assessment_row(register.modifications[ident], histories(register)[ident], PAPER)
    assert row.derived_from is None  # the paper's own row, as DCC gave it
    return row


def derived_row(mod, day=PAPER):
    from secstatus.domain.timeline import history

    return assessment_row(mod, history(mod), day)


@pytest.mark.parametrize("ident", ["SECMP0007", "SECMP0053", "SECMP0056"])
def test_rule_a_delivered_pa_gives_the_papers_row(register, ident):
    """Table 3, 'No outstanding assessment request', note 'Awaiting IA request'."""
    row = derived_row(without_statuses(register.modifications[ident]))
    expected = paper_row(register, ident)
    assert (row.group, row.status, row.note, row.added) == (expected.group, expected.status, expected.note, None)
    assert row.derived_from.startswith("PA delivered")


@pytest.mark.parametrize("ident", ["SECMP0015", "SECMP0062"])
def test_rule_an_accepted_assessment_gives_the_papers_row(register, ident):
    """Table 3, 'IA in progress' (the paper repeats the status in its notes; the rule does not)."""
    row = derived_row(without_statuses(register.modifications[ident]))
    expected = paper_row(register, ident)
    assert (row.group, row.status) == (expected.group, expected.status) == ("assessment", "IA in progress")
    assert row.derived_from.startswith("IA accepted")


def test_rule_a_requested_assessment_gives_the_papers_row(register):
    """Table 5, as SECMP0067's 'PA requested, seeking clarification from SECAS' begins."""
    from secstatus.domain.model import Assessment

    mod = without_statuses(register.modifications["SECMP0067"])
    mod = mod.model_copy(update={"assessments": [Assessment(type="PA", requested=dt.date(2019, 4, 1))]})
    row, expected = derived_row(mod), paper_row(register, "SECMP0067")
    assert row.group == expected.group and expected.status.startswith(row.status) and row.status == "PA requested"


def test_rule_a_conversion_gives_the_papers_row(register):
    """Table 5, 'Awaiting PA request', as SECMP0046 (in Refine, no PA requested)."""
    mod = without_statuses(register.modifications["DP075"], {"kind": "converted", "date": dt.date(2019, 4, 30)})
    row, expected = derived_row(mod), paper_row(register, "SECMP0046")
    assert (row.group, row.status, row.note) == (expected.group, expected.status, expected.note)


@pytest.mark.parametrize(
    "ident, closing, earlier",
    [
        ("SECMP0043", None, "Awaiting implementation"),  # implemented 23 April 2019
        ("SECMP0042", {"kind": "withdrawn", "date": dt.date(2019, 1, 23)}, "PA in progress"),
        ("SECMP0041", {"kind": "decision", "date": dt.date(2018, 9, 20), "outcome": "rejected"}, "PA in progress"),
    ],
)
def test_rule_a_closing_fact_gives_the_papers_row(register, ident, closing, earlier):
    """Table 6, 'Implemented', 'Withdrawn' or 'Rejected', date added the day it closed: given a
    listing before it (any earlier status) and the closing dated on the paper's 'date added'."""
    mod = register.modifications[ident]
    status = {"kind": "dcc-status", "date": dt.date(2016, 11, 1), "group": "assessment", "status": earlier}
    kept = [
        e.model_dump()
        for e in mod.events
        if e.kind not in ("dcc-status", "withdrawn", "decision") or (closing is None and e.kind != "dcc-status")
    ]
    from secstatus.domain.model import Modification

    events = sorted([status, *kept, *([closing] if closing else [])], key=lambda e: e["date"] or e["on_or_before"])
    derived = derived_row(Modification.model_validate({**mod.model_dump(exclude={"events"}), "events": events}))
    expected = paper_row(register, ident)
    assert (derived.group, derived.status, derived.added) == (expected.group, expected.status, expected.added)
    assert derived.derived_from is not None


def test_a_modification_never_listed_stays_out_when_it_closes(register):
    """SECMP0070, implemented on 26 April 2019 with no DCC status: the paper leaves it out."""
    assert derived_row(register.modifications["SECMP0070"]) is None


def test_a_status_that_agrees_with_a_later_fact_stands(data_copy):
    """SECMP0009: 'Accepted - implemented' on 3 January, implemented on 28 February 2019."""
    register, _ = validate(data_copy)
    mod = register.modifications["SECMP0009"]
    row = assessment_row(mod, histories(register)["SECMP0009"], dt.date(2019, 5, 2))
    assert (row.status, row.added, row.derived_from) == ("Accepted - implemented", dt.date(2019, 1, 3), None)


def test_withdrawal_and_accepted_assessment_derive_rows(cli, data_copy):
    assert cli("--data", str(data_copy), "record", "SECMP0067", "withdrawn", "--date", "2019-06-10").exit_code == 0
    assert (
        cli(
            "--data",
            str(data_copy),
            "record",
            "SECMP0053",
            "assessment-accepted",
            "--assessment",
            "IA",
            "--date",
            "2019-06-12",
            "--target",
            "2019-08-08",
        ).exit_code
        == 0
    )
    register, _ = validate(data_copy)
    july = rows(register, "2019-07")
    assert july["SECMP0067"] == ("no-further-assessment", "Withdrawn", None, dt.date(2019, 6, 10))
    assert july["SECMP0053"][:2] == ("assessment", "IA in progress")
    row = next(r for r in build(register, "2019-07", CAL).section("appendix.tables").assessment if r.number == "0053")
    assert row.in_progress == "IA"
