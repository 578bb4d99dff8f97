"""Outputs and edits never replace what is not a regular file, keep modes, and fail cleanly."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from conftest import DATA

REPORT = ("--data", str(DATA), "report", "--month", "2019-05", "--format", "md")


def run_process(*args: str, umask: int | None = None) -> SimpleNamespace:
    """The CLI in this process (cheaper than a real one), with the process umask set for the run."""
    from secstatus.cli import main

    old = os.umask(umask) if umask is not None else None
    try:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        if old is not None:
            os.umask(old)
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr)


def test_a_character_device_stays_a_character_device():
    done = run_process(*REPORT, "-o", "/dev/null")
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_full_device_fails_with_the_reason():
    done = run_process(*REPORT, "-o", "/dev/full")
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == "secstatus: error: /dev/full: cannot write: No space left on device"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_fifo_is_written_through_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # the report (14 KB) fits in the pipe's buffer
    with contextlib.closing(os.fdopen(reader, "rb")) as received:
        done = run_process(*REPORT, "-o", str(fifo))
        assert done.returncode == 0, done.stderr
        assert received.read().startswith(b"# Change Status Report")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_fifo_nobody_reads_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    done = run_process(*REPORT, "-o", str(fifo))
    assert done.returncode == 1 and "nothing reading from it" in done.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_symlink_is_followed_and_its_target_replaced(tmp_path):
    target = tmp_path / "published" / "report.md"
    target.parent.mkdir()
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "latest.md"
    link.symlink_to(target)
    assert run_process(*REPORT, "-o", str(link)).returncode == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text().startswith("# Change Status Report")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_an_output_name_that_fitted_beside_tempfiles_temporary_still_fits(tmp_path):
    """The temporary file's name adds what ``tempfile.mkstemp``'s did (a dot, a dot, 8 random
    characters, the suffix): an output named up to the folder's limit less that is written."""
    from secstatus.output.files import TEMPORARY_SUFFIX

    longest = os.pathconf(tmp_path, "PC_NAME_MAX") - 2 - 8 - len(TEMPORARY_SUFFIX)
    out = tmp_path / ("r" * (longest - len(".md")) + ".md")
    done = run_process(*REPORT, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_text().startswith("# Change Status Report")
    assert os.listdir(tmp_path) == [out.name]


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_new_files_get_the_umask_mode(tmp_path, umask, mode):
    out = tmp_path / "r.md"
    done = run_process(*REPORT, "-o", str(out), umask=umask)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == mode


def test_an_edit_keeps_the_record_mode_and_a_report_keeps_its_mode(data_copy, tmp_path):
    record = data_copy / "modifications" / "SECMP0058.yaml"
    record.chmod(0o664)
    assert (
        run_process("--data", str(data_copy), "record", "SECMP0058", "implemented", "--date", "2019-06-27").returncode
        == 0
    )
    assert stat.S_IMODE(record.stat().st_mode) == 0o664 and "implemented" in record.read_text()
    out = tmp_path / "r.md"
    out.write_text("old")
    out.chmod(0o604)
    assert run_process(*REPORT, "-o", str(out)).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o604


def test_new_dp_gets_the_umask_mode(data_copy):
    done = run_process(
        "--data",
        str(data_copy),
        "new",
        "dp",
        "--title",
        "A title",
        "--proposer",
        "Ann",
        "--raised",
        "2019-06-01",
        umask=0o002,
    )
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE((data_copy / "modifications" / "DP076.yaml").stat().st_mode) == 0o664


@pytest.fixture
def disk(tmp_path):
    """A function mounting a small tmpfs of a given size (needs root, as in CI); unmounted afterwards."""
    mounted = []

    def mount(size: str) -> Path:
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)], capture_output=True)
        if done.returncode != 0:
            pytest.fail(f"this test mounts a tmpfs and needs root: {done.stderr.decode().strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", str(point)], check=True)


def test_a_full_disk_leaves_the_old_file(disk):
    tiny_disk = disk("64k")
    out = tiny_disk / "r.html"
    out.write_text("the old report")
    (tiny_disk / "filler").write_bytes(b"x" * (64 * 1024 - 8192))
    done = run_process("--data", str(DATA), "report", "--month", "2019-05", "-o", str(out))
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == f"secstatus: error: {out}: cannot write: No space left on device"
    assert out.read_text() == "the old report"
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler", "r.html"]  # no temporary left behind


def test_a_read_only_register_refuses_edits_cleanly(disk):
    import shutil

    folder = disk("4m")
    data = folder / "data"
    shutil.copytree(DATA, data)
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    before = (data / "modifications" / "SECMP0058.yaml").read_bytes()
    done = run_process("--data", str(data), "record", "SECMP0058", "implemented", "--date", "2019-06-27")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1].startswith("secstatus: error: ")
    assert "Read-only file system" in done.stderr
    assert (data / "modifications" / "SECMP0058.yaml").read_bytes() == before
