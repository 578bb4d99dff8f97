"""The report's contract: every field of the typed context is printed by both formats (or is
marked as one format's, with why), and every kind of decision in the period is printed by both.
The report's sections are its declarations (``build.SECTIONS``): a section is its function and its
template, and a toy section added so is printed by both formats, under the same contract."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
import typing

import pytest
from conftest import DATA

from secstatus.domain.events import DECISION_KINDS
from secstatus.domain.workdays import default_calendar
from secstatus.output.render import environment, render_text, template_dirs
from secstatus.report import build as report_build
from secstatus.report import context as rc
from secstatus.report.build import SECTIONS, Section, build

FORMATS = ("html", "md")


def section_type(section: Section):
    """The type of a section's data: its function's return annotation."""
    return typing.get_type_hints(section.compute)["return"]


def dataclasses_in(hint, found: dict | None = None) -> dict[str, type]:
    """Every dataclass a type hint is made of, through tuples, options and fields, by name."""
    found = {} if found is None else found
    for arg in typing.get_args(hint):
        dataclasses_in(arg, found)
    if dataclasses.is_dataclass(hint) and hint.__name__ not in found:
        found[hint.__name__] = hint
        for inner in typing.get_type_hints(hint).values():
            dataclasses_in(inner, found)
    return found


def context_classes(sections=SECTIONS) -> list[type]:
    """The context's classes: those of ``report.context`` and those the sections' data is made of."""
    found = {c.__name__: c for c in vars(rc).values() if dataclasses.is_dataclass(c) and c.__module__ == rc.__name__}
    for section in sections:
        dataclasses_in(section_type(section), found)
    return list(found.values())


CLASSES = context_classes()


class Tracked:
    """A context value that records each of its fields a template reads, as (class name, field)."""

    def __init__(self, target, used: set):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_used", used)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        target = object.__getattribute__(self, "_target")
        value = getattr(target, name)
        if name in {f.name for f in dataclasses.fields(target)}:
            object.__getattribute__(self, "_used").add((type(target).__name__, name))
        return track(value, object.__getattribute__(self, "_used"))


def track(value, used: set):
    if dataclasses.is_dataclass(value):
        return Tracked(value, used)
    if isinstance(value, tuple):
        return tuple(track(v, used) for v in value)
    return value


SPECIAL = {
    "classification": lambda full: "White",
    "outcome": lambda full: "approved" if full else "rejected",
    "assessment": lambda full: "PA" if full else "IA",
    "in_progress": lambda full: "PA" if full else None,
    "kind": lambda full: "withdrawn" if full else "converted",
    "group": lambda full: "assessment" if full else "no-further-assessment",
    "milestone": lambda full: "change-board-vote" if full else "implemented",
    "change": lambda full: "missed" if full else "re-planned",
}


def sample(cls, full: bool, sections=SECTIONS):
    """An instance of a context class: ``full`` sets every optional field and every flag; the
    other leaves them empty. Each collection holds one full and one sparse item, so that both
    sides of the templates' conditions are read; the report holds every section's sample."""
    if cls is rc.Decisions:
        raise AssertionError("Decisions are made per kind, see _value")
    hints = typing.get_type_hints(cls)
    values = {}
    for f in dataclasses.fields(cls):
        if cls is rc.Report and f.name == "sections":
            values[f.name] = tuple(rc.Part(s.chapter, s.template, _value(section_type(s), full)) for s in sections)
        elif f.name in SPECIAL and hints[f.name] in (str, str | None):
            values[f.name] = SPECIAL[f.name](full)
        else:
            values[f.name] = _value(hints[f.name], full)
    return cls(**values)


def _value(hint, full: bool):
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = next(a for a in args if a is not type(None))
        return _value(inner, full) if full else None
    if origin is tuple and args[0] is rc.Decisions:
        return tuple(
            rc.Decisions(kind, (sample(rc.DecisionDay, True), sample(rc.DecisionDay, False))) for kind in DECISION_KINDS
        )
    if origin is tuple:
        return (_value(args[0], True), _value(args[0], False))
    if dataclasses.is_dataclass(hint):
        return sample(hint, full)
    return {bool: full, int: 7, str: "text", dt.date: dt.date(2019, 4, 24)}[hint]


def fields_used(contexts, dirs) -> dict[str, set]:
    """The fields each format's template reads while rendering ``contexts``, as (class name, field)."""
    out: dict[str, set] = {fmt: set() for fmt in FORMATS}
    for fmt in FORMATS:
        for context in contexts:
            render_text(track(context, out[fmt]), fmt, dirs)
    return out


