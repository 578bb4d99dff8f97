"""Loading: every kind of bad input becomes a diagnostic at its line and column."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES

from secstatus.register.load import load_file, load_register

INVALID = sorted((FIXTURES / "invalid").glob("*/*.yaml"))
"""One broken file per case, in the folder of its record type, headed by the diagnostic it must give."""
VALID = sorted((FIXTURES / "valid" / "modifications").glob("*.yaml"))


def expectation(path: Path) -> tuple[str, tuple[int, int] | None]:
    """The '# expect: code [line:col]' header of a fixture."""
    match = re.match(r"# expect: ([\w-]+)(?: (\d+):(\d+))?", path.read_text(encoding="utf-8"))
    assert match, f"{path} has no '# expect:' header"
    code, line, col = match.groups()
    return code, (int(line), int(col)) if line else None


@pytest.mark.parametrize("path", INVALID, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_invalid_file_gives_one_located_diagnostic(path: Path):
    code, position = expectation(path)
    record, _, diagnostics = load_file(path, path.parent.name, path.name)
    assert record is None
    assert [d.code for d in diagnostics] == [code], diagnostics
    if position:
        assert (diagnostics[0].line, diagnostics[0].column) == position, diagnostics[0]
    assert diagnostics[0].path == path.name and diagnostics[0].severity == "error"


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_file_loads(path: Path):
    record, source, diagnostics = load_file(path, "modifications", path.name)
    assert diagnostics == []
    assert record.id == path.stem
    assert source.at(("events", 0, "kind"))[0] > 1


def test_raw_bytes_problems_are_located(tmp_path: Path):
    folder = tmp_path / "modifications"
    folder.mkdir()
    (folder / "SECMP0001.yaml").write_bytes(b"id: SECMP0001\ntitle: caf\xe9\n")
    (folder / "SECMP0002.yaml").write_bytes(b"id: SECMP0002\ntitle: x\n\tproposer: y\n")
    (folder / "SECMP0003.yaml").write_bytes(b"")
    (folder / "notes.md").write_text("not a record")
    (tmp_path / "stray.yaml").write_text("a: 1")
    (tmp_path / "drafts").mkdir()
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    (folder / ".gitkeep").write_bytes(b"")
    _, diagnostics, _ = load_register(tmp_path)
    found = {(Path(d.path).name, d.code, d.line, d.column) for d in diagnostics}
    assert found == {
        ("SECMP0001.yaml", "encoding", 2, 11),
        ("SECMP0002.yaml", "tab", 3, 1),
        ("SECMP0003.yaml", "empty-file", 1, 1),
        ("notes.md", "not-a-record", 1, 1),
        ("stray.yaml", "not-a-record", 1, 1),
        ("drafts", "unknown-folder", 1, 1),
        (".DS_Store", "ignored-file", 1, 1),  # a warning: skipped, not read
    }


def test_every_shipped_file_is_read(register):
    shipped = len(list((FIXTURES.parents[1] / "data").rglob("*.yaml")))
    assert register.files == shipped
    assert len(register.modifications) == 75


def test_positions_are_found_only_when_asked(tmp_path: Path):
    """Loading keeps no position maps (they are most of what a record would keep), except for a
    file that acknowledges a warning, which validation always asks: those are noted from the same
    parse, the same as asking finds them; asking finds the others."""
    from conftest import DATA

    from secstatus.register.yamlread import Source

    register, _, loaded = load_register(DATA)
    kept = {source.rel: source for _, source in loaded if source._values is not None}
    assert set(kept) == {
        source.rel for _, source in loaded if "acknowledged" in source.path.read_text(encoding="utf-8")
    }
    assert 0 < len(kept) < len(loaded)
    assert all((source._values is None) == (source._keys is None) for _, source in loaded)
    for source in kept.values():
        found = Source(source.path, source.rel, source.path.read_text(encoding="utf-8"))
        assert (found.values, found.keys) == (source.values, source.keys)
    mod = register.modifications["SECMP0009"]
    source = register.source_of(mod)
    assert source.at(("events", 1, "printed")) == (19, 14)
    assert source.keys[("title",)] == (5, 1)


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "No",
        "on",
        "OFF",
        "null",
        "~",
        "",
        "1",
        "-7",
        "0x1f",
        "0o17",
        "1_000",
        "1.5",
        "1e3",
        ".inf",
        "-.Inf",
        "2019-05-01",
        "2019-05-01 10:00:00",
        "abc",
        "True",
        "2019-5-1",
    ],
)
def test_plain_scalars_read_as_yaml_reads_them_every_time(tmp_path: Path, text: str):
    """Tags remembered from one file apply to the next exactly as PyYAML would resolve them."""
    import yaml

    from secstatus.register.yamlread import parse_yaml

    expected = yaml.safe_load(f"a: {text}\n")
    for _ in range(2):
        data, _ = parse_yaml(f"a: {text}\nb: '{text}'\n", tmp_path / "x.yaml", "x.yaml")
        assert data == {**expected, "b": text}
        assert type(data["a"]) is type(expected["a"])


def test_the_register_files_every_record_type(tmp_path):
    """Each type declared in model.RECORD_FOLDERS has a place in the Register (add raises otherwise)."""
    from conftest import DATA

    from secstatus.domain.model import RECORD_FOLDERS
    from secstatus.register.load import Register, load_register

    _, _, loaded = load_register(DATA)
    one_of_each = {type(record): (record, source) for record, source in loaded}
    assert set(one_of_each) == {t.model for t in RECORD_FOLDERS.values()}
    fresh = Register(root=tmp_path)
    for record, source in one_of_each.values():
        fresh.add(record, source)
    assert len(fresh.sources) == len(RECORD_FOLDERS)
