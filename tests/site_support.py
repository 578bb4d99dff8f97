"""Helpers for the website's tests: build a site, read its pages' links, find the tools that check it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import DATA

MAY_2019 = dt.date(2019, 5, 2)
APRIL_2019 = dt.date(2019, 4, 30)  # before the May report: a build without the archive's PDF


def build(out: Path, data: Path = DATA, as_at: dt.date = MAY_2019):
    """Build the site of the register in ``data`` as at ``as_at`` into ``out``, through the core API."""
    from secstatus.domain.workdays import calendar_for
    from secstatus.output.render import template_dirs
    from secstatus.register.checks import validate
    from secstatus.site.build import build_site

    register, diagnostics = validate(data)
    assert not [d for d in diagnostics if d.severity == "error"], diagnostics
    return build_site(register, data, out, as_at, calendar_for(register.calendar_days), template_dirs(data))


_SHIPPED: dict[str, Path] = {}


def shipped_site(tmp_path_factory) -> Path:
    """The shipped register's site as at 2 May 2019, built once per test session and only read."""
    if "site" not in _SHIPPED:
        out = tmp_path_factory.mktemp("published") / "site"
        build(out)
        _SHIPPED["site"] = out
    return _SHIPPED["site"]


SCRATCH_COMMANDS = (
    # SECMP0007 in Refine: a consultation closed long ago, one closed lately and one open on 2 May 2019
    ("record", "SECMP0007", "refinement-consultation", "--date", "2018-11-20", "--closes", "2018-12-07"),
    ("record", "SECMP0007", "refinement-consultation", "--date", "2019-02-11", "--closes", "2019-03-01"),
    ("record", "SECMP0007", "refinement-consultation", "--date", "2019-04-10", "--closes", "2019-05-15"),
    # DP073, raised 23 April 2019: the Change Sub-Committee wants more work on it
    ("record", "DP073", "csc-decision", "--date", "2019-04-26", "--outcome", "further-development"),
    # the SEC pages' fields of three modifications
    ("set", "SECMP0007", "lead_analyst", "Ann Analyst"),
    ("set", "SECMP0007", "latest_update", "--date", "2019-04-10", "The Refinement Consultation is out until 15 May."),
    ("set", "SECMP0007", "issue", "IHD and PPMID firmware cannot be updated over the air."),
    ("set", "SECMP0007", "solution", "DCC distributes the firmware; Suppliers activate it."),
    ("set", "SECMP0007", "impacted_parties", "Large Suppliers", "Small Suppliers", "DCC"),
    ("set", "SECMP0007", "affected_documents", "Section F", "Appendix AB"),
    ("set", "SECMP0062", "impacted_parties", "DCC", "Other SEC Parties"),
    ("set", "SECMP0062", "affected_documents", "Section H"),
    ("set", "DP073", "impacted_parties", "Large Suppliers"),
    ("set", "DP073", "affected_documents", "Section L", "Appendix AB"),
    # progression plans: SECMP0043's Authority decision met 5 WD late; SECMP0007's Modification Report
    # re-planned from 10 May to 12 July 2019; SECMP0062's planned for 12 April, missed, and the
    # Authority's decision on it expected on 3 October 2019
    ("plan", "SECMP0043", "authority-decision", "2019-03-29", "--decided", "2018-12-03"),
    ("plan", "SECMP0007", "report-to-panel", "2019-05-10", "--decided", "2019-03-05"),
    (
        "plan",
        "SECMP0007",
        "report-to-panel",
        "2019-07-12",
        "--decided",
        "2019-04-10",
        "--note",
        "the Refinement Consultation runs to 15 May",
    ),
    ("plan", "SECMP0007", "change-board-vote", "2019-08-21", "--decided", "2019-03-05"),
    ("plan", "SECMP0062", "report-to-panel", "2019-04-12"),
    ("plan", "SECMP0062", "authority-decision", "2019-10-03"),
    # a document published about SECMP0007
    (
        "record",
        "SECMP0007",
        "document",
        "--date",
        "2019-05-01",
        "--title",
        "Working Group summary, 1 May 2019",
        "--url",
        "https://smartenergycodecompany.co.uk/documents/secmp0007-wg-summary-2019-05-01.pdf",
    ),
)
"""What the scratch register records and sets on top of the shipped one, as ``secstatus`` arguments."""


