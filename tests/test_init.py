"""secstatus init: a register repository that passes its own pre-commit hook and whose pull-request
workflow's steps run as they are, here, from its first pull request."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_in_process
from conftest import git as run_git

BIN = Path(sys.executable).parent
"""Where this test's secstatus and pre-commit are: the repository's hook and workflow call them by name."""
PIN = f"secstatus @ {ROOT.as_uri()}"


def env(tmp_path: Path) -> dict[str, str]:
    return {"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}


def git(repo: Path, tmp_path: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return run_git(repo, *args, check=check, env=env(tmp_path))


def secstatus(repo: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """``secstatus ARGS`` in ``repo``, in this process: what these tests read of it (output, exit code,
    files) a real process gives alike. The hook and the workflows' steps run the real one, by name."""
    return run_in_process(*args, cwd=repo, env=env(tmp_path))


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
    for name in (
        ".pre-commit-config.yaml",
        ".github/workflows/register.yml",
        ".github/workflows/publish.yml",
        ".github/pull_request_template.md",
        ".github/dependabot.yml",
        ".gitignore",
        "README.md",
    ):
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
        runs = [
            s.get("run", "")
            for job in yaml.safe_load(workflow.read_text())["jobs"].values()
            for s in job.get("steps", [])
        ]
        assert any(re.search(r"pip install -r \S*requirements\.txt", run) for run in runs), workflow.name
        assert not [r for r in runs if "git+https" in r], workflow.name


@pytest.mark.slow
def test_a_new_register_passes_its_own_pre_commit(tmp_path: Path):
    repo = init(tmp_path)
    installed = subprocess.run(
        ["pre-commit", "install"], cwd=repo, capture_output=True, text=True, env={**os.environ, **env(tmp_path)}
    )
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


def pull_request(tmp_path: Path) -> Path:
    """A register made by init, committed on main and pushed to its origin, with a first pull
    request's branch checked out as actions/checkout leaves it (every branch of origin fetched)."""
    repo = init(tmp_path)
    git(repo, tmp_path, "add", "-A")
    git(repo, tmp_path, "commit", "-q", "--no-verify", "-m", "A new register")
    origin = tmp_path / "origin.git"
    git(tmp_path, tmp_path, "clone", "-q", "--bare", str(repo), str(origin))
    git(repo, tmp_path, "remote", "add", "origin", str(origin))
    git(repo, tmp_path, "fetch", "-q", "origin", "+refs/heads/*:refs/remotes/origin/*")  # checkout's fetch-depth: 0
    git(repo, tmp_path, "switch", "-q", "-c", "first-proposal")
    made = secstatus(
        repo, tmp_path, "new", "dp", "--title", "A first idea", "--proposer", "A Proposer", "--raised", "2019-06-03"
    )
    assert made.returncode == 0, made.stderr
    git(repo, tmp_path, "add", "-A")
    git(repo, tmp_path, "commit", "-q", "--no-verify", "-m", "DP071")
    return repo


RUNNER_TEMP = "${{ runner.temp }}"


PAGES_URL = "https://secas.github.io/register"
"""The site's address as actions/configure-pages gives it (no trailing slash)."""
EXPRESSIONS = {"${{ github.base_ref }}": "main", "${{ vars.SITE_BASE_URL || steps.pages.outputs.base_url }}": PAGES_URL}
"""What GitHub gives each expression a kit workflow passes to a step's environment."""


def run_steps(
    repo: Path,
    tmp_path: Path,
    workflow: str,
    job: str,
    skip=("Install",),
    environment: dict[str, str] | None = None,
    expressions: dict[str, str] | None = None,
) -> dict[str, Path]:
    """Run the shell steps of a kit workflow's job as written (but those whose names start with
    ``skip``: installing, which this test's environment has done), as a runner would, with a
    RUNNER_TEMP of its own (and ``environment`` on top of this test's), each expression of a
    step's environment as ``EXPRESSIONS`` (and ``expressions``) give it; returns the runner's
    folders and where each upload step uploads from."""
    values = {**EXPRESSIONS, **(expressions or {})}
    steps = yaml.safe_load((repo / ".github" / "workflows" / workflow).read_text())["jobs"][job]["steps"]
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    summary = tmp_path / "summary.md"
    uploads = {}
    for step in steps:
        if "uses" in step and "path" in step.get("with", {}):
            uploads[step["uses"].split("@")[0]] = Path(step["with"]["path"].replace(RUNNER_TEMP, str(runner_temp)))
        if "run" not in step or step["name"].startswith(skip):
            continue
        assert "${{" not in step["run"], step["run"]  # expressions reach a script as environment only
        given = {k: values[v] if v in values else v for k, v in step.get("env", {}).items()}
        assert "${{" not in "".join(given.values()), given  # an expression this test does not know
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", step["run"]],
            cwd=repo,
            capture_output=True,
            text=True,
            env={
                **os.environ,
                **env(tmp_path),
                **(environment or {}),
                **given,
                "RUNNER_TEMP": str(runner_temp),
                "GITHUB_STEP_SUMMARY": str(summary),
            },
        )
        assert done.returncode == 0, (step["name"], done.stderr)
    return {"runner_temp": runner_temp, "summary": summary, **uploads}


