"""One walk of the history (``walk``, ``gitlog.Histories``) against what ``git log --follow`` said
record by record, on a generated repository with renames, conversions, deletions, additions
again and merged side branches."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import DATA, ROOT, make_register_repo
from conftest import git as run_git


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """The benchmarks' history generator, small: 150 records at the last of 240 commits."""
    sys.path.insert(0, str(ROOT / "bench"))
    from history import write_history

    return write_history(tmp_path_factory.mktemp("walk") / "register", 150, 240, seed=7)


def follow_history(data_root: Path, path: Path, blobs) -> tuple[list, int | None]:
    """The history as secstatus read it before the one walk: ``git log --follow`` for this one
    record, then each commit's two sides read by commit and path (bfa5baa's ``gitlog.history``);
    and the place of the first commit where ``--follow`` took the file for a copy of another."""
    from secstatus.history.gitlog import Commit, describe, git

    repo = blobs.repo
    rel = os.path.relpath(path.resolve(), repo.resolve())
    log = git(
        repo,
        "log",
        "--follow",
        "-M",
        "--name-status",
        "--date=short",
        "--format=%x00%H%x00%ad%x00%an%x00%s%x00",
        "--",
        rel,
    )
    fields = log.split("\0")[1:]
    commits, copied = [], None
    for at in range(0, len(fields) - 4, 5):
        sha, date, author, subject, rest = fields[at : at + 5]
        status_line = next((line for line in rest.splitlines() if line.strip()), "")
        parts = status_line.split("\t")
        status = parts[0][:1]
        copied = len(commits) if status == "C" and copied is None else copied
        old_path, new_path = (parts[1], parts[2]) if status in "RC" and len(parts) > 2 else (parts[-1], parts[-1])
        old_raw = None if status == "A" else blobs(f"{sha}^", old_path)
        new_raw = None if status == "D" else blobs(sha, new_path)
        commits.append(Commit(sha, date, author, subject, describe(old_raw, new_raw, old_path, new_path)))
    return commits, copied


def test_the_generated_history_holds_every_kind_of_change(generated):
    """The comparison below means something only if the history renames, converts, deletes, adds
    back and merges, and its last commit is a valid register."""
    from secstatus.register.checks import validate

    sys.path.insert(0, str(ROOT / "bench"))
    from history import write_history

    counts = write_history.counts
    assert all(counts.get(kind, 0) >= 3 for kind in ("add", "edit", "convert", "rename", "delete", "re-add", "merge"))
    assert len(run_git(generated.parent, "log", "--format=%H").stdout.split()) == 240
    register, diagnostics = validate(generated)
    assert [d for d in diagnostics if d.severity == "error"] == [] and len(register.modifications) == 150


def test_one_walk_gives_every_record_the_history_git_log_follow_gave(generated):
    """For every record file at the last commit, every commit's change in words (and its sha, date,
    author, subject) is the same from the one walk as from ``git log --follow`` on that file, down
    to a commit where ``--follow`` took the file for a copy of another (a legacy record added back
    after a deletion is like enough to others for that): there the walk has the file added, and
    goes on with the file's own earlier life, as ``changes`` and git's history of the file have it."""
    from secstatus.history.gitlog import Blobs, Histories

    paths = sorted(generated.glob("*/*.yaml"))
    seen = {"renamed": 0, "removed": 0, "converted": 0, "copies": 0, "whole": 0}
    with Blobs(generated.parent) as blobs:
        histories = Histories(generated, blobs)
        for path in paths:
            old, copied = follow_history(generated, path, blobs)
            expected, found = [c.as_dict() for c in old], [c.as_dict() for c in histories(path)]
            if copied is None:
                assert found == expected, path
                seen["whole"] += 1
            else:
                assert found[:copied] == expected[:copied], path
                assert found[copied]["commit"] == expected[copied]["commit"], path
                assert (found[copied]["change"]["kind"], expected[copied]["change"]["kind"]) == ("added", "renamed")
                seen["copies"] += 1
            kinds = [c["change"]["kind"] for c in found]
            seen["renamed"] += "renamed" in kinds
            seen["removed"] += "removed" in kinds  # a life after a deletion
            seen["converted"] += any("converted to a Modification Proposal" in c["summary"] for c in found)
    assert all(count >= 3 for count in seen.values()), seen
    assert seen["whole"] > 0.8 * len(paths), seen


