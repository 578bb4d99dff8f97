"""Editing through the tool and reading git as register events, in real git repositories."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import DATA, GIT_ENV, ROOT, make_register_repo, run_in_process
from conftest import git as run_git


def git(repo: Path, *args: str) -> str:
    return run_git(repo, *args).stdout


def secstatus(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """``secstatus ARGS`` in ``repo`` with the pinned git identity, in this process: these tests read
    its output, exit code and files, which a real process gives alike."""
    return run_in_process(*args, cwd=repo, env=GIT_ENV)


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A register repository: main holds the May 2019 register; HEAD is a branch 'june'."""
    root = make_register_repo(tmp_path / "register")
    git(root, "checkout", "-q", "-b", "june")
    return root


def test_record_commit_changes_and_history(repo: Path):
    done = secstatus(repo, "record", "SECMP0058", "implemented", "--date", "2019-06-27")
    assert done.returncode == 0, done.stderr
    working = secstatus(repo, "changes")
    assert working.stdout == "modification SECMP0058: implemented 27 June 2019 (Release → Closed)\n"
    git(repo, "commit", "-qam", "SECMP0058 implemented in the June 2019 release")

    between = secstatus(repo, "changes", "--base", "main", "--head", "HEAD", "--format", "json")
    payload = json.loads(between.stdout)
    assert [c["summary"] for c in payload["changes"]] == [
        "modification SECMP0058: implemented 27 June 2019 (Release → Closed)"
    ]
    assert payload["changes"][0]["stage"] == {"before": "release", "after": "closed"}

    md = secstatus(repo, "changes", "--base", "main", "--format", "md").stdout
    assert "| modification SECMP0058 | implemented 27 June 2019 | Release → Closed |" in md

    history = secstatus(repo, "history", "SECMP0058").stdout.splitlines()
    assert history[0].endswith("Ann Analyst  SECMP0058 implemented in the June 2019 release")
    assert history[1].strip() == "modification SECMP0058: implemented 27 June 2019 (Release → Closed)"
    assert history[2].endswith("The May 2019 register") and "new record" in history[3]


def test_record_inserts_text_and_keeps_every_line(repo: Path):
    path = repo / "data" / "modifications" / "SECMP0043.yaml"
    before = path.read_text().splitlines()
    done = secstatus(repo, "record", "SECMP0043", "working-group", "--date", "2019-04-10", "--note", "a: colon")
    assert done.returncode != 0  # no Working Group meeting on 10 April 2019 is recorded
    (repo / "data" / "meetings" / "2019-04-10-working-group.yaml").write_text("body: working-group\ndate: 2019-04-10\n")
    assert (
        secstatus(repo, "record", "SECMP0046", "working-group", "--date", "2019-04-10", "--note", "a: colon").returncode
        == 0
    )
    after = (repo / "data" / "modifications" / "SECMP0046.yaml").read_text()
    assert '    note: "a: colon"\n' in after
    assert path.read_text().splitlines() == before


def test_record_goes_in_date_order(repo: Path):
    path = repo / "data" / "modifications" / "SECMP0025.yaml"
    assert secstatus(repo, "record", "SECMP0025", "implemented", "--date", "2019-11-07").returncode == 0
    kinds = re.findall(r"- kind: ([\w-]+)\n    date: (\S+)", path.read_text())
    assert kinds == [("authority-decision", "2019-04-05"), ("dcc-status", "2019-04-05"), ("implemented", "2019-11-07")]
    assert secstatus(repo, "validate").returncode == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["SECMP0999", "withdrawn", "--date", "2019-06-01"], "no modification 'SECMP0999'"),
        (["DP072", "withdrawn", "--date", "2019-04-01"], "before the modification was raised"),
        (["SECMP0046", "implemented", "--date", "2019-06-01"], "implemented before it was approved"),
        (
            ["SECMP0042", "authority-decision", "--date", "2019-06-01", "--outcome", "approved"],
            "after the modification was closed (withdrawn)",
        ),
        (
            [
                "SECMP0046",
                "authority-decision",
                "--date",
                "2019-06-01",
                "--outcome",
                "approved",
                "--release",
                "2031-01",
            ],
            "release '2031-01' is not in data/releases/",
        ),
        (
            ["SECMP0046", "assessment-delivered", "--assessment", "IA", "--date", "2019-06-01"],
            "no IA awaiting delivery",
        ),
    ],
)
def test_refused_edits_leave_every_file_unchanged(repo: Path, args, message):
    before = tree_digest(repo / "data")
    done = secstatus(repo, "record", *args)
    assert done.returncode == 1, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr
    assert tree_digest(repo / "data") == before


