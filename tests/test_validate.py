"""Cross-record checks, and the validate command over good and broken registers."""

from __future__ import annotations

import json
import re

import pytest
from conftest import DATA, FIXTURES, run_in_process

from secstatus.register.checks import validate

BROKEN = FIXTURES / "broken-register"

# The full list of what the broken register must produce, in order (check-peps style):
# a check that stops firing, or a new one that starts, fails this test.
EXPECTED_BROKEN = [
    ("calendar/overrides.yaml", 6, 11, "error", "duplicate-day"),
    ("calendar/overrides.yaml", 9, 10, "error", "horizon-twice"),
    ("drafts", 1, 1, "error", "unknown-folder"),
    ("meetings/2019-03-06-working-group.yaml", 1, 1, "error", "file-name"),
    ("modifications/SECMP0091.yaml", 1, 1, "error", "symlink"),
    ("modifications/SECMP0092.yaml", 13, 14, "error", "plan-order"),
    ("modifications/SECMP0092.yaml", 14, 5, "error", "plan-order"),
    ("modifications/SECMP0092.yaml", 17, 11, "error", "plan-before-decided"),
    ("modifications/SECMP0093.yaml", 9, 13, "warning", "dcc-status-stale"),
    ("modifications/SECMP0093.yaml", 13, 15, "warning", "stale-acknowledgement"),
    ("modifications/SECMP0094.yaml", 7, 13, "error", "closes-before-issued"),
    ("modifications/SECMP0094.yaml", 12, 11, "warning", "duplicate-event"),
    ("modifications/SECMP0095.yaml", 1, 1, "error", "empty-file"),
    ("modifications/SECMP0096.yaml", 2, 11, "error", "encoding"),
    ("modifications/SECMP0097.yaml", 2, 7, "error", "tab"),
    ("modifications/SECMP0098.yaml~", 1, 1, "warning", "ignored-file"),
    ("modifications/SECMP0099.yaml", 2, 5, "error", "duplicate-id"),
    ("modifications/SECMP0099.yaml", 2, 5, "error", "file-name"),
    ("modifications/SECMP0099.yaml", 8, 11, "error", "unknown-meeting"),
    ("modifications/SECMP0099.yaml", 11, 11, "error", "process-order"),
    ("modifications/SECMP0099.yaml", 12, 11, "error", "event-order"),
    ("modifications/SECMP0099.yaml", 14, 14, "error", "unknown-release"),
    ("modifications/SECMP0099.yaml", 15, 11, "error", "timeline"),
    ("modifications/SECMP0099.yaml", 16, 18, "error", "date-window"),
    ("modifications/SECMP0099.yaml", 19, 11, "error", "event-order"),
    ("modifications/SECMP0099.yaml", 21, 13, "warning", "dcc-status-spelling"),
    ("modifications/SECMP0099.yaml", 22, 14, "warning", "printed-date"),
    ("modifications/SECMP0099.yaml", 26, 13, "warning", "assessment-dates"),
    ("modifications/SECMP0099.yaml", 29, 13, "warning", "assessment-not-progressed"),
    ("modifications/notes.txt", 1, 1, "error", "not-a-record"),
    ("releases/2019-06.yaml", 5, 5, "error", "release-plan"),
    ("reports/2019-06.yaml", 3, 7, "error", "report-before-cut-off"),
    ("sec-versions/6.99.yaml", 4, 15, "error", "unknown-modification"),
]


def test_broken_register_gives_exactly_the_expected_diagnostics():
    _, diagnostics = validate(BROKEN)
    got = [(d.path.split("broken-register/")[1], d.line, d.column, d.severity, d.code) for d in diagnostics]
    assert got == EXPECTED_BROKEN


