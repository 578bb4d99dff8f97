"""An edit's check from the register loaded for it (``checks.Checked.with_edits``) against the
full check, ``validate`` of the edited register: the same diagnostics, for many random edits,
those that break rules across records included."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
from pathlib import Path

import pytest
from conftest import DATA, make_register_repo
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

IGNORED_NEW_FILE = "DP099.yaml"
"""A record name the repository's .gitignore ignores: a new file of that name is an error."""


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The shipped register in a git repository whose .gitignore hides one would-be record, loaded
    and checked once for every edit (as an editing command loads it), through a path with a
    symlink in it (an edit's paths are compared resolved)."""
    from secstatus.register.checks import check_register

    folder = tmp_path_factory.mktemp("edits")
    make_register_repo(folder / "register", lambda repo: (repo / ".gitignore").write_text(f"{IGNORED_NEW_FILE}\n"))
    os.symlink("register", folder / "alias")
    data = folder / "alias" / "data"
    return data, check_register(data)


def _day(rng: random.Random) -> dt.date:
    return dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(4 * 365))


def _option(rng: random.Random, register, kind, name: str):
    """A value for an option of ``secstatus record``: one the register holds, or one it does not."""
    from secstatus.domain.events import option_values

    if name == "release":
        return rng.choice([*register.releases, "2099-01"])
    values = option_values(name)
    if isinstance(values, tuple):
        return rng.choice(values)
    if values == "date":
        return _day(rng)
    if values == "int":
        return rng.randrange(1, 40)
    return rng.choice(["PA in progress", "Awaiting PA request", "a note"])


def recorded(rng: random.Random, register, data: Path) -> dict[Path, bytes] | None:
    """``secstatus record``: any event kind, on any modification, on a random day or a meeting's."""
    from secstatus.domain.events import RECORDABLE
    from secstatus.editing.edit import EditError, record_event

    mod = rng.choice(sorted(register.modifications))
    name = rng.choice(sorted(RECORDABLE))
    kind = RECORDABLE[name]
    day = rng.choice([m.date for m in register.meetings]) if rng.random() < 0.4 else _day(rng)
    options = {option: _option(rng, register, kind, option) for option in kind.required}
    options.update(
        {
            option: _option(rng, register, kind, option)
            for option in kind.options
            if option not in options and rng.random() < 0.3
        }
    )
    try:
        edit = record_event(register, mod, name, day, options)
    except EditError:
        return None
    return {edit.path: edit.after.encode()}


def set_one(rng: random.Random, register, data: Path) -> dict[Path, bytes] | None:
    """``secstatus set``: any field of any record, to a value of its kind (or unset)."""
    from secstatus.domain.model import RECORD_FOLDERS
    from secstatus.editing.edit import EditError, set_field, settable_fields

    files = sorted(p for folder in RECORD_FOLDERS for p in (data / folder).glob("*.yaml"))
    path = rng.choice(files)
    record_type = RECORD_FOLDERS[path.parent.name]
    fields = settable_fields(record_type)
    field = fields[rng.choice(sorted(fields))]
    value = {
        "date": lambda: _day(rng).isoformat(),
        "int": lambda: str(rng.randrange(1, 99)),
        "bool": lambda: rng.choice(["true", "false"]),
        "choice": lambda: rng.choice(field.choices),
        "text": lambda: rng.choice(["SECMP0058", "DP072", "2019-11", "A new value"]),
        "dated": lambda: "An update",
    }[field.kind]
    try:
        edit = set_field(
            register,
            f"{record_type.name}:{path.stem}",
            field.name,
            [value() for _ in range(rng.randrange(1, 3) if field.many else 1)],
            unset=rng.random() < 0.1,
            date=_day(rng) if field.kind == "dated" else None,
        )
    except EditError:
        return None
    return {edit.path: edit.after.encode()}