@pytest.mark.parametrize(
    "args, message",
    [
        (["SECMP0046", "exploded", "--date", "2019-06-01"], "'exploded' is not one of 'converted'"),
        (["SECMP0046", "withdrawn", "--date", "2019-06-31"], "'2019-06-31' is an impossible date"),
        (["SECMP0046", "authority-decision", "--date", "2019-06-01"], "Missing option '--outcome'"),
        (["SECMP0046", "working-group"], "Missing option '--date'"),
    ],
)
def test_refused_usage_leaves_every_file_unchanged(repo: Path, args, message):
    """An unknown kind, an impossible date or a missing option is a usage error (exit 2), refused
    before anything is read."""
    before = tree_digest(repo / "data")
    done = secstatus(repo, "record", *args)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr
    assert tree_digest(repo / "data") == before


def test_dry_run_shows_the_change_and_writes_nothing(repo: Path):
    before = tree_digest(repo / "data")
    done = secstatus(repo, "record", "SECMP0058", "implemented", "--date", "2019-06-27", "--dry-run")
    assert done.returncode == 0
    assert "+  - kind: implemented\n+    date: 2019-06-27\n" in done.stdout
    assert tree_digest(repo / "data") == before


def test_new_draft_proposal(repo: Path):
    done = secstatus(
        repo,
        "new",
        "dp",
        "--title",
        "Smart meter data: retention",
        "--proposer",
        "Example Energy",
        "--raised",
        "2019-05-20",
        "--summary",
        "Why it matters.",
    )
    assert done.returncode == 0, done.stderr
    ident, path = done.stdout.split()
    assert ident == "DP076" and Path(path).name == "DP076.yaml"
    text = Path(path).read_text()
    assert text.startswith("# DP076: a Draft Proposal") and 'title: "Smart meter data: retention"' in text
    shown = json.loads(secstatus(repo, "show", "DP076", "--as-at", "2019-05-31", "--format", "json").stdout)
    assert (shown["stage"], shown["raised"]) == ("define", "2019-05-20")
    again = secstatus(repo, "new", "dp", "--title", "Another", "--proposer", "X", "--raised", "2019-05-21")
    assert again.stdout.split()[0] == "DP077"


def test_release_move_keeps_past_reports_as_they_stood(repo: Path):
    done = secstatus(
        repo, "release", "move", "2019-11", "2019-11-24", "--decided", "2019-06-12", "--note", "moved by the Panel"
    )
    assert done.returncode == 0, done.stderr
    may = secstatus(repo, "report", "--month", "2019-05", "--format", "md", "-o", "-").stdout
    july = secstatus(repo, "report", "--month", "2019-07", "--format", "md", "-o", "-").stdout
    assert "**November 2019 SEC Release** (7 November 2019)" in may
    assert "**November 2019 SEC Release** (24 November 2019)" in july
    assert secstatus(repo, "release", "move", "2042-01", "2042-01-02", "--decided", "2019-06-12").returncode == 1


def test_july_report_lists_what_was_recorded(repo: Path):
    assert secstatus(repo, "record", "SECMP0058", "implemented", "--date", "2019-06-27").returncode == 0
    july = secstatus(repo, "report", "--month", "2019-07", "--format", "md", "-o", "-").stdout
    assert re.search(
        r"\[SECMP0058\]\([^)]+\) ‘Changes to the governance of the Self-Service Interface’ "
        r"was implemented on 27 June 2019\.",
        july,
    )
    june_release = july.split("### Approved for release")[1]
    assert "SECMP0058" not in june_release


