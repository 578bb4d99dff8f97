"""Every declared event kind is handled by every consumer of the declarations.

The consumers: the fold (tests/test_timeline.py walks every kind), the meeting check, the
``record`` command (its options, its help and the text it writes), the words of ``changes``,
``history`` and ``show``, and the record-format doc. Each test here walks ``KINDS`` (or
``RECORDABLE``), so that a kind added without its consumer fails.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import get_args

import pytest

from secstatus.domain.events import (
    DCC_STATUS_GROUPS,
    KIND_LIST,
    KINDS,
    MILESTONES,
    OPTION_HELP,
    RECORDABLE,
    VALUE_WORDS,
    Event,
    Kind,
    event_words,
    option_values,
)
from secstatus.domain.model import Meeting

DAY = dt.date(2019, 6, 3)


def sample(name: str, kind: Kind | None = None):
    """A value the option ``name`` accepts (of ``kind``, when its model narrows the choices)."""
    values = option_values(name)
    info = kind.model.model_fields.get(name) if kind else None
    if info is not None and isinstance(values, tuple):
        values = tuple(a for a in info.annotation.__args__ if isinstance(a, str))
    if name == "release":
        return "2019-11"
    if name == "url":
        return "https://example.org/document.pdf"
    if values == "date":
        return DAY + dt.timedelta(days=30)
    if values == "int":
        return 10
    if isinstance(values, tuple):
        return values[-1] if name == "outcome" and "rejected" in values else values[0]
    return f"a {name}"


def event_of(kind: Kind, **extra):
    fields = {"kind": kind.name, "date": DAY, **{o: sample(o, kind) for o in kind.required}, **extra}
    return kind.model.model_validate(fields)


def test_the_event_union_is_every_declared_kind_in_order():
    """``Event`` is written out for the type checker: it holds each declared kind's model, in
    ``KIND_LIST``'s order, and nothing else, so a kind declared and left out of it fails here."""
    union, discriminated = get_args(Event)
    assert get_args(union) == tuple(kind.model for kind in KIND_LIST)
    assert discriminated.discriminator == "kind"


def test_every_option_a_kind_takes_is_a_field_of_its_model_and_has_help():
    for kind in KINDS.values():
        for name in kind.options:
            assert name in kind.model.model_fields, (kind.name, name)
            assert name in OPTION_HELP, (kind.name, name)
    assert set(OPTION_HELP) == {o for k in RECORDABLE.values() for o in k.options}


def test_every_required_field_of_a_model_is_a_required_option():
    common = {"kind", "date", "on_or_before"}
    for kind in KINDS.values():
        needed = {n for n, f in kind.model.model_fields.items() if f.is_required() and n not in common}
        assert needed == set(kind.required), kind.name


def test_every_meeting_a_kind_needs_is_a_meeting_body():
    bodies = set(Meeting.model_fields["body"].annotation.__args__)
    assert {k.meeting for k in KINDS.values() if k.meeting} <= bodies


@pytest.mark.parametrize("name", sorted(k.name for k in KINDS.values() if k.meeting))
def test_a_kind_that_needs_a_meeting_is_refused_without_one(cli, data_copy: Path, name: str):
    """The refusal names the command that records the meeting; once it has run, the event goes in."""
    import shlex

    from secstatus.editing.edit import record_event
    from secstatus.register.checks import validate

    register, _ = validate(data_copy)
    kind = KINDS[name]
    options = {o: sample(o) for o in kind.required}
    if "outcome" in options:
        options["outcome"] = "rejected"
    edit = record_event(register, "SECMP0046", name, dt.date(2019, 6, 4), options)
    _, diagnostics = validate(data_copy, {edit.path: edit.after.encode()})
    assert [d.message for d in diagnostics if d.code == "unknown-meeting"] == [
        f"no {kind.meeting} meeting on 2019-06-04 in data/meetings/; "
        f"record it with 'secstatus new meeting {kind.meeting} 2019-06-04'"
    ]
    fix = shlex.split(diagnostics[[d.code for d in diagnostics].index("unknown-meeting")].message.split("'")[1])
    assert cli("--data", str(data_copy), *fix[1:]).exit_code == 0
    _, diagnostics = validate(data_copy, {edit.path: edit.after.encode()})
    # The meeting is what this test is about; a vote straight from Refine is also out of the
    # process's order (tests/test_rules.py holds that rule).
    assert [d for d in diagnostics if d.severity == "error" and d.code != "process-order"] == []


