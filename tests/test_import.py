"""`secstatus import FILE.csv`: a register seeded from a spreadsheet, all or nothing.

The columns come from the modification model (a field added to it is a column with nothing else
to change); every row is validated with the whole register, once, before anything is written;
each error is located FILE.csv:ROW:COL; a spreadsheet's CSV (a byte-order mark, CRLF, padded
rows, formula-looking cells) is read as it is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import shutil
from pathlib import Path

import pytest
from conftest import DATA, FIXTURES
from test_outputs import disk  # noqa: F401 - the small-tmpfs fixture
from test_set import LATER

from secstatus.editing.csvimport import _row_values, columns, read_rows

IMPORTS = FIXTURES / "import"


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def load(data: Path):
    from secstatus.register.checks import validate

    register, diagnostics = validate(data)
    assert [d for d in diagnostics if d.severity == "error"] == [], diagnostics
    return register


def cell(value) -> str:
    """A value as a spreadsheet cell holds it (the format the import documents)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "\n".join(cell(v) for v in value)
    return str(value)


def spreadsheet(rows: list[dict[str, object]], names: list[str], excel: bool = True) -> bytes:
    """A CSV file as Excel's 'CSV UTF-8' writes it: a byte-order mark and CRLF line endings."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if excel else "\n")
    writer.writerow(names)
    writer.writerows([cell(row.get(name)) for name in names] for row in rows)
    return (b"\xef\xbb\xbf" if excel else b"") + out.getvalue().encode("utf-8")


@pytest.fixture
def empty_register(cli, tmp_path: Path) -> Path:
    """A new register made by `secstatus init`: its data folder."""
    result = cli("init", str(tmp_path / "register"), "--requirement", "secstatus==0.1.0")
    assert result.exit_code == 0, result.stderr
    return tmp_path / "register" / "data"


# --- the round trip ---------------------------------------------------------------------------------


def test_the_shipped_modifications_go_through_a_spreadsheet_into_an_empty_register_unchanged(
    cli, register, empty_register: Path, tmp_path: Path
):
    """records → CSV (as Excel writes it) → import into a register `init` made → the same facts,
    field by field, for every modification and every column."""
    names = list(columns())
    sheet = tmp_path / "register.csv"
    sheet.write_bytes(spreadsheet([m.model_dump() for m in register.modifications.values()], names))
    result = cli("--data", str(empty_register), "import", str(sheet))
    assert result.exit_code == 0, result.stderr
    assert (
        result.stderr.splitlines()[-1] == f"imported {sheet}: modifications: {len(register.modifications)} new, "
        "0 updated, 0 unchanged"
    )
    imported = load(empty_register).modifications
    assert sorted(imported) == sorted(register.modifications)
    for ident, mod in register.modifications.items():
        assert {n: getattr(imported[ident], n) for n in names} == {n: getattr(mod, n) for n in names}, ident
    assert {"title", "proposer", "raised", "route", "url", "summary", "source"} <= set(names)
    # a second import of the same sheet changes nothing, with --update; without it every row is refused
    assert cli("--data", str(empty_register), "import", str(sheet), "--update").stderr.splitlines()[-1] == (
        f"imported {sheet}: modifications: 0 new, 0 updated, {len(register.modifications)} unchanged"
    )
    refused = cli("--data", str(empty_register), "import", str(sheet))
    assert refused.exit_code == 1 and refused.stderr.count("[duplicate-id]") == len(register.modifications)


def test_the_columns_are_the_models_fields_and_a_field_added_later_is_a_column(cli, tmp_path: Path):
    names = [
        "id",
        "title",
        "proposer",
        "lead_analyst",
        "raised",
        "route",
        "summary",
        "issue",
        "solution",
        "impacted_parties",
        "affected_documents",
        "latest_update",
        "url",
        "source",
    ]
    assert list(columns()) == names
    assert f"modification: {', '.join(names)} (docs" in " ".join(cli("import", "--help").stdout.split())
    assert list(columns(LATER))[-1] == "category"
    sheet = tmp_path / "later.csv"
    sheet.write_text(
        "ID,Title,Lead analyst,impacted-parties,Latest update,category\n"
        'MP080,T,Ann Analyst,"Large Suppliers\n\n DCC ","2019-06-05 Met.\nAgreed.",b\n',
        encoding="utf-8",
    )
    rows, problems = read_rows(sheet, LATER)
    assert problems == []
    assert _row_values(rows[0], LATER) == {
        "title": "T",
        "lead_analyst": "Ann Analyst",
        "impacted_parties": ["Large Suppliers", "DCC"],
        "category": "b",
        "latest_update": {"date": dt.date(2019, 6, 5), "text": "Met.\nAgreed."},
    }
    assert read_rows(sheet)[1][0].message.startswith("unknown column 'category'; the columns are: id, title")


# --- a spreadsheet as Excel writes it ---------------------------------------------------------------


def test_a_file_from_excel_imports_with_formula_looking_cells_kept_as_text(cli, data_copy: Path):
    """BOM, CRLF, a line break inside a quoted cell, rows padded with empty cells, a blank row."""
    before = digest(data_copy)
    result = cli("--data", str(data_copy), "import", str(IMPORTS / "new-modifications.csv"))
    assert result.exit_code == 0, result.stderr
    mods = load(data_copy).modifications
    assert mods["MP080"].summary == "Clocks drift.\nA second line, with a comma."
    assert mods["MP080"].raised == dt.date(2019, 6, 10) and mods["MP080"].route == "self-governance"
    assert mods["MP081"].title == '=HYPERLINK("https://example.org","click")'  # data, stored as text
    text = (data_copy / "modifications" / "MP080.yaml").read_text(encoding="utf-8")
    assert "made by `secstatus import`" in text and "\r" not in text
    assert set(digest(data_copy)) - set(before) == {"modifications/MP080.yaml", "modifications/MP081.yaml"}
    listed = cli("--data", str(data_copy), "list", "--format", "csv").stdout
    assert "'=HYPERLINK(" in listed  # neutralised only where a CSV is written


def test_a_semicolon_separated_file_from_a_comma_decimal_locale_imports(cli, data_copy: Path, tmp_path: Path):
    sheet = tmp_path / "semicolons.csv"
    sheet.write_bytes(b"\xef\xbb\xbfid;title;raised\r\nMP080;Time, synchronised;2019-06-10\r\n")
    assert cli("--data", str(data_copy), "import", str(sheet)).exit_code == 0
    assert load(data_copy).modifications["MP080"].title == "Time, synchronised"


# --- refusals, each located FILE.csv:ROW:COL -----------------------------------------------------------

BAD_FILES = {
    "unknown-column": (
        b"id,titel\nMP080,T\n",
        [
            "{f}:1:2: error: unknown column 'titel'; the columns are: id, title, proposer, lead_analyst, "
            "raised, route, summary, issue, solution, impacted_parties, affected_documents, latest_update, "
            "url, source [unknown-field]"
        ],
    ),
    "no-id-column": (
        b"title\nT\n",
        ["{f}:1:1: error: no 'id' column: each row names its modification by its id [missing-field]"],
    ),
    "a-column-twice": (
        b"id,title,Title\nMP080,T,U\n",
        ["{f}:1:3: error: column 'title' is given twice (columns 2 and 3) [duplicate-key]"],
    ),
    "cp1252": (
        b"id,title\nMP080,Caf\xe9\n",
        [
            "{f}:2:1: error: not UTF-8: byte 0xe9 cannot be decoded; save the sheet as 'CSV UTF-8 (comma "
            "delimited)' [encoding]"
        ],
    ),
    "utf-16": (
        "id,title\nMP080,T\n".encode("utf-16"),
        [
            "{f}:1:1: error: not UTF-8: it is UTF-16 (a spreadsheet's 'Unicode text'); save the sheet as 'CSV "
            "UTF-8 (comma delimited)' [encoding]"
        ],
    ),
    "unclosed-quote": (
        b'id,title\nMP080,T\nMP081,"T\n',
        ["{f}:3:1: error: not a well-formed CSV file: unexpected end of data [csv-syntax]"],
    ),
    "empty": (
        b"",
        [
            "{f}:1:1: error: no header: the first row names the columns (id, title, proposer, lead_analyst, raised, "
            "route, summary, issue, solution, impacted_parties, affected_documents, latest_update, url, source) "
            "[csv-syntax]"
        ],
    ),
    "ragged": (
        b"id,title,raised\nMP080,T,2019-06-10,x\nMP081,T\nMP082,T,2019-06-10\n",
        [
            "{f}:2:4: error: this row has 4 cells and the header 3: a separator too many or too few, or a cell's "
            "quotes not closed [ragged-row]",
            "{f}:3:3: error: this row has 2 cells and the header 3: a separator too many or too few, or a cell's "
            "quotes not closed [ragged-row]",
        ],
    ),
    "value-in-an-unnamed-column": (
        b"id,title,\nMP080,T,x\n",
        [
            "{f}:2:3: error: column 3 has no name in the header, and this row has a value in "
            "it: name the column [unknown-field]"
        ],
    ),
    "cells": (
        b"id,title,raised,route,latest_update\n"
        b"MP080,,2019-06-10,,\n"  # an empty cell in a required column
        b"MP081,T,10/06/2019,,\n"  # a date as a spreadsheet writes it
        b"MP082,T,2019-02-30,,\n"  # an impossible date
        b"MP083,T,,Self-Governance,\n"  # not one of the choices
        b",T,,,\n"  # no id
        b"SECMP58,T,,,\n"  # not an id
        b"MP084,T,,,\n"
        b"DP084,T,,,\n"  # the same number twice in the file
        b"MP071,T,,,\n"  # held by the register as DP071
        b"MP085,T,,,Met on 5 June\n"  # a dated text without its date first
        b"MP086,T,,,2019-06-31 Met\n",  # an impossible date before the text
        [
            "{f}:2:2: error: title: empty; a new modification needs one [missing-field]",
            "{f}:3:3: error: raised: '10/06/2019' is not a date YYYY-MM-DD (a spreadsheet may have written the "
            "date its own way: format the column as text) [not-a-date]",
            "{f}:4:3: error: raised: '2019-02-30' is an impossible date [bad-date]",
            "{f}:5:4: error: route: 'Self-Governance' is not one of authority-led, authority, self-governance, "
            "fast-track, urgent [bad-choice]",
            "{f}:6:1: error: id: empty; each row names its modification [missing-field]",
            "{f}:7:1: error: id: 'SECMP58' is not a modification id (SECMP0071, DP071, MP071 or MP071A) [bad-id]",
            "{f}:9:1: error: id: DP084 is already given in row 8 (as MP084: DPnnn and MPnnn are one number) "
            "[duplicate-id]",
            "{f}:10:1: error: id: MP071 is already in the register (as DP071): modifications/DP071.yaml; give "
            "--update to set its fields from this row [duplicate-id]",
            "{f}:11:5: error: latest_update: 'Met on 5 June' is not a date YYYY-MM-DD followed by its text "
            "[not-a-date]",
            "{f}:12:5: error: latest_update: '2019-06-31' is an impossible date [bad-date]",
        ],
    ),
    "register": (
        b'id,title,url,proposer\nMP080,"Two\nlines",ftp://example.org,"A\x07B"\n',
        [
            "{f}:2:2: error: MP080: title: a line break or control character (U+000A) is not allowed in this "
            "one-line field [control-character]",
            "{f}:2:3: error: MP080: url: 'ftp://example.org' is not a web address (http:// or https://, no "
            "spaces) [bad-value]",
            "{f}:2:4: error: MP080: proposer: a line break or control character (U+0007) is not allowed in "
            "this one-line field [control-character]",
        ],
    ),
}
"""A file, and the errors its import gives (every one, in the file's order) before 'nothing was imported'."""


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_is_refused_whole_with_each_error_located(cli, data_copy: Path, tmp_path: Path, name: str):
    content, expected = BAD_FILES[name]
    sheet = tmp_path / f"{name}.csv"
    sheet.write_bytes(content)
    before = digest(data_copy)
    result = cli("--data", str(data_copy), "import", str(sheet))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[:-1] == [e.format(f=sheet) for e in expected]
    assert lines[-1] == f"secstatus: error: {sheet}: {len(expected)} error(s); nothing was imported"
    assert digest(data_copy) == before


def test_one_bad_row_among_good_ones_writes_nothing(cli, data_copy: Path, tmp_path: Path):
    rows = [{"id": f"MP{n:03d}", "title": f"Row {n}", "raised": dt.date(2019, 6, 1)} for n in range(100, 140)]
    rows[25]["raised"] = "2019-06-31"
    sheet = tmp_path / "forty.csv"
    sheet.write_bytes(spreadsheet(rows, ["id", "title", "raised"]))
    before = digest(data_copy)
    result = cli("--data", str(data_copy), "import", str(sheet))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{sheet}:27:3: error: raised: '2019-06-31' is an impossible date [bad-date]",
        f"secstatus: error: {sheet}: 1 error(s); nothing was imported",
    ]
    assert digest(data_copy) == before


