"""Issue 16, points 7, 8 and 14, played as a pull request (or a repository handed over) would play
them against a register made by ``secstatus init``: an interrupted write blocks nothing; outputs
never overwrite the register or leave the checkout through a committed symlink, in the tool and in
the kit's workflows; a lock path that is not the lock file is refused with what to do."""

from __future__ import annotations

import datetime as dt
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from test_init import env, git, init, pull_request, run_steps, secstatus

NEW_DP = ("new", "dp", "--title", "A second idea", "--proposer", "A Proposer", "--raised", "2019-06-10")


def committed(tmp_path: Path) -> Path:
    """A register made by init, its first commit made."""
    repo = init(tmp_path)
    git(repo, tmp_path, "add", "-A")
    git(repo, tmp_path, "commit", "-q", "--no-verify", "-m", "A new register")
    return repo


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every path under ``folder`` (links not followed) with its bytes or link target."""
    out: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if ".git" in path.relative_to(folder).parts[:1]:
            continue
        out[rel] = os.readlink(path) if path.is_symlink() else (path.read_bytes() if path.is_file() else "dir")
    return out


# Point 7: an interrupted write blocks nothing.

STALLED_WRITER = """
import os, signal, sys
def stall(fd):  # the new record is written to its temporary file, not yet renamed: killed here
    print("writing", flush=True)
    signal.pause()