def test_a_rename_is_followed(repo: Path):
    assert (
        secstatus(repo, "new", "dp", "--title", "An idea", "--proposer", "X", "--raised", "2019-05-20").returncode == 0
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "DP076 raised")
    old = repo / "data" / "modifications" / "DP076.yaml"
    new = old.with_name("MP076A.yaml")
    git(repo, "mv", str(old), str(new))
    new.write_text(new.read_text().replace("id: DP076", "id: MP076A"))
    git(repo, "commit", "-qam", "Raised as an alternative, not a Draft Proposal")
    changed = secstatus(repo, "changes", "--base", "HEAD~1", "--head", "HEAD").stdout
    assert changed.startswith(
        "modification MP076A: file renamed from data/modifications/DP076.yaml; id: 'DP076' → 'MP076A'"
    )
    log = secstatus(repo, "history", "MP076A").stdout.splitlines()
    assert [line.split("  ")[-1] for line in log[::2]] == [
        "Raised as an alternative, not a Draft Proposal",
        "DP076 raised",
    ]


def test_shallow_clone_and_missing_refs_get_actionable_messages(repo: Path, tmp_path: Path):
    git(repo, "commit", "-q", "--allow-empty", "-m", "june work")
    git(repo, "checkout", "-q", "main")
    git(repo, "commit", "-q", "--allow-empty", "-m", "main moves on")
    git(repo, "checkout", "-q", "june")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--no-single-branch", "--branch", "june", repo.as_uri(), str(clone)],
        check=True,
        env={**os.environ, **GIT_ENV},
    )
    shallow = secstatus(clone, "changes")
    assert shallow.returncode == 1 and "Traceback" not in shallow.stderr
    assert "shallow" in shallow.stderr and "git fetch --unshallow" in shallow.stderr
    missing = secstatus(repo, "changes", "--base", "no-such-branch")
    assert missing.returncode == 1 and "unknown git ref 'no-such-branch'" in missing.stderr


def test_outside_a_git_repository(tmp_path: Path):
    shutil.copytree(DATA, tmp_path / "data")
    done = secstatus(tmp_path, "changes")
    assert done.returncode == 1 and "not inside a git repository" in done.stderr


def test_register_repository_kit():
    from secstatus.cli import main

    kit = ROOT / "src" / "secstatus" / "kit"
    workflow = yaml.safe_load((kit / ".github" / "workflows" / "register.yml").read_text())
    runs = [step["run"] for step in workflow["jobs"]["validate"]["steps"] if "run" in step]
    called = re.findall(r"secstatus ([a-z]+)", "\n".join(runs))
    assert set(called) >= {"validate", "changes"}
    assert all(name in main.commands for name in called)
    assert any("--format md" in run and "GITHUB_STEP_SUMMARY" in run for run in runs)
    template = (kit / ".github" / "pull_request_template.md").read_text()
    for section in ("### New Draft Proposal", "### Decision", "### Release", "### DCC assessment", "### Templates"):
        assert section in template
    ignored = (kit / ".gitignore").read_text().splitlines()
    assert "data/.secstatus.lock" in ignored and ".DS_Store" in ignored
    published = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    for form in ("local.yaml", "published.yaml"):  # the register's .pre-commit-config.yaml, one or the other
        hooks = yaml.safe_load((kit.parent / "kit-pre-commit" / form).read_text())
        assert {h["id"] for r in hooks["repos"] for h in r["hooks"]} <= published, form


def test_record_help_lists_every_kind(cli):
    from secstatus.domain.events import RECORDABLE as RECORDABLE_KINDS

    text = cli("record", "--help").stdout
    assert [kind for kind in RECORDABLE_KINDS if kind not in text] == []