def test_a_register_error_in_an_updated_record_names_the_row_and_the_place(cli, data_copy: Path, tmp_path: Path):
    """Raised after its first event: the error is about the event's line, which no cell wrote."""
    sheet = tmp_path / "late.csv"
    sheet.write_text("id,raised\nSECMP0007,2030-01-01\n", encoding="utf-8")
    result = cli("--data", str(data_copy), "import", str(sheet), "--update")
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{sheet}:2:1: error: SECMP0007: ") and "(2030-01-01)" in first
    assert first.endswith("(modifications/SECMP0007.yaml:11:11) [timeline]")


# --- --update and --dry-run ---------------------------------------------------------------------------


def test_update_sets_the_non_empty_cells_as_set_does_keeping_every_other_line(cli, data_copy: Path, tmp_path: Path):
    path = data_copy / "modifications" / "DP071.yaml"
    text = path.read_text(encoding="utf-8")
    sheet = tmp_path / "update.csv"
    # MP071 names DP071; an empty cell leaves its field; a value it already holds changes nothing
    sheet.write_text("id,title,proposer,route\nmp071,Second-Comer Charging,New Proposer,\n", encoding="utf-8")
    shown = cli("--data", str(data_copy), "import", str(sheet), "--update", "--dry-run")
    assert shown.exit_code == 0, shown.stderr
    assert path.read_text(encoding="utf-8") == text
    assert [line for line in shown.stdout.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")] == [
        "+proposer: New Proposer"
    ]
    result = cli("--data", str(data_copy), "import", str(sheet), "--update")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"DP071: proposer: (none) → 'New Proposer': {path}",
        f"imported {sheet}: modifications: 0 new, 1 updated, 0 unchanged",
    ]
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("title:")) + 1
    assert path.read_text(encoding="utf-8") == "".join(lines[:at] + ["proposer: New Proposer\n"] + lines[at:])


