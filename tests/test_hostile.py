"""The hostile twin of the register (``hostile_twin``) through every output, against its benign twin.

A pull request puts an attack into every free-text field of every record type, commits it under
a hostile subject and author, and adds a file with a hostile name; ``validate --strict`` passes.
Every output is then made from both twins, and the hostile one must have exactly the structure
of the benign one: the same elements and attributes in every HTML page (report, archived
reports, site pages), the same Markdown elements, the same XML elements in the feed, the same
calendar lines, the same JSON shapes, CSV cells and terminal lines, the same links, and a PDF of
as many pages. Nothing the attack wrote becomes markup, a link target, a style, a script or a new
line; its words are still there, as text.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hostile_twin import ATTACK_AUTHOR, URL_HOST, free_text_fields, make_twin
from test_markdown import hrefs as markdown_hrefs
from test_markdown import structure as markdown_structure

AS_AT = "2019-05-02"
SHOWN = ("DP075", "SECMP0062", "SECMP0058")
"""Modifications shown and followed through history: a Draft Proposal, one with assessments, one decided."""


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    """Each twin's repository, by hostility."""
    return {
        hostile: make_twin(tmp_path_factory.mktemp("twin") / ("hostile" if hostile else "benign"), hostile)
        for hostile in (True, False)
    }


def run(twin, *args: str) -> str:
    from click.testing import CliRunner

    from secstatus.cli import main

    result = CliRunner().invoke(main, ["--data", str(twin.data), *args], catch_exceptions=False)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


TERMINAL = {
    "list": ("list", "--as-at", AS_AT),
    **{f"show {m}": ("show", m, "--as-at", AS_AT) for m in SHOWN},
    "assess overdue": ("assess", "overdue", "--as-at", AS_AT),
    "assess timescales": ("assess", "timescales", "--as-at", "2019-04-30"),
    "changes": ("changes", "--base", "{base}"),
    **{f"history {m}": ("history", m) for m in SHOWN},
    "history 2019-11": ("history", "2019-11"),
}
JSON = {
    "list": ("list", "--as-at", AS_AT, "--format", "json"),
    **{f"show {m}": ("show", m, "--as-at", AS_AT, "--format", "json") for m in SHOWN},
    "assess timescales": ("assess", "timescales", "--as-at", "2019-04-30", "--format", "json"),
    "changes": ("changes", "--base", "{base}", "--format", "json"),
    "history SECMP0062": ("history", "SECMP0062", "--format", "json"),
    "validate": ("validate", "--strict", "--format", "json"),
}
CSV = {
    "assess overdue": ("assess", "overdue", "--as-at", AS_AT, "--format", "csv"),
    "list": ("list", "--as-at", AS_AT, "--format", "csv"),
}


def outputs(twins, commands: dict[str, tuple[str, ...]]) -> dict[str, dict[bool, str]]:
    """Each command's output from each twin."""
    return {
        name: {hostile: run(twin, *(a.format(base=twin.base) for a in args)) for hostile, twin in twins.items()}
        for name, args in commands.items()
    }


def made_reports(twins, tmp_path_factory, formats: tuple[str, ...]) -> dict[bool, Path]:
    """The May 2019 report of each twin in each of ``formats``, as ``report.FORMAT`` in a folder of its own."""
    out = {}
    for hostile, twin in twins.items():
        folder = tmp_path_factory.mktemp("reports")
        for fmt in formats:
            run(twin, "report", "--month", "2019-05", "--format", fmt, "-o", str(folder / f"report.{fmt}"))
        out[hostile] = folder
    return out


@pytest.fixture(scope="module")
def reports(twins, tmp_path_factory):
    """The May 2019 report of each twin: HTML and Markdown."""
    return made_reports(twins, tmp_path_factory, ("html", "md"))


@pytest.fixture(scope="module")
def pdf_reports(twins, tmp_path_factory):
    """The May 2019 report of each twin as a PDF."""
    return made_reports(twins, tmp_path_factory, ("pdf",))


@pytest.fixture(scope="module")
def sites(twins, tmp_path_factory):
    """Each twin's published site as at 2 May 2019."""
    out = {}
    for hostile, twin in twins.items():
        site = tmp_path_factory.mktemp("site") / "site"
        run(twin, "site", "-o", str(site), "--as-at", AS_AT)
        out[hostile] = site
    return out


# Reading the outputs -----------------------------------------------------------------------------

URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href", "background")


