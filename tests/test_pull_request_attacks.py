"""Attacks a pull request (or a repository handed over) makes on what reviewers read, on the
records the register sees and on the machine that runs secstatus, each played against a register
repository made by `secstatus init`: a base commit on main, the attack on a branch."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from conftest import DATA, git

PIN = "secstatus==0.1.0"
DP075 = "data/modifications/DP075.yaml"


def secstatus(repo: Path | None, *args: str):
    """The CLI in this process, on the register of ``repo`` (None: found from the current folder)."""
    from secstatus.cli import main

    data = ["--data", str(repo / "data")] if repo is not None else []
    result = CliRunner().invoke(main, [*data, *args], catch_exceptions=False)
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr)


def register_repository(tmp_path: Path) -> Path:
    """A register repository from `secstatus init` whose main holds the shipped May 2019 register,
    checked out on a pull request's branch."""
    repo = tmp_path / "register"
    assert secstatus(None, "init", str(repo), "--requirement", PIN).returncode == 0
    shutil.copytree(DATA, repo / "data", dirs_exist_ok=True)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", "The May 2019 register")
    git(repo, "checkout", "-q", "-b", "pull-request")
    return repo


def commit(repo: Path, message: str, *extra: str) -> None:
    git(repo, "add", "-A")
    git(repo, *extra, "commit", "-q", "--no-verify", "-m", message)


def retitle(repo: Path, ident: str, title: str) -> None:
    path = repo / "data" / "modifications" / f"{ident}.yaml"
    path.write_text(
        re.sub(r"^title:.*$", f"title: {title}", path.read_text(encoding="utf-8"), count=1, flags=re.M),
        encoding="utf-8",
    )


# 2. What reviewers read is not written by the change under review -----------------------------------


def test_changes_is_written_by_the_package_not_by_the_pull_request(tmp_path):
    """A pull request that brings its own templates/changes.md would write CI's job summary
    itself ("No change to the register") while it retitles a modification; and one that reaches
    for Python internals would make `changes` fail. Neither runs: `changes` renders with the
    package's templates in every format, and lists the template for review. The register's own
    templates still render its report."""
    repo = register_repository(tmp_path)
    (repo / "templates").mkdir()
    (repo / "templates" / "changes.md").write_text(
        "### Register changes\n\nNo change to the register.\n{{ cycler.__init__.__globals__ }}\n", encoding="utf-8"
    )
    (repo / "templates" / "report.md").write_text("Our own report for {{ report.cover.month }}\n", encoding="utf-8")
    retitle(repo, "SECMP0058", "A quiet retitling")
    commit(repo, "Tidy the templates")
    outputs = {
        fmt: secstatus(repo, "changes", "--base", "main", "--head", "HEAD", "--format", fmt)
        for fmt in ("text", "md", "json")
    }
    assert all(done.returncode == 0 for done in outputs.values()), {f: d.stderr for f, d in outputs.items()}
    from secstatus.output.render import md_text

    md = outputs["md"].stdout
    assert "No change to the register" not in md and "__globals__" not in md
    retitled = "title: 'Changes to the governance of the Self-Service Interface' → 'A quiet retitling'"
    assert f"| modification SECMP0058 | {md_text(retitled)} |" in md
    assert (
        "| templates/changes.md | template added: it runs when a report or the site is rendered; "
        "review it as code |" in md
    )
    assert outputs["text"].stdout.splitlines()[0].startswith("modification SECMP0058: title:")
    assert [c["file"] for c in json.loads(outputs["json"].stdout)["changes"]] == [
        "data/modifications/SECMP0058.yaml",
        "templates/changes.md",
        "templates/report.md",
    ]
    report = secstatus(repo, "report", "--month", "2019-05", "--format", "md", "-o", "-")
    assert report.returncode == 0 and report.stdout.startswith("Our own report for")


# 3. Every changed file outside the record folders is listed for review as code -----------------------