@pytest.mark.parametrize("name", list(RECORDABLE))
def test_record_writes_every_kind_with_its_options(register, name: str):
    """The text ``record`` inserts loads back as the kind's model with every option it was given."""
    from secstatus.editing.edit import record_event
    from secstatus.register.load import load_file

    kind = RECORDABLE[name]
    options = {o: sample(o, kind if isinstance(kind, Kind) else None) for o in kind.options}
    ident = "SECMP0046"
    if name in MILESTONES:
        options = {"assessment": "PA", "note": "a note"}
        ident = "SECMP0010"  # its PA is awaiting delivery
    if options.get("outcome") == "approved" and "working_days_after_decision" in options:
        del options["working_days_after_decision"]  # a release or a number of days, not both
    if options.get("outcome") == "rejected":
        options = {k: v for k, v in options.items() if k not in ("release", "working_days_after_decision")}
    edit = record_event(register, ident, name, DAY, options)
    mod, _, problems = load_file(edit.path, "modifications", "x.yaml", edit.after.encode())
    assert problems == []
    if name in MILESTONES:
        added = mod.assessments[-1]
        assert (added.type, added.notes) == (options["assessment"], "a note")
        return
    written = [e for e in mod.events if e.kind == name and e.date == DAY]
    assert len(written) == 1
    for option, value in options.items():
        assert getattr(written[0], option) == value, option


def test_record_refuses_an_option_its_kind_does_not_take(register):
    from secstatus.editing.edit import EditError, record_event

    with pytest.raises(EditError, match="'working-group' takes no --outcome"):
        record_event(register, "SECMP0046", "working-group", DAY, {"outcome": "approved"})
    with pytest.raises(EditError, match="'csc-decision' --outcome: 'approved' is not one of"):
        record_event(register, "DP071", "csc-decision", DAY, {"outcome": "approved"})


@pytest.mark.parametrize("name", list(KINDS))
def test_every_kind_has_its_own_words(name: str):
    kind = KINDS[name]
    words = event_words(event_of(kind))
    assert words.startswith(kind.label)
    assert "3 June 2019" in words
    for option in kind.required:
        value = str(sample(option, kind))
        said = (
            f"Appendix A table {DCC_STATUS_GROUPS.index(value) + 3}"
            if option == "group"
            else VALUE_WORDS.get(value, value)
        )
        assert said in words, option


@pytest.mark.parametrize("name", list(KINDS))
def test_no_kind_is_said_with_a_record_code(name: str):
    """Every choice of every field an event is said with is said in words: a code with a hyphen
    ('further-development') has its words in ``VALUE_WORDS``, a date is a long date, a release
    its name (given the register's names) and a DCC status group its Appendix A table."""
    kind = KINDS[name]
    events = [event_of(kind, **({"closes": DAY} if "closes" in kind.optional else {}))]
    for option in kind.required:
        choices = [a for a in getattr(kind.model.model_fields[option].annotation, "__args__", ()) if isinstance(a, str)]
        events += [event_of(kind, **{option: choice}) for choice in choices]
    for event in events:
        words = event_words(event, {"2019-11": "November 2019 SEC Release"})  # the register names its releases
        codes = [w for w in re.split(r"[ (),]+", words) if "-" in w and w != "Sub-Committee"]
        assert codes == [] and not re.search(r"\d{4}-\d\d", words), words


def test_labels_are_distinct():
    labels = [k.label for k in RECORDABLE.values()]
    assert len(labels) == len(set(labels))


def test_record_help_lists_every_kind_with_its_options(cli):
    result = cli("record", "--help")
    for name, kind in RECORDABLE.items():
        line = next(
            line for line in result.stdout.splitlines() if line.strip().startswith(name + " ") or line.strip() == name
        )
        for option in kind.required:
            assert f"--{option.replace('_', '-')}" in line, (name, option)


