"""`secstatus set`: one field of any record, as text, validated with the whole register first.

The fields come from the models (a field added to a model is settable with nothing else to
change); only the field's own lines change; a refused value leaves the file byte for byte; the
change reads back in `changes` with its old and new value.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

import pytest
from conftest import DATA, git, make_register_repo

from secstatus.domain.model import RECORD_FOLDERS, Modification, RecordType
from secstatus.editing.edit import EditError, Settable, _with_field, settable_fields


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def load(data: Path):
    from secstatus.register.checks import validate

    register, diagnostics = validate(data)
    assert [d for d in diagnostics if d.severity == "error"] == [], diagnostics
    return register


# --- which fields: from the models ------------------------------------------------------------


def test_every_single_value_field_of_every_record_type_is_settable_but_its_identity():
    for record_type in RECORD_FOLDERS.values():
        fields = settable_fields(record_type)
        for name in record_type.model.model_fields:
            nested = name in ("events", "plan", "assessments", "acknowledged", "planned", "days")
            assert (name in fields) == (not nested and name not in record_type.identity), (record_type.name, name)
    assert settable_fields(RECORD_FOLDERS["modifications"])["route"].choices == (
        "authority-led",
        "authority",
        "self-governance",
        "fast-track",
        "urgent",
    )
    assert settable_fields(RECORD_FOLDERS["modifications"])["title"].required


@pytest.mark.parametrize("folder", [f for f, t in RECORD_FOLDERS.items() if t.file_id])
def test_the_identity_of_each_type_is_what_its_file_is_named_after(folder):
    """``RecordType.identity`` holds exactly the fields whose change renames the file."""
    from conftest import ROOT

    from secstatus.editing.formatdoc import EXAMPLES
    from secstatus.register.load import load_file

    record_type = RECORD_FOLDERS[folder]
    path = ROOT / EXAMPLES[folder]
    record, _, problems = load_file(path, folder, EXAMPLES[folder])
    assert problems == []
    renaming = set()
    for name, field in settable_fields(
        RecordType(record_type.name, record_type.label, folder, record_type.model, record_type.file_id)
    ).items():
        other = {"date": __import__("datetime").date(2001, 2, 3), "int": 99, "bool": True}.get(field.kind, "x9")
        if field.kind == "choice":
            other = next(c for c in field.choices if c != getattr(record, name))
        changed = record.model_copy(update={name: [other] if field.many else other})
        if record_type.file_id(changed) != record_type.file_id(record):
            renaming.add(name)
    assert renaming == set(record_type.identity)


class LaterModification(Modification):
    """A modification as a later issue grows it: a field of a choice, declared after every other."""

    category: Literal["a", "b"] | None = None


LATER = RecordType("modification", "modification", "modifications", LaterModification, lambda r: r.id, identity=("id",))


def test_a_field_added_to_a_model_is_settable_with_nothing_else_to_change():
    """The SEC pages' fields (issue 21) came to ``set`` from the model alone, as a later one does."""
    fields = settable_fields(LATER)
    assert fields["lead_analyst"] == Settable("lead_analyst", "text")
    assert fields["impacted_parties"] == Settable("impacted_parties", "text", many=True)
    assert fields["latest_update"] == Settable("latest_update", "dated")
    assert fields["category"] == Settable("category", "choice", ("a", "b"))
    text = (DATA / "modifications" / "SECMP0007.yaml").read_text(encoding="utf-8")
    order = list(LaterModification.model_fields)
    after = _with_field(text, Path("x.yaml"), order, "category", "b")
    after = _with_field(after, Path("x.yaml"), order, "impacted_parties", ["Large Suppliers", "DCC"])
    after = _with_field(after, Path("x.yaml"), order, "lead_analyst", "Ann Analyst")
    import yaml

    data = yaml.safe_load(after)
    assert data["impacted_parties"] == ["Large Suppliers", "DCC"] and data["lead_analyst"] == "Ann Analyst"
    LaterModification.model_validate(data, strict=False)
    # a field declared after every other goes last; the lines before it stay
    assert _with_field(text, Path("x.yaml"), order, "category", "b").startswith(text.rstrip("\n") + "\n")
    # the page fields go where the model declares them: the lead analyst after the proposer
    keys = list(data)
    assert keys.index("lead_analyst") == keys.index("proposer") + 1
    assert keys.index("impacted_parties") < keys.index("url")
    again = _with_field(after, Path("x.yaml"), order, "impacted_parties", ["Network Parties"])
    assert yaml.safe_load(again)["impacted_parties"] == ["Network Parties"]
    without = _with_field(
        _with_field(text, Path("x.yaml"), order, "category", "b"), Path("x.yaml"), order, "lead_analyst", "Ann Analyst"
    )
    assert _with_field(again, Path("x.yaml"), order, "impacted_parties", None) == without


