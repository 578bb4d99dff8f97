"""The console entry's stand-in for Pydantic's plugin loader (``entry.without_pydantic_plugins``)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pydantic

from conftest import ROOT
from secstatus.cli import entry


def names_pydantic_imports_from_its_loader() -> set[str]:
    """Every name any module of the installed Pydantic imports from ``pydantic.plugin._loader``."""
    names = set()
    package = Path(pydantic.__file__).parent
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("_loader"):
                names.update(alias.name for alias in node.names)
    return names


def test_the_stand_in_answers_everything_pydantic_asks_of_its_loader(monkeypatch):
    asked = names_pydantic_imports_from_its_loader()
    assert asked == {"get_plugins"}, "Pydantic's plugin loader has changed: look again at entry.py"
    # setitem first: monkeypatch then restores Pydantic's loader, or removes the stand-in when
    # Pydantic's was not imported yet (delitem alone records nothing for a missing key)
    monkeypatch.setitem(sys.modules, entry.PYDANTIC_PLUGIN_LOADER, None)
    monkeypatch.delitem(sys.modules, entry.PYDANTIC_PLUGIN_LOADER)
    entry.without_pydantic_plugins()
    stand_in = sys.modules[entry.PYDANTIC_PLUGIN_LOADER]
    assert {name: list(getattr(stand_in, name)()) for name in asked} == {"get_plugins": []}


def test_the_command_line_looks_for_no_plugin_and_validates_as_before():
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "secstatus", "--data", "data", "validate"],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    imported = {line.split("|")[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}
    assert "pydantic._internal._model_construction" in imported  # the models were built
    assert "importlib.metadata" not in imported and "pydantic.plugin._loader" not in imported
    assert "files checked" in run.stderr


def test_under_the_entry_a_command_keeps_what_it_loaded_and_built(monkeypatch, cli):
    """The entry ends the process without freeing the heap; a command's return must not free
    its register and report context object by object either."""
    monkeypatch.setattr(entry, "_kept", [])  # as run() sets it
    result = cli("--data", str(ROOT / "data"), "report", "--month", "2019-05", "--format", "md", "-o", "-")
    assert result.exit_code == 0
    result = cli("--data", str(ROOT / "data"), "validate")
    assert result.exit_code == 0
    assert [type(o).__name__ for o in entry._kept] == ["Checked", "Report", "Register"]  # Checked: the register checked


def test_elsewhere_keep_holds_nothing():
    import weakref

    class Thing:
        pass

    thing = Thing()
    ref = weakref.ref(thing)
    assert entry._kept is None
    entry.keep(thing)
    del thing
    assert ref() is None
