"""Documents as dated events (issue 21 point 2): ``secstatus record ID document --date D --title T
--url U``; the site's page lists them dated and linked, the Atom feed announces each, and the
monthly report lists those of its period. The kind's place among every consumer of the event
declarations (the fold, ``record``, ``changes``, both reports, the period rule) is tested with the
other kinds: tests/test_events.py, tests/test_timeline.py, tests/test_report_period.py."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from test_page_fields import page

IA = ("DCC Impact Assessment", "https://smartenergycodecompany.co.uk/docs/secmp0062-ia.pdf")


def record(cli, data: Path, day: str = "2019-04-24", title: str = IA[0], url: str = IA[1]):
    result = cli("--data", str(data), "record", "SECMP0062", "document", "--date", day, "--title", title, "--url", url)
    assert result.exit_code == 0, result.stderr
    return result


def test_record_writes_a_document_and_show_says_it(cli, data_copy: Path):
    result = record(cli, data_copy)
    assert "SECMP0062: document published on 2019-04-24" in result.stderr
    text = (data_copy / "modifications" / "SECMP0062.yaml").read_text(encoding="utf-8")
    assert f'  - kind: document\n    date: 2019-04-24\n    title: {IA[0]}\n    url: "{IA[1]}"\n' in text
    shown = cli("--data", str(data_copy), "show", "SECMP0062", "--as-at", "2019-05-02").stdout
    assert f"  document published ‘{IA[0]}’ 24 April 2019 ({IA[1]})" in shown.splitlines()


def test_a_document_needs_a_title_and_a_web_address(cli, data_copy: Path):
    missing = cli("--data", str(data_copy), "record", "SECMP0062", "document", "--date", "2019-04-24", "--title", "X")
    assert missing.exit_code == 2 and "Missing option '--url': 'document' needs it" in missing.stderr
    bad = cli(
        "--data",
        str(data_copy),
        "record",
        "SECMP0062",
        "document",
        "--date",
        "2019-04-24",
        "--title",
        "X",
        "--url",
        "file:///etc/passwd",
    )
    assert bad.exit_code == 1 and "is not a web address" in bad.stderr
    empty = cli(
        "--data",
        str(data_copy),
        "record",
        "SECMP0062",
        "document",
        "--date",
        "2019-04-24",
        "--title",
        " ",
        "--url",
        IA[1],
    )
    assert empty.exit_code == 1 and "--title is empty" in empty.stderr


def test_the_page_lists_documents_dated_and_linked(cli, data_copy: Path):
    record(cli, data_copy)
    record(cli, data_copy, "2019-05-10", "Modification Report", "https://example.org/mr.pdf")
    html = page(data_copy, "SECMP0062", dt.date(2019, 5, 2))
    section = html.split('<h2 id="documents">Documents</h2>', 1)[1].split("</section>", 1)[0]
    assert re.sub(r"\s+", " ", section).strip() == (
        f'<ul class="documents"> <li><a href="{IA[1]}">{IA[0]}</a>, '
        '<time datetime="2019-04-24">24 April 2019</time></li> </ul>'
    )  # the later one not yet published
    assert (
        f'<time datetime="2019-04-24">24 April 2019</time>: document published, <a href="{IA[1]}">{IA[0]}</a>' in html
    )  # and in the timeline
    assert 'id="documents"' not in page(data_copy, "SECMP0055", dt.date(2019, 5, 2))


def test_a_document_is_news_in_the_feed(cli, data_copy: Path):
    import xml.etree.ElementTree as ET

    from secstatus.register.checks import validate
    from secstatus.site import feeds, pages

    record(cli, data_copy)
    register, _ = validate(data_copy)
    changes = pages.changes(register, dt.date(2019, 5, 2))
    found = [c for c in changes if c["uid"].startswith("SECMP0062-event-document")]
    assert [(c["date"], c["title"], c["page"], c["related"]) for c in found] == [
        (dt.date(2019, 4, 24), f"SECMP0062: ‘{IA[0]}’ published", "modifications/SECMP0062.html", IA[1])
    ]
    atom = ET.fromstring(feeds.atom(changes, dt.date(2019, 5, 2), "t"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = next(e for e in atom.findall("a:entry", ns) if e.find("a:title", ns).text == found[0]["title"])
    assert [link.get("href") for link in entry.findall("a:link", ns)] == [IA[1]]
    assert entry.find("a:published", ns).text == "2019-04-24T00:00:00+00:00"


def test_the_report_lists_the_documents_of_its_period_linked(cli, data_copy: Path):
    record(cli, data_copy)
    record(cli, data_copy, "2019-05-10", "Modification Report", "https://example.org/mr.pdf")  # June's news
    html = cli("--data", str(data_copy), "report", "--month", "2019-05", "--format", "html", "-o", "-").stdout
    assert "<h3>Documents published since the last report</h3>" in html
    assert (
        f"24 April 2019: SECMP0062 ‘Northbound Application Traffic Management - Alert Storm Protection’: "
        f'<a href="{IA[1]}">{IA[0]}</a>' in html
    )
    assert "Modification Report</a>" not in html
    md = cli("--data", str(data_copy), "report", "--month", "2019-05", "--format", "md", "-o", "-").stdout
    assert "**Documents published since the last report:**" in md
    assert f"[{IA[0]}]({IA[1]})" in md.replace("\\", "")
    june = cli("--data", str(data_copy), "report", "--month", "2019-06", "--format", "md", "-o", "-").stdout
    assert "[Modification Report](https://example.org/mr.pdf)" in june.replace("\\", "") and IA[0] not in june


def test_a_report_without_documents_has_no_heading_for_them(cli):
    for fmt in ("html", "md"):
        text = cli("report", "--month", "2019-05", "--format", fmt, "-o", "-").stdout
        assert "Documents published" not in text