@pytest.mark.slow
def test_the_pull_request_workflow_runs_here_step_by_step(tmp_path: Path):
    """Every step the workflow runs (but installing, which this test's environment has done) runs
    as written, on a first pull request: green, a summary in words, and the report as HTML and PDF."""
    repo = pull_request(tmp_path)
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "register.yml").read_text())
    names = [
        s["name"] for s in workflow["jobs"]["validate"]["steps"] if "run" in s and not s["name"].startswith("Install")
    ]
    assert names == ["Validate the register", "Describe the change", "Render this month's report"]
    ran = run_steps(repo, tmp_path, "register.yml", "validate")
    assert "DP071" in ran["summary"].read_text() and "A first idea" in ran["summary"].read_text()
    reports = sorted(p.suffix for p in ran["actions/upload-artifact"].iterdir())
    assert reports == [".html", ".pdf"]
    assert shutil.which("git")


@pytest.mark.slow
@pytest.mark.parametrize(
    "address, links",
    [
        (PAGES_URL, PAGES_URL + "/"),  # what Pages gives, or the repository variable SITE_BASE_URL
        ("", ""),  # neither: relative links, as the pages have
    ],
)
def test_the_publishing_workflow_gives_the_site_its_address(tmp_path: Path, address, links):
    """The feeds and calendar the publishing workflow builds link absolutely to the address
    actions/configure-pages gives (or SITE_BASE_URL overrides), and relatively without one."""
    repo = pull_request(tmp_path)
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "publish.yml").read_text())
    build_job = workflow["jobs"]["build"]
    assert build_job["permissions"] == {"contents": "read", "pages": "read"}
    assert [s["uses"].split("@")[0] for s in build_job["steps"] if s.get("id") == "pages"] == [
        "actions/configure-pages"
    ]
    expression = "${{ vars.SITE_BASE_URL || steps.pages.outputs.base_url }}"
    built = run_steps(repo, tmp_path, "publish.yml", "build", expressions={expression: address})
    feed = (built["actions/upload-pages-artifact"] / "feed.atom").read_text()
    assert f'<link href="{links}index.html" rel="alternate"' in feed


def test_the_install_step_reads_the_base_branchs_pin_from_what_checkout_fetched(tmp_path: Path):
    """Checkout leaves no credentials (persist-credentials: false), so the workflow fetches
    nothing itself: the base branch's requirements.txt comes from the refs checkout fetched."""
    repo = pull_request(tmp_path)
    (repo / "requirements.txt").write_text("a-package-of-the-pull-requests-choosing==6.6.6\n")
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "register.yml").read_text())
    [install] = [s for s in workflow["jobs"]["validate"]["steps"] if s.get("name", "").startswith("Install secstatus")]
    assert "git fetch" not in install["run"]
    script = install["run"].replace("pip install -r", 'cp -t "$RUNNER_TEMP/chosen"')
    runner_temp = tmp_path / "runner-temp"
    (runner_temp / "chosen").mkdir(parents=True)
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, **env(tmp_path), "BASE": "main", "RUNNER_TEMP": str(runner_temp)},
    )
    assert done.returncode == 0, done.stderr
    assert (runner_temp / "chosen" / "requirements.txt").read_text().strip().endswith(PIN)


# Issue 16 point 12: the kit's workflows are hardened.

ACTION_PIN = re.compile(
    r"^\s*(?:- )?uses: (?P<action>[\w.-]+/[\w.-]+)@(?P<sha>[0-9a-f]{40}) # (?P<tag>v\d+\.\d+\.\d+)$"
)