def test_bad_source_date_epoch_is_a_clear_error(cli):
    result = cli("--data", str(DATA), "assess", "overdue", env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert result.exit_code == 1 and "SOURCE_DATE_EPOCH='yesterday'" in result.stderr


def test_release_moves_go_in_the_order_they_were_decided(repo: Path):
    assert secstatus(repo, "release", "move", "2019-11", "2019-11-29", "--decided", "2019-09-01").returncode == 0
    assert secstatus(repo, "release", "move", "2019-11", "2019-11-24", "--decided", "2019-06-12").returncode == 0
    text = (repo / "data" / "releases" / "2019-11.yaml").read_text()
    assert re.findall(r"date: (\S+)", text) == ["2019-11-07", "2019-11-24", "2019-11-29"]
    august = secstatus(repo, "report", "--month", "2019-08", "--format", "md", "-o", "-").stdout
    assert "**November 2019 SEC Release** (24 November 2019)" in august


def test_history_reads_a_commit_whose_subject_holds_any_character(repo: Path):
    """Subjects and authors come from pull requests: separators git's own fields might hold do not
    split them."""
    assert secstatus(repo, "record", "SECMP0058", "implemented", "--date", "2019-06-27").returncode == 0
    git(repo, "commit", "-qam", "June \x1e release \x1f for SECMP0058")
    done = secstatus(repo, "history", "SECMP0058", "--format", "json")
    assert done.returncode == 0, done.stderr
    commits = json.loads(done.stdout)
    assert commits[0]["subject"] == "June \x1e release \x1f for SECMP0058"
    assert "implemented 27 June 2019" in commits[0]["summary"] and len(commits) == 2


def test_changes_lists_what_the_loader_does_not_read_as_files_not_records(repo: Path):
    """An editor's backup or a placeholder is no change to a record, committed or not: it is a
    file, listed for review."""
    shutil.copy(repo / "data" / "modifications" / "SECMP0007.yaml", repo / "data" / "modifications" / "SECMP0007.yaml~")
    git(repo, "add", "-f", "-A")
    git(repo, "commit", "-qm", "a backup slipped in")
    (repo / "data" / "releases" / ".gitkeep").write_text("")
    done = secstatus(repo, "changes")
    assert done.returncode == 0 and done.stdout.splitlines() == [
        f"data/{name}: file added: it is in data/ but is not a record file secstatus reads; review it as code"
        for name in ("modifications/SECMP0007.yaml~", "releases/.gitkeep")
    ], done.stdout


def test_blobs_read_files_at_commits_as_git_stores_them(tmp_path: Path):
    """One ``git cat-file --batch`` process answers every file a history or a change reads: the
    bytes git stores, None for a path the commit lacks or for a folder, and a path with a line
    break (which could say anything on the process's line-based input) is asked on its own."""
    from secstatus.history.gitlog import Blobs

    repo = tmp_path / "r"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "data").mkdir()
    (repo / "data" / "a.yaml").write_bytes(b"id: A\r\ntitle: \xe2\x80\x99quoted\xe2\x80\x99\n")
    (repo / "data" / "odd\nHEAD:data").mkdir()
    (repo / "data" / "odd\nHEAD:data" / "a.yaml").write_bytes(b"id: hidden\n")
    (repo / "data" / "empty.yaml").write_bytes(b"")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "one")
    (repo / "data" / "a.yaml").write_bytes(b"id: A\ntitle: later\n")
    git(repo, "commit", "-q", "-am", "two")
    with Blobs(repo) as blob:
        assert blob("HEAD^", "data/a.yaml") == b"id: A\r\ntitle: \xe2\x80\x99quoted\xe2\x80\x99\n"
        assert blob("HEAD", "data/a.yaml") == b"id: A\ntitle: later\n"
        assert blob("HEAD", "data/empty.yaml") == b""
        assert blob("HEAD", "data/none.yaml") is None
        assert blob("HEAD", "data") is None  # a folder is no file
        # Asked on the batch input, each of these names would be two questions, the second
        # naming data/a.yaml: the file with the odd name is read, and the missing one is missing.
        assert blob("HEAD", "data/odd\nHEAD:data/a.yaml") == b"id: hidden\n"
        assert blob("HEAD", "data/none\nHEAD:data/a.yaml") is None
        assert blob("HEAD", "data/a.yaml") == b"id: A\ntitle: later\n"  # the process still answers in step


def test_history_reads_a_file_name_as_that_file_not_a_pattern(repo: Path):
    """A calendar file's name is free: '[ab].yaml' names that file, not a.yaml or b.yaml too."""
    from secstatus.history.gitlog import history

    calendar = repo / "data" / "calendar"
    (calendar / "a.yaml").write_text("days: []\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a plain calendar file")
    (calendar / "[ab].yaml").write_text("# its own file\ndays: []\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a calendar file with brackets")
    assert [c.subject for c in history(repo / "data", calendar / "[ab].yaml")] == ["a calendar file with brackets"]
    assert [c.subject for c in history(repo / "data", calendar / "a.yaml")] == ["a plain calendar file"]
