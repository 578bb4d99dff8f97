"""The user cache: used only when private to the user, keyed by what each entry was made from."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from secstatus.system.cache import cache_dir, read_json, user_cache_root, write_json


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
    assert read_json("x.json", shape=lambda v: True) == {"a": 1}
    assert sorted(p.name for p in folder.parent.iterdir() if p.is_file()) == ["key", "x.json"]
    assert (folder.parent / "key").stat().st_mode & 0o777 == 0o600


HOME = Path("/home/ann")


@pytest.mark.parametrize(
    ("platform", "environ", "root"),
    [
        ("linux", {}, HOME / ".cache"),
        ("linux", {"XDG_CACHE_HOME": "/var/cache/ann"}, Path("/var/cache/ann")),
        ("linux", {"XDG_CACHE_HOME": "relative/cache"}, HOME / ".cache"),  # the XDG rule: a relative path is ignored
        ("freebsd14", {}, HOME / ".cache"),
        ("darwin", {}, HOME / "Library" / "Caches"),
        ("darwin", {"XDG_CACHE_HOME": "/tmp/c"}, Path("/tmp/c")),
        ("win32", {"LOCALAPPDATA": "C:/Users/ann/AppData/Local"}, Path("C:/Users/ann/AppData/Local")),
        ("win32", {}, HOME / "AppData" / "Local"),
    ],
)
def test_the_cache_lives_where_the_platform_keeps_caches(platform, environ, root):
    assert user_cache_root(platform, environ, HOME) == root


def test_a_folder_others_can_write_is_not_used(home: Path):
    (home / "secstatus").mkdir(mode=0o700)
    (home / "secstatus" / "x.json").write_text(json.dumps({"planted": True}))
    os.chmod(home / "secstatus", 0o777)
    assert cache_dir() is None and cache_dir("jinja") is None and read_json("x.json", shape=lambda v: True) is None


def test_a_linked_folder_is_not_used(home: Path, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (home / "secstatus").symlink_to(elsewhere, target_is_directory=True)
    assert cache_dir() is None


def test_no_cache_turns_it_off(home: Path, monkeypatch):
    monkeypatch.setenv("SECSTATUS_NO_CACHE", "1")
    write_json("x.json", 1)
    assert cache_dir() is None and not (home / "secstatus").exists()


def test_the_holiday_table_is_keyed_by_the_installed_release(home: Path, monkeypatch):
    """The key is the holidays distribution's version as installed (importlib.metadata), read
    without importing the library; another release makes its own table."""
    from secstatus.domain import workdays

    assert workdays.holidays_release() == version("holidays")
    workdays.bank_holidays(2019, 2019)
    assert [p.name for p in (home / "secstatus").glob("holidays-*.json")] == [
        workdays._table_name(version("holidays"), 2019, 2019)
    ]
    monkeypatch.setattr(workdays, "version", lambda name: "0.0.1")
    assert workdays.holidays_release() == "0.0.1"
    workdays.bank_holidays(2019, 2019)
    assert len(list((home / "secstatus").glob("holidays-*.json"))) == 2


@pytest.mark.slow
def test_cached_holiday_table_is_the_same_and_skips_importing_holidays(home: Path):
    code = (
        "import sys, json; from secstatus.domain.workdays import bank_holidays; t = bank_holidays(2010, 2035); "
        "print(json.dumps([sorted((d.isoformat(), n) for d, n in t.items()), 'holidays' in sys.modules]))"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(home)}
    runs = [
        json.loads(
            subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
        )
        for _ in range(2)
    ]
    assert runs[0][1] is True and runs[1][1] is False
    assert runs[0][0] == runs[1][0] and ["2019-05-06", "May Day"] in runs[1][0]


def test_compiled_templates_from_other_code_or_releases_are_never_read(home: Path, monkeypatch, tmp_path: Path):
    """Jinja checks a compiled template against its source; the code also depends on the code that
    built the environment, so the cache folder is named after that code as installed (the content
    of render's and the sandbox's files), Jinja's release and the output, and changes with any."""
    import jinja2

    from secstatus.output import render

    def folder(output: str = "html") -> str:
        return render.bytecode_cache(output).folder

    first = folder()
    assert folder() == first  # the same code finds the same entries
    assert len({folder("html"), folder("md"), folder("text")}) == 3  # one file compiles differently for each
    sources = render.environment_sources()
    assert {p.name for p in sources} == {"render.py", "sandbox.py"}
    copies = []
    for source in sources:
        copy = tmp_path / source.name
        copy.write_bytes(source.read_bytes())
        copies.append(copy)
    with monkeypatch.context() as patch:
        patch.setattr(render, "environment_sources", lambda: tuple(copies))
        assert folder() == first  # named after the content, not the place
        copies[0].write_bytes(copies[0].read_bytes().replace(b'"trim_blocks": True', b'"trim_blocks": False'))
        assert folder() != first  # a setting of the environment changed
    with monkeypatch.context() as patch:
        patch.setattr(jinja2, "__version__", "9.9.9")
        assert folder() != first


