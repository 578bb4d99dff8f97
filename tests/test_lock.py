"""Concurrent edits: real processes, one lock; no edit that reported success is lost."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from secstatus.editing.lock import LOCK_NAME, register_lock


def start(data: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "secstatus", "--data", str(data), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.slow
def test_ten_rounds_of_two_concurrent_records_keep_every_successful_edit(data_copy):
    path = data_copy / "modifications" / "SECMP0007.yaml"
    succeeded = []
    for round_ in range(10):
        runs = {
            note: start(data_copy, "record", "SECMP0007", "working-group", "--date", "2019-05-01", "--note", note)
            for note in (f"round {round_} A", f"round {round_} B")
        }
        for note, run in runs.items():
            run.communicate(timeout=120)
            assert run.returncode == 0, run.stderr  # the second waits for the first, then adds to its file
            succeeded.append(note)
    text = path.read_text()
    assert [note for note in succeeded if f"note: {note}\n" not in text] == []
    assert len(re.findall(r"note: round \d [AB]\n", text)) == 20
    assert not (data_copy / LOCK_NAME).exists()


@pytest.mark.slow
def test_two_concurrent_new_drafts_get_two_ids(data_copy):
    runs = [
        start(data_copy, "new", "dp", "--title", f"Proposal {n}", "--proposer", "Ann", "--raised", "2019-06-01")
        for n in (1, 2)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert sorted(out.split()[0] for out in outputs) == ["DP076", "DP077"]
    titles = {
        (data_copy / "modifications" / f"{i}.yaml").read_text().split("title: ")[1].splitlines()[0]
        for i in ("DP076", "DP077")
    }
    assert titles == {"Proposal 1", "Proposal 2"}


@pytest.mark.slow
def test_a_held_lock_makes_the_next_editor_give_up_naming_the_holder(data_copy):
    path = data_copy / "modifications" / "SECMP0058.yaml"
    before = path.read_bytes()
    with register_lock(data_copy, "secstatus record SECMP0058 (the test)"):
        run = start(
            data_copy,
            "record",
            "SECMP0058",
            "implemented",
            "--date",
            "2019-06-27",
            env={"SECSTATUS_LOCK_TIMEOUT": "0.3"},
        )
        _, stderr = run.communicate(timeout=120)
    assert run.returncode == 1
    assert stderr.splitlines()[-1] == (
        f"secstatus: error: {data_copy / LOCK_NAME}: another edit holds the register "
        f"(pid {os.getpid()}: secstatus record SECMP0058 (the test)); gave up after 0.3 s; nothing was written"
    )
    assert path.read_bytes() == before


def test_the_lock_is_released_when_the_block_fails(data_copy):
    import fcntl

    held = None
    try:
        with register_lock(data_copy, "first"):
            held = os.open(data_copy / LOCK_NAME, os.O_RDWR)  # the very file the lock is on
            raise RuntimeError("the edit failed")
    except RuntimeError:
        pass
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if the failed block still held it
    finally:
        os.close(held)
    assert not (data_copy / LOCK_NAME).exists()
    with register_lock(data_copy, "second", timeout=0):
        assert "second" in (data_copy / LOCK_NAME).read_text()


# Issue 18 point 8: the commands that only read the register work where there is no fcntl.

WITHOUT_FCNTL = (
    "import sys; sys.modules['fcntl'] = None  # import fcntl now fails, as on Windows\n"
    "sys.argv[0] = 'secstatus'; from secstatus.cli.entry import run; run()"
)


def without_fcntl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", WITHOUT_FCNTL, *args], capture_output=True, text=True)


@pytest.mark.slow
def test_reading_never_imports_the_lock():
    code = (
        "import sys; from secstatus.cli import main\n"
        "try: main(['validate'], prog_name='secstatus')\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('secstatus.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parents[1])
    loaded = done.stdout.strip()
    assert "secstatus.register.load" in loaded and "secstatus.register.checks" in loaded, done.stderr  # it did validate
    assert "secstatus.editing.lock" not in loaded


@pytest.mark.slow
def test_without_fcntl_reading_works_and_an_edit_is_refused_by_name(data_copy):
    for command in (["validate", "--strict"], ["list", "--as-at", "2019-04-30"], ["show", "SECMP0046"]):
        done = without_fcntl("--data", str(data_copy), *command)
        assert done.returncode == 0, (command, done.stderr)
    path = data_copy / "modifications" / "SECMP0046.yaml"
    before = path.read_bytes()
    done = without_fcntl("--data", str(data_copy), "record", "SECMP0046", "withdrawn", "--date", "2019-06-01")
    assert done.returncode == 1
    assert done.stderr == (
        f"secstatus: error: {data_copy / LOCK_NAME}: cannot lock the register for editing: "
        f"this platform ({sys.platform}) has no POSIX file lock (fcntl); nothing was written. "
        "The commands that only read the register work here; edit it under Linux, macOS or WSL\n"
    )
    assert path.read_bytes() == before and not (data_copy / LOCK_NAME).exists()