# --- as text: the field's own lines change, every other byte stays -----------------------------

HEAD = "# A comment at the top.\nid: SECMP0058\ntitle: Changes to the governance of the Self-Service Interface\n"
EVENTS = (DATA / "modifications" / "SECMP0058.yaml").read_text(encoding="utf-8").split("\nevents:", 1)[1]
EVENTS = "events:" + EVENTS
"""SECMP0058's events as shipped: each layout below is its file's head written another way."""

LAYOUTS = {
    "plain": (HEAD + "route: self-governance\n" + EVENTS, "route: authority\n"),
    "inline-comment": (
        HEAD + "route: self-governance  # from the proposal form\n" + EVENTS,
        "route: authority  # from the proposal form\n",
    ),
    "quoted": (HEAD + "route: 'self-governance'\n" + EVENTS, "route: authority\n"),
    "crlf": ((HEAD + "route: self-governance\n" + EVENTS).replace("\n", "\r\n"), "route: authority\r\n"),
    "no-final-newline": (HEAD + EVENTS + "route: self-governance", "route: authority\n"),
    "absent": (HEAD + EVENTS, "route: authority\n"),
    "absent-with-comment": (HEAD + "# What happened:\n" + EVENTS, "route: authority\n"),
    "placeholder": (HEAD + EVENTS + "# route: self-governance   # or authority, once known\n", "route: authority\n"),
    "empty": (HEAD + "route:\n" + EVENTS, "route: authority\n"),
    "value-on-next-line": (HEAD + "route:\n  self-governance\n" + EVENTS, "route: authority\n"),
    "document-markers": ("---\n" + HEAD + EVENTS + "...\n", "route: authority\n"),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_set_changes_only_the_fields_lines(cli, data_copy: Path, layout: str):
    text, line = LAYOUTS[layout]
    path = data_copy / "modifications" / "SECMP0058.yaml"
    path.write_bytes(text.encode())
    result = cli("--data", str(data_copy), "set", "SECMP0058", "route", "authority")
    assert result.exit_code == 0, result.stderr
    after = path.read_bytes().decode()
    old, new = text.splitlines(keepends=True), after.splitlines(keepends=True)
    if layout == "no-final-newline":
        old[-1] += "\n"  # the only change allowed to a line that is not the field's
    assert [x for x in new if x not in old] == [line]
    assert all("route" in x or x.strip() == "self-governance" for x in old if x not in new)
    if layout == "document-markers":
        assert (new[0], new[-1]) == ("---\n", "...\n")
    if "absent" in layout:
        at = new.index(line)
        assert new[at + 1] == ("# What happened:\n" if layout == "absent-with-comment" else "events:\n")
    assert load(data_copy).modifications["SECMP0058"].route == "authority"


def test_a_new_field_goes_where_the_model_declares_it(cli, data_copy: Path):
    """SECMP0055 has a title, then a url: its route goes between them."""
    path = data_copy / "modifications" / "SECMP0055.yaml"
    before = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert cli("--data", str(data_copy), "set", "55", "route", "self-governance").exit_code == 0
    after = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(before) if line.startswith("url:"))
    assert after == before[:at] + ["route: self-governance\n"] + before[at:]


def test_a_field_added_last_goes_before_the_comments_and_marker_that_end_the_file(cli, data_copy: Path):
    path = data_copy / "releases" / "eu-exit.yaml"
    text = "---\n" + path.read_text(encoding="utf-8") + "# The end.\n...\n"
    path.write_text(text, encoding="utf-8")
    assert cli("--data", str(data_copy), "set", "eu-exit", "source", "the May 2019 paper").exit_code == 0
    assert path.read_text(encoding="utf-8") == text.replace("# The end.", "source: the May 2019 paper\n# The end.")


