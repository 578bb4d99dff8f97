"""New records (meetings, report records, SEC versions) and the edits that must be refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from secstatus import render
from secstatus.checks import validate
from secstatus.create import new_meeting, new_report, new_sec_version
from secstatus.edit import EditError, check_edit, move_release


def loaded(data: Path):
    register, diagnostics = validate(data)
    return register, render.template_dirs(data)


def test_new_records_validate_and_load_back(data_copy: Path):
    register, dirs = loaded(data_copy)
    edits = [new_meeting(register, dirs, "panel", dt.date(2019, 6, 14), 69),
             new_report(register, dirs, "2019-06", "Jordan Crase", dt.date(2019, 6, 4), dt.date(2019, 6, 14), 7),
             new_sec_version(register, dirs, "6.13", dt.date(2019, 6, 27), "58", None),
             new_sec_version(register, dirs, "6.14", dt.date(2019, 7, 1), None, "BEIS designation: 'x'")]
    for edit in edits:
        edit.path.write_text(edit.after, encoding="utf-8")
    register, diagnostics = validate(data_copy)
    assert [d for d in diagnostics if d.severity == "error"] == []
    assert register.reports["2019-06"].panel == dt.date(2019, 6, 14)
    assert register.sec_versions["6.13"].modification == "SECMP0058"
    assert register.sec_versions["6.14"].designation == "BEIS designation: 'x'"
    assert any(m.body == "panel" and m.number == 69 for m in register.meetings)


@pytest.mark.parametrize("make, message", [
    (lambda r, d: new_meeting(r, d, "working-group", dt.date(2019, 5, 1), None), "already exists"),
    (lambda r, d: new_meeting(r, d, "working-group", dt.date(2019, 6, 6), 3), "only Panel meetings are numbered"),
    (lambda r, d: new_report(r, d, "2019-05", "A", None, None, None), "reports/2019-05.yaml already exists"),
    (lambda r, d: new_report(r, d, "2019-06", "  ", None, None, None), "--author is empty"),
    (lambda r, d: new_sec_version(r, d, "6.11", dt.date(2019, 6, 1), "SECMP0058", None), "already exists"),
    (lambda r, d: new_sec_version(r, d, "6.13", dt.date(2019, 6, 1), None, None), "exactly one cause"),
    (lambda r, d: new_sec_version(r, d, "6.13", dt.date(2019, 6, 1), "SECMP0999", None), "no modification"),
    (lambda r, d: new_sec_version(r, d, "../../escaped", dt.date(2019, 6, 1), None, "BEIS"), "cannot name a record"),
    (lambda r, d: new_sec_version(r, d, "..", dt.date(2019, 6, 1), None, "BEIS"), "cannot name a record"),
    (lambda r, d: move_release(r, "2019-11", dt.date(2019, 10, 1), dt.date(2019, 10, 8), None), "earlier day"),
    (lambda r, d: move_release(r, "2019-11", dt.date(2019, 11, 7), dt.date(2019, 10, 8), None), "already planned"),
])
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
    from secstatus.edit import Edit

    outside = Edit(tmp_path / "escaped.yaml", None, "version: '6.13'\n", "x")
    with pytest.raises(EditError, match="is not a file in a record folder"):
        check_edit(data_copy, outside, [])