def planned(rng: random.Random, register, data: Path) -> dict[Path, bytes] | None:
    """``secstatus plan``: a milestone's baseline, or a re-plan decided on a day; or a plan written
    by hand, which may break the plans' rules (``plan-order``, ``plan-before-decided``)."""
    from secstatus.domain.events import PLANNABLE
    from secstatus.editing.edit import EditError, plan_milestone

    if rng.random() < 0.5:
        path = data / "modifications" / f"{rng.choice(sorted(register.modifications))}.yaml"
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        return {path: (text + _plan_by_hand(rng)).encode()} if text and "\nplan:" not in text else None
    decided = _day(rng) if rng.random() < 0.6 else None
    try:
        edit = plan_milestone(
            register,
            rng.choice(sorted(register.modifications)),
            rng.choice(PLANNABLE),
            (decided or _day(rng)) + dt.timedelta(rng.randrange(120)),
            decided,
            rng.choice([None, "a note"]),
        )
    except EditError:
        return None
    return {edit.path: edit.after.encode()}


def moved(rng: random.Random, register, data: Path) -> dict[Path, bytes] | None:
    """``secstatus release move``."""
    from secstatus.editing.edit import EditError, move_release

    decided = _day(rng)
    try:
        edit = move_release(
            register, rng.choice(sorted(register.releases)), decided + dt.timedelta(rng.randrange(90)), decided, None
        )
    except EditError:
        return None
    return {edit.path: edit.after.encode()}


def created(rng: random.Random, register, data: Path) -> dict[Path, bytes] | None:
    """``secstatus new``: a Draft Proposal, a release, a meeting (on a day events name, or not)."""
    from secstatus.editing import create
    from secstatus.editing.edit import EditError
    from secstatus.output.render import template_dirs

    dirs = template_dirs(data)
    makers = [
        lambda: create.new_draft(register, dirs, "An idea", "A Proposer", _day(rng), None),
        lambda: create.new_release(register, dirs, rng.choice(["2019-06", "2020-06", "2099-01"]), _day(rng), None),
        lambda: create.new_meeting(register, dirs, rng.choice(create.MEETING_BODIES), _day(rng), None),
        lambda: create.new_modification(
            register, dirs, rng.choice(["SECMP0071", "MP072", "MP080A"]), "T", None, None, None
        ),
    ]
    try:
        edit = rng.choice(makers)()
    except EditError:
        return None
    return {edit.path: edit.after.encode()}


def rewritten(rng: random.Random, register, data: Path) -> dict[Path, bytes] | None:
    """A file's text changed as a hand edit might: another record's id (a duplicate, a file name
    that no longer matches), a release or meeting that does not exist, an event removed or
    redated, an error no longer acknowledged (the process's order), a field the model does not
    know, broken YAML, a new file."""
    change = rng.choice(
        [
            lambda t, others: re.sub(r"^id: .*$", f"id: {rng.choice(others)}", t, count=1, flags=re.M),
            lambda t, others: re.sub(r"release: \S+", "release: 2099-01", t, count=1),
            lambda t, others: re.sub(r"^date: \S+", f"date: {_day(rng)}", t, count=1, flags=re.M),  # a meeting moved
            lambda t, others: _without_an_event(t, rng),
            lambda t, others: re.sub(
                r"^    date: \S+", f"    date: {_day(rng)}", t, count=rng.randrange(1, 3), flags=re.M
            ),
            lambda t, others: re.sub(r"^    date: \S+", "    date: 2019-12-31", t, count=1, flags=re.M),  # listed first
            lambda t, others: t.replace("code: process-order", "code: printed-date", 1),  # no longer acknowledged
            lambda t, others: t + "unknown: 1\n",
            lambda t, others: t + "broken: [unclosed\n",
            lambda t, others: re.sub(
                r"kind: [\w-]+", f"kind: {rng.choice(['report-approved', 'implemented', 'withdrawn'])}", t, count=1
            ),
        ]
    )
    files = sorted(data.glob("*/*.yaml"))
    for path in rng.sample(files, len(files)):  # the first file the change changes
        text = path.read_text(encoding="utf-8")
        new = change(text, sorted(p.stem for p in path.parent.glob("*.yaml") if p != path))
        if new == text:
            continue
        if rng.random() < 0.15:  # a new file beside it instead, perhaps one git ignores
            name = (
                IGNORED_NEW_FILE if path.parent.name == "modifications" and rng.random() < 0.5 else f"new-{path.name}"
            )
            return {path.parent / name: new.encode()}
        return {path: new.encode()}
    return None