def test_a_summary_in_a_folded_block_is_replaced_whole_and_the_next_field_stays(cli, data_copy: Path):
    path = data_copy / "modifications" / "DP075.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "source: the May 2019 paper\n", encoding="utf-8")
    summary = "Suppliers must be told of meter vulnerabilities.\nA second paragraph."
    assert cli("--data", str(data_copy), "set", "DP075", "summary", summary).exit_code == 0
    after = path.read_text(encoding="utf-8")
    assert after.endswith(
        "summary: |-\n  Suppliers must be told of meter vulnerabilities.\n  A second paragraph.\n"
        "source: the May 2019 paper\n"
    )
    assert after.startswith(text[: text.index("summary:")])
    assert load(data_copy).modifications["DP075"].summary == summary


@pytest.mark.parametrize(
    "args, attribute, value",
    [
        (["DP075", "title", "Third-party: metering"], ("modifications", "DP075", "title"), "Third-party: metering"),
        (["SECMP0007", "proposer", "John Noad"], ("modifications", "SECMP0007", "proposer"), "John Noad"),
        (["SECMP0007", "raised", "2016-03-02"], ("modifications", "SECMP0007", "raised"), "2016-03-02"),
        (["MP071", "url", "https://example.org/mp071"], ("modifications", "DP071", "url"), "https://example.org/mp071"),
        (["SECMP0007", "title", "2019-13-01"], ("modifications", "SECMP0007", "title"), "2019-13-01"),
        (["SECMP0007", "title", "yes"], ("modifications", "SECMP0007", "title"), "yes"),
        (
            ["2019-11", "name", "November 2019 SEC Release (moved)"],
            ("releases", "2019-11", "name"),
            "November 2019 SEC Release (moved)",
        ),
        (["eu-exit", "standalone", "false"], ("releases", "eu-exit", "standalone"), False),
        (["6.11", "effective", "2019-04-24"], ("sec_versions", "6.11", "effective"), "2019-04-24"),
        (["report:2019-05", "author", "Ann Analyst"], ("reports", "2019-05", "author"), "Ann Analyst"),
        (["report:2019-05", "paper", "8"], ("reports", "2019-05", "paper"), 8),
    ],
)
def test_set_any_field_of_any_record(cli, data_copy: Path, args, attribute, value):
    result = cli("--data", str(data_copy), "set", *args)
    assert result.exit_code == 0, result.stderr
    register = load(data_copy)
    collection, ident, name = attribute
    got = getattr(getattr(register, collection)[ident], name)
    assert (got.isoformat() if hasattr(got, "isoformat") else got) == value


def test_a_meeting_is_set_by_its_file_id(cli, data_copy: Path):
    result = cli("--data", str(data_copy), "set", "2019-05-10-panel", "number", "69")
    assert result.exit_code == 0, result.stderr
    assert {m.date.isoformat(): m.number for m in load(data_copy).meetings if m.body == "panel"}["2019-05-10"] == 69