def unprinted(classes, used: dict[str, set]) -> list[str]:
    """The fields of ``classes`` not printed by both formats, unless marked as one format's (``FORMAT_ONLY``)."""
    problems = []
    for cls in classes:
        only = getattr(cls, "FORMAT_ONLY", {})
        for f in dataclasses.fields(cls):
            printed_by = {fmt for fmt in FORMATS if (cls.__name__, f.name) in used[fmt]}
            if f.name in only:
                fmt, why = only[f.name]
                if printed_by != {fmt} or not why:
                    problems.append(f"{cls.__name__}.{f.name}: marked {fmt}-only but printed by {printed_by or 'none'}")
            elif printed_by != set(FORMATS):
                problems.append(f"{cls.__name__}.{f.name}: printed by {sorted(printed_by) or 'neither'}")
    return problems


@pytest.fixture(scope="module")
def used() -> dict[str, set]:
    """The fields each format's template reads, over the May and June 2019 reports and two samples."""
    from secstatus.register.checks import validate

    register, _ = validate(DATA)
    cal = default_calendar()
    contexts = [
        build(register, "2019-05", cal),
        build(register, "2019-06", cal),
        sample(rc.Report, True),
        sample(rc.Report, False),
    ]
    return fields_used(contexts, template_dirs(None))


def test_every_field_is_printed_by_both_formats_or_marked_as_one_formats(used):
    problems = unprinted(CLASSES, used)
    assert problems == [], "\n".join(problems)


def test_format_only_marks_name_real_fields():
    for cls in CLASSES:
        names = {f.name for f in dataclasses.fields(cls)}
        assert set(getattr(cls, "FORMAT_ONLY", {})) <= names, cls.__name__


def test_the_report_context_is_frozen_plain_data(register):
    context = build(register, "2019-05", default_calendar())
    with pytest.raises(dataclasses.FrozenInstanceError):
        context.open_count = 0  # type: ignore[misc]
    assert isinstance(context, rc.Report)
    assert [d.kind for d in context.section("opine.decisions")] == list(DECISION_KINDS)
    assert [part.template for part in context.sections] == [s.template for s in SECTIONS]


def _html_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&amp;", "&")