# For every kind: a record, what must come first (events, or a record made with "new ..."), and the
# event's options, all in the May 2019 report's period (after the April report of 2 April, up to 2 May 2019).
MODIFICATION_REPORT = ("report-approved", ["--date", "2019-04-10"])
IN_MAY: dict[str, tuple[str, list[tuple[str, list[str]]], list[str]]] = {
    "converted": ("DP074", [], ["--date", "2019-04-30"]),
    "initial-report": ("SECMP0046", [("new meeting", ["panel", "2019-04-11"])], ["--date", "2019-04-11"]),
    "csc-decision": ("DP073", [], ["--date", "2019-04-26", "--outcome", "ready-for-conversion"]),
    "working-group": ("SECMP0046", [], ["--date", "2019-05-01"]),
    "refinement-consultation": ("SECMP0046", [], ["--date", "2019-04-20", "--closes", "2019-05-20"]),
    "report-to-panel": ("SECMP0046", [], ["--date", "2019-05-10"]),
    "report-approved": ("SECMP0046", [], ["--date", "2019-04-20"]),
    "report-consultation": (
        "SECMP0046",
        [("report-approved", ["--date", "2019-04-10"])],
        ["--date", "2019-04-20", "--closes", "2019-05-20"],
    ),
    "change-board-vote": ("SECMP0046", [MODIFICATION_REPORT], ["--date", "2019-04-24", "--outcome", "rejected"]),
    "authority-decision": ("SECMP0046", [MODIFICATION_REPORT], ["--date", "2019-04-15", "--outcome", "rejected"]),
    "panel-decision": ("SECMP0046", [], ["--date", "2019-04-15", "--outcome", "rejected"]),
    "decision": ("SECMP0046", [], ["--date", "2019-04-15", "--outcome", "rejected"]),
    "release-assigned": ("SECMP0058", [], ["--date", "2019-04-30", "--release", "2019-11"]),
    "implemented": ("SECMP0058", [], ["--date", "2019-04-30"]),
    "withdrawn": ("SECMP0046", [], ["--date", "2019-04-20"]),
    "on-hold": ("SECMP0046", [], ["--date", "2019-04-20"]),
    "resumed": ("SECMP0046", [("on-hold", ["--date", "2019-04-10"])], ["--date", "2019-04-20"]),
    "dcc-status": (
        "SECMP0069",
        [],
        ["--date", "2019-04-20", "--group", "no-assessment-requested", "--status", "No PA requested"],
    ),
    "document": (
        "SECMP0046",
        [],
        [
            "--date",
            "2019-04-20",
            "--title",
            "Initial Modification Report",
            "--url",
            "https://example.org/secmp0046-imr.pdf",
        ],
    ),
}


def test_every_kind_has_a_report_scenario():
    assert set(IN_MAY) == set(KINDS)


def test_every_kind_says_where_the_report_shows_it():
    """``Kind.report`` names a section the report declares (``build.SECTIONS``)."""
    from secstatus.report.build import SECTIONS

    sections = {section.key for section in SECTIONS}
    assert {kind.name: kind.report for kind in KINDS.values() if kind.report not in sections} == {}


@pytest.mark.parametrize("name", list(IN_MAY))
def test_every_kind_recorded_in_the_period_appears_in_both_reports(cli, data_copy: Path, name: str):
    """An event of any kind in the period shows in the HTML and the Markdown report: recording it
    adds a line that names its record."""
    import difflib

    ident, before, options = IN_MAY[name]
    data = ["--data", str(data_copy)]
    for kind, extra in before:
        argv = [*kind.split(), *extra] if kind.startswith("new ") else ["record", ident, kind, *extra]
        assert cli(*data, *argv).exit_code == 0, argv
    texts = {}
    for recorded in (False, True):
        if recorded:
            result = cli(*data, "record", ident, name, *options)
            assert result.exit_code == 0, result.output
        for fmt in ("html", "md"):
            result = cli(*data, "report", "--month", "2019-05", "--format", fmt, "-o", "-")
            assert result.exit_code == 0, result.output
            texts[fmt, recorded] = result.stdout.splitlines()
    for fmt in ("html", "md"):
        added = [line for line in difflib.ndiff(texts[fmt, False], texts[fmt, True]) if line.startswith("+ ")]
        assert any(ident[-4:] in line for line in added), (name, fmt, added)
