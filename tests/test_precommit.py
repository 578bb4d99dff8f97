"""The pre-commit hook, driven by the real pre-commit tool in a real git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, make_register_repo
from conftest import git as run_git

PRE_COMMIT = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which("pre-commit")


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return run_git(repo, *args, check=check, env={"PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home")})


def test_published_hook_definition():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["secstatus-validate"]
    hook = hooks[0]
    assert hook["entry"] == "secstatus validate --strict" and hook["pass_filenames"] is False
    assert hook["language"] == "python" and hook["files"] == "^data/"


@pytest.fixture
def data_repo(tmp_path: Path) -> Path:
    """A register repository whose commits run the secstatus-validate hook."""
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    # The hook as published, run with this test's interpreter instead of a pip-installed copy
    # (the tests run offline).
    hook.update(entry=f"{sys.executable} -m {hook['entry']}", language="system")
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    repo = make_register_repo(tmp_path / "register", lambda root: (root / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump(config)))
    subprocess.run([PRE_COMMIT, "install"], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")})
    return repo


def test_bad_edit_is_refused_with_its_location(data_repo: Path):
    path = data_repo / "data" / "modifications" / "SECMP0046.yaml"
    path.write_text(path.read_text().replace("title:", "titel:"))
    git(data_repo, "add", "-A")
    result = git(data_repo, "commit", "-m", "typo", check=False)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "data/modifications/SECMP0046.yaml:5:1: error: unknown field 'titel'" in output
    assert git(data_repo, "log", "--format=%s").stdout.splitlines() == ["The May 2019 register"]


def test_good_edit_commits(data_repo: Path):
    path = data_repo / "data" / "modifications" / "SECMP0046.yaml"
    path.write_text(path.read_text() + "  - kind: working-group\n    date: 2019-06-05\n")
    git(data_repo, "add", "-A")
    result = git(data_repo, "commit", "-m", "SECMP0046 discussed at the June Working Group", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "secstatus validate" in output and "Passed" in output


def test_hook_and_kit_workflow_run_the_same_check():
    """A commit that passes the hook passes CI: both run ``secstatus validate --strict``."""
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    kit = ROOT / "src" / "secstatus" / "kit"
    workflow = yaml.safe_load((kit / ".github" / "workflows" / "register.yml").read_text())
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert hook["entry"] in runs
    own = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"][0]
    assert own["entry"].endswith(hook["entry"])
    kits = yaml.safe_load((kit.parent / "kit-pre-commit" / "local.yaml").read_text())["repos"][0]["hooks"][0]
    assert kits["entry"] == hook["entry"] and kits["files"] == hook["files"]
    published = yaml.safe_load((kit.parent / "kit-pre-commit" / "published.yaml").read_text())["repos"][0]
    assert published["hooks"] == [{"id": hook["id"]}]  # the published hook as it is: its entry and files


def test_a_new_warning_is_refused_and_an_acknowledged_one_commits(data_repo: Path):
    path = data_repo / "data" / "modifications" / "SECMP0046.yaml"
    original = path.read_text()
    path.write_text(original + "  - kind: dcc-status\n    date: 2019-06-05\n    group: assessment\n"
                    "    status: Awaiting PA requestt\n")
    git(data_repo, "add", "-A")
    refused = git(data_repo, "commit", "-m", "typo in a DCC status", check=False)
    assert refused.returncode != 0
    assert "warning: 'requestt' in DCC status" in refused.stdout + refused.stderr
    path.write_text(path.read_text() + "    acknowledged:\n      - code: dcc-status-spelling\n"
                    "        reason: as DCC printed it\n")
    git(data_repo, "add", "-A")
    result = git(data_repo, "commit", "-m", "a DCC status as printed, acknowledged", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