def scratch_register(root: Path) -> Path:
    """A copy of the shipped register with ``SCRATCH_COMMANDS`` run on it through the command line;
    returns its data folder."""
    from click.testing import CliRunner

    from secstatus.cli import main

    data = root / "data"
    shutil.copytree(DATA, data)
    for argv in SCRATCH_COMMANDS:
        result = CliRunner().invoke(main, ["--data", str(data), *argv], catch_exceptions=False)
        assert result.exit_code == 0, (argv, result.output)
    # No report record: its archive would lay out a PDF, which the fast tier does not (the shipped
    # register's site, ``shipped_site``, holds the May report and its PDF).
    (data / "reports" / "2019-05.yaml").unlink()
    return data


def scratch_site(tmp_path_factory) -> Path:
    """The scratch register's site as at 2 May 2019, built once per test session and only read."""
    if "scratch" not in _SHIPPED:
        data = _SHIPPED["scratch-data"] = scratch_register(tmp_path_factory.mktemp("scratch-register"))
        out = tmp_path_factory.mktemp("scratch-published") / "site"
        build(out, data)
        _SHIPPED["scratch"] = out
    return _SHIPPED["scratch"]


def scratch_data() -> Path:
    """The data folder of the scratch register ``scratch_site`` built (only to read)."""
    return _SHIPPED["scratch-data"]


class Links(HTMLParser):
    """Every URL a page refers to (tag, attribute, value) and every id it defines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []

    BLOCKS = frozenset({"td", "th", "tr", "li", "p", "dd", "dt", "br", "caption", "div", "h1", "h2", "h3", "title"})

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.text.append(" ")
        for name, value in attrs:
            if name in ("href", "src", "action", "data", "poster", "srcset") and value is not None:
                self.urls.append((tag, name, value))
            if name == "id" and value:
                self.ids.add(value)

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.text.append(" ")

    def handle_data(self, data):
        self.text.append(data)


def read(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def text_of(path: Path) -> str:
    """The page's text, a space between table cells and blocks, runs of white space made single spaces."""
    return " ".join("".join(read(path).text).split())


def need(tool: str, path: str | None, how: str) -> str:
    """The tool's path; without it a test fails under CI (CI=true) and is skipped, saying why, elsewhere."""
    if path and Path(path).exists():
        return path
    message = f"{tool} is not installed: {how}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must run this test)")
    pytest.skip(message)


def java() -> str:
    return need("java", shutil.which("java"), "install a Java runtime (apt-get install default-jre-headless)")


class Policy(HTMLParser):
    """A page's Content-Security-Policy, by directive, and what the policy must allow: its inline
    ``<style>`` contents, inline ``<script>`` contents, and attributes that hold script or style."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.policies: list[dict[str, list[str]]] = []
        self.before_policy: list[str] = []
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.inline: list[str] = []
        self._open: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
            self.policies.append({d.split()[0]: d.split()[1:] for d in values["content"].split(";") if d.strip()})
        elif not self.policies and tag not in ("html", "head", "meta"):
            self.before_policy.append(tag)
        self.inline += [f"{tag} {name}" for name in values if name == "style" or name.startswith("on")]
        self.inline += [
            f"{tag} {name}" for name, value in values.items() if (value or "").lower().startswith("javascript:")
        ]
        self._open = tag if tag in ("style", "script") and "src" not in values else None
        if self._open == "style":
            self.styles.append("")
        if self._open == "script":
            self.scripts.append("")

    def handle_data(self, data):
        if self._open == "style":
            self.styles[-1] += data
        if self._open == "script":
            self.scripts[-1] += data

    def handle_endtag(self, tag):
        self._open = None

    @property
    def policy(self) -> dict[str, list[str]]:
        assert len(self.policies) == 1, self.policies
        return self.policies[0]


def assert_strict_policy(html: str, page: str) -> Policy:
    """The page's policy comes before anything it governs, fetches nothing from elsewhere, runs
    no inline script, and allows exactly the page's own inline style sheets by their hashes."""
    import base64
    import hashlib

    found = Policy(html)
    policy = found.policy
    assert found.before_policy == [], page  # only <html>, <head> and <meta charset> come before it
    assert policy["default-src"] == ["'none'"] and policy["base-uri"] == ["'none'"], page
    assert policy["form-action"] == ["'none'"], page
    sources = [source for values in policy.values() for source in values]
    assert not [s for s in sources if s not in ("'none'", "'self'") and not s.startswith("'sha256-")], page
    assert policy.get("script-src", ["'none'"]) in (["'none'"], ["'self'"]), page
    hashes = ["'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in found.styles]
    assert [s for s in policy.get("style-src", []) if s.startswith("'sha256-")] == hashes, page
    assert found.scripts == [] and found.inline == [], page  # nothing the policy would refuse
    return found