def _plan_by_hand(rng: random.Random) -> str:
    """A progression plan as a hand edit might write it: one milestone's plans, each later one
    with or without the day it was decided, in or out of order, some for a day before it."""
    milestone = rng.choice(["initial-report", "report-approved", "implemented"])
    lines = ["plan:"]
    for at in range(rng.randrange(1, 4)):
        decided = _day(rng) if at or rng.random() < 0.3 else None
        lines += [f"  - milestone: {milestone}", f"    date: {_day(rng)}"] + (
            [f"    decided: {decided}"] if decided and rng.random() < 0.9 else []
        )
    return "\n".join(lines) + "\n"


def _without_an_event(text: str, rng: random.Random) -> str:
    items = [m.start() for m in re.finditer(r"^  - kind: ", text, flags=re.M)]
    if not items:
        return text
    at = rng.randrange(len(items))
    end = items[at + 1] if at + 1 < len(items) else len(text)
    following = re.search(r"^\S", text[items[at] : end], flags=re.M)
    end = items[at] + following.start() if following else end
    return text[: items[at]] + text[end:]


EDITS = (recorded, set_one, planned, moved, created, rewritten)


def random_edits(seed: int, register, data: Path) -> dict[Path, bytes]:
    """One edit, or two or three together (as an import makes them), from ``seed``."""
    rng = random.Random(seed)
    overrides: dict[Path, bytes] = {}
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        for _ in range(20):
            found = rng.choice(EDITS)(rng, register, data)
            if found and not set(found) & set(overrides):
                overrides.update(found)
                break
    return overrides


def same_check(data: Path, checked, overrides: dict[Path, bytes], warnings: bool = True) -> list:
    """The edit's check and the full one agree: the same diagnostics, the same records."""
    from secstatus.register.checks import check_register, validate

    if not warnings:
        checked = check_register(data, warnings=False)
    register, diagnostics = checked.with_edits(overrides)
    full_register, full = validate(data, overrides, warnings=warnings)
    assert diagnostics == full
    assert [(d.path, d.line, d.column, d.severity, d.code, d.message) for d in diagnostics] == [
        (d.path, d.line, d.column, d.severity, d.code, d.message) for d in full
    ]
    assert {i: m.model_dump() for i, m in register.modifications.items()} == {
        i: m.model_dump() for i, m in full_register.modifications.items()
    }
    assert sorted(register.releases) == sorted(full_register.releases) and register.files == full_register.files
    assert sorted((m.body, m.date) for m in register.meetings) == sorted(
        (m.body, m.date) for m in full_register.meetings
    )
    return diagnostics


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32))
def test_an_edit_s_check_finds_what_the_full_check_finds(base, seed):
    data, checked = base
    overrides = random_edits(seed, checked.register, data)
    same_check(data, checked, overrides)


@pytest.mark.slow
def test_random_edits_break_rules_across_records_and_each_check_agrees(base):
    """Over a fixed run of random edits, the edited registers break the rules across records the
    edit's check must not miss (and the progression plans' rules), and each time both checks agree
    (without warnings too)."""
    data, checked = base
    codes: set[str] = set()
    for seed in range(120):
        overrides = random_edits(seed, checked.register, data)
        codes |= {d.code for d in same_check(data, checked, overrides, warnings=seed % 5 != 0) if d.severity == "error"}
    assert {
        "unknown-release",
        "duplicate-id",
        "unknown-meeting",
        "file-name",
        "timeline",
        "git-ignored",
        "unknown-field",
        "yaml-syntax",
        "plan-order",
        "plan-before-decided",
    } <= codes, codes