CODE_FILES = {
    ".pre-commit-config.yaml": "file changed: its hooks run on the maintainers' machines at every commit",
    ".gitignore": "file changed: it decides which files git keeps, and so which records the register sees",
    ".gitattributes": "file added: it tells git how to read and show files",
    "requirements.txt": "file changed: it chooses the secstatus that checks the register",
    ".github/workflows/register.yml": "file changed: GitHub reads it, and runs its workflows on every pull request "
    "and merge",
    "templates/report.css": "template added: it runs when a report or the site is rendered",
    "tools/install.sh": "file added: it is not a record",
    "data/modifications/SECMP0007.yaml~": "file added: it is in data/ but is not a record file secstatus reads",
    "data/modifications/drafts/DP080.yaml": "file added: it is in data/ but is not a record file secstatus reads",
}


def test_every_file_that_is_not_a_record_is_listed_for_review_as_code(tmp_path):
    """The kit's hook runs on maintainers' machines, the workflows in CI, .gitignore decides what
    the register sees: a pull request that changes any file other than a record file the loader
    reads has that file listed, in every format, as code to review; a record renamed to a name
    the loader does not read is a record removed and a file added."""
    repo = register_repository(tmp_path)
    for name in CODE_FILES:
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as file:
            file.write("# changed by the pull request\n")
    git(repo, "add", "-f", "data/modifications/SECMP0007.yaml~")  # the kit's .gitignore has *~
    git(repo, "mv", "data/modifications/DP071.yaml", "data/modifications/DP071.yaml.old")
    retitle(repo, "SECMP0058", "Retitled")
    commit(repo, "Many small things")
    expected = {
        **CODE_FILES,
        "data/modifications/DP071.yaml.old": "file added: it is in data/ but is not a record file secstatus reads",
    }
    text = secstatus(repo, "changes", "--base", "main", "--head", "HEAD").stdout.splitlines()
    assert text[0].startswith("modification DP071: record removed; ")
    assert text[1:2] == [
        "modification SECMP0058: title: 'Changes to the governance of the Self-Service Interface' → 'Retitled'"
    ]
    assert text[2:] == [f"{name}: {words}; review it as code" for name, words in sorted(expected.items())]
    listed = json.loads(secstatus(repo, "changes", "--base", "main", "--head", "HEAD", "--format", "json").stdout)
    assert {c["file"]: (c["kind"], c["details"]) for c in listed["changes"] if c["kind"] == "code"} == {
        name: ("code", [f"{words}; review it as code"]) for name, words in expected.items()
    }
    from secstatus.output.render import md_text

    md = secstatus(repo, "changes", "--base", "main", "--head", "HEAD", "--format", "md").stdout
    assert "### Files to review as code" in md and "2 records changed" in md
    for name, words in expected.items():
        assert f"| {md_text(name)} | {md_text(words + '; review it as code')} |" in md, name
    # In the working tree, before any commit, as `git add -A` would take them.
    (repo / "Makefile").write_text("all:\n", encoding="utf-8")
    working = secstatus(repo, "changes").stdout.splitlines()
    assert "Makefile: file added: it is not a record; review it as code" in working


# 4. No record is silently ignored --------------------------------------------------------------------

NEW_RECORDS = [
    (
        ["new", "dp", "--title", "T", "--proposer", "P", "--raised", "2019-06-01"],
        "DP*.yaml",
        "data/modifications/DP076.yaml",
    ),
    (["new", "meeting", "working-group", "2019-07-03"], "meetings/", "data/meetings/2019-07-03-working-group.yaml"),
    (["new", "report", "2019-06", "--author", "Ann"], "/data/reports/2019-06.yaml", "data/reports/2019-06.yaml"),
]


