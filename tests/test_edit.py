"""Text edits on awkward but valid record files: every original byte stays, the result validates."""

from __future__ import annotations

import pytest
from conftest import git, make_register_repo, run_in_process

HEAD = "id: SECMP0058\ntitle: Changes to the governance of the Self-Service Interface\nroute: self-governance\n"
# An approval with no deciding body recorded: it needs no Modification Report before it (events.Kind.after).
VOTE = "decision\n{i}  date: 2019-04-24\n{i}  outcome: approved\n{i}  release: 2019-06\n"

LAYOUTS = {
    "indented": HEAD + "events:\n  - kind: " + VOTE.format(i="  "),
    "column-0": HEAD + "events:\n- kind: " + VOTE.format(i=""),
    "wide-dash": HEAD + "events:\n-   kind: decision\n    date: 2019-04-24\n    outcome: approved\n"
    "    release: 2019-06\n",
    "dash-alone": HEAD + "events:\n  -\n    kind: decision\n    date: 2019-04-24\n    outcome: approved\n"
    "    release: 2019-06\n",
    "key-comment": HEAD + "events:  # oldest first\n  - kind: " + VOTE.format(i="  "),
    "document-markers": "---\n" + HEAD + "events:\n  - kind: " + VOTE.format(i="  ") + "...\n",
    "no-final-newline": (HEAD + "events:\n  - kind: " + VOTE.format(i="  ")).rstrip("\n"),
    "crlf": (HEAD + "events:\n  - kind: " + VOTE.format(i="  ")).replace("\n", "\r\n"),
}


def write(data, text: str):
    path = data / "modifications" / "SECMP0058.yaml"
    path.write_bytes(text.encode("utf-8"))
    return path


def is_subsequence(old: list[bytes], new: list[bytes]) -> bool:
    rest = iter(new)
    return all(line in rest for line in old)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_record_on_awkward_layouts(cli, data_copy, layout):
    path = write(data_copy, LAYOUTS[layout])
    before = path.read_bytes()
    before += b"" if before.endswith(b"\n") else b"\n"  # the only change allowed to an existing line
    result = cli("--data", str(data_copy), "record", "SECMP0058", "implemented", "--date", "2019-06-27")
    assert result.exit_code == 0, result.stderr
    after = path.read_bytes()
    assert is_subsequence(before.splitlines(keepends=True), after.splitlines(keepends=True)), after
    assert cli("--data", str(data_copy), "validate", str(path)).exit_code == 0
    if layout == "crlf":
        assert after.count(b"\r\n") == after.count(b"\n")
    from secstatus.register.checks import validate

    register, _ = validate(data_copy)
    assert [e.kind for e in register.modifications["SECMP0058"].events][-1] == "implemented"


def test_a_comment_stays_with_the_event_it_introduces(cli, data_copy):
    path = write(
        data_copy,
        HEAD
        + "events:\n  - kind: "
        + VOTE.format(i="  ")
        + "  # Implemented with the June release.\n  - kind: implemented\n    date: 2019-06-27\n",
    )
    assert (
        cli(
            "--data",
            str(data_copy),
            "record",
            "SECMP0058",
            "release-assigned",
            "--release",
            "2019-06",
            "--date",
            "2019-05-01",
        ).exit_code
        == 0
    )
    lines = path.read_text().splitlines()
    comment = lines.index("  # Implemented with the June release.")
    assert lines[comment + 1] == "  - kind: implemented"
    assert lines[comment - 2 : comment] == ["    date: 2019-05-01", "    release: 2019-06"]


def test_a_flow_list_is_refused_with_a_clear_message(cli, data_copy):
    path = write(
        data_copy, HEAD + "events: [{kind: decision, date: 2019-04-24, outcome: approved, release: 2019-06}]\n"
    )
    before = path.read_bytes()
    result = cli("--data", str(data_copy), "record", "SECMP0058", "implemented", "--date", "2019-06-27")
    assert result.exit_code == 1 and "flow style" in result.stderr
    assert path.read_bytes() == before


def test_changes_of_a_file_that_no_longer_loads(tmp_path):
    repo = make_register_repo(tmp_path / "repo")
    path = repo / "data" / "modifications" / "SECMP0016.yaml"
    path.write_text(path.read_text().replace("title:", "title :\n  - x\ntitle:", 1))
    done = run_in_process("changes", cwd=repo)
    assert done.stdout == "modification SECMP0016: the file does not load (run secstatus validate)\n"


def test_history_with_a_non_ascii_folder(tmp_path):
    repo = make_register_repo(tmp_path / "régistre")
    assert run_in_process("record", "SECMP0058", "implemented", "--date", "2019-06-27", cwd=repo).returncode == 0
    git(repo, "commit", "-qam", "implemented")
    lines = run_in_process("history", "SECMP0058", cwd=repo).stdout.splitlines()
    assert lines[1].strip() == "modification SECMP0058: implemented 27 June 2019 (Release → Closed)"


def test_encoding_errors_count_columns_in_characters(tmp_path):
    from secstatus.register.load import load_file

    path = tmp_path / "SECMP0001.yaml"
    path.write_bytes("id: SECMP0001\ntitle: Chàngés é".encode() + b"\xff\n")
    _, _, diagnostics = load_file(path, "modifications", path.name)
    assert (diagnostics[0].line, diagnostics[0].column) == (2, 17)


def test_an_edit_refuses_a_file_that_changed_after_it_was_read(tmp_path):
    from secstatus.editing.edit import Edit, EditError, apply

    path = tmp_path / "SECMP0001.yaml"
    path.write_text("id: SECMP0001\ntitle: changed by someone else\n")
    with pytest.raises(EditError, match="changed while the edit was being checked"):
        apply(Edit(path, "id: SECMP0001\ntitle: as read\n", "id: SECMP0001\ntitle: edited\n", "x"))
    new = tmp_path / "DP076.yaml"
    new.write_text("appeared meanwhile\n")
    with pytest.raises(EditError):
        apply(Edit(new, None, "id: DP076\n", "x"))
    assert path.read_text().endswith("someone else\n") and new.read_text() == "appeared meanwhile\n"