def kit_workflows() -> list[Path]:
    workflows = sorted((ROOT / "src" / "secstatus" / "kit" / ".github" / "workflows").glob("*.yml"))
    assert [w.name for w in workflows] == ["publish.yml", "register.yml"]  # none missed; a new one is named here
    return workflows


def test_every_action_is_pinned_by_commit_with_its_release_as_a_comment():
    for workflow in kit_workflows():
        lines = [line for line in workflow.read_text().splitlines() if re.match(r"^\s*(- )?uses:", line)]
        assert lines, workflow.name
        assert [line for line in lines if not ACTION_PIN.match(line)] == [], workflow.name


def test_only_the_deploy_job_may_write_and_no_checkout_keeps_credentials():
    for workflow in kit_workflows():
        spec = yaml.safe_load(workflow.read_text())
        assert spec["permissions"] == {}, workflow.name  # nothing by default: each job asks for what it needs
        for name, job in spec["jobs"].items():
            granted = job.get("permissions", {})
            if name == "deploy":
                assert granted == {"pages": "write", "id-token": "write"}
            elif (workflow.name, name) == ("publish.yml", "build"):  # and the site's address from Pages
                assert granted == {"contents": "read", "pages": "read"}
            else:
                assert granted == {"contents": "read"}, (workflow.name, name)
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, (workflow.name, name)


def test_dependabot_updates_the_actions_and_the_pin():
    spec = yaml.safe_load((ROOT / "src" / "secstatus" / "kit" / ".github" / "dependabot.yml").read_text())
    assert spec["version"] == 2
    assert {(u["package-ecosystem"], u["directory"]) for u in spec["updates"]} == {
        ("github-actions", "/"),
        ("pip", "/"),
    }


ZIZMOR = shutil.which("zizmor", path=str(BIN)) or "zizmor"


