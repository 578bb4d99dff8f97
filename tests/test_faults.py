"""Faults from the data or the environment never end in a traceback or a changed file.

Each command runs through the console entry (``secstatus.cli.run``) against a matrix of faults:
a control character in a record, an unreadable file, a file removed between listing and
reading, a full disk, a read-only folder and a machine without the PDF libraries. Each run ends
with exit 0 or one line ``path:line:col: error: ...`` / ``secstatus: error: ...`` and exit 1,
and leaves the register (and any old output) as it was. The same faults on real devices and
filesystems are in test_outputs.py.
"""

from __future__ import annotations

import builtins
import errno
import hashlib
import re
from pathlib import Path

import pytest

from secstatus.cli import run

VICTIM = "modifications/SECMP0007.yaml"
READ_COMMANDS = {
    "validate": ["validate"],
    "list": ["list", "--as-at", "2019-04-30"],
    "show": ["show", "SECMP0043", "--as-at", "2019-04-30"],
    "overdue": ["assess", "overdue", "--as-at", "2019-04-30"],
}
WRITE_COMMANDS = {
    "report-md": ["report", "--month", "2019-05", "--format", "md", "-o", "{out}"],
    "record": ["record", "SECMP0058", "implemented", "--date", "2019-06-27"],
    "new-dp": ["new", "dp", "--title", "T", "--proposer", "P", "--raised", "2019-06-01"],
    "release-move": ["release", "move", "2019-11", "2019-11-29", "--decided", "2019-06-01"],
}
PDF = {"report-pdf": ["report", "--month", "2019-05", "--format", "pdf", "-o", "{out}"]}
LAST_LINE = re.compile(r"^(secstatus: error: .+|\S+:\d+:\d+: error: .+)$")


def control_character(data: Path, monkeypatch) -> None:
    path = data / VICTIM
    path.write_text(path.read_text().replace("\ntitle:", "\n\x0c\ntitle:", 1))


def unreadable(data: Path, monkeypatch) -> None:
    _fail_opening(data / VICTIM, PermissionError(errno.EACCES, "Permission denied"), monkeypatch)


def vanishing(data: Path, monkeypatch) -> None:
    _fail_opening(data / VICTIM, None, monkeypatch)


def _fail_opening(victim: Path, failure: OSError | None, monkeypatch) -> None:
    """Opening ``victim`` raises ``failure``, or (None) finds it removed since it was listed."""
    import os

    real_open = os.open

    def fake_open(path, *args, **kwargs):
        if Path(path) == victim:
            if failure is not None:
                raise failure
            victim.unlink()
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)


def full_disk(data: Path, monkeypatch) -> None:
    import secstatus.output.files as files

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", no_space)


def read_only(data: Path, monkeypatch) -> None:
    import secstatus.output.files as files

    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(files, "_new_temporary", refuse)


def no_pango(data: Path, monkeypatch) -> None:
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)