class Shape(HTMLParser):
    """An HTML document's markup (each tag with its attribute names, each end tag, comment and
    declaration, in order), its link targets, and its text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.markup: list[tuple] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.markup.append((tag, tuple(sorted(name for name, _ in attrs))))
        self.links += [normal(value or "") for name, value in attrs if name in URL_ATTRIBUTES]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.markup.append(("/" + tag,))

    def handle_comment(self, data):
        self.markup.append(("<!--", data))

    def handle_decl(self, decl):
        self.markup.append(("<!", decl))

    def handle_pi(self, data):
        self.markup.append(("<?", data))

    def handle_data(self, data):
        if self.lasttag == "style" and self.markup and self.markup[-1][0] == "style":
            self.styles.append(data)
        self.text.append(data)


def normal(url: str) -> str:
    """A link target with a web-address field's value (``URL_HOST`` and what follows) cut to its
    host: the twins' addresses differ in their paths only, as they were written."""
    return URL_HOST + "…" if url.startswith(URL_HOST) else url


def assert_same_html(hostile: str, benign: str, where: str) -> None:
    a, b = Shape(hostile), Shape(benign)
    assert a.markup == b.markup, where
    assert a.links == b.links, where
    assert a.styles == b.styles, where


def pages(site: Path) -> list[Path]:
    return sorted(p.relative_to(site) for p in site.rglob("*.html"))


# The tests ---------------------------------------------------------------------------------------


def test_the_twins_pass_strict_validation_with_every_free_text_field_hostile(twins):
    for twin in twins.values():
        run(twin, "validate", "--strict")  # exits 0
        assert twin.reached == free_text_fields()  # every field of every record type, nested items too
    assert "onerror=alert(1)" in (twins[True].data / "releases" / "2019-11.yaml").read_text()


def test_the_report_html_has_the_markup_of_its_benign_twin(reports):
    hostile, benign = ((reports[h] / "report.html").read_text() for h in (True, False))
    assert_same_html(hostile, benign, "report.html")
    text = "".join(Shape(hostile).text)
    assert "Nov<img src=x onerror=alert(1)>" in text and "{{ 7*7 }}" in text  # printed, as text


@pytest.mark.slow
def test_the_report_pdf_has_as_many_pages_and_prints_the_attack_as_text(pdf_reports):
    from pypdf import PdfReader

    hostile, benign = (PdfReader(pdf_reports[h] / "report.pdf") for h in (True, False))
    assert len(hostile.pages) == len(benign.pages)
    text = "".join("".join(page.extract_text() for page in hostile.pages).split())
    assert "<script>alert(4)</script>" in text and "5.Release" in text and "AppendixA" in text


def test_the_report_markdown_has_the_elements_of_its_benign_twin(reports):
    hostile, benign = ((reports[h] / "report.md").read_text() for h in (True, False))
    assert markdown_structure(hostile) == markdown_structure(benign)
    assert [normal(h) for h in markdown_hrefs(hostile)] == [normal(h) for h in markdown_hrefs(benign)]
    assert "onerror=alert(1)" in hostile


def test_the_changes_markdown_has_the_elements_of_its_benign_twin(twins):
    md = outputs(twins, {"changes": ("changes", "--base", "{base}", "--format", "md")})["changes"]
    assert markdown_structure(md[True]) == markdown_structure(md[False])
    assert markdown_hrefs(md[True]) == markdown_hrefs(md[False]) == []
    assert "onerror=alert(10)" in md[True]  # the hostile template's file name, listed for review


@pytest.mark.slow
def test_every_site_page_has_the_markup_of_its_benign_twin(sites):
    assert pages(sites[True]) == pages(sites[False])
    for page in pages(sites[True]):
        assert_same_html((sites[True] / page).read_text(), (sites[False] / page).read_text(), str(page))
    history = "".join(Shape((sites[True] / "modifications" / "SECMP0062.html").read_text()).text)
    assert "onerror=alert(8)" in history and "alert(9)" in history  # the commit's author and subject
    assert "onerror=alert(1)" in "".join(Shape((sites[True] / "reports" / "2019-05.html").read_text()).text)


@pytest.mark.slow
def test_the_archived_pdf_has_as_many_pages(sites):
    from pypdf import PdfReader

    hostile, benign = (PdfReader(sites[h] / "reports" / "2019-05.pdf") for h in (True, False))
    assert len(hostile.pages) == len(benign.pages)


def xml_shape(root: ET.Element) -> list[tuple]:
    return [(e.tag, tuple(sorted(e.attrib))) for e in root.iter()]


@pytest.mark.slow
def test_the_feed_has_the_elements_of_its_benign_twin(sites):
    hostile, benign = (ET.parse(sites[h] / "feed.atom").getroot() for h in (True, False))
    assert xml_shape(hostile) == xml_shape(benign)
    assert [normal(e.get("href")) for e in hostile.iter("{http://www.w3.org/2005/Atom}link")] == [
        normal(e.get("href")) for e in benign.iter("{http://www.w3.org/2005/Atom}link")
    ]
    titles = [e.text for e in hostile.iter("{http://www.w3.org/2005/Atom}title")]
    assert any("onerror=alert(1)" in t for t in titles)