def test_a_converted_draft_proposal_keeps_its_file_and_its_history(generated):
    """A conversion is an event: the file keeps its DPnnn name, and its history, newest first,
    names it by its MP number from the conversion on."""
    from secstatus.history.gitlog import history

    converted = [p for p in sorted(generated.glob("modifications/DP*.yaml")) if "kind: converted" in p.read_text()]
    assert converted
    commits = history(generated, converted[0])
    number = converted[0].stem[2:]
    assert commits[0].change.record == f"modification MP{number}" and commits[-1].change.kind == "added"
    assert {c.change.file for c in commits} == {f"data/modifications/DP{number}.yaml"}


def test_a_copied_record_is_a_new_record_not_the_other_s_history(tmp_path: Path):
    """``git log --follow`` also looked for copies: a record made by copying another took the
    other's commits for its own, and its first commit was called a rename. The walk, like
    ``changes``, calls the copy a new record, with a history of its own."""
    from secstatus.history.gitlog import GitError, history

    repo = make_register_repo(tmp_path / "register")
    copy = repo / "data" / "modifications" / "SECMP0101.yaml"
    copy.write_text((DATA / "modifications" / "SECMP0058.yaml").read_text().replace("id: SECMP0058", "id: SECMP0101"))
    run_git(repo, "add", "-A")
    run_git(repo, "commit", "-qm", "SECMP0101 copied from SECMP0058")
    commits = history(repo / "data", copy)
    assert [(c.subject, c.change.kind) for c in commits] == [("SECMP0101 copied from SECMP0058", "added")]
    assert "new record" in commits[0].change.summary()
    shutil.rmtree(repo / ".git")
    run_git(repo, "init", "-q")
    with pytest.raises(GitError):  # a repository without a commit: git says so, as before
        history(repo / "data", copy)


def test_the_walk_is_one_git_log_for_many_records(generated, monkeypatch):
    """The history of every record of the register costs one ``git log`` and one ``cat-file``."""
    from secstatus.history.gitlog import Blobs, Histories
    from secstatus.system import gitrun

    started = []
    real = gitrun.start
    monkeypatch.setattr(gitrun, "start", lambda repo, *args, **kw: started.append(args[0]) or real(repo, *args, **kw))
    with Blobs(generated.parent) as blobs:
        histories = Histories(generated, blobs)
        for path in sorted(generated.glob("*/*.yaml")):
            histories(path)
    assert sorted(started) == ["cat-file", "log"]


def test_a_branch_whose_changes_a_merge_left_out_is_still_walked(tmp_path: Path):
    """``git log --follow`` walks every commit: a branch's change to a record that its merge left
    out (``-s ours``) is still in the record's history; a walk over a folder would leave that
    branch out, git's history simplification taking the merge's other side, unless told not to."""
    from secstatus.history.gitlog import Blobs, Histories

    repo = make_register_repo(tmp_path / "register")
    record = repo / "data" / "modifications" / "SECMP0058.yaml"
    run_git(repo, "checkout", "-q", "-b", "side")
    record.write_text(record.read_text().replace("title:", "title: Renamed", 1))
    run_git(repo, "commit", "-qam", "a change the merge leaves out")
    run_git(repo, "checkout", "-q", "main")
    (repo / "README.md").write_text("the register\n")
    run_git(repo, "add", "-A")
    run_git(repo, "commit", "-qm", "not a record")
    run_git(repo, "merge", "-q", "-s", "ours", "side", "-m", "merge, keeping main's records")
    with Blobs(repo) as blobs:
        expected, _ = follow_history(repo / "data", record, blobs)
        found = Histories(repo / "data", blobs)(record)
    assert [c.as_dict() for c in found] == [c.as_dict() for c in expected]
    assert [c.subject for c in found] == ["a change the merge leaves out", "The May 2019 register"]


def test_the_register_as_loaded_stands_for_its_files_latest_versions(generated, monkeypatch):
    """Given the register (as the site gives it), a version whose bytes a loaded record was read
    from is not read from git nor parsed again: the same histories, fewer files parsed."""
    from secstatus.history import gitlog
    from secstatus.register.checks import validate

    register, _ = validate(generated)
    paths = [register.source_of(m).path for m in register.modifications.values()]
    parsed = []
    real = gitlog._record

    def counted(raw, path):
        if raw is not None:
            parsed.append(path)
        return real(raw, path)

    monkeypatch.setattr(gitlog, "_record", counted)
    found = {}
    for given in (None, register):
        del parsed[:]
        with gitlog.Blobs(generated.parent) as blobs:
            histories = gitlog.Histories(generated, blobs, given)
            found[given is None] = [[c.as_dict() for c in histories(p)] for p in paths]
        found[f"parsed {given is None}"] = len(parsed)
    assert found[True] == found[False]
    assert found["parsed False"] <= found["parsed True"] - len(paths) + 5  # a record's file as it is: not parsed