READ_FAULTS = [control_character, unreadable, vanishing]
WRITE_FAULTS = [full_disk, read_only]
CASES = (
    [(f, name, args, True) for f in READ_FAULTS for name, args in {**READ_COMMANDS, **WRITE_COMMANDS, **PDF}.items()]
    + [
        (f, name, args, name in WRITE_COMMANDS)
        for f in WRITE_FAULTS
        for name, args in {**READ_COMMANDS, **WRITE_COMMANDS}.items()
    ]
    + [(no_pango, name, args, name in PDF) for name, args in {**PDF, "report-md": WRITE_COMMANDS["report-md"]}.items()]
)


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def invoke(args: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stop:
        run(args)
    out, err = capsys.readouterr()
    return stop.value.code or 0, out, err


@pytest.mark.parametrize("fault, name, args, fails", CASES, ids=[f"{c[0].__name__}-{c[1]}" for c in CASES])
def test_fault_matrix(fault, name, args, fails, data_copy, tmp_path, monkeypatch, capsys):
    out = tmp_path / "old-output"
    out.write_text("the old output")
    fault(data_copy, monkeypatch)
    before = digest(data_copy)
    code, stdout, err = invoke(["--data", str(data_copy), *[a.format(out=out) for a in args]], capsys)
    assert "Traceback" not in err
    assert code == (1 if fails else 0), err
    if fails:
        findings = stdout if name == "validate" else err.splitlines()[-1]  # validate reports on stdout
        assert any(LAST_LINE.match(line) for line in findings.splitlines()), err
        assert out.read_text() == "the old output"
    after = digest(data_copy)
    if fault is vanishing:
        before.pop(VICTIM, None)
    if code == 1 or name not in WRITE_COMMANDS:
        assert after == before


def test_the_faults_are_named_at_their_place(data_copy, monkeypatch, capsys):
    control_character(data_copy, monkeypatch)
    _, out, _ = invoke(["--data", str(data_copy), "validate"], capsys)
    assert re.search(
        r"SECMP0007\.yaml:\d+:1: error: control character U\+000C: YAML does not allow it; remove it "
        r"\[control-character\]",
        out,
    ), out


@pytest.mark.parametrize(
    "fault, message",
    [
        (unreadable, "SECMP0007.yaml:1:1: error: cannot read the file: Permission denied [unreadable]"),
        (
            vanishing,
            "SECMP0007.yaml:1:1: error: cannot read the file: No such file or directory (removed while it "
            "was being read?) [unreadable]",
        ),
    ],
)
def test_unreadable_files_are_diagnostics(fault, message, data_copy, monkeypatch, capsys):
    fault(data_copy, monkeypatch)
    _, out, _ = invoke(["--data", str(data_copy), "validate"], capsys)
    assert message in out


def test_a_missing_pango_names_what_is_missing(data_copy, tmp_path, monkeypatch, capsys):
    no_pango(data_copy, monkeypatch)
    code, _, err = invoke(
        ["--data", str(data_copy), "report", "--month", "2019-05", "--format", "pdf", "-o", str(tmp_path / "r.pdf")],
        capsys,
    )
    assert code == 1 and err.splitlines()[-1].startswith(
        "secstatus: error: cannot make a PDF here: WeasyPrint or the Pango library it needs is missing"
    )


@pytest.mark.parametrize(
    "args",
    [["list", "--as-at", d] for d in ("0001-01-01", "9999-12-31")]
    + [["assess", what, "--as-at", d] for what in ("overdue", "timescales") for d in ("0001-01-01", "9999-12-31")]
    + [
        ["show", "SECMP0007", "--as-at", "0001-01-01"],
        ["wd", "0001-01-01", "9999-12-31"],
        ["wd", "add", "9999-12-31", "1"],
        ["report", "--month", "9999-12", "-o", "-"],
        ["report", "--month", "0001-01", "-o", "-"],
        ["report", "--month", "2019-05", "--date", "9999-12-31", "-o", "-"],
    ],
)
def test_extreme_dates_give_an_answer_or_one_line(args, capsys):
    from conftest import DATA

    code, _, err = invoke(["--data", str(DATA), *args], capsys)
    assert "Traceback" not in err
    assert code == 0 or (code == 1 and LAST_LINE.match(err.splitlines()[-1])), err


def test_an_unexpected_error_is_one_line_unless_debugging(monkeypatch, capsys):
    from conftest import DATA

    import secstatus.analysis.query as query

    def broken(*args):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(query, "list_rows", broken)
    code, _, err = invoke(["--data", str(DATA), "list", "--as-at", "2019-05-02"], capsys)  # within the horizon: no note
    assert code == 1 and err == (
        "secstatus: error: unexpected ZeroDivisionError: a bug (run with SECSTATUS_DEBUG=1 for the traceback)\n"
    )
    monkeypatch.setenv("SECSTATUS_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        run(["--data", str(DATA), "list"])


@pytest.mark.slow
def test_a_really_unreadable_file(data_copy):
    """A file the user may not read, for real: as root (CI), the process runs without the
    capabilities that let root read anything, so the file's mode 000 applies to it too."""
    import os
    import subprocess
    import sys

    victim = data_copy / VICTIM
    victim.chmod(0)
    drop = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    done = subprocess.run(
        [*drop, sys.executable, "-m", "secstatus", "--data", str(data_copy), "list"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"{os.path.relpath(victim)}:1:1: error: cannot read the file: Permission denied [unreadable]",
        "secstatus: error: the register has 1 error(s); run 'secstatus validate'",
    ]