def _md_text(md: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", md).replace("\\", ""))


DECIDED = "SECMP0013 ‘Smart meter device diagnostics and triage’ was rejected"


@pytest.mark.parametrize("kind", DECISION_KINDS)
def test_every_decision_kind_in_the_period_is_printed_by_both_formats(cli, data_copy, kind):
    # 15 April 2019 is after the April report (2 April) and before the May one (2 May); the
    # Change Board met on 24 April, and its vote must match a meeting.
    day = "2019-04-24" if kind == "change-board-vote" else "2019-04-15"
    long_day = "24 April 2019" if kind == "change-board-vote" else "15 April 2019"
    texts = {}
    # a Change Board vote and an Authority decision follow a Modification Report (events.Kind.after)
    assert (
        cli("--data", str(data_copy), "record", "SECMP0013", "report-approved", "--date", "2019-04-10").exit_code == 0
    )
    for recorded in (False, True):
        if recorded:
            result = cli("--data", str(data_copy), "record", "SECMP0013", kind, "--date", day, "--outcome", "rejected")
            assert result.exit_code == 0, result.output
        for fmt, to_text in (("html", _html_text), ("md", _md_text)):
            result = cli("--data", str(data_copy), "report", "--month", "2019-05", "--format", fmt, "-o", "-")
            assert result.exit_code == 0, result.output
            texts[fmt, recorded] = to_text(result.stdout)
    for fmt in FORMATS:
        assert DECIDED not in texts[fmt, False]
        assert DECIDED in texts[fmt, True], (kind, fmt)
        assert texts[fmt, True].count(long_day) > texts[fmt, False].count(long_day), (kind, fmt)


# Facts the Markdown used to leave out; both formats must now say each of them.
BOTH_SAY = [
    "Appendix A: DCC Preliminary Assessments and Impact Assessments Update",
    "3 DCC Assessment Delivery Dates",
    "4 Modifications – Implementation Status",
    "5 Modifications – No system impact assessment yet requested",
    "6 Modifications – No further assessment required by DCC",
    "Amend Requirements to remove ‘Pending’ devices from SMI",  # titles in the appendix tables
    "PA completed: averaged over 1 of 2; left out SECMP0007 (no acceptance date for its PA).",
    "Open: averaged over the 12 of 23 modifications whose date raised is held",
    "Closed: averaged over the 2 of 4 modifications whose date raised is held; not held for SECMP0025, SECMP0060.",
    "This document is classified as White in accordance with the Panel Information Policy.",
    "Open Assessments",
    "Assessments completed during 2019/20",
    "25/04/2019",
    "was approved under Self-Governance for implementation on 27 June 2019 (June 2019 SEC Release)",
    "was approved for implementation on 23 April 2019 (10 Working Days following approval)",
    "This report covers news since the last report, dated 2 April 2019.",
]


def test_html_and_markdown_say_the_same_facts(cli):
    texts = {}
    for fmt, to_text in (("html", _html_text), ("md", _md_text)):
        result = cli("--data", str(DATA), "report", "--month", "2019-05", "--format", fmt, "-o", "-")
        assert result.exit_code == 0
        texts[fmt] = to_text(result.stdout.replace("**", ""))
        raw = result.stdout
    missing = [(fmt, fact) for fmt in FORMATS for fact in BOTH_SAY if fact not in texts[fmt]]
    assert missing == []
    # in the Markdown, each decision is its own list item, in the summary and in section 4
    assert len(re.findall(r"^- Change Board, 24 April 2019: ", raw, re.M)) == 4
    assert len(re.findall(r"^- Authority, 5 April 2019: ", raw, re.M)) == 4
    tables = re.findall(r"^### (\d) .*\n\n(?:[^|\n].*\n\n)?\| SECMP # \| Title \|", raw, re.M)
    assert tables == ["3", "4", "5", "6"]


# --- Sections: the same sections in every format, none of them empty, the same "nothing" said ---

HTML_ONLY_HEADINGS = {
    "1. Purpose",
    "2. Recommendations",  # the paper's cover page; the Markdown's cover is one line
    "SEC Releases",  # groups the release parts on the page; the Markdown lists them directly
    "1 Introduction",
    "2 Key and Definitions",  # DCC's fixed introduction to Appendix A
}
MD_ONLY_HEADINGS = {"Paper reference", "Date"}  # the Markdown's one-line cover starts with one of them


def empty(cls, sections=SECTIONS):
    """An instance of a context class with nothing in it: every list empty, every option unset."""
    hints = typing.get_type_hints(cls)
    values = {}
    for f in dataclasses.fields(cls):
        if cls is rc.Report and f.name == "sections":
            values[f.name] = tuple(rc.Part(s.chapter, s.template, _empty(section_type(s), s.key)) for s in sections)
        else:
            values[f.name] = _empty(hints[f.name], f.name)
    return cls(**values)


def _empty(hint, name: str):
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple and args[0] is rc.Decisions:
        return tuple(rc.Decisions(kind, ()) for kind in DECISION_KINDS)
    if origin is tuple:
        return ()
    if origin in (typing.Union, types.UnionType):
        return None
    if dataclasses.is_dataclass(hint):
        return empty(hint)
    if name in SPECIAL:
        return SPECIAL[name](False)
    return _value(hint, False)


def sections(text: str, fmt: str) -> list[tuple[int, str, str]]:
    """Each heading of a rendered report as (level, heading, the text under it up to the next
    heading); in the Markdown, a bold label opening a paragraph (`**Decisions:**`) is a heading
    of the lowest level."""
    if fmt == "html":
        body = text.split("<body>", 1)[1]
        found = [(int(m[1]), m[2], m.start(), m.end()) for m in re.finditer(r"<h([1-6])[^>]*>(.*?)</h\1>", body, re.S)]
        clean = _html_text
    else:
        body = text
        found = [
            (len(m[1]) if m[1] else 9, m[2] or m[3], m.start(), m.end())
            for m in re.finditer(r"^(?:(#+) (.*)|\*\*([^*]+?):\*\*)", body, re.M)
        ]
        clean = _md_text
    out = []
    for i, (level, heading, _, end) in enumerate(found):
        following = body[end : found[i + 1][2]] if i + 1 < len(found) else body[end:]
        out.append((level, clean(heading).strip(), clean(following).strip()))
    return out


def nothing_said(sections=SECTIONS, dirs=None) -> dict[str, str]:
    """What each section says when it has nothing to show (its template's ``nothing``: one
    sentence, or several by name), by section."""
    env = environment(dirs or template_dirs(None), "html")
    said = {}
    for section in sections:
        nothing = getattr(env.get_template(section.template).module, "nothing", None)
        if isinstance(nothing, str):
            said[section.key] = nothing
        elif nothing is not None:
            said.update({f"{section.key}.{name}": sentence for name, sentence in nothing.items()})
    return said


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, dict[str, str]]:
    """The reports whose sections are compared: May to July 2019 from the shipped register (June's
    news in it recorded first, consultations included), and a full, a sparse and an empty sample."""
    import shutil

    from click.testing import CliRunner

    from secstatus.cli import main
    from secstatus.register.checks import validate

    data = tmp_path_factory.mktemp("month") / "data"
    shutil.copytree(DATA, data)
    for argv in (
        ["record", "SECMP0055", "report-approved", "--date", "2019-05-10"],
        ["record", "SECMP0055", "report-consultation", "--date", "2019-05-13", "--closes", "2019-06-03"],
        ["record", "SECMP0056", "refinement-consultation", "--date", "2019-06-07", "--closes", "2019-07-12"],
        ["record", "SECMP0058", "implemented", "--date", "2019-06-27"],
    ):
        result = CliRunner().invoke(main, ["--data", str(data), *argv])
        assert result.exit_code == 0, result.output
    register, _ = validate(data)
    cal = default_calendar()
    contexts = {month: build(register, month, cal) for month in ("2019-05", "2019-06", "2019-07")}
    contexts.update(full=sample(rc.Report, True), sparse=sample(rc.Report, False), empty=empty(rc.Report))
    return {
        name: {fmt: render_text(context, fmt, template_dirs(None)) for fmt in FORMATS}
        for name, context in contexts.items()
    }