@pytest.mark.slow
def test_every_modification_feed_has_the_elements_of_its_benign_twin(sites):
    feeds = sorted(p.name for p in (sites[True] / "modifications").glob("*.atom"))
    assert len(feeds) == 75
    titles = []
    for name in feeds:
        hostile, benign = (ET.parse(sites[h] / "modifications" / name).getroot() for h in (True, False))
        assert xml_shape(hostile) == xml_shape(benign), name
        assert [normal(e.get("href")) for e in hostile.iter("{http://www.w3.org/2005/Atom}link")] == [
            normal(e.get("href")) for e in benign.iter("{http://www.w3.org/2005/Atom}link")
        ], name
        titles += [e.text for e in hostile.iter("{http://www.w3.org/2005/Atom}summary")]
    assert any("onerror=alert(1)" in t for t in titles)


@pytest.mark.slow
def test_the_site_data_has_the_shape_and_cells_of_its_benign_twin(sites):
    """register.json and each modification's JSON: the same shape; register.csv: the same cells,
    none starting a formula but as its benign twin's does (an apostrophe first)."""
    names = [
        "register.json",
        *sorted(f"modifications/{p.name}" for p in (sites[True] / "modifications").glob("*.json")),
    ]
    for name in names:
        hostile, benign = (json.loads((sites[h] / name).read_text()) for h in (True, False))
        assert shape(hostile) == shape(benign), name
    assert "onerror=alert(1)" in (sites[True] / "modifications" / "DP075.json").read_text()
    hostile, benign = (list(csv.reader(io.StringIO((sites[h] / "register.csv").read_text()))) for h in (True, False))
    assert [len(row) for row in hostile] == [len(row) for row in benign] and len(hostile) == 76
    assert not [cell for row in hostile for cell in row if cell.startswith(FORMULA_START)]
    assert any(cell.startswith("'=") for row in hostile for cell in row)  # the twin's '=' start, neutralised


def calendar_lines(ics: bytes) -> list[str]:
    """The calendar's content lines, unfolded (RFC 5545 3.1), each by its property name."""
    text = re.sub(r"\r\n[ \t]", "", ics.decode("utf-8"))
    assert not re.search(r"[\r\n\u2028\u2029\x85]", text.replace("\r\n", "")), "a line break inside a line"
    return [re.match(r"[A-Za-z0-9-]+", line).group() for line in text.split("\r\n") if line]


@pytest.mark.slow
def test_the_calendar_has_the_lines_of_its_benign_twin(sites):
    import icalendar

    hostile, benign = ((sites[h] / "key-dates.ics").read_bytes() for h in (True, False))
    assert calendar_lines(hostile) == calendar_lines(benign)
    summaries = [str(e["summary"]) for e in icalendar.Calendar.from_ical(hostile).walk("VEVENT")]
    assert any("END:VEVENT" in s and ";,\\" in s for s in summaries), summaries  # as text, read back


def shape(value):
    """A JSON value's shape: mappings by key, lists by item, and the type of each other value."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return type(value).__name__


def test_json_outputs_have_the_shape_of_their_benign_twin(twins):
    found = outputs(twins, JSON)
    for name, out in found.items():
        assert shape(json.loads(out[True])) == shape(json.loads(out[False])), name
    assert all("onerror=alert(" in found[name][True] for name in ("list", "show DP075", "changes", "history SECMP0062"))


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def test_csv_outputs_have_the_cells_of_their_benign_twin_and_start_no_formula(twins):
    for name, out in outputs(twins, CSV).items():  # the list last: its rows are read after the loop
        hostile, benign = (list(csv.reader(io.StringIO(out[h]))) for h in (True, False))
        assert [len(row) for row in hostile] == [len(row) for row in benign], name
        starts = [cell[:1] for row in hostile for cell in row if cell.startswith(FORMULA_START)]
        assert starts == [cell[:1] for row in benign for cell in row if cell.startswith(FORMULA_START)], name
    assert any("onerror=alert(1)" in cell for row in hostile for cell in row if row[0] == "DP075")


CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def test_terminal_text_has_the_lines_of_its_benign_twin(twins):
    found = outputs(twins, TERMINAL)
    for name, out in found.items():
        hostile, benign = out[True].split("\n"), out[False].split("\n")
        assert len(hostile) == len(benign), name
        assert not CONTROLS.search(out[True]), name  # no terminal escape, no carriage return
        assert [line for line in hostile if line.startswith("::")] == [], name  # no CI log command
    assert "onerror=alert(1)" in found["show SECMP0062"][True] and "alert(10)" in found["changes"][True]
    assert ATTACK_AUTHOR.replace("<", "").replace(">", "") in found["history SECMP0062"][True]  # git drops < and >


# Escaping is the environment's, not each template's ----------------------------------------------


def render_own(tmp_path: Path, name: str, templates: dict[str, str], **context) -> str:
    """Render ``name`` from a register's own templates folder holding ``templates``."""
    from secstatus.output.render import PACKAGE_TEMPLATES, render_template

    own = tmp_path / "templates"
    own.mkdir(exist_ok=True)
    for file, text in templates.items():
        (own / file).write_text(text)
    return render_template(name, [own, PACKAGE_TEMPLATES], **context)


