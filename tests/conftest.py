"""Shared fixtures: the shipped register, copies of it to break, and a CLI runner."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def register():
    """The shipped May 2019 register, loaded and checked once."""
    from secstatus.checks import validate

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


def run_process(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m secstatus ARGS`` as a real process."""
    return subprocess.run([sys.executable, "-m", "secstatus", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