@pytest.mark.parametrize("args, rule, path", NEW_RECORDS, ids=[" ".join(a[:2]) for a, _, _ in NEW_RECORDS])
def test_no_edit_writes_a_record_that_git_ignores(tmp_path, args, rule, path):
    """A pull request adds a line to .gitignore; every later `new` would write a file that
    `validate`, `list` and `git add -A` all pass over. Each is refused, naming the rule."""
    repo = register_repository(tmp_path)
    with (repo / ".gitignore").open("a", encoding="utf-8") as file:
        file.write(f"{rule}\n")
    commit(repo, "Ignore some local files")
    line = len((repo / ".gitignore").read_text(encoding="utf-8").splitlines())
    for dry_run in ([], ["--dry-run"]):
        done = secstatus(repo, *args, *dry_run)
        assert done.returncode == 1, done.stderr
        assert (
            f"{path}:1:1: error: git ignores this record file (.gitignore:{line}: {rule}): the register "
            "would not see it, nor would 'git add' keep it; change that rule or the file's name [git-ignored]"
            in done.stderr
        )
        assert not (repo / path).exists()


def test_a_record_git_ignores_is_an_error_and_only_what_is_no_record_is_skipped_silently(tmp_path):
    repo = register_repository(tmp_path)
    with (repo / ".gitignore").open("a", encoding="utf-8") as file:
        file.write("DP*.yaml\n*.bak\n")
    commit(repo, "Ignore backups")
    (repo / "data" / "modifications" / "DP076.yaml").write_text(
        (repo / DP075).read_text(encoding="utf-8").replace("DP075", "DP076"), encoding="utf-8"
    )
    done = secstatus(repo, "validate")
    assert done.returncode == 1
    assert "data/modifications/DP076.yaml:1:1: error: git ignores this record file (.gitignore:" in done.stdout
    assert done.stdout.count("[git-ignored]") == 1 and "1 error," in done.stderr
    assert secstatus(repo, "list").returncode == 1
    assert secstatus(repo, "record", "DP076", "withdrawn", "--date", "2019-06-01").returncode == 1
    # What is not a record stays git's to skip: the edit lock, droppings and backups git ignores.
    (repo / "data" / "modifications" / "DP076.yaml").unlink()
    for name in (
        ".secstatus.lock",
        "modifications/SECMP0007.yaml~",
        "modifications/.SECMP0007.yaml.swp",
        "modifications/SECMP0007.yaml.bak",
    ):
        (repo / "data" / name).write_text("junk: [", encoding="utf-8")
    done = secstatus(repo, "validate", "--strict")
    assert done.returncode == 0 and done.stdout == "", done.stdout


# 6. No command from the repository's git configuration runs ------------------------------------------

HOOKS = (
    "applypatch-msg",
    "pre-applypatch",
    "post-applypatch",
    "pre-commit",
    "pre-merge-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
    "pre-rebase",
    "post-checkout",
    "post-merge",
    "pre-push",
    "pre-receive",
    "update",
    "proc-receive",
    "post-receive",
    "post-update",
    "reference-transaction",
    "push-to-checkout",
    "pre-auto-gc",
    "post-rewrite",
    "sendemail-validate",
    "fsmonitor-watchman",
    "post-index-change",
)

COMMANDS = {  # config key -> the command it names
    "core.fsmonitor": "fsmonitor",
    "core.pager": "pager",
    "pager.log": "pager",
    "pager.diff": "pager",
    "core.editor": "editor",
    "sequence.editor": "editor",
    "core.sshCommand": "ssh",
    "credential.helper": "credential",
    "diff.external": "external-diff",
    "diff.evil.textconv": "textconv",
    "diff.evil.command": "diff-driver",
    "filter.evil.clean": "clean",
    "filter.evil.smudge": "smudge",
    "filter.evil.required": "true",
    "filter.a=b.clean": "clean-a=b",
    "filter.proc.process": "process",
    "merge.evil.driver": "merge-driver",
    "gpg.program": "gpg",
    "gpg.ssh.program": "gpg-ssh",
    "gpg.x509.program": "gpg-x509",
    "log.showSignature": "true",
    "core.alternateRefsCommand": "alternate-refs",
    "core.askPass": "askpass",
}