VALUE = "<b>x</b> **y** [l](http://evil.example)"


def test_a_macro_file_escapes_for_the_output_that_imports_it(tmp_path):
    """One macro file, printing a value with no filter, imported by an HTML and a Markdown page."""
    macros = {
        "say.jinja": "{% macro name(v) %}{{ v }}{% endmacro %}",
        "page.html": '{% import "say.jinja" as say %}<p>{{ say.name(v) }}</p>',
        "page.md": '{% import "say.jinja" as say %}- {{ say.name(v) }} {{ v }}',
    }
    assert (
        render_own(tmp_path, "page.html", macros, v=VALUE)
        == "<p>&lt;b&gt;x&lt;/b&gt; **y** [l](http://evil.example)</p>"
    )
    md = r"&lt;b&gt;x&lt;/b&gt; \*\*y\*\* \[l\](http\://evil.example)"
    assert render_own(tmp_path, "page.md", macros, v=VALUE) == f"- {md} {md}"  # a macro's output is not escaped twice


def test_a_section_template_prints_each_output_with_its_own_macro_and_filters(tmp_path):
    """A report section's template, an HTML and a Markdown macro side by side, compiles in both
    environments; the Markdown filters run in the Markdown one, and refuse to run in the HTML one."""
    from secstatus.output.render import RenderError

    templates = {
        "section.jinja": '{% macro html(v) %}<a href="{{ v }}">{{ v }}</a>{% endmacro %}'
        "{% macro md(v) %}[{{ v | md }}]({{ v | mdurl }}){% endmacro %}",
        "page.html": '{% import "section.jinja" as s %}{{ s.html(v) }}',
        "page.md": '{% import "section.jinja" as s %}{{ s.md(v) }}',
        "wrong.html": '{% import "section.jinja" as s %}{{ s.md(v) }}',
    }
    url = "https://a.example/<x>"
    assert (
        render_own(tmp_path, "page.html", templates, v=url)
        == '<a href="https://a.example/&lt;x&gt;">https://a.example/&lt;x&gt;</a>'
    )
    assert (
        render_own(tmp_path, "page.md", templates, v=url)
        == r"[https\://a.example/&lt;x&gt;](https://a.example/%3Cx%3E)"
    )
    with pytest.raises(RenderError, match="the md filter writes another output than html"):
        render_own(tmp_path, "wrong.html", templates, v=url)


@pytest.mark.parametrize(
    "page, text",
    [
        ("page.html", "{{ v | safe }}"),
        ("page.md", "{{ v | safe }}"),
        ("page.html", "{{ v | urlize }}"),
        ("page.md", "{{ v | e }}"),
        ("page.md", "{{ v | tojson }}"),
    ],
)
def test_no_filter_marks_a_value_as_already_escaped(tmp_path, page, text):
    from secstatus.output.render import RenderError

    with pytest.raises(RenderError, match=r"No filter named"):
        render_own(tmp_path, page, {page: text}, v=VALUE)


SAFE_MARKERS = re.compile(r"\|\s*safe\b|Markup\(|markupsafe|autoescape\s*(false|=\s*False)|select_autoescape")


def test_nothing_marks_text_safe_but_the_markdown_escapes():
    """Every place in the package that could mark text as already escaped, reviewed: only the
    Markdown environment's own escapes make Markup, of text they escaped themselves."""
    from conftest import ROOT

    package = ROOT / "src" / "secstatus"
    found = sorted(
        f"{path.relative_to(package)}:{n}"
        for path in package.rglob("*")
        if path.is_file() and path.suffix in (".py", ".html", ".md", ".jinja", ".svg", ".css", ".js", ".yaml")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SAFE_MARKERS.search(line)
    )
    render = (package / "output" / "render.py").read_text().splitlines()
    assert [render[int(f.split(":")[1]) - 1].strip() for f in found] == [
        "from markupsafe import Markup",
        'return value if hasattr(value, "__html__") else Markup(md_text(value))',
        "from markupsafe import Markup",
        "return lambda value: Markup(escape(value))",
    ], found
