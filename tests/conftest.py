"""Shared fixtures: the shipped register, copies of it to break, and a CLI runner."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_configure(config):
    """The user cache (compiled templates, the bank-holiday table) starts empty in a folder of
    this run's own, before any test module is imported, and every process the tests start
    inherits it. In the shared ~/.cache, entries made by earlier code were read in place of what
    the code under test makes: the cache keys say neither the environment's autoescaping nor
    how the holiday table was built, so breaking either went unseen.

    Under pytest-xdist the workers inherit their controller's folder (made before it starts
    them), as the tests of one run in one process share it."""
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: the controller owns the folder
        return
    folder = tempfile.mkdtemp(prefix="secstatus-tests-cache-")
    config._secstatus_cache = folder
    os.environ["XDG_CACHE_HOME"] = folder


def pytest_unconfigure(config):
    folder = getattr(config, "_secstatus_cache", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


SLOW_PROGRAMS = frozenset({"java", "chromium", "chromedriver"})
"""Programs, besides Python, that only a test marked slow may start: the HTML checker and the browser."""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """The fast tier (``-m "not slow"``) stays fast: a test not marked slow, with the fixtures it
    sets up and tears down, fails when it lays out a PDF (WeasyPrint's ``HTML.render``, which
    ``write_pdf`` calls) or starts a Python process (``secstatus``, pre-commit, pip, a venv's tools,
    ``python -c``) or one of ``SLOW_PROGRAMS``. A hook rather than a fixture, so that module and
    session fixtures set up for the test are held to it too."""
    if item.get_closest_marker("slow"):
        return (yield)
    try:
        import weasyprint
    except (ImportError, OSError):  # no WeasyPrint (or no Pango) here: no test can lay out a PDF
        weasyprint = None
    with pytest.MonkeyPatch.context() as patch:
        if weasyprint is not None:
            patch.setattr(weasyprint.HTML, "render", refuse_pdf)
        patch.setattr(subprocess, "Popen", FastTierPopen)
        return (yield)


def refuse_pdf(*args, **kwargs):
    pytest.fail("this test lays out a PDF with WeasyPrint: mark this test slow (@pytest.mark.slow)", pytrace=False)


class FastTierPopen(subprocess.Popen):
    """``subprocess.Popen`` that refuses, in a test not marked slow, to start a slow program."""

    def __init__(self, args, *rest, **kwargs):
        program = slow_program(args, kwargs)
        if program:
            pytest.fail(f"this test starts {program}: mark this test slow (@pytest.mark.slow)", pytrace=False)
        super().__init__(args, *rest, **kwargs)


def slow_program(args, popen: dict) -> str | None:
    """The program the command would start, if it is Python (an interpreter, or a script whose
    ``#!`` line names one) or one of ``SLOW_PROGRAMS``; else None."""
    if isinstance(args, (str, bytes, os.PathLike)):
        args = shlex.split(os.fsdecode(args)) if popen.get("shell") else [args]
    program = os.fsdecode(popen.get("executable") or args[0])
    if os.sep in program and popen.get("cwd"):
        program = os.path.join(popen["cwd"], program)
    found = shutil.which(program, path=(popen.get("env") or os.environ).get("PATH"))
    name = os.path.basename(program)
    if name in SLOW_PROGRAMS or name.startswith("python"):
        return program
    try:
        with open(found or program, "rb") as file:
            first = file.readline(200)
    except OSError:
        return None
    return program if first.startswith(b"#!") and b"python" in first else None


@pytest.fixture(scope="session")
def register():
    """The shipped May 2019 register, loaded and checked once."""
    from secstatus.register.checks import validate

    reg, diagnostics = validate(DATA)
    assert not [d for d in diagnostics if d.severity == "error"], diagnostics
    return reg


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped data folder, to edit freely."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def cli():
    """Run ``secstatus ARGS`` in-process; returns the click Result (stdout, stderr, exit_code)."""
    from secstatus.cli import main

    def run(*args: str, env: dict | None = None):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    return run


GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ann Analyst",
    "GIT_AUTHOR_EMAIL": "ann@example.org",
    "GIT_COMMITTER_NAME": "Ann Analyst",
    "GIT_COMMITTER_EMAIL": "ann@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_SYSTEM": os.devnull,
}
"""A pinned identity and no user or system git configuration (no signing, no hooks path)."""


def git(repo: Path, *args: str, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run git in ``repo`` with the pinned identity."""
    return subprocess.run(
        ["git", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        env={**os.environ, **GIT_ENV, **(env or {})},
        capture_output=True,
        text=True,
        check=check,
    )


def make_register_repo(root: Path, prepare=None) -> Path:
    """A git repository at ``root`` whose main branch holds the shipped register in one commit.

    ``prepare(root)`` can add files (a hook configuration, say) before that commit.
    """
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    shutil.copytree(DATA, root / "data")
    if prepare is not None:
        prepare(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "--no-verify", "-m", "The May 2019 register")
    return root


def run_process(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m secstatus ARGS`` as a real process (only in a test marked slow)."""
    return subprocess.run(
        [sys.executable, "-m", "secstatus", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def run_in_process(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """``secstatus ARGS`` in this process (click's runner, as the ``cli`` fixture), in the folder
    ``cwd``, with ``env`` set on top of the environment; the result has the shape ``run_process``
    gives (``returncode``, ``stdout``, ``stderr``). For a test that reads only the output and the
    exit code, which a real process would give alike."""
    from secstatus.cli import main

    with contextlib.chdir(cwd or os.getcwd()):
        result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return subprocess.CompletedProcess(["secstatus", *args], result.exit_code, result.stdout, result.stderr)


@pytest.fixture(scope="session")
def packaged(tmp_path_factory):
    """secstatus as a user gets it (the packaging tests): this checkout committed alone in a new
    repository (``repo``, at ``commit``), its ``sdist`` and the ``wheel`` built from it, and a
    folder of ``wheels`` from which pip installs it and what it needs offline (``packaging_support``)."""
    from types import SimpleNamespace

    from packaging_support import build, source_repo, wheelhouse

    root = tmp_path_factory.mktemp("packaged")
    repo, commit = source_repo(root / "source")
    sdist, wheel = build(repo, root / "dist")
    return SimpleNamespace(
        repo=repo, commit=commit, sdist=sdist, wheel=wheel, wheels=wheelhouse(root / "wheels", wheel)
    )