def test_no_heading_stands_over_nothing(rendered):
    """A heading is followed by its text, or by a heading below it that has some."""
    bare = []
    for name, texts in rendered.items():
        for fmt, text in texts.items():
            found = sections(text, fmt)
            for i, (level, heading, under) in enumerate(found):
                deeper_next = i + 1 < len(found) and found[i + 1][0] > level
                if not under and not deeper_next:
                    bare.append((name, fmt, heading))
    assert bare == []


def test_every_format_has_the_same_sections(rendered):
    def headings(text, fmt, only):
        """The headings, but a format's own; the HTML heads each new Draft Proposal with its id."""
        ids = set(re.findall(r'<h3 class="dp-id">(.*?)</h3>', text))
        names = [re.sub(r" \(as at [^)]*\)$", "", h) for _, h, _ in sections(text, fmt)]
        return [h for h in names if h not in only and h not in ids]

    for name, texts in rendered.items():
        assert headings(texts["html"], "html", HTML_ONLY_HEADINGS) == headings(texts["md"], "md", MD_ONLY_HEADINGS), (
            name
        )


def test_each_section_says_its_nothing_in_every_format_or_in_none(rendered):
    nothing = nothing_said()
    said = {}
    for name, texts in rendered.items():
        html, md = _html_text(texts["html"]), _md_text(texts["md"])
        for key, sentence in nothing.items():
            assert (sentence in html) == (sentence in md), (name, key)
            said.setdefault(key, set()).add(sentence in html)
    assert {key for key, seen in said.items() if seen != {True, False}} == set()  # each sentence both said and not


@pytest.mark.slow
def test_the_pdf_says_what_the_html_says():
    """The PDF is the HTML printed: the empty sample's every "nothing" and every heading are on its pages."""
    import io

    from pypdf import PdfReader

    from secstatus.output.render import render_pdf

    html = render_text(empty(rc.Report), "html", template_dirs(None))
    pdf = PdfReader(io.BytesIO(render_pdf(html, template_dirs(None), day=dt.date(2019, 5, 2))))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pdf.pages))
    missing = [s for s in nothing_said().values() if s in _html_text(html) and s not in text]
    missing += [h for _, h, _ in sections(html, "html") if h not in text]
    assert missing == []


# --- Sections: each declared once (build.SECTIONS), with its template; a new one is those two ---


def test_every_section_has_its_template_with_a_macro_for_each_format():
    env = environment(template_dirs(None), "html")
    for section in SECTIONS:
        module = env.get_template(section.template).module
        assert callable(getattr(module, "html", None)) and callable(getattr(module, "md", None)), section.key
    assert len({s.key for s in SECTIONS}) == len(SECTIONS)