os.fsync = stall
sys.argv = ["secstatus", *sys.argv[1:]]
from secstatus.cli.entry import run
run()
"""


@pytest.mark.slow
def test_an_edit_killed_mid_write_blocks_nothing_and_the_next_edit_clears_it(tmp_path: Path):
    from secstatus.output.files import is_temporary

    repo = committed(tmp_path)
    writer = subprocess.Popen(
        [sys.executable, "-c", STALLED_WRITER, *NEW_DP],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env(tmp_path)},
    )
    try:
        assert writer.stdout.readline() == "writing\n", writer.stderr.read()
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.communicate(timeout=60)
    assert writer.returncode == -signal.SIGKILL
    [left] = [p for p in (repo / "data").rglob("*") if p.is_file() and p.name not in (".gitkeep", ".secstatus.lock")]
    assert left.parent.name == "modifications" and is_temporary(left.name) and b"A second idea" in left.read_bytes()
    # Neither git nor the checks see it: the hook and CI stay green.
    assert git(repo, tmp_path, "status", "--porcelain").stdout == ""
    done = secstatus(repo, tmp_path, "validate", "--strict")
    assert done.returncode == 0 and "0 errors, 0 warnings" in done.stderr, done.stderr
    hook = subprocess.run(
        ["pre-commit", "run", "--all-files"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, **env(tmp_path)},
    )
    assert hook.returncode == 0 and "Passed" in hook.stdout, hook.stdout + hook.stderr
    # The next edit takes the lock the killed one held and removes what it left.
    again = secstatus(repo, tmp_path, *NEW_DP)
    assert again.returncode == 0, again.stderr
    assert not left.exists() and (repo / "data" / "modifications" / "DP071.yaml").is_file()
    assert not (repo / "data" / ".secstatus.lock").exists()


def test_a_file_named_as_the_writers_temporary_is_skipped_and_removed_by_the_next_edit(tmp_path: Path):
    repo = committed(tmp_path)
    left = repo / "data" / "releases" / ".2019-11.yaml.0a1b2c3d.secstatus-tmp"
    left.write_text("name: half a rele")
    near_miss = repo / "data" / "releases" / "notes.secstatus-tmp"  # not the writer's pattern: still a warning
    near_miss.write_text("x")
    done = secstatus(repo, tmp_path, "validate")
    assert done.returncode == 0 and "notes.secstatus-tmp" in done.stdout and ".2019-11.yaml" not in done.stdout
    near_miss.unlink()
    assert secstatus(repo, tmp_path, "validate", "--strict").returncode == 0
    assert git(repo, tmp_path, "check-ignore", "-q", str(left.relative_to(repo))).returncode == 0
    assert secstatus(repo, tmp_path, "new", "meeting", "working-group", "2019-06-05").returncode == 0
    assert not left.exists()


# Point 8: outputs never overwrite the register or escape the checkout.

MONTH = ("report", "--month", "2019-06", "--format", "md")


@pytest.mark.parametrize(
    "output",
    [
        "data/modifications/DP071.yaml",
        "data/change-status-report.md",
        "templates/report.md",
        ".git/hooks/post-checkout",
        "data/../data/x.md",
    ],
)
def test_report_refuses_an_output_inside_the_register(tmp_path: Path, output: str):
    repo = pull_request(tmp_path)
    (repo / "templates").mkdir()
    before = snapshot(repo)
    done = secstatus(repo, tmp_path, *MONTH, "-o", output)
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1, done.stderr
    assert "an output never goes there" in done.stderr
    assert snapshot(repo) == before and not (repo / ".git" / "hooks" / "post-checkout").exists()


def test_a_symlink_that_leads_into_the_register_is_refused_even_when_followed(tmp_path: Path):
    repo = pull_request(tmp_path)
    (repo / "latest.md").symlink_to("data/modifications/DP071.yaml")
    before = (repo / "data" / "modifications" / "DP071.yaml").read_bytes()
    done = secstatus(repo, tmp_path, *MONTH, "-o", "latest.md", "--follow-symlinks")
    assert done.returncode == 1 and "inside the register's data folder" in done.stderr
    assert (repo / "data" / "modifications" / "DP071.yaml").read_bytes() == before


@pytest.mark.parametrize("output", ["data/site", "templates/site", ".git/site", "."])
def test_site_refuses_an_output_inside_or_around_the_register(tmp_path: Path, output: str):
    repo = pull_request(tmp_path)
    (repo / "templates").mkdir()
    before = snapshot(repo)
    done = secstatus(repo, tmp_path, "site", "-o", output, "--as-at", "2019-06-10")
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1, done.stderr
    assert snapshot(repo) == before


def hostile_links(repo: Path, tmp_path: Path, month: str) -> Path:
    """What a pull request commits to send the kit's outputs out of the checkout: ``reports`` and
    ``_site`` as symlinks to a folder outside, a report file as a symlink to a file outside, and a
    real ``reports/`` would-be upload holding a link to a secret."""
    outside = tmp_path / "outside"
    (outside / "site").mkdir(parents=True)
    (outside / "secret").write_text("a key of the runner")
    (repo / "reports").symlink_to(os.path.relpath(outside, repo))
    (repo / "_site").symlink_to(os.path.relpath(outside / "site", repo))
    (repo / "site").symlink_to(os.path.relpath(outside / "site", repo))
    (repo / f"change-status-report-{month}.html").symlink_to(os.path.relpath(outside / "report.html", repo))
    git(repo, tmp_path, "add", "-f", "reports", "_site", "site", f"change-status-report-{month}.html")
    git(repo, tmp_path, "commit", "-q", "--no-verify", "-m", "Symlinks out of the checkout")
    return outside


def test_the_tool_does_not_write_through_a_committed_symlink_unless_asked(tmp_path: Path):
    repo = pull_request(tmp_path)
    outside = hostile_links(repo, tmp_path, "2019-06")
    before = snapshot(outside)
    for args in (
        ("report", "--month", "2019-06", "--format", "html"),  # the default file name, a link
        ("report", "--month", "2019-06", "--format", "md", "-o", "reports/x.md"),
        ("report", "--month", "2019-06", "--format", "md", "-o", "reports/../x.md"),
        ("site", "-o", "_site", "--as-at", "2019-06-10"),
        ("site", "--as-at", "2019-06-10"),
    ):
        done = secstatus(repo, tmp_path, *args)
        assert done.returncode == 1 and len(done.stderr.splitlines()) == 1, (args, done.stderr)
        assert "a symlink inside the register's repository" in done.stderr and "--follow-symlinks" in done.stderr
    assert snapshot(outside) == before
    asked = secstatus(
        repo, tmp_path, "report", "--month", "2019-06", "--format", "md", "-o", "reports/x.md", "--follow-symlinks"
    )
    assert asked.returncode == 0, asked.stderr
    assert (outside / "x.md").read_text().startswith("# Change Status Report")


def test_a_symlink_outside_the_repository_is_the_users_and_is_followed(tmp_path: Path):
    repo = pull_request(tmp_path)
    mine = tmp_path / "published"
    mine.mkdir()
    (tmp_path / "latest.md").symlink_to(mine / "report.md")
    done = secstatus(repo, tmp_path, *MONTH, "-o", str(tmp_path / "latest.md"))
    assert done.returncode == 0, done.stderr
    assert (mine / "report.md").read_text().startswith("# Change Status Report")


@pytest.mark.slow
def test_the_kit_workflows_write_and_upload_nothing_through_a_committed_symlink(tmp_path: Path):
    """The pull-request workflow and the publishing workflow, step by step as written, on a
    checkout where a pull request committed symlinks at every path they once wrote or uploaded."""
    month = dt.datetime.now(dt.UTC).strftime("%Y-%m")
    repo = pull_request(tmp_path)
    outside = hostile_links(repo, tmp_path, month)
    before = snapshot(outside)
    ran = run_steps(repo, tmp_path, "register.yml", "validate")
    built = run_steps(repo, tmp_path, "publish.yml", "build")
    assert snapshot(outside) == before
    for upload in (ran["actions/upload-artifact"], built["actions/upload-pages-artifact"]):
        real = Path(os.path.realpath(upload))
        assert real.is_relative_to(os.path.realpath(ran["runner_temp"])), upload  # not the checkout
        assert [p for p in real.rglob("*") if p.is_symlink()] == []  # nothing in it leads elsewhere
    assert sorted(p.name for p in ran["actions/upload-artifact"].iterdir()) == [
        f"change-status-report-{month}.html",
        f"change-status-report-{month}.pdf",
    ]
    assert (built["actions/upload-pages-artifact"] / "index.html").is_file()


# Point 14: a lock path that is not the lock file.


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def make_folder(path: Path) -> None:
    path.mkdir()
    (path / "keep").write_text("")


@pytest.mark.parametrize(
    "plant, what",
    [
        (lambda path: path.symlink_to("../../victim"), "is a symbolic link (to ../../victim)"),
        (make_folder, "is a folder"),
        (make_fifo, "is a FIFO"),
    ],
    ids=["symlink", "folder", "fifo"],
)
def test_a_lock_path_that_is_not_the_lock_file_is_refused_saying_what_to_do(tmp_path: Path, plant, what: str):
    repo = committed(tmp_path)
    victim = tmp_path / "victim"
    victim.write_text("a file the link points at")
    lock = repo / "data" / ".secstatus.lock"
    plant(lock)
    if not stat.S_ISFIFO(os.lstat(lock).st_mode):  # git commits a link or a folder as a pull request would
        git(repo, tmp_path, "add", "-f", "data/.secstatus.lock")
        git(repo, tmp_path, "commit", "-q", "--no-verify", "-m", "A lock path of its own")
    kind = stat.S_IFMT(os.lstat(lock).st_mode)
    done = secstatus(repo, tmp_path, *NEW_DP)
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("secstatus: error: "), done.stderr
    assert what in done.stderr and "remove it" in done.stderr and "nothing was written" in done.stderr
    assert stat.S_IFMT(os.lstat(lock).st_mode) == kind and victim.read_text() == "a file the link points at"
    assert not (repo / "data" / "modifications" / "DP071.yaml").exists()
