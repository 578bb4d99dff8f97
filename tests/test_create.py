"""New records (meetings, report records, SEC versions) and the edits that must be refused."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from secstatus.editing.create import new_meeting, new_report, new_sec_version
from secstatus.editing.edit import EditError, check_edit, move_release
from secstatus.output import render
from secstatus.register.checks import validate


def loaded(data: Path):
    register, _ = validate(data)
    return register, render.template_dirs(data)


def test_new_records_validate_and_load_back(data_copy: Path):
    register, dirs = loaded(data_copy)
    edits = [
        new_meeting(register, dirs, "panel", dt.date(2019, 6, 14), 69),
        new_report(register, dirs, "2019-06", "Jordan Crase", dt.date(2019, 6, 4), dt.date(2019, 6, 14), 7),
        new_sec_version(register, dirs, "6.13", dt.date(2019, 6, 27), "58", None),
        new_sec_version(register, dirs, "6.14", dt.date(2019, 7, 1), None, "BEIS designation: 'x'"),
    ]
    for edit in edits:
        edit.path.write_text(edit.after, encoding="utf-8")
    register, diagnostics = validate(data_copy)
    assert [d for d in diagnostics if d.severity == "error"] == []
    assert register.reports["2019-06"].panel == dt.date(2019, 6, 14)
    assert register.sec_versions["6.13"].modification == "SECMP0058"
    assert register.sec_versions["6.14"].designation == "BEIS designation: 'x'"
    assert any(m.body == "panel" and m.number == 69 for m in register.meetings)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda r, d: new_meeting(r, d, "working-group", dt.date(2019, 5, 1), None), "already exists"),
        (lambda r, d: new_meeting(r, d, "working-group", dt.date(2019, 6, 6), 3), "only Panel meetings are numbered"),
        (
            lambda r, d: new_report(r, d, "2019-05", "A", None, None, None),
            "reports/2019-05.yaml already exists; change a field of it with 'secstatus set report:2019-05 FIELD VALUE'",
        ),
        (lambda r, d: new_report(r, d, "2019-06", "  ", None, None, None), "--author is empty"),
        (lambda r, d: new_sec_version(r, d, "6.11", dt.date(2019, 6, 1), "SECMP0058", None), "already exists"),
        (lambda r, d: new_sec_version(r, d, "6.13", dt.date(2019, 6, 1), None, None), "exactly one cause"),
        (lambda r, d: new_sec_version(r, d, "6.13", dt.date(2019, 6, 1), "SECMP0999", None), "no modification"),
        (
            lambda r, d: new_sec_version(r, d, "../../escaped", dt.date(2019, 6, 1), None, "BEIS"),
            "cannot name a record",
        ),
        (lambda r, d: new_sec_version(r, d, "..", dt.date(2019, 6, 1), None, "BEIS"), "cannot name a record"),
        (lambda r, d: move_release(r, "2019-11", dt.date(2019, 10, 1), dt.date(2019, 10, 8), None), "earlier day"),
        (lambda r, d: move_release(r, "2019-11", dt.date(2019, 11, 7), dt.date(2019, 10, 8), None), "already planned"),
    ],
)
def test_refused_new_records(make, message):
    from conftest import DATA

    register, dirs = loaded(DATA)
    with pytest.raises(EditError, match=message):
        make(register, dirs)


def test_a_release_move_recorded_twice_is_refused(data_copy: Path):
    register, _ = loaded(data_copy)
    edit = move_release(register, "2019-11", dt.date(2019, 11, 24), dt.date(2019, 10, 8), None)
    check_edit(data_copy, edit, validate(data_copy)[1])
    edit.path.write_text(edit.after, encoding="utf-8")
    register, _ = loaded(data_copy)
    with pytest.raises(EditError, match="already recorded"):
        move_release(register, "2019-11", dt.date(2019, 11, 24), dt.date(2019, 10, 8), None)


def test_no_edit_writes_outside_a_record_folder(data_copy: Path, tmp_path: Path):
    from secstatus.editing.edit import Edit

    outside = Edit(tmp_path / "escaped.yaml", None, "version: '6.13'\n", "x")
    with pytest.raises(EditError, match="is not a file in a record folder"):
        check_edit(data_copy, outside, [])


def test_a_modification_with_its_number_and_a_release_are_new_records(cli, data_copy: Path):
    from secstatus.analysis.query import list_rows

    data = ["--data", str(data_copy)]
    assert (
        cli(
            *data,
            "new",
            "modification",
            "mp080",
            "--title",
            "Correct typographical errors",
            "--proposer",
            "SEC Panel",
            "--raised",
            "2019-06-12",
            "--route",
            "fast-track",
        ).exit_code
        == 0
    )
    assert cli(*data, "new", "modification", "DP081", "--title", "A Draft Proposal raised elsewhere").exit_code == 0
    assert cli(*data, "new", "release", "2020-06", "--planned", "2020-06-25").exit_code == 0
    assert (
        cli(
            *data,
            "new",
            "release",
            "2019-08-standalone",
            "--planned",
            "2019-08-01",
            "--name",
            "August 2019 standalone release",
        ).exit_code
        == 0
    )
    register, diagnostics = validate(data_copy)
    assert [d for d in diagnostics if d.severity != "note"] == []
    mp080 = register.modifications["MP080"]
    assert (mp080.title, mp080.proposer, mp080.raised, mp080.route) == (
        "Correct typographical errors",
        "SEC Panel",
        dt.date(2019, 6, 12),
        "fast-track",
    )
    stages = {row["id"]: row["stage"] for row in list_rows(register, dt.date(2019, 6, 30))}
    assert stages["MP080"] == "refine" and stages["DP081"] == "define"
    assert register.releases["2020-06"].name == "June 2020 SEC Release"
    assert register.releases["2020-06"].planned[0].date == dt.date(2020, 6, 25)
    assert register.releases["2019-08-standalone"].name == "August 2019 standalone release"
    # The template's commented-out fields are where `set` puts them.
    path = data_copy / "modifications" / "DP081.yaml"
    assert "# proposer:" in path.read_text()
    assert cli(*data, "set", "DP081", "proposer", "A Supplier").exit_code == 0
    text = path.read_text()
    assert "# proposer:" not in text and text.index("proposer: A Supplier") < text.index("# raised:")
    assert (
        cli(*data, "record", "MP080", "release-assigned", "--date", "2019-06-13", "--release", "2020-06").exit_code == 1
    )  # not approved yet: the release exists, the timeline refuses
    assert (
        cli(
            *data,
            "record",
            "MP080",
            "panel-decision",
            "--date",
            "2019-06-13",
            "--outcome",
            "approved",
            "--release",
            "2020-06",
        ).exit_code
        == 0
    )


@pytest.mark.parametrize(
    "ident, message",
    [
        ("MP071", "MP071 is already in the register (as DP071): modifications/DP071.yaml"),
        ("dp071", "DP071 is already in the register: modifications/DP071.yaml"),
        ("SECMP0007", "SECMP0007 is already in the register"),
        (
            "7",
            "'7' is not a modification id (SECMP0071, DP071, MP071 or MP071A); for the next Draft Proposal's "
            "number use 'secstatus new dp'",
        ),
        ("SECMP58", "'SECMP58' is not a modification id"),
    ],
)
def test_a_modification_the_register_holds_in_any_form_is_refused(ident, message):
    from conftest import DATA

    from secstatus.editing.create import new_modification

    register, dirs = loaded(DATA)
    with pytest.raises(EditError, match=re.escape(message)):
        new_modification(register, dirs, ident, "T", None, None, None)


@pytest.mark.parametrize(
    "ident, name, message",
    [
        ("2019-11", None, "release 2019-11 is already in the register; move its date with 'secstatus release move"),
        ("special", None, "give the release's --name"),
        ("2020-06", " ", "--name is empty"),
    ],
)
def test_refused_new_releases(ident, name, message):
    from conftest import DATA

    from secstatus.editing.create import new_release

    register, dirs = loaded(DATA)
    with pytest.raises(EditError, match=re.escape(message)):
        new_release(register, dirs, ident, dt.date(2020, 6, 25), name)


def test_a_release_id_that_cannot_be_one_is_refused_by_validation(cli, data_copy: Path):
    result = cli("--data", str(data_copy), "new", "release", "June", "--planned", "2020-06-25", "--name", "June")
    assert result.exit_code == 1 and "[bad-id]" in result.stderr
    assert not (data_copy / "releases" / "June.yaml").exists()
