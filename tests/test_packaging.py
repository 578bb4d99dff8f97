"""Issue 18 points 5 and 7: secstatus packaged as the ecosystem expects, and a light core.

The slow tests build the sdist and the wheel from a clean copy of this checkout and install them
offline (``packaging_support``), as a user would from the package index."""

from __future__ import annotations

import email
import os
import re
import subprocess
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, ROOT
from packaging_support import new_venv, pip_install

import secstatus

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
REPOSITORY = PROJECT["urls"]["Source"]


def wheel_metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return email.message_from_bytes(archive.read(name))


def test_the_version_is_written_once(cli):
    assert "version" not in PROJECT and PROJECT["dynamic"] == ["version"]
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert setuptools["dynamic"]["version"] == {"attr": "secstatus.__version__"}
    assert cli("--version").stdout.endswith(f", version {secstatus.__version__}\n")


def test_the_project_urls_are_one_repository_and_no_placeholder_is_left():
    assert set(PROJECT["urls"]) == {"Homepage", "Source", "Issues", "Documentation"}
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", REPOSITORY)
    assert all(url.startswith(REPOSITORY) for url in PROJECT["urls"].values())
    shipped = [
        p
        for p in (ROOT / "src").rglob("*")
        if p.is_file() and "egg-info" not in str(p) and p.suffix != ".pyc" and "__pycache__" not in p.parts
    ]
    assert [p for p in shipped if re.search(r"\bOWNER\b|<owner>", p.read_text(errors="replace"))] == []
    assert "<owner>" not in (ROOT / "README.md").read_text()


def test_readme_links_work_on_the_package_index():
    """PyPI shows README.md without the repository around it: every link is absolute, and those
    into the repository start with its address."""
    links = re.findall(r"\]\(([^)\s]+)\)", (ROOT / "README.md").read_text())
    assert links
    assert [link for link in links if not link.startswith(("https://", "#"))] == []
    inside = [link for link in links if "github.com" in link]
    assert inside and [link for link in inside if not re.match(re.escape(REPOSITORY) + r"(/|$)", link)] == []
    for link in inside:  # a link into the repository names a file that exists
        path = re.sub(r"^/(blob|tree)/main/", "", link[len(REPOSITORY) :]).split("#")[0]
        assert (ROOT / path).exists(), link


def test_the_readme_says_how_to_install_and_complete():
    readme = (ROOT / "README.md").read_text()
    install = readme.split("## Install", 1)[1].split("\n## ", 1)[0]
    for command in (
        "pipx install secstatus",
        "uv tool install secstatus",
        "pip install 'secstatus[pdf,site]'",
        "_SECSTATUS_COMPLETE=bash_source secstatus",
        "_SECSTATUS_COMPLETE=zsh_source secstatus",
    ):
        assert command in install, command


