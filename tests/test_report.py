"""The monthly report: the May 2019 paper's facts in HTML, PDF and Markdown, computed from the register."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import DATA, run_in_process, run_process

from secstatus.domain.workdays import default_calendar
from secstatus.output.render import local_only_fetcher, render_pdf, template_dirs
from secstatus.report.build import build, period_for

# Facts of the May 2019 paper that the register reproduces (whitespace-normalised).
GOLDEN = [
    "Change Status Report – May 2019",
    "SECP_68_1005_07",
    "Jordan Crase",
    "2 May 2019",
    "The Panel are requested to NOTE the contents of this report.",
    "There are no Draft Proposals being presented to the Panel for conversion to Modification Proposals this month.",
    "There is one Modification Report being presented to the Panel this month",
    "SECMP0055 ‘Incorporation of multiple Issue Resolution Proposals into the SEC’",
    "The Change Board approved two Modification Proposals under Self-Governance on 24 April 2019",
    "SECMP0058 ‘Changes to the governance of the Self-Service Interface’",
    "SECMP0060 ‘Amend Requirements to remove ‘Pending’ devices from SMI’",
    "The Authority approved two Modification Proposals on 5 April 2019",
    "SECMP0025 ‘Electricity Network Party Access to Load Switching Information’",
    "DP072 ‘Change of Supplier process’ was raised by SmartestEnergy on 10 April 2019.",
    "DP073 ‘Alteration of SMKI Repository information and documentation’ was raised by SMKI PMA on 23 April 2019.",
    "DP074 ‘Clarity on Obtaining SMKI Device Certificates’ was raised by SMKI PMA on 26 April 2019.",
    "DP075 ‘Third Party metering service providers’ was raised by Gazprom on 30 April 2019.",
    "DP071 ‘Second-Comer Charging’",
    "The monthly Working Group meeting was held on 1 May 2019",
    "SECMP0024 ‘Enduring Approach to Communication Hub Firmware Management’",
    "The next monthly Working Group meeting will be on 5 June 2019.",
    "There are currently no modifications out for Refinement Consultation.",
    "There are currently no modifications out for Modification Report Consultation.",
    "approved under Self-Governance for implementation on 27 June 2019 (June 2019 SEC Release)",
    "approved under Self-Governance for implementation on 7 November 2019 (November 2019 SEC Release)",
    "was approved for implementation on 23 April 2019 (10 Working Days following approval)",
    "SEC Version 6.10 became effective on 15 April 2019",
    "was implemented on 23 April 2019. This resulted in SEC Version 6.11 being designated.",
    "was implemented on 26 April 2019. This resulted in SEC Version 6.12 being designated.",
    "There is one modification approved for implementation in the June 2019 SEC Release (27 June 2019)",
    "There are five modifications approved for implementation in the November 2019 SEC Release (7 November 2019)",
    "SECMP0069 ‘EU Exit Changes’ is to be implemented on UK EU Exit Day.",
    "Modifications open (pre-decision)",
    "Appendix A: DCC Preliminary Assessments and Impact Assessments Update",
    "PA costs being re-assessed to try to lower costs at DCC’s request",
    "With proposer to clarify requirements.",
    "Awaiting Implentation",  # kept as DCC printed it (validation warns)
    "03/01/2019",  # SECMP0009's date added, printed '03/012019'
]


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


def html_text(html: str) -> str:
    return normalise(re.sub(r"<[^>]+>", " ", html).replace("&amp;", "&").replace(" ’", "’"))


@pytest.fixture(scope="module")
def may_html(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("html") / "may.html"
    result = run_in_process("--data", str(DATA), "report", "--month", "2019-05", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def may_pdf(tmp_path_factory):
    """The May 2019 PDF made by a real process, read back with pypdf: (reader, text)."""
    from pypdf import PdfReader

    out = tmp_path_factory.mktemp("pdf") / "may.pdf"
    result = run_process("--data", str(DATA), "report", "--month", "2019-05", "--format", "pdf", "-o", str(out))
    assert result.returncode == 0, result.stderr
    reader = PdfReader(out)
    return reader, normalise(" ".join(page.extract_text() for page in reader.pages))


def test_html_holds_the_papers_facts(may_html):
    text = html_text(may_html)
    missing = [fact for fact in GOLDEN if normalise(fact) not in text]
    assert missing == []


def test_stage_banner_is_drawn_with_the_counts(may_html):
    banner = re.search(r'<svg class="banner".*?</svg>', may_html, re.S).group(0)
    assert [int(n) for n in re.findall(r">(\d\d)</text>", banner)] == [5, 18, 0, 7]
    assert "Define 5, Refine 18, Opine 0, Release 7" in banner


@pytest.mark.slow
def test_pdf_holds_the_papers_facts(may_pdf):
    _, text = may_pdf
    missing = [fact for fact in GOLDEN if normalise(fact) not in text]
    assert missing == []


@pytest.mark.slow
def test_pdf_is_a4_with_pages_bookmarks_metadata_and_links(may_pdf):
    pdf, _ = may_pdf
    box = pdf.pages[1].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert f"Page 2 of {len(pdf.pages)}" in pdf.pages[1].extract_text()
    assert "SECP_68_1005_07" in pdf.pages[1].extract_text()
    assert pdf.metadata.title == "Change Status Report – May 2019" and pdf.metadata.author == "Jordan Crase"
    titles = [item.title for item in pdf.outline if not isinstance(item, list)]
    assert {"1. Summary", "2. Define", "3. Refine", "4. Opine", "5. Release"} <= set(titles)
    uris = {a.get_object()["/A"].get("/URI") for page in pdf.pages for a in page.get("/Annots") or []}
    assert "https://smartenergycodecompany.co.uk/modifications/eu-exit-changes/" in uris


def test_markdown_holds_the_papers_facts(cli):
    result = cli("--data", str(DATA), "report", "--month", "2019-05", "--format", "md", "-o", "-")
    assert result.exit_code == 0
    text = normalise(re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", result.stdout).replace("\\", "").replace("**", ""))
    for fact in [
        "Change Status Report – May 2019",
        "SECP_68_1005_07",
        "| 05 | 18 | 00 | 07 |",
        "SECMP0055 ‘Incorporation of multiple Issue Resolution Proposals into the SEC’",
        "Change Board, 24 April 2019: SECMP0058",
        "Authority, 5 April 2019: SECMP0043",
        "The next monthly Working Group meeting will be on 5 June 2019.",
        "SEC Version 6.11",
        "November 2019 SEC Release (7 November 2019)",
        "SECMP0069 ‘EU Exit Changes’",
    ]:
        assert normalise(fact) in text, fact


@pytest.mark.slow
def test_html_is_byte_identical_across_runs(tmp_path):
    """Two real processes, each with a hash seed of its own and nothing in memory from the other."""
    outputs = []
    for name in ("a.html", "b.html"):
        assert (
            run_process("--data", str(DATA), "report", "--month", "2019-05", "-o", str(tmp_path / name)).returncode == 0
        )
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]


def test_html_is_one_accessible_self_contained_file(may_html):
    assert may_html.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in may_html
    assert '<th scope="col">' in may_html and "<caption>" in may_html
    assert "<link" not in may_html and "<script" not in may_html and "<style>" in may_html


def test_june_report_shows_june_and_does_not_repeat_may(register):
    cal = default_calendar()
    june = build(register, "2019-06", cal)
    assert str(june.cover.date) == "2019-06-04" and str(june.period.since) == "2019-05-02"
    assert str(june.period.cut_off) == "2019-05-31"
    assert all(d.days == () for d in june.section("opine.decisions"))
    assert june.section("define.new_drafts") == () and june.section("release.implemented") == ()
    assert june.section("refine.working_groups").meetings == ()
    assert str(june.section("refine.working_groups").next) == "2019-06-05"
    # SECMP0053's PA was delivered on 1 May: no longer open at the end of May, and completed this year.
    assert [r.id for r in june.section("refine.assessments").open] == ["SECMP0015", "SECMP0062"]
    assert "SECMP0053" in [r.id for r in june.section("refine.assessments").completed]


def test_period_rule():
    from secstatus.register.checks import validate

    register, _ = validate(DATA)
    may = period_for(register, "2019-05", default_calendar())
    assert (str(may.since), str(may.date), str(may.cut_off)) == ("2019-04-02", "2019-05-02", "2019-04-30")


def test_hostile_titles_are_printed_as_text(cli, data_copy, tmp_path):
    path = data_copy / "modifications" / "DP075.yaml"
    path.write_text(
        path.read_text().replace(
            "title: Third Party metering service providers", 'title: "<script>alert(1)</script> {{ 7 * 7 }}"'
        )
    )
    out = tmp_path / "r.html"
    assert cli("--data", str(data_copy), "report", "--month", "2019-05", "-o", str(out)).exit_code == 0
    html = out.read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7 * 7 }}" in html
    assert "<script>" not in html and "49" not in re.findall(r"DP075[^<]*", html)[0]
    md = cli("--data", str(data_copy), "report", "--month", "2019-05", "--format", "md", "-o", "-").stdout
    assert "&lt;script&gt;" in md and "<script>" not in md


@pytest.mark.slow
def test_pdf_fetches_nothing_outside_the_templates(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "extra.css").write_text("p { color: red }")
    html = (
        '<html><head><link rel="stylesheet" href="extra.css">'
        '<link rel="stylesheet" href="http://169.254.169.254/latest/meta-data/"></head>'
        '<body><p>hello</p><img src="file:///etc/passwd"><img src="https://example.org/x.png">'
        f'<img src="{(tmp_path / "secret.png").as_uri()}"></body></html>'
    )
    (tmp_path / "secret.png").write_bytes(b"not for the report")
    fetcher = local_only_fetcher([templates])
    pdf = render_pdf(html, [templates], fetcher)
    assert pdf.startswith(b"%PDF")
    assert sorted(fetcher.refused) == sorted(
        [
            "http://169.254.169.254/latest/meta-data/",
            "file:///etc/passwd",
            "https://example.org/x.png",
            (tmp_path / "secret.png").as_uri(),
        ]
    )


def test_register_templates_come_first(cli, data_copy):
    own = data_copy.parent / "templates"
    own.mkdir()
    (own / "report.md").write_text("Our own report for {{ report.cover.month | month_year }}\n")
    result = cli("--data", str(data_copy), "report", "--month", "2019-05", "--format", "md", "-o", "-")
    assert result.stdout == "Our own report for May 2019\n"
    assert template_dirs(data_copy)[0] == own.resolve()


def test_broken_register_template_is_a_clear_error(cli, data_copy):
    own = data_copy.parent / "templates"
    own.mkdir()
    (own / "report.md").write_text("{% for x in %}\n")
    result = cli("--data", str(data_copy), "report", "--month", "2019-05", "--format", "md", "-o", "-")
    assert result.exit_code == 1 and "report.md:1: template error" in result.stderr


def test_default_file_name_and_atomic_write(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("--data", str(DATA), "report", "--month", "2019-05", "--format", "md")
    assert result.exit_code == 0 and "wrote change-status-report-2019-05.md" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["change-status-report-2019-05.md"]
    missing = tmp_path / "no-such-folder" / "r.html"
    failed = cli("--data", str(DATA), "report", "--month", "2019-05", "-o", str(missing))
    assert failed.exit_code == 1 and "cannot write" in failed.stderr and not missing.parent.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--month", "2010-01"], "no report for 2010-01"),
        (["--month", "2019-05", "--format", "pdf", "-o", "-"], "cannot be written to stdout"),
    ],
)
def test_report_refusals(cli, args, message):
    result = cli("--data", str(DATA), "report", *args)
    assert result.exit_code == 1 and message in result.stderr


@pytest.mark.slow
def test_html_report_does_not_import_weasyprint(tmp_path):
    code = (
        "import sys; from secstatus.cli import main\n"
        "try:\n    main(['--data', sys.argv[1], 'report', '--month', '2019-05', '-o', sys.argv[2]])\n"
        "except SystemExit:\n    pass\n"
        "print('weasyprint' in sys.modules)"
    )
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", code, str(DATA), str(tmp_path / "r.html")], capture_output=True, text=True, check=True
    ).stdout
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")  # the report was really made
    assert out.strip() == "False"


@pytest.mark.slow
def test_pdf_is_byte_identical_across_runs(may_html, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    dirs = template_dirs(DATA)
    first = render_pdf(may_html, dirs, day=dt.date(2019, 5, 2))
    second = render_pdf(may_html, dirs, day=dt.date(2019, 5, 2))
    assert first == second


# --- the PDF reads like a finished paper: no orphaned heading, no page left mostly empty

TOP_MM, BOTTOM_MM = 22, 20  # the @page margins of report.css; the running header and footer sit outside
PT_PER_MM = 72 / 25.4


def page_lines(page) -> list[tuple[float, str]]:
    """The body text of a PDF page as (baseline height, line text), top to bottom; header and footer left out."""
    height = float(page.mediabox.height)
    top, bottom = height - TOP_MM * PT_PER_MM, BOTTOM_MM * PT_PER_MM
    lines: dict[float, list[str]] = {}

    def visit(text, cm, tm, font, size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and bottom < y < top:
            lines.setdefault(round(y), []).append(text.strip())

    page.extract_text(visitor_text=visit)
    return [(y, normalise(" ".join(lines[y]))) for y in sorted(lines, reverse=True)]


def headings(html: str) -> set[str]:
    found = re.findall(r"<(h[1-3]|caption)\b[^>]*>(.*?)</\1>", html, re.S)
    return {html_text(text) for _, text in found}


def layout_faults(reader, html: str) -> list[str]:
    """Pages that end with a heading (or a heading's last line), and pages before the last that
    are less than a quarter full (their lowest line is above three quarters of the body's height)."""
    titles = headings(html)
    faults = []
    for number, page in enumerate(reader.pages, start=1):
        lines = page_lines(page)
        if not lines:
            faults.append(f"page {number} is empty")
            continue
        last = lines[-1][1]
        if any(last == t or (" " in last and t.endswith(last)) for t in titles):
            faults.append(f"page {number} ends with the heading {last!r}")
        height = float(page.mediabox.height)
        top, bottom = height - TOP_MM * PT_PER_MM, BOTTOM_MM * PT_PER_MM
        filled = (top - lines[-1][0]) / (top - bottom)
        if number < len(reader.pages) and filled < 0.25:
            faults.append(f"page {number} is {filled:.0%} full")
    return faults


@pytest.mark.slow
def test_layout_check_finds_what_it_looks_for():
    """The check itself can fail: a heading cut from its text, and pages left nearly empty."""
    import io

    from pypdf import PdfReader

    html = (
        "<html><head><style>@page { size: A4; margin: 22mm 16mm 20mm 16mm }"
        " h2 { margin: 0; break-after: auto }</style></head>"
        '<body><div style="height: 245mm"></div><h2>Lonely heading</h2><p>Body text.</p>'
        '<p style="break-before: page">Short.</p><p style="break-before: page">Last.</p></body></html>'
    )
    reader = PdfReader(io.BytesIO(render_pdf(html, template_dirs(DATA), day=dt.date(2019, 5, 2))))
    assert len(reader.pages) == 4
    faults = layout_faults(reader, html)
    assert faults[0] == "page 1 ends with the heading 'Lonely heading'"
    assert [f.split(" is ")[0] for f in faults[1:]] == ["page 2", "page 3"]


@pytest.mark.slow
def test_may_pdf_has_no_orphaned_heading_or_near_empty_page(may_pdf, may_html):
    pdf, _ = may_pdf
    assert layout_faults(pdf, may_html) == []


@pytest.mark.slow
def test_quiet_month_pdf_has_no_orphaned_heading_or_near_empty_page(tmp_path):
    from pypdf import PdfReader

    html, pdf = tmp_path / "aug.html", tmp_path / "aug.pdf"
    for out, fmt in ((html, "html"), (pdf, "pdf")):
        result = run_in_process("--data", str(DATA), "report", "--month", "2019-08", "--format", fmt, "-o", str(out))
        assert result.returncode == 0, result.stderr
    assert layout_faults(PdfReader(pdf), html.read_text(encoding="utf-8")) == []


def test_short_date_prints_what_strftime_printed():
    """Appendix A's dates are formatted without strftime (it was a cost per cell); the bytes are
    the same, down to a year before 1000, which glibc's %Y leaves unpadded."""
    import datetime as dt

    from secstatus.output.render import short_date

    days = [dt.date(1, 1, 1), dt.date(999, 1, 2), dt.date(1000, 10, 10), dt.date(2019, 5, 2), dt.date(9999, 12, 31)]
    assert [short_date(d) for d in days] == [f"{d:%d/%m/%Y}" for d in days]
    assert short_date(None) == "" and short_date("2019-05-02") == "02/05/2019"


def _report_text(cli, data, month: str, fmt: str) -> str:
    result = cli("--data", str(data), "report", "--month", month, "--format", fmt, "-o", "-")
    assert result.exit_code == 0, result.stderr
    text = re.sub(r"<[^>]+>|\[|\]\([^)]*\)|\\", "", result.stdout)
    return re.sub(r"\s+", " ", text)


def change_board_approves_secmp0046(cli, data: list[str]) -> None:
    """SECMP0046's Modification Report approved on 10 April 2019, then the Change Board's vote for
    approval into the November 2019 release on 24 April 2019."""
    assert cli(*data, "record", "SECMP0046", "report-approved", "--date", "2019-04-10").exit_code == 0
    vote = ["change-board-vote", "--date", "2019-04-24", "--outcome", "approved", "--release", "2019-11"]
    assert cli(*data, "record", "SECMP0046", *vote).exit_code == 0


def test_a_change_board_recommendation_is_said_as_one_and_stays_in_opine(cli, data_copy):
    """On a route the Authority decides, the Change Board's approval is a recommendation in every
    format, with no implementation date, and the modification waits in Opine, not in Release."""
    path = data_copy / "modifications" / "SECMP0046.yaml"
    path.write_text(path.read_text().replace("\nevents:", "\nroute: authority\nevents:", 1))
    data = ["--data", str(data_copy)]
    change_board_approves_secmp0046(cli, data)
    title = "SECMP0046 ‘Allow DNOs to control Electric Vehicle chargers connected to Smart Meter infrastructure’"
    for fmt in ("html", "md"):
        text = _report_text(cli, data_copy, "2019-05", fmt)
        assert f"{title} was recommended to the Authority for approval" in text, fmt
        assert f"{title} was recommended to the Authority for approval for implementation" not in text, fmt
        assert "recommendation to the Authority" not in text and "(recommendation)" not in text
        release = text.split("Approved for release", 1)[1].split("Appendix A", 1)[0]
        assert title not in release, fmt
    from secstatus.register.checks import validate

    register, _ = validate(data_copy)
    june = build(register, "2019-06", default_calendar())
    assert [s.count for s in june.stages] == [5, 17, 1, 7]  # SECMP0046 in Opine at the end of May
    vote = june.section("opine.decisions")[0]
    assert vote.days == ()  # the vote was May's news
    may = build(register, "2019-05", default_calendar())
    row = next(r for r in may.section("opine.decisions")[0].days[0].entries if r.id == "SECMP0046")
    assert (row.id, row.recommendation, row.implementation) == ("SECMP0046", True, None)


def test_a_consultation_between_two_reports_is_in_the_report_after_it(cli, data_copy):
    """SECMP0055's Modification Report Consultation (13 May to 3 June 2019) and SECMP0056's Refinement
    Consultation (7 to 28 June 2019) open and close between two reports: each is in the next one."""
    data = ["--data", str(data_copy)]
    for argv in (
        ["SECMP0055", "report-approved", "--date", "2019-05-10"],
        ["SECMP0055", "report-consultation", "--date", "2019-05-13", "--closes", "2019-06-03"],
        ["SECMP0056", "refinement-consultation", "--date", "2019-06-07", "--closes", "2019-06-28"],
    ):
        assert cli(*data, "record", *argv).exit_code == 0
    mrc = "‘Incorporation of multiple Issue Resolution Proposals into the SEC’: issued 13 May 2019, closed 3 June 2019"
    rc_ = "‘IHD / PPMID Zigbee Attributes Available on the HAN’: issued 7 June 2019, closed 28 June 2019"
    for fmt in ("html", "md"):
        may, june, july = (_report_text(cli, data_copy, m, fmt) for m in ("2019-05", "2019-06", "2019-07"))
        assert mrc in june and mrc not in may and mrc not in july, fmt
        assert rc_ in july and rc_ not in june, fmt
        assert "There are currently no modifications out for Modification Report Consultation." not in june
        assert "There are currently no modifications out for Refinement Consultation." not in july


def test_a_consultation_still_open_is_named_again_without_its_issue(cli, data_copy):
    data = ["--data", str(data_copy)]
    assert (
        cli(
            *data, "record", "SECMP0056", "refinement-consultation", "--date", "2019-05-20", "--closes", "2019-07-05"
        ).exit_code
        == 0
    )
    for fmt in ("html", "md"):
        june, july = (_report_text(cli, data_copy, m, fmt) for m in ("2019-06", "2019-07"))
        assert "issued 20 May 2019, closing 5 July 2019" in june
        assert "still out for consultation, closing 5 July 2019" in july and "20 May 2019" not in july


def test_a_change_board_vote_with_no_route_recorded_is_the_decision_and_says_so(cli, data_copy):
    """Where no route is recorded the fold counts the vote as the decision (Release), and the
    report says it was approved without calling it a recommendation."""
    data = ["--data", str(data_copy)]
    change_board_approves_secmp0046(cli, data)
    for fmt in ("html", "md"):
        text = _report_text(cli, data_copy, "2019-05", fmt)
        assert (
            "Smart Meter infrastructure’ was approved (governance route not recorded) for implementation on "
            "7 November 2019" in text
        ), fmt
        assert "recommended" not in text and "recommendation to" not in text, fmt
        release = text.split("Approved for release", 1)[1].split("Appendix A", 1)[0]
        assert "SECMP0046" in release, fmt


@pytest.mark.slow
def test_the_report_carries_a_content_security_policy_that_leaves_the_pdf_as_it_was(cli, tmp_path):
    """The HTML report forbids every script and every load, and allows its one inline style sheet
    by its hash; WeasyPrint reads no policy, so the PDF is the same bytes without the line."""
    from site_support import assert_strict_policy

    out = tmp_path / "r.html"
    assert cli("report", "--month", "2019-05", "-o", str(out)).exit_code == 0
    html = out.read_text()
    found = assert_strict_policy(html, "report.html")
    assert len(found.styles) == 1 and "script-src" not in found.policy
    line = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n', html).group()
    dirs, day = template_dirs(DATA), dt.date(2019, 5, 2)
    assert render_pdf(html, dirs, day=day) == render_pdf(html.replace(line, ""), dirs, day=day)
