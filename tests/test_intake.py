"""Which files the loader reads: droppings and git-ignored files are skipped, symlinks that leave
the register are refused, huge files and values are refused before they cost memory."""

from __future__ import annotations

import os

import pytest
from conftest import DATA, git, make_register_repo

from secstatus.register.intake import MAX_FILE_BYTES
from secstatus.register.load import load_register
from secstatus.register.yamlread import MAX_TEXT_CHARS

DROPPINGS = [
    ".DS_Store",
    "modifications/.SECMP0007.yaml.swp",
    "modifications/SECMP0007.yaml~",
    "modifications/.#SECMP0007.yaml",
    "releases/Thumbs.db",
]


def test_droppings_are_skipped_with_a_warning_and_block_nothing(data_copy, cli, tmp_path):
    for name in DROPPINGS:
        (data_copy / name).write_bytes(b"\0\1junk")
    _, diagnostics, _ = load_register(data_copy)
    found = {(os.path.relpath(d.path, data_copy), d.severity, d.code) for d in diagnostics if d.code == "ignored-file"}
    assert found == {(name, "warning", "ignored-file") for name in DROPPINGS}
    assert cli("--data", str(data_copy), "validate").exit_code == 0
    assert cli("--data", str(data_copy), "record", "SECMP0058", "implemented", "--date", "2019-06-27").exit_code == 0
    assert cli("--data", str(data_copy), "report", "--month", "2019-05", "--format", "md", "-o", "-").exit_code == 0


def test_files_git_ignores_are_skipped_without_a_word(tmp_path, cli):
    repo = make_register_repo(
        tmp_path / "repo", prepare=lambda root: (root / ".gitignore").write_text("*.bak\nscratch/\n")
    )
    (repo / "data" / "modifications" / "SECMP0007.yaml.bak").write_text("old: [")
    (repo / "data" / "scratch").mkdir()
    (repo / "data" / "scratch" / "notes.txt").write_text("mine")
    done = cli("--data", str(repo / "data"), "validate")
    assert done.exit_code == 0 and done.stdout.count("error") == 0, done.stdout
    assert "SECMP0007.yaml.bak" not in done.stdout and "scratch" not in done.stdout
    git(repo, "rm", "-q", "--cached", ".gitignore")
    (repo / ".gitignore").unlink()
    assert cli("--data", str(repo / "data"), "validate").exit_code == 1  # the same files, not ignored, are errors


def test_a_symlink_out_of_the_register_is_refused_and_never_read(data_copy, tmp_path, cli):
    outside = tmp_path / "secret.yaml"
    outside.write_text("id: SECMP0099\ntitle: From outside\n")
    link = data_copy / "modifications" / "SECMP0099.yaml"
    link.symlink_to(outside)
    register, diagnostics, _ = load_register(data_copy)
    assert "SECMP0099" not in register.modifications
    assert [(d.code, d.line, d.column) for d in diagnostics if "SECMP0099" in d.path] == [("symlink", 1, 1)]
    assert cli("--data", str(data_copy), "record", "SECMP0099", "withdrawn", "--date", "2019-06-01").exit_code == 1
    assert outside.read_text() == "id: SECMP0099\ntitle: From outside\n" and link.is_symlink()


def test_an_edit_through_a_symlink_writes_the_file_it_points_to(tmp_path, cli):
    from secstatus.editing.edit import Edit, apply

    real = tmp_path / "real" / "data"
    import shutil

    shutil.copytree(DATA, real)
    link = tmp_path / "data"
    link.symlink_to(real, target_is_directory=True)  # a register reached through a link is inside itself
    assert cli("--data", str(link), "record", "SECMP0058", "implemented", "--date", "2019-06-27").exit_code == 0
    record = real / "modifications" / "SECMP0058.yaml"
    assert "implemented" in record.read_text() and not record.is_symlink()
    alias = tmp_path / "alias.yaml"
    alias.symlink_to(record)
    apply(Edit(alias, record.read_text(), record.read_text() + "# checked\n", "a comment"))
    assert alias.is_symlink() and record.read_text().endswith("# checked\n")


def test_a_huge_file_is_refused_before_it_is_read(data_copy, monkeypatch):
    huge = data_copy / "modifications" / "SECMP0099.yaml"
    huge.write_bytes(b"id: SECMP0099\ntitle: x\nsummary: " + b"y" * MAX_FILE_BYTES + b"\n")
    import os

    reads, opened, seen = [], set(), []
    real_open, real_read, real_close = os.open, os.read, os.close

    def spy_open(path, *args, **kwargs):
        fd = real_open(path, *args, **kwargs)
        if str(path) == str(huge):
            opened.add(fd)
            seen.append(fd)
        return fd

    def spy_close(fd):
        opened.discard(fd)  # the number is free for the next file
        return real_close(fd)

    def spy_read(fd, size):
        if fd in opened:
            reads.append(size)
        return real_read(fd, size)

    monkeypatch.setattr(os, "open", spy_open)
    monkeypatch.setattr(os, "read", spy_read)
    monkeypatch.setattr(os, "close", spy_close)
    _, diagnostics, _ = load_register(data_copy)
    refused = [d for d in diagnostics if d.path.endswith("SECMP0099.yaml")]
    assert [(d.code, d.line) for d in refused] == [("too-large", 1)] and "1024 KiB" in refused[0].message
    assert seen and reads == []  # opened, sized, refused: not a byte read


def test_a_value_over_the_length_limit_is_refused_at_its_place(tmp_path):
    from secstatus.register.load import load_file

    path = tmp_path / "SECMP0099.yaml"
    path.write_text("id: SECMP0099\ntitle: x\nsummary: " + "y" * (MAX_TEXT_CHARS + 1) + "\n")
    _, _, diagnostics = load_file(path, "modifications", path.name)
    assert [(d.code, d.line, d.column) for d in diagnostics] == [("too-long", 3, 10)]


@pytest.mark.parametrize(
    "title", ['=HYPERLINK("http://evil.example","click")', "+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]
)
def test_csv_cells_that_start_a_formula_are_neutralised(title):
    from secstatus.output.reporters import rows_csv, spreadsheet_safe

    assert spreadsheet_safe(title) == "'" + title
    assert spreadsheet_safe(42) == 42 and spreadsheet_safe("Plain") == "Plain"
    csv = rows_csv([{"id": "DP075", "title": title}], ["id", "title"])
    assert f"DP075,'{title[0]}" in csv or f"DP075,\"'{title[0]}" in csv


def test_list_csv_neutralises_a_hostile_title(data_copy, cli):
    path = data_copy / "modifications" / "DP075.yaml"
    path.write_text(
        path.read_text().replace(
            "title: Third Party metering service providers", 'title: \'=HYPERLINK("http://evil.example","click")\''
        )
    )
    out = cli("--data", str(data_copy), "list", "--as-at", "2019-04-30", "--format", "csv").stdout
    assert '"\'=HYPERLINK(""http://evil.example"",""click"")"' in out