@pytest.mark.parametrize(
    "args, message",
    [
        (["SECMP0055", "route", "path-2"], "route: 'path-2' is not one of authority-led, authority"),
        (["SECMP0055", "raised", "1 May 2019"], "raised: '1 May 2019' is not a date YYYY-MM-DD"),
        (["SECMP0055", "url", "www.example.org"], "url: 'www.example.org' is not a web address"),
        (["SECMP0055", "title", "   "], "title: holds only spaces"),
        (["SECMP0055", "title", "two\nlines"], "a line break or control character"),
        (["SECMP0055", "id", "SECMP0099"], "'id' names the file (modifications/SECMP0055.yaml)"),
        (["SECMP0055", "assessments", "PA"], "DCC assessments are recorded, not set: 'secstatus record SECMP0055"),
        (["2019-11", "planned", "2019-11-24"], "a release's dates are moved, not set: 'secstatus release move 2019-11"),
        (["2019-05-10-panel", "date", "2019-05-11"], "'date' names the file (meetings/2019-05-10-panel.yaml)"),
        (["eu-exit", "when_text", "--unset"], "give 'planned' dates or a 'when_text'"),
        (["SECMP0007", "raised", "2019-06-01"], "is before the modification was raised"),
        (["SECMP0055", "route", "--unset"], "modification SECMP0055 has no 'route' to unset"),
        (["SECMP0058", "route", "self-governance"], "modification SECMP0058: 'route' is already 'self-governance'"),
        (["6.11", "designation", "BEIS"], "give exactly one cause: 'modification' or 'designation'"),
        (
            ["report:2019-05", "date", "2019-04-30"],
            "on or before its statistics' cut-off 2019-04-30; change it with 'secstatus set report:2019-05 date DATE'",
        ),
        (["release:2019-05", "name", "X"], "no release record '2019-05' in the register"),
        (["overrides", "days", "x"], "'days' holds items, not values"),
        (
            ["SECMP0055", "latest_update", "Met"],
            "'latest_update' is dated: give its day and its text (secstatus set SECMP0055 latest_update --date DATE",
        ),
        (
            ["SECMP0055", "latest_update", "--date", "2019-05-01", "Met", "twice"],
            "'latest_update' takes one text, not 2",
        ),
        (["SECMP0055", "latest_update", "--date", "2019-05-01", " "], "latest_update: the text is empty"),
        (["SECMP0055", "issue", "--date", "2019-05-01", "Met"], "'issue' is not dated; --date is for a dated field"),
        (["SECMP0055", "impacted_parties", "DCC", ""], "impacted_parties[1]: must not be empty"),
        (["SECMP0055", "affected_documents", "Section\nD"], "a line break or control character"),
    ],
)
def test_a_refused_value_exits_1_and_leaves_every_file_byte_for_byte(cli, data_copy: Path, args, message):
    before = digest(data_copy)
    result = cli("--data", str(data_copy), "set", *args)
    assert result.exit_code == 1, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert digest(data_copy) == before


# --- the SEC pages' fields (issue 21): lists and a dated text -----------------------------------


def test_the_page_fields_are_set_as_the_model_declares_them(cli, data_copy: Path):
    """A list field takes several values, one an item; the latest update takes --date and its text,
    written as a block mapping with its lines kept; the lead analyst goes after the proposer."""
    data = ["--data", str(data_copy)]
    assert cli(*data, "set", "SECMP0062", "lead_analyst", "Ann Analyst").exit_code == 0
    assert (
        cli(*data, "set", "SECMP0062", "impacted_parties", "Large Suppliers", "Small Suppliers", "DCC").exit_code == 0
    )
    assert cli(*data, "set", "SECMP0062", "affected-documents", "Section L", "Appendix L").exit_code == 0
    assert cli(*data, "set", "SECMP0062", "issue", "Certificates go\nastray.").exit_code == 0
    result = cli(*data, "set", "SECMP0062", "latest_update", "--date", "2019-05-01", "The IA is due.\nThen a vote.")
    assert result.exit_code == 0, result.stderr
    assert (
        "modification SECMP0062: latest_update: (none) → {date 1 May 2019, text 'The IA is due.\\nThen a vote.'}"
        in result.stderr
    )
    mod = load(data_copy).modifications["SECMP0062"]
    assert mod.lead_analyst == "Ann Analyst"
    assert mod.impacted_parties == ["Large Suppliers", "Small Suppliers", "DCC"]
    assert mod.affected_documents == ["Section L", "Appendix L"]
    assert mod.issue == "Certificates go\nastray."
    assert (mod.latest_update.date.isoformat(), mod.latest_update.text) == (
        "2019-05-01",
        "The IA is due.\nThen a vote.",
    )
    text = (data_copy / "modifications" / "SECMP0062.yaml").read_text(encoding="utf-8")
    assert "latest_update:\n  date: 2019-05-01\n  text: |-\n    The IA is due.\n    Then a vote.\n" in text
    assert "impacted_parties:\n  - Large Suppliers\n  - Small Suppliers\n  - DCC\n" in text
    keys = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert keys.index("issue") < keys.index("impacted_parties") < keys.index("latest_update") < keys.index("events")
    # a later update replaces the earlier one's lines, and only them; the same one again is refused
    result = cli(*data, "set", "SECMP0062", "latest_update", "--date", "2019-06-05", "Voted.")
    assert result.exit_code == 0, result.stderr
    after = (data_copy / "modifications" / "SECMP0062.yaml").read_text(encoding="utf-8")
    assert after == text.replace(
        "  date: 2019-05-01\n  text: |-\n    The IA is due.\n    Then a vote.\n", "  date: 2019-06-05\n  text: Voted.\n"
    )
    again = cli(*data, "set", "SECMP0062", "latest_update", "--date", "2019-06-05", "Voted.")
    assert again.exit_code == 1 and "'latest_update' is already {date 5 June 2019, text 'Voted.'}" in again.stderr
    assert cli(*data, "set", "SECMP0062", "latest_update", "--unset").exit_code == 0
    assert load(data_copy).modifications["SECMP0062"].latest_update is None