def test_shipped_register_has_no_errors_and_acknowledges_the_papers_anomalies():
    _, diagnostics = validate(DATA)
    assert [d.severity for d in diagnostics] == ["note"] * 11
    flagged = {(d.path.rsplit("/", 1)[1], d.code) for d in diagnostics}
    assert flagged == {
        ("SECMP0009.yaml", "printed-date"),  # '03/012019'
        ("SECMP0053.yaml", "assessment-dates"),  # target before its request
        ("SECMP0058.yaml", "dcc-status-spelling"),  # 'Implentation'
        ("SECMP0024.yaml", "assessment-not-progressed"),
        ("SECMP0063.yaml", "assessment-not-progressed"),
        # decisions whose Modification Report no source dates (the process's order)
        ("SECMP0009.yaml", "process-order"),
        ("SECMP0025.yaml", "process-order"),
        ("SECMP0043.yaml", "process-order"),
        ("SECMP0049.yaml", "process-order"),
        ("SECMP0058.yaml", "process-order"),
        ("SECMP0060.yaml", "process-order"),
    }


def test_timeline_contradictions_are_errors(data_copy):
    path = data_copy / "modifications" / "SECMP0042.yaml"  # withdrawn
    path.write_text(path.read_text() + "  - kind: authority-decision\n    date: 2019-06-01\n    outcome: approved\n")
    _, diagnostics = validate(data_copy)
    assert [(d.code, d.message) for d in diagnostics if d.severity == "error"] == [
        ("timeline", "'authority-decision' after the modification was closed (withdrawn)")
    ]


def test_implemented_before_approval_is_an_error(data_copy):
    path = data_copy / "modifications" / "SECMP0046.yaml"
    path.write_text(path.read_text() + "  - kind: implemented\n    date: 2019-06-01\n")
    _, diagnostics = validate(data_copy)
    assert [d.message for d in diagnostics if d.severity == "error"] == ["implemented before it was approved"]


def test_two_files_for_one_proposal_number(data_copy):
    (data_copy / "modifications" / "MP071.yaml").write_text("id: MP071\ntitle: Second-Comer Charging\n")
    _, diagnostics = validate(data_copy)
    assert [d.code for d in diagnostics if d.severity == "error"] == ["duplicate-id"]


def test_removing_a_release_breaks_its_members(data_copy):
    (data_copy / "releases" / "2019-06.yaml").unlink()
    _, diagnostics = validate(data_copy)
    errors = [(d.path.rsplit("/", 1)[1], d.code) for d in diagnostics if d.severity == "error"]
    assert errors == [("SECMP0058.yaml", "unknown-release")]


def test_validate_command_text_json_and_exit_codes(cli):
    ok = cli("--data", str(DATA), "validate")
    assert ok.exit_code == 0 and ok.stdout == ""
    assert "0 errors, 0 warnings (11 acknowledged)" in ok.stderr
    notes = cli("--data", str(DATA), "validate", "--show-acknowledged")
    assert "SECMP0058.yaml:22:13: note: 'implentation'" in notes.stdout
    assert "(acknowledged: DCC's status as the paper prints it, typo included) [dcc-status-spelling]" in notes.stdout
    assert cli("--data", str(DATA), "validate", "--strict").exit_code == 0
    broken = cli("--data", str(BROKEN), "validate", "--format", "json")
    assert broken.exit_code == 1
    rows = json.loads(broken.stdout)
    assert len(rows) == len(EXPECTED_BROKEN)
    assert set(rows[0]) == {"path", "line", "column", "severity", "code", "message"}


def test_validate_paths_limits_the_report(cli):
    result = cli("--data", str(BROKEN), "validate", str(BROKEN / "releases"))
    assert result.exit_code == 1
    assert result.stdout.count("\n") == 1 and "release-plan" in result.stdout


def test_bad_register_never_gives_a_traceback():
    result = run_in_process("--data", str(BROKEN), "list")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "SECMP0096.yaml:2:11: error: not UTF-8" in result.stderr


def test_missing_data_folder_is_a_clear_error(tmp_path):
    result = run_in_process("list", cwd=tmp_path)
    assert result.returncode == 1
    assert "no data/ folder" in result.stderr and "Traceback" not in result.stderr