def test_the_holiday_table_is_cached_under_the_region_it_was_made_for(monkeypatch):
    from secstatus.domain import workdays

    name = workdays._table_name("0.1", 2019, 2019)
    monkeypatch.setattr(workdays, "SUBDIVISION", "SCT")
    assert workdays._table_name("0.1", 2019, 2019) != name


# Issue 16 point 13: what the cache holds is checked when it is read. An attacker who can write the
# cache folder (a poisoned CI cache, a planted file) plays each alteration below; none is trusted.

HOLIDAYS = (
    "import sys, json; from secstatus.domain.workdays import bank_holidays; t = bank_holidays(2010, 2035); "
    "print(json.dumps([sorted((d.isoformat(), n) for d, n in t.items()), 'holidays' in sys.modules]))"
)


def holiday_run(home: Path) -> tuple[list, bool]:
    done = subprocess.run(
        [sys.executable, "-c", HOLIDAYS],
        env={**os.environ, "XDG_CACHE_HOME": str(home)},
        capture_output=True,
        text=True,
        check=True,
    )
    table, imported = json.loads(done.stdout)
    return [tuple(row) for row in table], imported


@pytest.mark.slow
@pytest.mark.parametrize(
    "alteration",
    [
        lambda raw: raw.replace(b'"2019-05-06"', b'"2019-05-07"'),  # moves a bank holiday: every figure shifts
        lambda raw: raw.replace(b'"May Day"', b'"Not a holiday"'),  # renames one
        lambda raw: raw[: len(raw) // 2],  # truncated by a killed write
        lambda raw: raw.split(b"\n", 2)[-1],  # the table alone, as an older release stored it
    ],
    ids=["moved-day", "renamed-day", "truncated", "unsealed"],
)
def test_an_altered_holiday_table_is_made_afresh_and_stored_again(home: Path, alteration):
    genuine, imported = holiday_run(home)
    assert imported and ("2019-05-06", "May Day") in genuine
    [entry] = (home / "secstatus").glob("holidays-*.json")
    entry.write_bytes(alteration(entry.read_bytes()))
    again, imported = holiday_run(home)
    assert again == genuine and imported  # not trusted: made afresh from the holidays package
    assert holiday_run(home) == (genuine, False)  # and stored again, sealed: the next run reads it


def test_a_sealed_table_of_the_wrong_shape_is_made_afresh(home: Path):
    from secstatus.domain import workdays

    name = workdays._table_name(workdays.holidays_release(), 2019, 2019)
    genuine = workdays.bank_holidays(2019, 2019)
    for bad in (
        {"2019-05-06": "May Day\nX-INJECTED: 1"},
        {"2019-13-01": "Nowhere"},
        {"2031-01-01": "Elsewhen"},
        ["2019-05-06"],
        {"2019-05-06": 1},
    ):
        write_json(name, bad)  # sealed with the folder's own key, as a bug of ours could write it
        assert read_json(name, shape=lambda v: workdays._is_table(v, 2019, 2019)) is None
        assert workdays.bank_holidays(2019, 2019) == genuine


def evil_buckets(source: str, marker: Path) -> list[bytes]:
    """Jinja cache entries for ``source`` that run code when loaded: by the compiled code itself,
    and by the pickled checksum Jinja reads before it."""
    import marshal
    import pickle

    from jinja2.bccache import Bucket, BytecodeCache, bc_magic

    class Touch:
        def __reduce__(self):
            return (Path.touch, (marker,))

    bucket = Bucket(None, "key", BytecodeCache().get_source_checksum(source))
    bucket.code = compile(f"import pathlib; pathlib.Path({str(marker)!r}).touch()", "<planted>", "exec")
    return [bucket.bytecode_to_string(), bc_magic + pickle.dumps(Touch(), 2) + marshal.dumps(bucket.code)]


@pytest.mark.parametrize("reseal", [False, True], ids=["stale-seal", "resealed-with-sha256"])
@pytest.mark.parametrize("kind", [0, 1], ids=["code", "pickle"])
def test_an_altered_compiled_template_is_never_run(home: Path, tmp_path: Path, kind: int, reseal: bool):
    import hashlib

    from jinja2.bccache import bc_magic

    from secstatus.output import render
    from secstatus.system.cache import SEAL

    templates = tmp_path / "templates"
    templates.mkdir()
    source = "<p>{{ x }}</p>\n"
    (templates / "page.html").write_text(source)
    assert render.environment([templates], "html").get_template("page.html").render(x="<b>") == "<p>&lt;b&gt;</p>\n"
    entries = [p for p in (home / "secstatus").rglob("*.cache")]
    assert len(entries) == 1
    marker = tmp_path / "ran"
    evil = evil_buckets(source, marker)[kind]
    raw = entries[0].read_bytes()
    prefix = raw[: raw.index(bc_magic)]  # the seal, where there is one; the entry itself otherwise
    if reseal and prefix.startswith(SEAL):  # an attacker without the key can only guess at a checksum
        prefix = SEAL + hashlib.sha256(evil).hexdigest().encode() + b"\n"
    entries[0].write_bytes(prefix + evil)
    fresh = render.environment([templates], "html")  # a new process's environment: nothing compiled in memory
    assert fresh.get_template("page.html").render(x="<b>") == "<p>&lt;b&gt;</p>\n"
    assert not marker.exists()
    assert bc_magic in entries[0].read_bytes() and evil not in entries[0].read_bytes()  # compiled again, stored again


def test_the_folder_is_used_through_the_descriptor_that_was_checked(home: Path, tmp_path_factory):
    """Swapping the checked folder for a link (to a folder the attacker filled) changes nothing for
    a reader that holds it open: every entry is read and written relative to the descriptor."""
    from secstatus.system.cache import open_folder

    with open_folder("jinja") as folder:
        folder.write("entry", b"genuine")
    planted = tmp_path_factory.mktemp("planted")
    with open_folder("jinja") as folder:
        assert folder is not None
        os.rename(home / "secstatus" / "jinja", home / "secstatus" / "moved")
        (planted / "entry").write_bytes(
            (home / "secstatus" / "moved" / "entry").read_bytes().replace(b"genuine", b"planted")
        )
        (home / "secstatus" / "jinja").symlink_to(planted, target_is_directory=True)
        assert folder.read("entry") == b"genuine"
        folder.write("other", b"ours")
    assert (home / "secstatus" / "moved" / "other").exists() and not (planted / "other").exists()
    with open_folder("jinja") as folder:
        assert folder is None  # the link itself is never opened


def test_a_folder_of_another_user_is_not_used(home: Path, monkeypatch):
    assert cache_dir("jinja") is not None
    mine = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: mine + 1)
    assert cache_dir("jinja") is None and read_json("x.json", shape=lambda v: True) is None


def test_a_key_others_can_read_is_replaced_and_entries_sealed_with_it_are_dropped(home: Path, monkeypatch):
    from secstatus.system import cache

    write_json("x.json", {"a": 1})
    key = home / "secstatus" / "key"
    before = key.read_bytes()
    key.chmod(0o644)
    monkeypatch.setattr(cache, "_keys", {})  # a new process: the key is read again
    assert read_json("x.json", shape=lambda v: True) is None
    assert key.read_bytes() != before and key.stat().st_mode & 0o777 == 0o600
