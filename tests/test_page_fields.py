"""The SEC pages' fields (issue 21 point 1) wherever a modification is shown: ``show`` (text and
JSON), the site's modification page, and the monthly report where the paper has a place for them
(a new Draft Proposal is described by the issue it raises). Setting and importing them is in
tests/test_set.py and tests/test_import.py."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

PAGE_FIELDS = [
    ("lead_analyst", "Ann Analyst"),
    ("impacted_parties", "Large Suppliers", "Small Suppliers", "DCC"),
    ("affected_documents", "Section L", "Appendix L"),
    ("issue", "Certificates go astray.\n\nA second paragraph."),
    ("solution", "Check them at the gateway."),
]


def fill(cli, data: Path, ident: str = "SECMP0062", update: str = "2019-04-20") -> None:
    for name, *values in PAGE_FIELDS:
        assert cli("--data", str(data), "set", ident, name, *values).exit_code == 0, name
    result = cli("--data", str(data), "set", ident, "latest_update", "--date", update, "The IA is due.\nThen a vote.")
    assert result.exit_code == 0, result.stderr


def page(data: Path, file_id: str, as_at: dt.date) -> str:
    """One modification's page of the site, rendered as ``secstatus site`` renders it (text only)."""
    from secstatus.domain.workdays import calendar_for
    from secstatus.output.render import environment, template_dirs
    from secstatus.register.checks import validate
    from secstatus.site import pages as site_data
    from secstatus.site.build import Pages

    register, _ = validate(data)
    dirs = template_dirs(data)
    pages = Pages(environment(dirs, "html"), dirs, as_at)
    found = site_data.modification(
        register,
        register.modifications[file_id],
        calendar_for(register.calendar_days),
        as_at,
        None,
        site_data.meetings_by_body(register),
    )
    pages.add(site_data.mod_page(file_id), "modification.html", m=found)
    return pages.files[site_data.mod_page(file_id)].decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_show_gives_the_page_fields_in_text_and_json(cli, data_copy: Path):
    fill(cli, data_copy)
    text = cli("--data", str(data_copy), "show", "SECMP0062", "--as-at", "2019-05-02").stdout
    for line in (
        "lead analyst: Ann Analyst",
        "latest update, 20 April 2019: The IA is due. Then a vote.",
        "issue: Certificates go astray. A second paragraph.",
        "solution: Check them at the gateway.",
        "impacted parties: Large Suppliers; Small Suppliers; DCC",
        "affected documents: Section L; Appendix L",
    ):
        assert line in text.splitlines(), line
    facts = json.loads(
        cli("--data", str(data_copy), "show", "SECMP0062", "--as-at", "2019-05-02", "--format", "json").stdout
    )
    assert facts["lead_analyst"] == "Ann Analyst" and facts["solution"] == "Check them at the gateway."
    assert facts["issue"] == "Certificates go astray.\n\nA second paragraph."
    assert facts["impacted_parties"] == ["Large Suppliers", "Small Suppliers", "DCC"]
    assert facts["affected_documents"] == ["Section L", "Appendix L"]
    assert facts["latest_update"] == {"date": "2019-04-20", "text": "The IA is due.\nThen a vote."}


def test_a_latest_update_is_not_shown_before_its_day(cli, data_copy: Path):
    """As the register knew it on 2 April 2019, the update of 20 April had not been given."""
    fill(cli, data_copy)
    facts = json.loads(
        cli("--data", str(data_copy), "show", "SECMP0062", "--as-at", "2019-04-02", "--format", "json").stdout
    )
    assert facts["latest_update"] is None and facts["lead_analyst"] == "Ann Analyst"
    assert "latest update" not in cli("--data", str(data_copy), "show", "SECMP0062", "--as-at", "2019-04-02").stdout
    assert "Latest update" not in page(data_copy, "SECMP0062", dt.date(2019, 4, 2))


def test_a_record_without_them_shows_none_of_their_headings(data_copy: Path):
    html = page(data_copy, "SECMP0062", dt.date(2019, 5, 2))
    for heading in (
        "Lead analyst",
        "Latest update",
        "What is the issue?",
        "What is the solution?",
        "Who is impacted?",
        "What SEC documents are affected?",
    ):
        assert heading not in html, heading


def test_the_site_page_shows_them_as_the_sec_pages_do(cli, data_copy: Path):
    fill(cli, data_copy)
    html = page(data_copy, "SECMP0062", dt.date(2019, 5, 2))
    text = text_of(html)
    assert "Lead analyst Ann Analyst" in text
    assert '<h2 id="latest-update">Latest update</h2>' in html
    assert '<time datetime="2019-04-20">20 April 2019</time>' in html
    assert (
        '<h2 id="issue">What is the issue?</h2>\n<p class="text">Certificates go astray.</p>'
        '<p class="text">A second paragraph.</p>' in html
    )
    assert "What is the solution? Check them at the gateway." in text
    assert '<ul class="impacted-parties"><li>Large Suppliers</li><li>Small Suppliers</li><li>DCC</li></ul>' in html
    assert '<ul class="affected-documents"><li>Section L</li><li>Appendix L</li></ul>' in html


def test_a_new_draft_proposal_is_described_by_its_issue_in_both_reports(cli, data_copy: Path):
    """The paper describes each new Draft Proposal by the issue it raises: its issue where held,
    else its summary (as every shipped one is)."""
    issue = "Suppliers are left receiving alerts."
    for fmt in ("html", "md"):
        before = cli("--data", str(data_copy), "report", "--month", "2019-05", "--format", fmt, "-o", "-").stdout
        assert "This Draft Proposal highlights the issue" in before
    assert cli("--data", str(data_copy), "set", "DP072", "issue", issue).exit_code == 0
    for fmt in ("html", "md"):
        after = cli("--data", str(data_copy), "report", "--month", "2019-05", "--format", fmt, "-o", "-").stdout
        assert issue in after and "This Draft Proposal highlights the issue" not in after, fmt