def test_strict_fails_on_a_new_warning_and_on_a_stale_acknowledgement(cli, data_copy):
    other = data_copy / "modifications" / "SECMP0046.yaml"
    other.write_text(
        other.read_text() + "  - kind: dcc-status\n    date: 2019-06-05\n    group: assessment\n"
        "    status: Awaiting PA requestt\n"
    )
    strict = cli("--data", str(data_copy), "validate", "--strict")
    assert strict.exit_code == 1 and strict.stdout.count("warning:") == 1
    assert "SECMP0046.yaml" in strict.stdout and "0 errors, 1 warning (11 acknowledged)" in strict.stderr
    assert cli("--data", str(data_copy), "validate").exit_code == 0

    other.write_text(other.read_text().replace("requestt", "request"))
    path = data_copy / "modifications" / "SECMP0053.yaml"
    text = path.read_text()
    path.write_text(text.replace("    target: 2019-01-23\n", "    target: 2019-02-12\n"))
    stale = cli("--data", str(data_copy), "validate", "--strict")
    assert stale.exit_code == 1
    assert (
        "SECMP0053.yaml:20:15: warning: acknowledges 'assessment-dates', but there is no such warning" in stale.stdout
    )
    assert "[stale-acknowledgement]" in stale.stdout


def test_an_acknowledgement_excuses_only_the_item_it_sits_on(data_copy):
    path = data_copy / "modifications" / "SECMP0058.yaml"
    text = path.read_text()
    # moved from the DCC status to the decision event (which acknowledges its own process-order):
    # the warning is back, and the acknowledgement is stale
    block = text[text.rindex("    acknowledged:") :]
    item = block.split("\n", 1)[1]
    path.write_text(
        text.replace(block, "").replace("      - code: process-order\n", item + "      - code: process-order\n")
    )
    _, diagnostics = validate(data_copy)
    mine = [(d.severity, d.code) for d in diagnostics if d.path.endswith("SECMP0058.yaml")]
    assert sorted(mine) == [
        ("note", "process-order"),
        ("warning", "dcc-status-spelling"),
        ("warning", "stale-acknowledgement"),
    ]


NONCHARACTER_CASES = [
    ("title", r'"a \uFFFE b"'),
    ("title", r'"a \uFFFF b"'),
    ("title", r'"a \uFDD0 b"'),
    ("proposer", r'"a \uFDEF b"'),
    ("summary", r'"a \U0001FFFE b"'),
    ("summary", r'"a \U0010FFFF b"'),
    ("url", r'"https://a.example/\uFFFE"'),
    ("url", r'"https://a.example/\U0002FFFF"'),
    ("title", "raw \ufdd0 b"),
    ("title", '"a \\uD800 b"'),
    ("title", '"a \\uDBFF\\uDC00 b"'),
]


@pytest.mark.parametrize("field, value", NONCHARACTER_CASES)
def test_text_no_xml_document_can_hold_is_refused_with_its_own_code(cli, data_copy, field, value):
    """Through the real loader: escaped or raw, a noncharacter or a lone surrogate (which libyaml
    refuses as an escape) is an error at its place, before the site's feed could fail on it."""
    path = data_copy / "modifications" / "DP075.yaml"
    text = re.sub(rf"^{field}:.*\n(?:  .*\n)*", "", path.read_text(), flags=re.M)  # with its folded lines
    lines = text.splitlines(keepends=True)
    lines.insert(2, f"{field}: {value}\n")
    path.write_text("".join(lines), encoding="utf-8")
    result = cli("--data", str(data_copy), "validate", "--strict")
    assert result.exit_code == 1
    assert re.fullmatch(
        r"\S+/modifications/DP075\.yaml:3:\d+: error: .*(noncharacter|lone surrogate).* "
        r"\[noncharacter\]\n",
        result.stdout,
    ), result.stdout
    site = cli("--data", str(data_copy), "site", "-o", str(data_copy.parent / "site"), "--as-at", "2019-05-02")
    assert site.exit_code == 1 and "[noncharacter]" in site.stderr + site.stdout


@pytest.mark.parametrize("char", ["\ufdcf", "\ufdf0", "\ufffd", "\U0001fffd", "\U00010000"])
def test_the_neighbours_of_the_noncharacters_are_text(cli, data_copy, char):
    path = data_copy / "modifications" / "DP075.yaml"
    path.write_text(re.sub(r"^title:.*$", f"title: A {char} title", path.read_text(), flags=re.M), encoding="utf-8")
    assert cli("--data", str(data_copy), "validate", "--strict").exit_code == 0
