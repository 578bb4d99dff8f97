"""Every declared event kind is handled by every consumer of the declarations.

The consumers: the fold (tests/test_timeline.py walks every kind), the meeting check, the
``record`` command (its options, its help and the text it writes), the words of ``changes``,
``history`` and ``show``, and the record-format doc. Each test here walks ``KINDS`` (or
``RECORDABLE``), so that a kind added without its consumer fails.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from secstatus.events import KINDS, MILESTONES, OPTION_HELP, RECORDABLE, Kind, event_words, option_values
from secstatus.model import Meeting

DAY = dt.date(2019, 6, 3)


def sample(name: str, kind: Kind | None = None):
    """A value the option ``name`` accepts (of ``kind``, when its model narrows the choices)."""
    values = option_values(name)
    info = kind.model.model_fields.get(name) if kind else None
    if info is not None and isinstance(values, tuple):
        values = tuple(a for a in info.annotation.__args__ if isinstance(a, str))
    if name == "release":
        return "2019-11"
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
def test_a_kind_that_needs_a_meeting_is_refused_without_one(data_copy: Path, name: str):
    from secstatus.checks import validate
    from secstatus.edit import record_event

    register, _ = validate(data_copy)
    kind = KINDS[name]
    options = {o: sample(o) for o in kind.required}
    if "outcome" in options:
        options["outcome"] = "rejected"
    edit = record_event(register, "SECMP0046", name, dt.date(2019, 6, 4), options)
    _, diagnostics = validate(data_copy, {edit.path: edit.after.encode()})
    assert [d.message for d in diagnostics if d.code == "unknown-meeting"] == [
        f"no {kind.meeting} meeting on 2019-06-04 in data/meetings/"]


@pytest.mark.parametrize("name", list(RECORDABLE))
def test_record_writes_every_kind_with_its_options(register, name: str):
    """The text ``record`` inserts loads back as the kind's model with every option it was given."""
    from secstatus.edit import record_event
    from secstatus.load import load_file

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
    from secstatus.edit import EditError, record_event

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
        assert str(sample(option, kind)) in words, option


def test_labels_are_distinct():
    labels = [k.label for k in RECORDABLE.values()]
    assert len(labels) == len(set(labels))


def test_record_help_lists_every_kind_with_its_options(cli):
    result = cli("record", "--help")
    for name, kind in RECORDABLE.items():
        line = next(line for line in result.stdout.splitlines() if line.strip().startswith(name + " ")
                    or line.strip() == name)
        for option in kind.required:
            assert f"--{option.replace('_', '-')}" in line, (name, option)