def complete(cli, words: str) -> list[str]:
    """What click's completion machinery offers for the last of ``words`` (as bash asks for it)."""
    from click.testing import CliRunner

    from secstatus.cli import main

    parts = words.split(" ")
    result = CliRunner().invoke(
        main,
        [],
        prog_name="secstatus",
        env={"_SECSTATUS_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)},
    )
    assert result.exit_code == 0, result.output
    return [line.split(",", 1)[1] for line in result.stdout.splitlines() if line]


def test_completion_offers_commands_and_record_ids(cli):
    assert complete(cli, "secstatus sh") == ["show"]
    assert complete(cli, f"secstatus --data {DATA} show SECMP004") == [f"SECMP004{n}" for n in range(10)]
    assert complete(cli, f"secstatus show --data {DATA} secmp006") == [f"SECMP006{n}" for n in range(10)]
    assert complete(cli, f"secstatus --data {DATA} release move 2019-") == ["2019-06", "2019-11"]
    assert "6.11" in complete(cli, f"secstatus --data {DATA} history 6.")
    assert complete(cli, f"secstatus --data {DATA} record DP07") == [f"DP07{n}" for n in range(1, 6)]


NAMES_A_NEW_RECORD = {"new modification", "new release"}
"""Commands whose ID is the id of a record to make, which no completion can know."""


def test_every_id_argument_completes(cli):
    """Each command that takes a record's id as its first argument offers the register's ids."""
    from secstatus.cli import main

    def leaves(command, path):
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                yield from leaves(sub, [*path, name])
        else:
            yield path, command

    found = []
    for path, command in leaves(main, []):
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        if arguments and arguments[0].metavar in ("ID", "RELEASE") and " ".join(path) not in NAMES_A_NEW_RECORD:
            found.append(" ".join(path))
            offered = complete(cli, f"secstatus --data {DATA} {' '.join(path)} ")
            assert ("2019-11" if arguments[0].metavar == "RELEASE" else "SECMP0046") in offered, path
    assert {"show", "record", "history", "release move"} <= set(found)


def test_completion_outside_a_register_offers_nothing(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert complete(cli, "secstatus show SECMP") == []


@pytest.mark.slow
def test_the_sdist_holds_the_package_and_leaves_the_tests_out(packaged):
    with tarfile.open(packaged.sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"LICENSE", "README.md", "pyproject.toml", "PKG-INFO", "src/secstatus/py.typed"} <= names
    assert not {n for n in names if n.startswith(("tests", "data/", "bench/", ".ci", "docs/"))}
    tracked = subprocess.run(
        ["git", "ls-files", "src/secstatus"], cwd=packaged.repo, capture_output=True, text=True, check=True
    ).stdout.split()
    assert set(tracked) - names == set()  # the kit's dotfiles, the templates and the hook forms are all there


@pytest.mark.slow
def test_the_wheel_says_its_licence_versions_and_urls(packaged):
    meta = wheel_metadata(packaged.wheel)
    assert meta["Name"] == "secstatus" and meta["Version"] == secstatus.__version__
    assert meta["License-Expression"] == "MIT" and meta.get_all("License-File") == ["LICENSE"]
    classifiers = meta.get_all("Classifier")
    for wanted in (
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
        "Operating System :: POSIX :: Linux",
        "Operating System :: MacOS",
        "Typing :: Typed",
    ):
        assert wanted in classifiers, wanted
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
    assert urls == PROJECT["urls"]
    assert set(meta.get_all("Provides-Extra")) >= {"pdf", "site", "dev"}
    core = [r for r in meta.get_all("Requires-Dist") if "extra ==" not in r]
    assert not [r for r in core if re.match(r"(weasyprint|feedgen|icalendar)\b", r, re.IGNORECASE)], core
    with zipfile.ZipFile(packaged.wheel) as archive:
        names = set(archive.namelist())
    assert {
        "secstatus/py.typed",
        "secstatus/kit/.gitignore",
        "secstatus/kit/.vscode/extensions.json",
        "secstatus/kit-pre-commit/published.yaml",
        "secstatus/kit-pre-commit/local.yaml",
        f"secstatus-{secstatus.__version__}.dist-info/licenses/LICENSE",
    } <= names


def disk_usage(folder: Path) -> int:
    """Bytes on disk under ``folder``, as ``du`` counts them."""
    return sum(
        os.lstat(os.path.join(top, name)).st_blocks * 512
        for top, dirs, files in os.walk(folder)
        for name in files + dirs
    )


@pytest.mark.slow
def test_the_core_installs_light_and_runs_without_the_extras(packaged, tmp_path):
    """`pip install secstatus` (here from the wheelhouse, as from the index): no WeasyPrint, under
    40 MB beside an empty environment, validate works, and the PDF report names its extra."""
    empty, core = new_venv(tmp_path / "empty"), new_venv(tmp_path / "core")
    pip_install(core, packaged.wheels, "secstatus")
    listed = subprocess.run(
        [str(core / "python"), "-m", "pip", "list", "--format", "freeze"], capture_output=True, text=True, check=True
    ).stdout.lower()
    assert "secstatus==" in listed
    for heavy in ("weasyprint", "lxml", "fonttools", "pillow", "feedgen", "icalendar"):
        assert f"{heavy}==" not in listed, heavy
    added = disk_usage(core.parent) - disk_usage(empty.parent)
    assert added <= 40 * 1024 * 1024, f"{added / 2**20:.1f} MB"
    secstatus_bin = str(core / "secstatus")
    done = subprocess.run([secstatus_bin, "--data", str(DATA), "validate", "--strict"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [
            secstatus_bin,
            "--data",
            str(DATA),
            "report",
            "--month",
            "2019-05",
            "--format",
            "pdf",
            "-o",
            str(tmp_path / "r.pdf"),
        ],
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stderr) == (
        1,
        "secstatus: error: the PDF report needs WeasyPrint: pip install 'secstatus[pdf]'\n",
    )
    done = subprocess.run([secstatus_bin, "init", str(tmp_path / "register")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    pins = [
        line
        for line in (tmp_path / "register" / "requirements.txt").read_text().splitlines()
        if not line.startswith("#")
    ]
    assert pins == [f"secstatus[pdf,site]=={secstatus.__version__}"]
    assert done.stderr.startswith(
        f"pinned secstatus[pdf,site]=={secstatus.__version__} in requirements.txt "
        f"(installed from a package index (version {secstatus.__version__}))\n"
    )