def test_the_page_fields_import_and_an_unchanged_row_changes_nothing(cli, data_copy: Path, tmp_path: Path):
    """The SEC pages' fields (issue 21) as columns: lists one item a line, the latest update its
    date then its text; importing the same row again under --update changes nothing."""
    sheet = tmp_path / "pages.csv"
    rows = [
        {
            "id": "MP080",
            "title": "T",
            "lead_analyst": "Ann Analyst",
            "issue": "Clocks drift.\nBadly.",
            "impacted_parties": "Large Suppliers\nDCC",
            "affected_documents": "Section H\nAppendix AB",
            "latest_update": "2019-06-05: The Working Group met.",
        },
        {"id": "SECMP0062", "lead_analyst": "Bo Analyst", "latest_update": "2019-05-01 IA due"},
    ]
    sheet.write_bytes(spreadsheet(rows, list(rows[0])))
    result = cli("--data", str(data_copy), "import", str(sheet), "--update")
    assert result.exit_code == 0, result.stderr
    mods = load(data_copy).modifications
    assert mods["MP080"].impacted_parties == ["Large Suppliers", "DCC"]
    assert mods["MP080"].affected_documents == ["Section H", "Appendix AB"]
    assert mods["MP080"].issue == "Clocks drift.\nBadly."
    assert (mods["MP080"].latest_update.date, mods["MP080"].latest_update.text) == (
        dt.date(2019, 6, 5),
        "The Working Group met.",
    )
    assert (mods["SECMP0062"].lead_analyst, mods["SECMP0062"].latest_update.text) == ("Bo Analyst", "IA due")
    again = cli("--data", str(data_copy), "import", str(sheet), "--update")
    assert again.exit_code == 0, again.stderr
    assert again.stderr.splitlines()[-1] == f"imported {sheet}: modifications: 0 new, 0 updated, 2 unchanged"


