"""The user cache: used only when private to the user, keyed by what each entry was made from."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from secstatus.cache import cache_dir, installed_release, read_json, write_json


@pytest.fixture
def home(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("SECSTATUS_NO_CACHE", raising=False)
    return tmp_path


def test_cache_folder_is_created_private(home: Path):
    folder = cache_dir("jinja")
    assert folder == home / "secstatus" / "jinja"
    assert (folder.stat().st_mode & 0o777) == 0o700 and (folder.parent.stat().st_mode & 0o777) == 0o700
    write_json("x.json", {"a": 1})
    assert read_json("x.json") == {"a": 1} and [p.name for p in folder.parent.iterdir() if p.is_file()] == ["x.json"]


def test_a_folder_others_can_write_is_not_used(home: Path):
    (home / "secstatus").mkdir(mode=0o700)
    (home / "secstatus" / "x.json").write_text(json.dumps({"planted": True}))
    os.chmod(home / "secstatus", 0o777)
    assert cache_dir() is None and cache_dir("jinja") is None and read_json("x.json") is None


def test_a_linked_folder_is_not_used(home: Path, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (home / "secstatus").symlink_to(elsewhere, target_is_directory=True)
    assert cache_dir() is None


def test_no_cache_turns_it_off(home: Path, monkeypatch):
    monkeypatch.setenv("SECSTATUS_NO_CACHE", "1")
    write_json("x.json", 1)
    assert cache_dir() is None and not (home / "secstatus").exists()


def test_installed_release_is_read_without_importing():
    assert installed_release("holidays") == version("holidays")
    assert installed_release("no_such_package_here") is None


def test_cached_holiday_table_is_the_same_and_skips_importing_holidays(home: Path):
    code = ("import sys, json; from secstatus.workdays import bank_holidays; t = bank_holidays(2010, 2035); "
            "print(json.dumps([sorted((d.isoformat(), n) for d, n in t.items()), 'holidays' in sys.modules]))")
    env = {**os.environ, "XDG_CACHE_HOME": str(home)}
    runs = [json.loads(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                      check=True).stdout) for _ in range(2)]
    assert runs[0][1] is True and runs[1][1] is False
    assert runs[0][0] == runs[1][0] and ["2019-05-06", "May Day"] in runs[1][0]


def test_compiled_templates_from_other_settings_or_releases_are_never_read(home: Path, monkeypatch):
    """Jinja keys a compiled template by its source alone; the code also depends on the settings
    it was compiled with, so the cache folder is named after them and changes with any of them."""
    from secstatus import render

    def folder(output: str = "html") -> str:
        return render.bytecode_cache(output).directory

    first = folder()
    assert folder() == first  # the same settings find the same entries
    assert len({folder("html"), folder("md"), folder("text")}) == 3  # one file compiles differently for each
    changes = [("OUTPUT_OF_EXTENSION", {".html": "html"}), ("SYNTAX", {**render.SYNTAX, "trim_blocks": False})]
    for name, value in changes:
        with monkeypatch.context() as patch:
            patch.setattr(render, name, value)
            assert folder() != first, name
    with monkeypatch.context() as patch:
        patch.setattr("secstatus.__version__", "9.9.9")
        assert folder() != first
    with monkeypatch.context() as patch:
        patch.setattr("secstatus.sandbox.Sandbox.intercepted_binops", frozenset())
        assert folder() != first


def test_the_holiday_table_is_cached_under_the_region_it_was_made_for(monkeypatch):
    from secstatus import workdays

    name = workdays._table_name("0.1", 2019, 2019)
    monkeypatch.setattr(workdays, "SUBDIVISION", "SCT")
    assert workdays._table_name("0.1", 2019, 2019) != name