def marker_script(folder: Path, name: str) -> Path:
    """A command that leaves a file named ``name`` in ``folder/markers``; a filter passes its
    input on, as a clean or smudge filter must."""
    script = folder / "commands" / name
    script.parent.mkdir(exist_ok=True)
    passes = "cat\n" if name.startswith(("clean", "smudge")) else ""
    script.write_text(f'#!/bin/sh\ntouch "{folder / "markers" / name}"\n{passes}', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def hostile_config(repo: Path, folder: Path) -> None:
    """``.git/config`` as a repository handed over might have it: every key that names a command."""
    (folder / "markers").mkdir()
    hooks = folder / "hooks"
    hooks.mkdir()
    for hook in HOOKS:
        shutil.copy(marker_script(folder, f"hook-{hook}"), hooks / hook)
    git(repo, "config", "core.hooksPath", str(hooks))
    for key, name in COMMANDS.items():
        git(repo, "config", key, name if name == "true" else str(marker_script(folder, name)))
    git(repo, "config", "remote.origin.url", "ssh://git@example.invalid/register.git")


def signed_commit(repo: Path, folder: Path, message: str) -> None:
    """A commit with a (made-up) OpenPGP signature, which `git log` checks with gpg.program when
    log.showSignature is set."""
    signer = folder / "signer"
    # It reads what git gives it to sign first: git fails the commit if its write meets a closed pipe.
    signer.write_text(
        '#!/bin/sh\ncat >/dev/null\necho "[GNUPG:] SIG_CREATED D 1 8 00 0 X" >&2\n'
        'printf -- "-----BEGIN PGP SIGNATURE-----\\n\\nAAAA\\n-----END PGP SIGNATURE-----\\n"\n',
        encoding="utf-8",
    )
    signer.chmod(0o755)
    commit(repo, message, "-c", f"gpg.program={signer}", "-c", "commit.gpgsign=true")


def test_no_command_from_the_repositorys_git_configuration_runs(tmp_path, monkeypatch):
    """Every command that calls git, against a repository whose .git/config names a command for
    every key that can (fsmonitor, hooks, pagers, editors, an SSH command, a credential helper, an
    external diff, diff, filter and merge drivers, GPG programs with log.showSignature), and whose
    pull request brings a .gitattributes that applies those drivers to every file: none runs."""
    repo = register_repository(tmp_path)
    (repo / ".gitattributes").write_text(
        "* filter=evil diff=evil merge=evil\n*.md filter=a=b\n*.css filter=proc\n", encoding="utf-8"
    )
    (repo / "templates").mkdir()
    (repo / "templates" / "report.css").write_text("body { color: black }\n", encoding="utf-8")
    retitle(repo, "SECMP0058", "Retitled")
    signed_commit(repo, tmp_path, "SECMP0058 retitled")
    hostile_config(repo, tmp_path)
    for path in (repo / DP075, repo / "README.md", repo / "templates" / "report.css"):
        os.utime(path, (path.stat().st_atime, path.stat().st_mtime + 5))  # git must read them again
    monkeypatch.chdir(repo)
    runs = [
        ["validate", "--strict"],
        ["list"],
        ["show", "SECMP0058"],
        ["assess", "overdue"],
        ["report", "--month", "2019-05", "--format", "md", "-o", "-"],
        ["history", "SECMP0058"],
        ["history", "SECMP0058", "--format", "json"],
    ]
    runs += [
        ["changes", *refs, "--format", fmt]
        for refs in ([], ["--base", "main", "--head", "HEAD"])
        for fmt in ("text", "md", "json")
    ]
    runs += [
        ["record", "SECMP0058", "implemented", "--date", "2019-06-27"],
        ["new", "dp", "--title", "T", "--proposer", "P", "--raised", "2019-06-01"],
        ["new", "meeting", "working-group", "2019-07-03"],
        ["release", "move", "2019-11", "2019-11-29", "--decided", "2019-06-12"],
        ["changes"],
        ["site", "-o", str(tmp_path / "site"), "--as-at", "2019-04-30"],  # before the May report: no PDF to lay out
    ]
    for args in runs:
        done = secstatus(None, *args)
        assert done.returncode == 0, (args, done.stderr)
        assert os.listdir(tmp_path / "markers") == [], args
    assert "SECMP0058" in (tmp_path / "site" / "modifications" / "SECMP0058.html").read_text(encoding="utf-8")


def test_a_partial_clone_fetches_nothing_so_no_ssh_command_or_credential_helper_runs(tmp_path):
    """A partial clone (`git clone --filter=blob:none`) fetches a file it lacks by itself, through
    the remote its configuration names and the SSH command or credential helper it sets: reading
    a record's history would run them. Git fetches nothing for secstatus; the command stops with
    a one-line error that says what to do."""
    origin = register_repository(tmp_path)
    retitle(origin, "SECMP0058", "Retitled")
    commit(origin, "SECMP0058 retitled")
    git(origin, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--filter=blob:none", "--branch", "pull-request", origin.as_uri(), str(clone))
    (tmp_path / "markers").mkdir()
    git(clone, "config", "remote.origin.url", "ssh://git@example.invalid/register.git")
    git(clone, "config", "core.sshCommand", str(marker_script(tmp_path, "ssh")))
    git(clone, "config", "credential.helper", str(marker_script(tmp_path, "credential")))
    for args in (["history", "SECMP0058"], ["changes", "--base", "origin/main", "--head", "HEAD"]):
        done = secstatus(clone, *args)
        assert os.listdir(tmp_path / "markers") == [], args
        assert done.returncode == 1 and len(done.stderr.splitlines()) == 1, done.stderr
        assert done.stderr.startswith("secstatus: error: git could not read data/modifications/SECMP0058.yaml at ")
        assert "partial clone" in done.stderr and "Traceback" not in done.stderr


def test_the_package_starts_git_in_one_place():
    """Every git process goes through gitrun.start: no other module names the git executable or
    starts a process."""
    source = Path(__file__).resolve().parents[1] / "src" / "secstatus"
    starting = {
        path.name
        for path in source.rglob("*.py")
        if re.search(
            r"subprocess\.(run|Popen|call|check_output|check_call)\(|os\.system\(|os\.exec|"
            r"os\.spawn|[\"']git[\"']\s*,",
            path.read_text(encoding="utf-8"),
        )
    }
    assert starting == {"gitrun.py"}


# 9. A data folder that is a symlink out of the repository is refused ----------------------------------


def test_a_data_folder_that_is_a_symlink_out_of_the_repository_is_refused(tmp_path, monkeypatch):
    """A pull request replaces data/ with a link to a folder elsewhere on the machine (here another
    register): nothing there is read, and no edit writes there, nor its lock."""
    repo = register_repository(tmp_path)
    elsewhere = tmp_path / "elsewhere" / "data"
    shutil.copytree(DATA, elsewhere)
    before = sorted(p.name for p in elsewhere.rglob("*"))
    git(repo, "rm", "-rq", "data")
    (repo / "data").symlink_to(Path("..") / "elsewhere" / "data", target_is_directory=True)
    commit(repo, "data moved")
    monkeypatch.chdir(repo)
    message = (
        f"secstatus: error: {repo / 'data'}: a symlink to {elsewhere}, outside the repository that holds "
        f"it ({repo}): not read (to read that register, give --data {elsewhere})\n"
    )
    for args in (
        ["validate"],
        ["list"],
        ["show", "SECMP0058"],
        ["history", "SECMP0058"],
        ["changes", "--base", "main", "--head", "HEAD"],
        ["report", "--month", "2019-05", "--format", "md"],
        ["new", "dp", "--title", "T", "--proposer", "P", "--raised", "2019-06-01"],
        ["record", "SECMP0058", "implemented", "--date", "2019-06-27"],
    ):
        done = secstatus(None, *args)
        assert (done.returncode, done.stdout, done.stderr) == (1, "", message), args
    assert sorted(p.name for p in elsewhere.rglob("*")) == before


def test_a_data_folder_that_is_a_symlink_inside_the_repository_is_read(tmp_path, monkeypatch):
    repo = register_repository(tmp_path)
    git(repo, "mv", "data", "register-data")
    (repo / "data").symlink_to("register-data", target_is_directory=True)
    commit(repo, "data moved, and linked")
    monkeypatch.chdir(repo)
    assert secstatus(None, "validate", "--strict").returncode == 0