@pytest.mark.parametrize(
    "name, old, new, codes",
    [
        ("modifications/SECMP0058.yaml", "    date: 2019-04-24", "    date: 2019-12-31", {"event-order"}),
        ("modifications/SECMP0060.yaml", "code: process-order", "code: printed-date", {"process-order"}),
        ("releases/2019-11.yaml", "id: 2019-11", "id: 2019-06", {"duplicate-id", "file-name", "unknown-release"}),
        (
            "meetings/2019-05-01-working-group.yaml",
            "date: 2019-05-01",
            "date: 2019-05-02",
            {"file-name", "unknown-meeting"},
        ),
        ("modifications/DP072.yaml", "id: DP072", "id: DP071", {"duplicate-id", "file-name"}),
        ("modifications/DP072.yaml", "title:", "title: [unclosed", {"yaml-syntax"}),
        (f"modifications/{IGNORED_NEW_FILE}", None, "id: DP099\ntitle: Hidden\n", {"git-ignored"}),
        (
            "modifications/DP072.yaml",
            "\nevents:",
            "\nplan:\n  - milestone: initial-report\n    date: 2019-06-01\n"
            "  - milestone: initial-report\n    date: 2019-07-01\nevents:",
            {"plan-order"},
        ),
        (
            "modifications/DP072.yaml",
            "\nevents:",
            "\nplan:\n  - milestone: initial-report\n    date: 2019-06-01\n    decided: 2019-06-10\nevents:",
            {"plan-before-decided"},
        ),
    ],
)
def test_an_edit_that_breaks_a_rule_across_records_is_refused_as_the_full_check_refuses_it(base, name, old, new, codes):
    data, checked = base
    path = data / name
    text = new if old is None else path.read_text(encoding="utf-8").replace(old, new, 1)
    found = same_check(data, checked, {path: text.encode()})
    assert codes <= {d.code for d in found if d.severity == "error"}


def test_an_edit_to_a_file_a_symlink_also_reads_is_read_through_both(tmp_path):
    """A record file that a symlink in the register also names is read twice; an edit to it changes
    both readings, as the full check sees them."""
    from secstatus.register.checks import check_register

    data = tmp_path / "data"
    import shutil

    shutil.copytree(DATA, data)
    os.symlink("2019-11.yaml", data / "releases" / "2019-12.yaml")
    checked = check_register(data)
    assert {"file-name", "duplicate-id"} <= {d.code for d in checked.diagnostics}
    target = data / "releases" / "2019-11.yaml"
    edited = target.read_text().replace("id: 2019-11", "id: 2019-12")
    same_check(data, checked, {target: edited.encode()})
    same_check(data, checked, {data / "releases" / "2019-12.yaml": edited.encode()})


def test_an_edit_s_check_reads_again_only_the_edited_file(base, monkeypatch):
    """The register loaded for the edit is reused: one file is parsed again, not every file."""
    import secstatus.register.load as load

    data, checked = base
    parsed = []
    real = load.load_file
    monkeypatch.setattr(load, "load_file", lambda path, *a, **k: parsed.append(path) or real(path, *a, **k))
    path = data / "modifications" / "SECMP0058.yaml"
    checked.with_edits({path: path.read_bytes() + b"unknown: 1\n"})
    assert parsed == [path]


def test_every_rule_about_one_modification_that_reads_other_records_is_declared():
    """An edit's check runs a rule about one modification again for every modification only when
    it is in ``READS_OTHER_RECORDS``: a rule that reads the register beyond its modification's
    fold (``_history``) must be there, or an edit to what it reads would go unseen."""
    import ast
    import inspect
    import textwrap

    from secstatus.register import checks

    for rule in checks.MODIFICATION_RULES + checks.MODIFICATION_ANOMALIES:
        tree = ast.parse(textwrap.dedent(inspect.getsource(rule)))
        folds = {
            id(call.args[0])
            for call in ast.walk(tree)
            if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "_history"
        }
        reads = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Name) and node.id == "register" and id(node) not in folds
        ]
        assert bool(reads) == (rule in checks.READS_OTHER_RECORDS), rule.__name__


def test_a_new_record_is_checked_from_the_edit_through_a_data_folder_that_is_a_link(tmp_path, cli):
    """The edit's new file is read from the edit, not looked for on the disk, when the data folder
    is reached through a symlink (the walk names a new file by its resolved path)."""
    import shutil

    shutil.copytree(DATA, tmp_path / "real-data")
    os.symlink("real-data", tmp_path / "data")
    result = cli(
        "--data",
        str(tmp_path / "data"),
        "new",
        "dp",
        "--title",
        "An idea",
        "--proposer",
        "P",
        "--raised",
        "2019-05-20",
        "--dry-run",
    )
    assert result.exit_code == 0, result.stderr
    assert "dry run: DP076: new Draft Proposal raised 2019-05-20 (not written)" in result.stderr
