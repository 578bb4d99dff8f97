"""The pre-commit hook, driven by the real pre-commit tool in a real git repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, make_register_repo
from conftest import git as run_git

PRE_COMMIT = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which("pre-commit")


def git(repo: Path, *args: str, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_git(
        repo, *args, check=check, env={"PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"), **(env or {})}
    )


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
    repo = make_register_repo(
        tmp_path / "register", lambda root: (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    )
    subprocess.run(
        [PRE_COMMIT, "install"],
        cwd=repo,
        check=True,
        capture_output=True,
        env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")},
    )
    return repo


@pytest.mark.slow
def test_bad_edit_is_refused_with_its_location(data_repo: Path):
    path = data_repo / "data" / "modifications" / "SECMP0046.yaml"
    path.write_text(path.read_text().replace("title:", "titel:"))
    git(data_repo, "add", "-A")
    result = git(data_repo, "commit", "-m", "typo", check=False)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "data/modifications/SECMP0046.yaml:5:1: error: unknown field 'titel'" in output
    assert git(data_repo, "log", "--format=%s").stdout.splitlines() == ["The May 2019 register"]


@pytest.mark.slow
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


@pytest.mark.slow
def test_a_new_warning_is_refused_and_an_acknowledged_one_commits(data_repo: Path):
    path = data_repo / "data" / "modifications" / "SECMP0046.yaml"
    original = path.read_text()
    path.write_text(
        original + "  - kind: dcc-status\n    date: 2019-06-05\n    group: assessment\n"
        "    status: Awaiting PA requestt\n"
    )
    git(data_repo, "add", "-A")
    refused = git(data_repo, "commit", "-m", "typo in a DCC status", check=False)
    assert refused.returncode != 0
    assert "warning: 'requestt' in DCC status" in refused.stdout + refused.stderr
    path.write_text(
        path.read_text() + "    acknowledged:\n      - code: dcc-status-spelling\n        reason: as DCC printed it\n"
    )
    git(data_repo, "add", "-A")
    result = git(data_repo, "commit", "-m", "a DCC status as printed, acknowledged", check=False)
    assert result.returncode == 0, result.stdout + result.stderr


# Issue 18 point 6: the published hook as users install it, offline: pre-commit makes its own
# environment and pip installs secstatus there from its source, with the build backend and the
# dependencies from the test's wheelhouse (``packaging_support``).


def run_pre_commit(repo: Path, packaged, *args: str) -> subprocess.CompletedProcess:
    from packaging_support import offline_pip

    return subprocess.run(
        [PRE_COMMIT, *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, **offline_pip(packaged.wheels), "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home")},
    )


@pytest.mark.slow
def test_the_published_hook_installs_and_runs_with_try_repo(packaged, tmp_path: Path):
    repo = make_register_repo(tmp_path / "register")
    passed = run_pre_commit(repo, packaged, "try-repo", str(ROOT), "secstatus-validate", "--all-files")
    assert passed.returncode == 0 and re.search(r"secstatus validate\.+Passed", passed.stdout), (
        passed.stdout[-3000:] + passed.stderr[-3000:]
    )
    path = repo / "data" / "modifications" / "SECMP0046.yaml"
    path.write_text(path.read_text().replace("title:", "titel:"))
    failed = run_pre_commit(repo, packaged, "try-repo", str(ROOT), "secstatus-validate", "--all-files")
    assert failed.returncode == 1 and "SECMP0046.yaml:5:1: error: unknown field 'titel'" in failed.stdout, (
        failed.stdout[-3000:]
    )


@pytest.mark.slow
def test_the_published_hook_by_repo_and_rev_checks_another_data_folder(packaged, tmp_path: Path):
    """``args: [--data, FOLDER]`` go after ``validate`` (its entry): a register kept elsewhere."""
    hook = {"id": "secstatus-validate", "args": ["--data", "registers/sec/data"], "files": "^registers/sec/data/"}
    config = {"repos": [{"repo": str(packaged.repo), "rev": packaged.commit, "hooks": [hook]}]}

    def prepare(root: Path) -> None:
        (root / "registers" / "sec").mkdir(parents=True)
        (root / "data").rename(root / "registers" / "sec" / "data")
        (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))

    repo = make_register_repo(tmp_path / "register", prepare)
    assert run_pre_commit(repo, packaged, "install").returncode == 0
    path = repo / "registers" / "sec" / "data" / "modifications" / "SECMP0046.yaml"
    path.write_text(path.read_text().replace("title:", "titel:"))
    git(repo, "add", "-A")
    refused = git(repo, "commit", "-m", "typo", check=False, env=packaged_env(packaged))
    assert refused.returncode == 1, refused.stdout[-3000:] + refused.stderr[-3000:]
    assert (
        "registers/sec/data/modifications/SECMP0046.yaml:5:1: error: unknown field 'titel'"
        in refused.stdout + refused.stderr
    )
    path.write_text(path.read_text().replace("titel:", "title:") + "  - kind: working-group\n    date: 2019-06-05\n")
    git(repo, "add", "-A")
    done = git(repo, "commit", "-m", "SECMP0046 at the June Working Group", check=False, env=packaged_env(packaged))
    assert done.returncode == 0 and re.search(r"secstatus validate\.+Passed", done.stdout + done.stderr), (
        done.stdout[-3000:] + done.stderr[-3000:]
    )


def packaged_env(packaged) -> dict[str, str]:
    from packaging_support import offline_pip

    return offline_pip(packaged.wheels)


@pytest.mark.slow
def test_a_register_pinned_to_a_git_commit_uses_the_published_hook(packaged, tmp_path: Path):
    """secstatus installed from git (here the checkout's own commit): init pins that commit, and
    the register's .pre-commit-config.yaml names the hook that repository publishes, at it."""
    from packaging_support import new_venv, pip_install

    tool = new_venv(tmp_path / "tool")
    pip_install(tool, packaged.wheels, "--upgrade", "pip")  # pip 23.2 refuses a git+file: URL (no host)
    source = f"git+{packaged.repo.as_uri()}@{packaged.commit}"
    pip_install(tool, packaged.wheels, f"secstatus @ {source}")
    repo = tmp_path / "register"
    made = subprocess.run([str(tool / "secstatus"), "init", str(repo)], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    assert f"pinned secstatus[pdf,site] @ {source} in requirements.txt (installed from git" in made.stderr
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())
    assert config["repos"] == [
        {"repo": packaged.repo.as_uri(), "rev": packaged.commit, "hooks": [{"id": "secstatus-validate"}]}
    ]
    assert run_pre_commit(repo, packaged, "install").returncode == 0
    git(repo, "add", "-A")
    first = git(repo, "commit", "-m", "A new register", check=False, env=packaged_env(packaged))
    assert first.returncode == 0 and re.search(r"secstatus validate\.+Passed", first.stdout + first.stderr), (
        first.stdout[-3000:] + first.stderr[-3000:]
    )
