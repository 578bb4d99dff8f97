"""A register in which one modification is followed closely (issue 21): SECMP0062 of the shipped
register, given the SEC pages' fields, two documents and a progression plan that slips, all in the
June 2019 report's period (after 2 May, up to 4 June 2019), with the June report's record made so
that the register's facts reach 4 June.

- the page's fields: a lead analyst, the latest update of 29 May, the issue, the solution, the
  parties impacted and the SEC documents affected; its route, Authority-determined;
- documents: the DCC Impact Assessment (delivered on 21 May) and the summary of the Working Group
  of 1 May, published on 24 May;
- its plan, baselined on 20 March 2019: the Modification Report to the Panel of 10 May, the
  Refinement Consultation from 13 May, the Change Board vote of 26 June and the Authority's
  decision of 30 September; on 22 May the consultation moved to 10 June and the vote to 24 July;
  the report of 10 May was neither presented nor re-planned: missed by 4 June.

Every value is made up for the exercise: no source gives them (docs: issue 21).
"""

from __future__ import annotations

from pathlib import Path

STEPS: list[list[str]] = [
    ["set", "SECMP0062", "route", "authority"],
    ["set", "SECMP0062", "lead_analyst", "Ann Analyst"],
    [
        "set",
        "SECMP0062",
        "issue",
        "A storm of alerts from devices can flood the DCC's northbound interface, and "
        "Users' own systems with it.\n\nNothing in the SEC lets DCC hold back alerts "
        "during such a storm.",
    ],
    [
        "set",
        "SECMP0062",
        "solution",
        "DCC throttles the alerts a device sends during a storm and tells the User how many it held back.",
    ],
    [
        "set",
        "SECMP0062",
        "impacted_parties",
        "Large Suppliers",
        "Small Suppliers",
        "Electricity Network Parties",
        "Gas Network Parties",
        "DCC",
    ],
    ["set", "SECMP0062", "affected_documents", "Section H", "Appendix AD"],
    [
        "set",
        "SECMP0062",
        "latest_update",
        "--date",
        "2019-05-29",
        "DCC delivered its Impact Assessment on 21 May. The Working Group will review it on 5 June; the Refinement "
        "Consultation and the Change Board vote have moved a month later.",
    ],
    ["record", "SECMP0062", "assessment-delivered", "--assessment", "IA", "--date", "2019-05-21"],
    [
        "record",
        "SECMP0062",
        "document",
        "--date",
        "2019-05-21",
        "--title",
        "DCC Impact Assessment",
        "--url",
        "https://smartenergycodecompany.co.uk/docs/secmp0062-dcc-impact-assessment.pdf",
    ],
    [
        "record",
        "SECMP0062",
        "document",
        "--date",
        "2019-05-24",
        "--title",
        "Working Group meeting summary, 1 May 2019",
        "--url",
        "https://smartenergycodecompany.co.uk/docs/secmp0062-working-group-summary-2019-05.pdf",
    ],
    ["plan", "SECMP0062", "report-to-panel", "2019-05-10", "--decided", "2019-03-20"],
    ["plan", "SECMP0062", "refinement-consultation", "2019-05-13", "--decided", "2019-03-20"],
    ["plan", "SECMP0062", "change-board-vote", "2019-06-26", "--decided", "2019-03-20"],
    ["plan", "SECMP0062", "authority-decision", "2019-09-30", "--decided", "2019-03-20"],
    [
        "plan",
        "SECMP0062",
        "refinement-consultation",
        "2019-06-10",
        "--decided",
        "2019-05-22",
        "--note",
        "the Impact Assessment came late",
    ],
    [
        "plan",
        "SECMP0062",
        "change-board-vote",
        "2019-07-24",
        "--decided",
        "2019-05-22",
        "--note",
        "after the Refinement Consultation",
    ],
    ["new", "report", "2019-06", "--author", "Ann Analyst"],
]


def follow(cli, data: Path) -> Path:
    """Make the register in ``data`` (a copy of the shipped one) the followed register, with
    ``cli`` (the CLI runner fixture); returns ``data``."""
    for step in STEPS:
        result = cli("--data", str(data), *step)
        assert result.exit_code == 0, (step, result.stderr)
    return data
