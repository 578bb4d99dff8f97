"""`changes` and `history` compare parsed records field by field, for every record type."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import DATA, git, make_register_repo

from secstatus.analysis.query import UnknownId, find_record
from secstatus.domain.model import RECORD_FOLDERS, RECORD_TYPES
from secstatus.history.compare import ITEM_NOUNS, compare
from secstatus.history.gitlog import describe


def change_of(rel: str, edit) -> Any:
    """The Change that ``edit`` (text -> text) makes to the shipped file data/``rel``."""
    before = (DATA / rel).read_text(encoding="utf-8")
    return describe(before.encode(), edit(before).encode(), f"data/{rel}", f"data/{rel}")


def replace(old: str, new: str):
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


WG = "  - kind: working-group\n    date: 2019-05-01\n"

# (file, edit, the summary `changes` prints): one row per sort of change, for every record type.
SUMMARIES = [
    (
        "modifications/SECMP0007.yaml",
        replace(WG, WG + "    note: first words\n"),
        "modification SECMP0007: changed Working Group meeting 1 May 2019: note (none) → 'first words'",
    ),
    (
        "modifications/SECMP0007.yaml",
        replace("    note: Awaiting IA request", "    note: Awaiting the IA request"),
        "modification SECMP0007: changed DCC status No outstanding assessment request on or before 2 May 2019 "
        "(Appendix A table 3): note 'Awaiting IA request' → 'Awaiting the IA request'",
    ),
    (
        "modifications/SECMP0007.yaml",
        replace("    source: Appendix A of the May 2019 paper\n", ""),
        "modification SECMP0007: changed DCC status No outstanding assessment request on or before 2 May 2019 "
        "(Appendix A table 3): source 'Appendix A of the May 2019 paper' → (none)",
    ),
    (
        "modifications/SECMP0007.yaml",
        replace("group: assessment", "group: implementation"),
        "modification SECMP0007: changed DCC status No outstanding assessment request on or before 2 May 2019 "
        "(Appendix A table 3): group 'assessment' → 'implementation'",
    ),
    (
        "modifications/SECMP0009.yaml",
        replace("printed: 03/012019", "printed: 03/01/2019"),
        "modification SECMP0009: changed DCC status Accepted - implemented 3 January 2019 (Appendix A table 6): "
        "printed '03/012019' → '03/01/2019'",
    ),
    (
        "modifications/DP071.yaml",
        replace("on_or_after: 2019-04-03", "on_or_after: 2019-04-04"),
        "modification DP071: changed Change Sub-Committee decision further development needed on or before 2 May 2019: "
        "on_or_after 3 April 2019 → 4 April 2019",
    ),
    ("modifications/SECMP0007.yaml", replace(WG, WG + WG), "modification SECMP0007: Working Group meeting 1 May 2019"),
    (
        "modifications/SECMP0007.yaml",
        replace(WG, ""),
        "modification SECMP0007: removed Working Group meeting 1 May 2019",
    ),
    (
        "modifications/SECMP0007.yaml",
        replace("  - type: PA\n", "  - type: PA\n    requested: 2019-01-07\n"),
        "modification SECMP0007: changed DCC assessment 'PA': requested (none) → 7 January 2019",
    ),
    (
        "modifications/SECMP0007.yaml",
        replace("raised: 2016-03-01\n", ""),
        "modification SECMP0007: raised: 1 March 2016 → (none)",
    ),
    (
        "modifications/SECMP0007.yaml",
        replace(
            "title: Firmware updates to IHDs and PPMIDs", "# a comment\ntitle: 'Firmware updates to IHDs and PPMIDs'"
        ),
        "modification SECMP0007: reformatted, no change in content",
    ),
    (
        "releases/2019-11.yaml",
        lambda t: t + "  - date: 2019-11-24\n    decided: 2019-06-12\n",
        "release 2019-11: added planned date 24 November 2019 (decided 12 June 2019)",
    ),
    (
        "releases/2019-11.yaml",
        lambda t: t + "    note: as first announced\n",
        "release 2019-11: changed planned date 7 November 2019: note (none) → 'as first announced'",
    ),
    (
        "meetings/2019-05-01-working-group.yaml",
        lambda t: t + "source: the minutes\n",
        "meeting 2019-05-01 working-group: source: (none) → 'the minutes'",
    ),
    ("reports/2019-05.yaml", replace("paper: 7", "paper: 8"), "report 2019-05: paper: 7 → 8"),
    (
        "sec-versions/6.11.yaml",
        replace("effective: 2019-04-23", "effective: 2019-04-24"),
        "SEC version 6.11: effective: 23 April 2019 → 24 April 2019",
    ),
    (
        "calendar/overrides.yaml",
        replace("days: []", "days:\n  - date: 2019-12-24\n    working: false\n    reason: Christmas Eve\n"),
        "calendar overrides: added calendar day 24 December 2019 (working false, reason 'Christmas Eve')",
    ),
]


@pytest.mark.parametrize("rel, edit, summary", SUMMARIES, ids=[f"{r[0]}-{i}" for i, r in enumerate(SUMMARIES)])
def test_each_change_is_said_with_its_old_and_new_value(rel, edit, summary):
    assert change_of(rel, edit).summary() == summary


def test_every_record_type_has_a_row():
    assert {rel.split("/")[0] for rel, _, _ in SUMMARIES} == set(RECORD_FOLDERS)


def test_json_keeps_its_fields_and_adds_the_values_that_differ():
    change = change_of("modifications/SECMP0007.yaml", replace(WG, WG + "    note: first words\n")).as_dict()
    assert {
        "file",
        "record",
        "kind",
        "renamed_from",
        "events_added",
        "events_removed",
        "events_changed",
        "fields",
        "stage",
        "unreadable",
        "details",
        "summary",
    } <= set(change)
    assert (change["type"], change["id"], change["record"]) == ("modification", "SECMP0007", "modification SECMP0007")
    assert change["differences"] == [{"path": "events[0].note", "before": None, "after": "first words"}]
    json.dumps(change)


def _removals(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every way to drop one part of a record's data: a key of a mapping or an item of a list."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield path + (key,), {k: v for k, v in data.items() if k != key}
            for sub, smaller in _removals(value, path + (key,)):
                yield sub, {**data, key: smaller}
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield path + (i,), data[:i] + data[i + 1 :]
            for sub, smaller in _removals(value, path + (i,)):
                yield sub, data[:i] + [smaller] + data[i + 1 :]


def _leaf_path(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


EXTRA_RECORDS = {
    "calendar": {
        "two days": "days:\n  - {date: 2019-12-24, working: false, reason: Christmas Eve}\n"
        "  - {date: 2019-12-31, working: true, reason: a working day}\n"
    }
}
"""Records the shipped register lacks (its calendar has no day), so that every type has parts to drop."""


@pytest.mark.parametrize("folder", sorted(RECORD_FOLDERS))
def test_any_part_dropped_from_any_shipped_record_is_a_difference_at_its_place(folder):
    """Generic: for every shipped record, dropping any one field or list item (where the record stays
    valid) gives a difference whose path is that field or item, unless what was dropped is a default;
    the record against itself, none."""
    from pydantic import ValidationError

    model = RECORD_TYPES[folder]
    checked = 0
    texts = {path: path.read_text(encoding="utf-8") for path in sorted((DATA / folder).glob("*.yaml"))}
    texts.update(EXTRA_RECORDS.get(folder, {}))
    for path, text in texts.items():
        data = yaml.load(text, Loader=yaml.SafeLoader)
        data = {k: (str(v) if k == "version" else v) for k, v in data.items()}
        record = model.model_validate(data)
        assert compare(record, model.model_validate(data)) == []
        for where, smaller in _removals(data):
            try:
                other = model.model_validate(smaller)
            except ValidationError:
                continue
            leaves = [leaf["path"] for d in compare(record, other) for leaf in d.leaves]
            if other.model_dump() == record.model_dump():  # a default dropped: the same record
                assert leaves == [], (path, where)
                continue
            dropped = _leaf_path(where)
            assert leaves and all(leaf.startswith(dropped.rsplit("[", 1)[0]) for leaf in leaves), (path, where)
            checked += 1
    assert checked > 0


def test_every_list_of_items_has_a_noun():
    """Items of every list field of every record type are named (events by their own words): an
    item that is a record, or a value (an impacted party)."""
    from pydantic import BaseModel

    lists = set()
    for model in RECORD_TYPES.values():
        for name, info in model.model_fields.items():
            args = getattr(info.annotation, "__args__", ())
            if getattr(info.annotation, "__origin__", None) is list and name != "events":
                assert any(
                    (isinstance(a, type) and issubclass(a, BaseModel)) or getattr(a, "__origin__", None) for a in args
                ), name
                lists.add(name)
    assert lists == set(ITEM_NOUNS)


# --- history and changes in a real repository ----------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_register_repo(tmp_path / "register")


def test_a_note_edit_is_shown_by_changes_and_history(repo: Path, cli):
    path = repo / "data" / "modifications" / "SECMP0007.yaml"
    path.write_text(path.read_text().replace("note: Awaiting IA request", "note: Awaiting | the *IA*"))
    data = str(repo / "data")
    shown = cli("--data", data, "changes", "--base", "main").stdout
    assert shown.endswith("note 'Awaiting IA request' → 'Awaiting | the *IA*'\n")
    md = cli("--data", data, "changes", "--base", "main", "--format", "md").stdout
    assert (
        "| modification SECMP0007 | changed DCC status No outstanding assessment request on or before 2 May 2019 "
        "(Appendix A table 3): note 'Awaiting IA request' → 'Awaiting \\| the \\*IA\\*' |  |"
    ) in md
    git(repo, "commit", "-qam", "SECMP0007: the note as printed")
    log = cli("--data", data, "history", "SECMP0007").stdout.splitlines()
    assert log[0].endswith("SECMP0007: the note as printed")
    assert log[1].endswith("note 'Awaiting IA request' → 'Awaiting | the *IA*'")


def test_history_takes_any_records_id(repo: Path, cli):
    path = repo / "data" / "releases" / "2019-11.yaml"
    path.write_text(path.read_text() + "  - date: 2019-11-24\n    decided: 2019-06-12\n")
    git(repo, "commit", "-qam", "November 2019 release moved")
    data = str(repo / "data")
    log = cli("--data", data, "history", "2019-11").stdout.splitlines()
    assert log[1].strip() == "release 2019-11: added planned date 24 November 2019 (decided 12 June 2019)"
    assert log[3].strip() == "release 2019-11: new record"
    for ident, label in [
        ("2019-05", "report 2019-05"),
        ("6.11", "SEC version 6.11"),
        ("overrides", "calendar overrides"),
        ("2019-05-01-working-group", "meeting 2019-05-01 working-group"),
        ("58", "modification SECMP0058"),
    ]:
        result = cli("--data", data, "history", ident)
        assert result.exit_code == 0 and result.stdout.splitlines()[1].strip().startswith(f"{label}: new record"), ident


def test_an_id_two_types_share_is_refused_with_both_named(repo: Path, cli):
    release = repo / "data" / "releases" / "2019-05.yaml"
    release.write_text("id: 2019-05\nname: May 2019 SEC Release\nwhen_text: May 2019\n")
    data = repo / "data"
    with pytest.raises(UnknownId) as refused:
        find_record(data, "2019-05")
    assert str(refused.value) == (
        "'2019-05' names more than one record: the release 2019-05 ('release:2019-05') "
        "and the report 2019-05 ('report:2019-05'); give the one you mean as type:id"
    )
    assert find_record(data, "release:2019-05").path == release
    assert find_record(data, "report:2019-05").path == data / "reports" / "2019-05.yaml"
    result = cli("--data", str(data), "history", "2019-05")
    assert result.exit_code == 1 and "give the one you mean as type:id" in result.stderr


@pytest.mark.parametrize(
    "ident, message",
    [
        ("nosuch", "no record 'nosuch' in the register"),
        ("release:2019-05", "no release record '2019-05' in the register"),
        (
            "rel:2019-11",
            "'rel' in 'rel:2019-11' is not a record type; expected one of: modification, release, "
            "sec-version, meeting, report, calendar",
        ),
    ],
)
def test_unknown_ids_are_refused(ident, message):
    with pytest.raises(UnknownId, match=message):
        find_record(DATA, ident)


# --- text for a terminal or a CI log: what a pull request wrote cannot start a line or steer a terminal


def test_history_text_escapes_a_commits_author_and_subject(repo: Path, cli):
    path = repo / "data" / "modifications" / "SECMP0007.yaml"
    path.write_text(path.read_text().replace("note: Awaiting IA request", "note: Awaiting the IA"))
    git(repo, "commit", "-qam", "SECMP0007\x1b[2K\r::error::forged", env={"GIT_AUTHOR_NAME": "Mallory\x1b]0;owned\x07"})
    out = cli("--data", str(repo / "data"), "history", "SECMP0007").stdout
    assert "\x1b" not in out and "\r" not in out and "\x07" not in out
    assert "Mallory\\x1b]0;owned" in out and "SECMP0007\\x1b[2K\\r::error::forged" in out


def test_changes_text_names_a_file_with_a_line_break_on_one_line(repo: Path, cli):
    (repo / "templates").mkdir()
    (repo / "templates" / "x\n::error file=data::forged.md").write_text("x\n")
    out = cli("--data", str(repo / "data"), "changes", "--base", "main").stdout
    assert "forged" in out and not any(line.startswith("::") for line in out.splitlines())


def test_an_error_message_quoting_a_pull_requests_text_stays_one_line(repo: Path, cli):
    elsewhere = repo.parent / "x\n::error::forged\x1b[2K.md"
    elsewhere.write_text("x\n")
    (repo / "templates").mkdir()
    (repo / "templates" / "report.md").symlink_to(elsewhere)
    result = cli("--data", str(repo / "data"), "report", "--month", "2019-05", "--format", "md", "-o", "-")
    assert result.exit_code == 1 and "forged" in result.stderr
    assert "\x1b" not in result.stderr and not any(line.startswith("::") for line in result.stderr.splitlines())