def test_set_help_shows_how_a_dated_field_is_given(cli):
    lines = cli("set", "--help").stdout.splitlines()
    assert any(line.split() == ["latest_update", "--date", "DATE", "TEXT"] for line in lines)
    assert any(line.split() == ["impacted_parties", "TEXT..."] for line in lines)


def test_text_with_a_tab_or_line_breaks_reads_back_exactly(cli, data_copy: Path):
    for summary in (
        "one\ttwo\nthree",
        "ends with a break\n",
        "two breaks\n\n",
        "  indented first\nline",
        "a 'quote' and a \"double\" # not a comment\nline",
    ):
        result = cli("--data", str(data_copy), "set", "SECMP0007", "summary", summary)
        assert result.exit_code == 0, (summary, result.stderr)
        assert load(data_copy).modifications["SECMP0007"].summary == summary


def test_dry_run_shows_the_diff_and_writes_nothing(cli, data_copy: Path):
    before = digest(data_copy)
    result = cli("--data", str(data_copy), "set", "SECMP0007", "proposer", "John Noad", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "-proposer: Mark Pitchford\n+proposer: John Noad\n" in result.stdout
    assert "dry run: modification SECMP0007: proposer: 'Mark Pitchford' → 'John Noad' (not written)" in result.stderr
    assert digest(data_copy) == before


def test_changes_and_history_show_the_old_and_the_new_value(tmp_path: Path, cli):
    repo = make_register_repo(tmp_path / "register")
    data = str(repo / "data")
    assert cli("--data", data, "set", "SECMP0007", "proposer", "John Noad").exit_code == 0
    assert cli("--data", data, "set", "SECMP0055", "route", "authority").exit_code == 0
    assert cli("--data", data, "set", "DP075", "url", "--unset").exit_code == 0
    shown = cli("--data", data, "changes", "--base", "main").stdout.splitlines()
    assert shown == [
        "modification DP075: url: 'https://smartenergycodecompany.co.uk/modifications/"
        "third-party-metering-service-providers/' → (none)",
        "modification SECMP0007: proposer: 'Mark Pitchford' → 'John Noad'",
        "modification SECMP0055: route: (none) → 'authority'",
    ]
    git(repo, "commit", "-qam", "SECMP0007's proposer, as its page now names him")
    log = cli("--data", data, "history", "SECMP0007").stdout.splitlines()
    assert log[1].strip() == "modification SECMP0007: proposer: 'Mark Pitchford' → 'John Noad'"


def test_help_lists_the_fields_of_each_record_type_from_the_models(cli):
    result = cli("set", "--help")
    assert result.exit_code == 0
    lines = [line.removeprefix("  ") for line in result.stdout.splitlines()]  # click indents the help
    for record_type in RECORD_FOLDERS.values():
        fields = settable_fields(record_type)
        if not fields:
            continue
        at = lines.index(f"  {record_type.name}:")
        listed = []
        for line in lines[at + 1 :]:
            if not line.startswith("    "):
                break
            listed.append(line.split()[0])
        assert listed == list(fields), record_type.name
    assert "Events are not set: they are recorded ('secstatus record')" in " ".join(result.stdout.split())
    assert "--unset" in result.stdout


def test_a_value_with_several_words_must_be_quoted(register, tmp_path):
    from secstatus.editing.edit import set_field

    with pytest.raises(EditError, match=r"'title' takes one value, not 3; quote a value with spaces"):
        set_field(register, "SECMP0007", "title", ["Firmware", "updates", "again"])