def zizmor(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [ZIZMOR, "--offline", "--no-progress", *args, str(folder)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_zizmor_finds_nothing_in_the_workflows_init_writes(tmp_path: Path):
    repo = init(tmp_path)
    for persona in ("regular", "pedantic"):
        done = zizmor(repo, f"--persona={persona}")
        assert done.returncode == 0 and "No findings" in done.stdout, (persona, done.stdout + done.stderr)


def test_zizmor_is_really_auditing_them(tmp_path: Path):
    """The same audit on the workflows as they were (a tag, not a commit; credentials kept;
    Pages permissions for every job) finds each of those: the check above cannot pass on nothing."""
    repo = init(tmp_path)
    publish = repo / ".github" / "workflows" / "publish.yml"
    text = re.sub(r"@[0-9a-f]{40} # (v\d+)\.\d+\.\d+", r"@\1", publish.read_text())
    text = text.replace("permissions: {}", "permissions:\n  contents: read\n  pages: write\n  id-token: write")
    # the build job inherits them:
    text = re.sub(r"    permissions:\n      contents: read[^\n]*\n(      pages: read[^\n]*\n)?", "", text)
    publish.write_text(text.replace("          persist-credentials: false", ""))
    done = zizmor(repo, "--format=json")
    found = {f["ident"] for f in json.loads(done.stdout)}
    assert {"unpinned-uses", "artipacked", "excessive-permissions"} <= found, found


def test_package_data_ships_every_file_of_the_kit():
    """init copies the kit from the installed package: a file that pyproject.toml's package-data
    does not name would be missing from a wheel (setuptools' globs do not match a leading dot)."""
    import glob
    import tomllib

    package = ROOT / "src" / "secstatus"
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["secstatus"]
    shipped = {
        Path(name)
        for pattern in patterns
        for name in glob.glob(pattern, root_dir=package, recursive=True)
        if (package / name).is_file()
    }
    kit = {
        p.relative_to(package)
        for folder in ("kit", "kit-pre-commit")
        for p in (package / folder).rglob("*")
        if p.is_file()
    }
    assert kit - shipped == set()


# Issue 18 points 1 and 2: init pins the secstatus that ran it, and a new team follows the kit's
# README as written, on a fresh machine (offline: pip installs from the test's wheelhouse).


def readme_blocks(repo: Path, *headings: str) -> str:
    """The shell blocks under these headings of the register's README, in order, as one script."""
    text = (repo / "README.md").read_text()
    blocks = []
    for heading in headings:
        section = text.split(f"\n## {heading}", 1)[1].split("\n## ", 1)[0]
        blocks += re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == len(headings), headings
    return "\n".join(blocks)


@pytest.mark.slow
def test_a_new_team_follows_the_kit_readme_as_written(packaged, tmp_path: Path):
    from conftest import GIT_ENV
    from packaging_support import new_venv, offline_pip, pip_install, system_path

    tool = new_venv(tmp_path / "tool")  # `pipx install secstatus`: the core, from the index
    pip_install(tool, packaged.wheels, "secstatus")
    repo = tmp_path / "register"
    made = subprocess.run([str(tool / "secstatus"), "init", str(repo)], capture_output=True, text=True, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    pin = f"secstatus[pdf,site]=={packaged.wheel.name.split('-')[1]}"
    assert made.stderr.splitlines()[0] == (
        f"pinned {pin} in requirements.txt (installed from a package index "
        f"(version {packaged.wheel.name.split('-')[1]}))"
    )
    shell = {
        **os.environ,
        **GIT_ENV,
        **offline_pip(packaged.wheels),
        "PATH": system_path(),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
    }
    script = readme_blocks(repo, "Set up (once per machine)", "The first commit", "A change, start to finish")
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], cwd=repo, capture_output=True, text=True, env=shell
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    assert len(re.findall(r"secstatus validate\.+Passed", output)) == 2, output[-4000:]  # the hook, on both commits
    assert "DP071" in done.stdout and "Change Sub-Committee" in done.stdout  # changes --format md
    log = run_git(repo, "log", "--all", "--format=%s").stdout.splitlines()
    assert log == ["DP071 raised; ready for conversion", "A new register"]
    committed = run_git(repo, "ls-tree", "-r", "--name-only", "first-proposal").stdout.splitlines()
    assert (repo / ".venv" / "bin" / "secstatus").is_file() and not [n for n in committed if ".venv" in n]
    assert {"schemas/modification.schema.json", ".vscode/settings.json", "data/modifications/DP071.yaml"} <= set(
        committed
    )
    assert run_git(repo, "status", "--porcelain").stdout == ""  # nothing the README made is left untracked
    # The pull request as GitHub would see it, and its workflows' shell steps (apt-get aside) in this venv.
    origin = tmp_path / "origin.git"
    run_git(tmp_path, "init", "-q", "--bare", str(origin))
    run_git(repo, "remote", "add", "origin", str(origin))
    run_git(repo, "push", "-q", "origin", "main", "first-proposal")
    run_git(repo, "fetch", "-q", "origin", "+refs/heads/*:refs/remotes/origin/*")
    venv = repo / ".venv" / "bin"
    runner = {
        **offline_pip(packaged.wheels),
        "PATH": f"{venv}{os.pathsep}{system_path()}",
        "VIRTUAL_ENV": str(venv.parent),
    }
    ran = run_steps(repo, tmp_path, "register.yml", "validate", skip=("Install the libraries",), environment=runner)
    assert "DP071" in ran["summary"].read_text()
    assert sorted(p.suffix for p in ran["actions/upload-artifact"].iterdir()) == [".html", ".pdf"]
    published = run_steps(repo, tmp_path, "publish.yml", "build", skip=("Install the libraries",), environment=runner)
    assert (published["actions/upload-pages-artifact"] / "index.html").is_file()
    assert (published["actions/upload-pages-artifact"] / "feed.atom").is_file()


def test_the_kit_gitignore_keeps_out_what_a_register_repository_makes(tmp_path: Path):
    """A venv, the site and reports, the lock, a killed write's files: ignored (git check-ignore)."""
    repo = init(tmp_path)
    ignored = [
        ".venv/bin/python",
        "venv/lib/x.py",
        "site/index.html",
        "_site/index.html",
        "change-status-report-2019-05.pdf",
        "data/.secstatus.lock",
        "data/modifications/.DP071.yaml.0a1b2c3d.secstatus-tmp",
        ".report.html.0a1b2c3d.secstatus-tmp",
        ".site.building-1234/index.html",
        "__pycache__/x.pyc",
    ]
    kept = [
        "data/modifications/DP071.yaml",
        "schemas/modification.schema.json",
        ".vscode/settings.json",
        "requirements.txt",
        ".pre-commit-config.yaml",
    ]
    done = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"],
        cwd=repo,
        input="\n".join(ignored + kept),
        capture_output=True,
        text=True,
    )
    assert done.stdout.splitlines() == ignored


@pytest.mark.parametrize(
    ("direct_url", "requirement", "source", "portable", "hook"),
    [
        (None, "secstatus[pdf,site]==1.2.3", "installed from a package index (version 1.2.3)", True, None),
        (
            {
                "url": "https://github.com/secstatus/secstatus",
                "vcs_info": {"vcs": "git", "commit_id": "ab12" * 10, "requested_revision": "v1.2.3"},
            },
            f"secstatus[pdf,site] @ git+https://github.com/secstatus/secstatus@{'ab12' * 10}",
            f"installed from git https://github.com/secstatus/secstatus at commit {'ab12' * 10} (v1.2.3)",
            True,
            ("https://github.com/secstatus/secstatus", "ab12" * 10),
        ),
        (
            {
                "url": "https://x:s3cret@git.example.org/reg/secstatus",
                "vcs_info": {"vcs": "git", "commit_id": "cd34" * 10},
            },
            f"secstatus[pdf,site] @ git+https://git.example.org/reg/secstatus@{'cd34' * 10}",
            f"installed from git https://git.example.org/reg/secstatus at commit {'cd34' * 10}"
            " (its credentials left out)",
            True,
            ("https://git.example.org/reg/secstatus", "cd34" * 10),
        ),
        (
            {
                "url": "https://git.example.org/mono",
                "subdirectory": "tools/secstatus",
                "vcs_info": {"vcs": "git", "commit_id": "ef56" * 10},
            },
            f"secstatus[pdf,site] @ git+https://git.example.org/mono@{'ef56' * 10}#subdirectory=tools/secstatus",
            f"installed from git https://git.example.org/mono at commit {'ef56' * 10}",
            True,
            None,
        ),
        (
            {"url": "file:///home/ann/secstatus", "dir_info": {"editable": True}},
            "secstatus[pdf,site] @ file:///home/ann/secstatus",
            "installed from the local folder /home/ann/secstatus (editable)",
            False,
            None,
        ),
        (
            {"url": "file:///tmp/w/secstatus-1.2.3-py3-none-any.whl", "archive_info": {"hashes": {"sha256": "00ff"}}},
            "secstatus[pdf,site] @ file:///tmp/w/secstatus-1.2.3-py3-none-any.whl#sha256=00ff",
            "installed from the local archive /tmp/w/secstatus-1.2.3-py3-none-any.whl",
            False,
            None,
        ),
    ],
)
def test_the_pin_follows_how_secstatus_was_installed(direct_url, requirement, source, portable, hook):
    from secstatus.editing.repository import pin_from

    pin = pin_from(direct_url, "1.2.3")
    assert (pin.requirement, pin.source, pin.portable) == (requirement, source, portable)
    assert (None if pin.hook_repo is None else (pin.hook_repo, pin.hook_rev)) == hook


def test_init_prints_what_it_pinned_and_never_a_placeholder(tmp_path: Path, cli):
    """This test's secstatus is the checkout, installed editable: the pin is its folder, said to
    work on this machine only."""
    result = cli("init", str(tmp_path / "register"))
    assert result.exit_code == 0, result.stderr
    pins = [
        line
        for line in (tmp_path / "register" / "requirements.txt").read_text().splitlines()
        if not line.startswith("#")
    ]
    assert pins == [f"secstatus[pdf,site] @ {ROOT.as_uri()}"]
    lines = result.stderr.splitlines()
    assert lines[0] == f"pinned {pins[0]} in requirements.txt (installed from the local folder {ROOT} (editable))"
    assert lines[1] == "pre-commit hook: the secstatus installed by 'pip install -r requirements.txt' (repo: local)"
    assert lines[2].startswith("secstatus: warning: this pin installs on this machine only (a local path)")
    text = "".join(p.read_text() for p in (tmp_path / "register").rglob("*") if p.is_file() and ".git/" not in str(p))
    assert "@SECSTATUS" not in text and "OWNER" not in text
    assert "https://github.com/secstatus/secstatus" in (tmp_path / "register" / "README.md").read_text()


def test_a_git_requirement_uses_the_published_hook_at_its_revision(tmp_path: Path, cli):
    spec = "secstatus[pdf,site] @ git+https://github.com/secstatus/secstatus@v0.1.0"
    assert cli("init", str(tmp_path / "register"), "--requirement", spec).exit_code == 0
    config = yaml.safe_load((tmp_path / "register" / ".pre-commit-config.yaml").read_text())
    assert config == {
        "repos": [
            {"repo": "https://github.com/secstatus/secstatus", "rev": "v0.1.0", "hooks": [{"id": "secstatus-validate"}]}
        ]
    }