def test_both_reports_print_every_chapter_the_sections_name_in_their_order():
    """A section's chapter is one both report templates print (a misspelt one would never be
    printed), and each chapter's sections are declared together, in the order the report reads."""
    from secstatus.output.render import PACKAGE_TEMPLATES

    def chapters(*names: str) -> list[str]:
        return re.findall(r'\{\{ chapter\("(\w+)"\) -\}\}', "".join((PACKAGE_TEMPLATES / n).read_text() for n in names))

    declared = list(dict.fromkeys(s.chapter for s in SECTIONS))
    assert chapters("report.html", "appendix.html") == declared == chapters("report.md")
    assert [s.chapter for s in SECTIONS] == sorted((s.chapter for s in SECTIONS), key=declared.index)


@dataclasses.dataclass(frozen=True, eq=False)
class Tally:
    """A toy section's data: how many modifications the register holds, and the first."""

    held: int
    first: str


def tally(month: report_build.Month) -> Tally:
    return Tally(held=len(month.mods), first=month.mods[0].id)


TALLY = """{#- A toy section: how many modifications the register holds. -#}
{% macro html(t) %}

  <h3>Toy tally</h3>
  <p>The register holds {{ t.held }} modifications, the first {{ t.first }}.</p>
{% endmacro %}
{% macro md(t) %}
**Toy tally:** The register holds {{ t.held }} modifications, the first {{ t.first }}.

{% endmacro %}
"""


def add_tally(monkeypatch, repo, template: str = TALLY) -> tuple[Section, ...]:
    """The toy section added the declared way: its function (above) in SECTIONS, after the
    documents, and its template (here in the register's own templates/ folder)."""
    at = [s.key for s in SECTIONS].index("summary.documents") + 1
    sections = (*SECTIONS[:at], Section("summary.tally", tally), *SECTIONS[at:])
    monkeypatch.setattr(report_build, "SECTIONS", sections)
    path = repo / "templates" / "sections" / "summary" / "tally.jinja"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(template)
    return sections


def test_a_new_section_is_its_function_and_its_template(cli, data_copy, monkeypatch):
    add_tally(monkeypatch, data_copy.parent)
    texts = {}
    for fmt, to_text in (("html", _html_text), ("md", _md_text)):
        result = cli("--data", str(data_copy), "report", "--month", "2019-05", "--format", fmt, "-o", "-")
        assert result.exit_code == 0, result.output
        texts[fmt] = to_text(result.stdout.replace("**", ""))
    for fmt, text in texts.items():
        assert "Toy tally" in text and "The register holds 75 modifications, the first SECMP0001." in text, fmt
        assert text.index("Modification Reports") < text.index("Toy tally") < text.index("Decisions"), fmt


def test_a_new_section_is_held_to_the_contract(data_copy, monkeypatch):
    """Both formats print every field of the toy's data, and have the same headings; a template
    that leaves a field out of one format fails the contract."""
    from secstatus.register.checks import validate

    declared = add_tally(monkeypatch, data_copy.parent)
    register, _ = validate(data_copy)
    dirs = template_dirs(data_copy)
    contexts = [build(register, "2019-05", default_calendar()), sample(rc.Report, True, declared)]
    assert Tally in context_classes(declared)
    assert unprinted([Tally], fields_used(contexts, dirs)) == []
    texts = {fmt: render_text(contexts[0], fmt, dirs) for fmt in FORMATS}
    assert [h for _, h, _ in sections(texts["html"], "html") if h == "Toy tally"] == ["Toy tally"]
    assert [h for _, h, _ in sections(texts["md"], "md") if h == "Toy tally"] == ["Toy tally"]

    without_first_in_md = TALLY.replace(", the first {{ t.first }}.\n\n{% endmacro", ".\n\n{% endmacro")
    add_tally(monkeypatch, data_copy.parent, without_first_in_md)
    assert unprinted([Tally], fields_used(contexts, dirs)) == ["Tally.first: printed by ['html']"]


def test_a_section_that_prints_one_kind_refuses_another_rather_than_leaving_it_out(register):
    """csc_decisions and status_changes read one event kind each: an event of another kind
    reaching them (a kind declared to report there) stops the report instead of vanishing."""
    from secstatus.domain.events import CscDecision, DccStatus
    from secstatus.report.build import of_kind

    mod = register.modifications["DP071"]
    decision = next(e for e in mod.events if isinstance(e, CscDecision))
    assert list(of_kind([(mod, decision)], CscDecision)) == [(mod, decision)]
    with pytest.raises(TypeError, match="a CscDecision event reports to a section that prints only DccStatus"):
        list(of_kind([(mod, decision)], DccStatus))
