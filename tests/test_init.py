"""secstatus init: a register repository that passes its own pre-commit hook and whose pull-request
workflow's steps run as they are, here, from its first pull request."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT
from conftest import git as run_git

BIN = Path(sys.executable).parent
"""Where this test's secstatus and pre-commit are: the repository's hook and workflow call them by name."""
PIN = f"secstatus @ {ROOT.as_uri()}"


def env(tmp_path: Path) -> dict[str, str]:
    return {"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}


def git(repo: Path, tmp_path: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return run_git(repo, *args, check=check, env=env(tmp_path))


def secstatus(repo: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["secstatus", *args], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, **env(tmp_path)})


def init(tmp_path: Path) -> Path:
    repo = tmp_path / "register"
    done = secstatus(tmp_path, tmp_path, "init", str(repo), "--requirement", PIN)
    assert done.returncode == 0, done.stderr
    return repo


def test_init_makes_a_register_repository(tmp_path: Path):
    repo = init(tmp_path)
    assert (repo / ".git").is_dir()
    for folder in ("modifications", "releases", "sec-versions", "meetings", "reports", "calendar"):
        assert (repo / "data" / folder / ".gitkeep").is_file()
    for name in (".pre-commit-config.yaml", ".github/workflows/register.yml", ".github/workflows/publish.yml",
                 ".github/pull_request_template.md", ".gitignore", "README.md"):
        assert (repo / name).is_file(), name
    pins = [line for line in (repo / "requirements.txt").read_text().splitlines() if not line.startswith("#")]
    assert pins == [PIN]
    assert "@SECSTATUS" not in "".join(p.read_text() for p in repo.rglob("*") if p.is_file() and ".git/" not in str(p))
    done = secstatus(repo, tmp_path, "validate", "--strict")
    assert done.returncode == 0 and "0 errors, 0 warnings" in done.stderr


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    done = secstatus(tmp_path, tmp_path, "init", str(tmp_path / "busy"))
    assert done.returncode == 1 and "exists and is not an empty folder" in done.stderr
    assert [p.name for p in (tmp_path / "busy").iterdir()] == ["notes.txt"]


def test_every_workflow_installs_the_one_pin():
    kit = ROOT / "src" / "secstatus" / "kit"
    workflows = sorted((kit / ".github" / "workflows").glob("*.yml"))
    assert [w.name for w in workflows] == ["publish.yml", "register.yml"]  # none missed; a new one is named here
    for workflow in workflows:
        runs = [s.get("run", "") for job in yaml.safe_load(workflow.read_text())["jobs"].values()
                for s in job.get("steps", [])]
        assert any(re.search(r"pip install -r \S*requirements\.txt", run) for run in runs), workflow.name
        assert not [r for r in runs if "git+https" in r], workflow.name


def test_a_new_register_passes_its_own_pre_commit(tmp_path: Path):
    repo = init(tmp_path)
    installed = subprocess.run(["pre-commit", "install"], cwd=repo, capture_output=True, text=True,
                               env={**os.environ, **env(tmp_path)})
    assert installed.returncode == 0, installed.stderr
    git(repo, tmp_path, "add", "-A")
    first = git(repo, tmp_path, "commit", "-m", "A new register", check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "secstatus validate" in first.stdout + first.stderr and "Passed" in first.stdout + first.stderr
    assert secstatus(repo, tmp_path, "new", "meeting", "working-group", "2019-06-05").returncode == 0
    (repo / "data" / "meetings" / "typo.yaml").write_text("body: working-group\ndate: 2019-06-05\nplace: x\n")
    git(repo, tmp_path, "add", "-A")
    refused = git(repo, tmp_path, "commit", "-m", "a meeting and a typo", check=False)
    assert refused.returncode != 0 and "unknown field 'place'" in refused.stdout + refused.stderr


def test_the_pull_request_workflow_runs_here_step_by_step(tmp_path: Path):
    """Every step the workflow runs (but installing, which this test's environment has done) runs
    as written, on a first pull request: green, a summary in words, and the report as HTML and PDF."""
    repo = init(tmp_path)
    git(repo, tmp_path, "add", "-A")
    git(repo, tmp_path, "commit", "-q", "--no-verify", "-m", "A new register")
    origin = tmp_path / "origin.git"
    git(tmp_path, tmp_path, "clone", "-q", "--bare", str(repo), str(origin))
    git(repo, tmp_path, "remote", "add", "origin", str(origin))
    git(repo, tmp_path, "switch", "-q", "-c", "first-proposal")
    made = secstatus(repo, tmp_path, "new", "dp", "--title", "A first idea", "--proposer", "A Proposer",
                     "--raised", "2019-06-03")
    assert made.returncode == 0, made.stderr
    git(repo, tmp_path, "add", "-A")
    git(repo, tmp_path, "commit", "-q", "--no-verify", "-m", "DP071")
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "register.yml").read_text())
    steps = [s for s in workflow["jobs"]["validate"]["steps"] if "run" in s and not s["name"].startswith("Install")]
    assert [s["name"] for s in steps] == ["Validate the register", "Describe the change", "Render this month's report"]
    summary = tmp_path / "summary.md"
    for step in steps:
        assert "${{" not in step["run"], step["run"]  # expressions reach a script as environment only
        given = {k: v.replace("${{ github.base_ref }}", "main") for k, v in step.get("env", {}).items()}
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", step["run"]], cwd=repo, capture_output=True,
                              text=True, env={**os.environ, **env(tmp_path), **given,
                                              "GITHUB_STEP_SUMMARY": str(summary)})
        assert done.returncode == 0, (step["name"], done.stderr)
    assert "DP071" in summary.read_text() and "A first idea" in summary.read_text()
    reports = sorted(p.suffix for p in (repo / "reports").iterdir())
    assert reports == [".html", ".pdf"]
    assert shutil.which("git")