def test_a_dry_run_shows_the_new_files_text_and_writes_nothing(cli, data_copy: Path):
    before = digest(data_copy)
    result = cli("--data", str(data_copy), "import", str(IMPORTS / "new-modifications.csv"), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert digest(data_copy) == before
    added = [line[1:] for line in result.stdout.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert "id: MP080" in added and "title: Smart meter time synchronisation" in added
    assert 'title: "=HYPERLINK(\\"https://example.org\\",\\"click\\")"' in added
    assert result.stderr.splitlines()[-1] == (
        f"dry run: {IMPORTS / 'new-modifications.csv'}: modifications: 2 new, 0 updated, 0 unchanged (nothing written)"
    )


# --- holding the lock; all or nothing when a write fails -------------------------------------------------


@pytest.mark.slow
def test_the_import_waits_for_the_edit_lock(data_copy: Path):
    from test_lock import start

    from secstatus.editing.lock import LOCK_NAME, register_lock

    before = digest(data_copy)
    with register_lock(data_copy, "secstatus record (the test)"):
        run = start(data_copy, "import", str(IMPORTS / "new-modifications.csv"), env={"SECSTATUS_LOCK_TIMEOUT": "0.3"})
        _, stderr = run.communicate(timeout=120)
    assert run.returncode == 1
    assert stderr.splitlines()[-1].startswith(f"secstatus: error: {data_copy / LOCK_NAME}: another edit holds")
    assert digest(data_copy) == before


def test_a_disk_that_fills_mid_import_leaves_every_file_as_it_was(disk, tmp_path: Path):  # noqa: F811
    """The first files are written, then the disk is full: they are put back, the new ones removed."""
    import os

    from conftest import run_in_process

    folder = disk("4m")
    data = folder / "data"
    shutil.copytree(DATA, data)
    free = os.statvfs(folder)
    (folder / "filler").write_bytes(b"x" * (free.f_bavail * free.f_frsize - 200 * 1024))
    before = digest(data)
    rows = [{"id": "SECMP0007", "proposer": "John Noad"}]
    rows += [{"id": f"MP{n:03d}", "title": f"Row {n}", "summary": "words " * 1600} for n in range(100, 160)]
    sheet = tmp_path / "large.csv"
    sheet.write_bytes(spreadsheet(rows, ["id", "title", "proposer", "summary"]))
    done = run_in_process("--data", str(data), "import", str(sheet), "--update")
    assert done.returncode == 1, done.stderr
    assert "No space left on device" in done.stderr and done.stderr.rstrip().endswith("nothing was written")
    assert digest(data) == before


# --- 250 rows: one validation of the register with all of them (not one a row) --------------------


def test_a_spreadsheet_of_250_modifications_is_validated_once(cli, empty_register: Path, tmp_path: Path, monkeypatch):
    import secstatus.register.checks

    validations = []
    check = secstatus.register.checks.check_register
    monkeypatch.setattr(
        secstatus.register.checks,
        "check_register",
        lambda *a, **k: validations.append(k.get("earlier")) or check(*a, **k),
    )
    rows = [
        {
            "id": f"SECMP{n:04d}",
            "title": f"Imported modification {n}",
            "proposer": "A Supplier",
            "raised": dt.date(2018, 1, 1) + dt.timedelta(days=n),
            "route": "self-governance",
            "url": f"https://example.org/{n}",
            "summary": f"Line one of {n}.\nLine two.",
        }
        for n in range(1, 251)
    ]
    sheet = tmp_path / "two-hundred-and-fifty.csv"
    sheet.write_bytes(spreadsheet(rows, ["id", "title", "proposer", "raised", "route", "url", "summary"]))
    result = cli("--data", str(empty_register), "import", str(sheet))
    assert result.exit_code == 0, result.stderr
    assert len(validations) == 2  # the register as it is, then once with all 250 new files
    assert validations[0] is None and validations[1] is not None  # the second from the first
    assert len(load(empty_register).modifications) == 250
