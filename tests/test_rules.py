"""Cross-record rules added for edits that should be refused or flagged."""

from __future__ import annotations

from pathlib import Path

from secstatus.register.checks import validate


def codes_after(data: Path, rel: str, text: str) -> list[tuple[str, str, int]]:
    path = data / rel
    _, diagnostics = validate(data, {path: text.encode()})
    return [(d.severity, d.code, d.line) for d in diagnostics if d.path.endswith(rel)]


def test_a_consultation_that_closes_before_it_opens_is_an_error(data_copy: Path):
    text = (
        "id: SECMP0080\ntitle: t\nevents:\n  - kind: refinement-consultation\n    date: 2019-05-03\n"
        "    closes: 2019-05-01\n"
    )
    assert codes_after(data_copy, "modifications/SECMP0080.yaml", text) == [("error", "closes-before-issued", 6)]


def test_a_repeated_event_is_a_warning(data_copy: Path):
    text = (
        "id: SECMP0080\ntitle: t\nevents:\n  - kind: on-hold\n    date: 2019-05-03\n"
        "  - kind: resumed\n    date: 2019-05-04\n  - kind: resumed\n    date: 2019-05-04\n"
    )
    found = codes_after(data_copy, "modifications/SECMP0080.yaml", text)
    assert ("warning", "duplicate-event", 8) in found


def test_a_report_dated_before_its_cut_off_is_an_error(data_copy: Path):
    text = "month: 2019-06\ndate: 2019-05-31\nauthor: A\n"
    assert codes_after(data_copy, "reports/2019-06.yaml", text) == [("error", "report-before-cut-off", 2)]


def test_record_prints_the_warnings_its_edit_brings_in(cli, data_copy: Path):
    args = [
        "--data",
        str(data_copy),
        "record",
        "SECMP0046",
        "dcc-status",
        "--date",
        "2019-05-03",
        "--group",
        "no-assessment-requested",
        "--status",
        "Awaiting PA requestt",
    ]
    first = cli(*args)
    assert first.exit_code == 0
    assert "warning: 'requestt' in DCC status 'Awaiting PA requestt'" in first.stderr
    assert "[printed-date]" not in first.stderr  # the register's own older warnings are not repeated
    second = cli(*args)
    assert second.exit_code == 0
    assert "[duplicate-event]" in second.stderr and second.stderr.count("[dcc-status-spelling]") == 1


def test_register_text_cannot_start_a_line_in_validate_output(data_copy: Path, cli):
    """A CI log reads a line that starts '::' as a command: neither a key nor an acknowledgement's
    reason (nor any other value quoted in a message) can put a line break into validate's output."""
    from secstatus.domain.diagnostics import error
    from secstatus.output.reporters import diagnostics_text

    path = data_copy / "modifications" / "SECMP0046.yaml"
    path.write_text(path.read_text() + '"x\\n::warning::injected": 1\n')
    result = cli("--data", str(data_copy), "validate")
    assert result.exit_code == 1 and "[bad-key]" in result.stdout
    assert not [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert diagnostics_text([error("a\nb.yaml", 1, 1, "x", "quoted 'c\n::error::d'")]).count("\n") == 1


def test_an_acknowledgement_reason_is_one_line(data_copy: Path):
    path = data_copy / "modifications" / "SECMP0053.yaml"
    path.write_text(
        path.read_text()
        .replace("reason: the paper prints", 'reason: "line\\n::error::x the paper prints', 1)
        .replace("both kept as printed", 'both kept as printed"', 1)
    )
    assert ("error", "control-character", 21) in codes_after(
        data_copy, "modifications/SECMP0053.yaml", path.read_text()
    )


def test_a_repeated_event_is_acknowledged_on_the_repeat(data_copy: Path):
    text = (
        "id: SECMP0080\ntitle: t\nevents:\n  - kind: on-hold\n    date: 2019-05-03\n"
        "  - kind: resumed\n    date: 2019-05-04\n  - kind: resumed\n    date: 2019-05-04\n"
        "    acknowledged:\n      - code: duplicate-event\n        reason: printed twice in the source\n"
    )
    found = codes_after(data_copy, "modifications/SECMP0080.yaml", text)
    assert ("note", "duplicate-event", 8) in found and not [f for f in found if f[0] == "warning"]


# The rules are declared in groups by what they find (checks.RULES and MODIFICATION_RULES: errors;
# MODIFICATION_ANOMALIES: warnings), and a command that prints no warning runs only the first two.


def _each_rule_over(root: Path) -> dict[str, set[str]]:
    """The severities each rule gives over the register at ``root``, rule by rule."""
    from secstatus.register import checks
    from secstatus.register.load import load_register

    register, _, loaded = load_register(root)
    found: dict[str, set[str]] = {}
    for rule in checks.RULES:
        found.setdefault(rule.__name__, set()).update(d.severity for d in rule(register, loaded))
    for rule in checks.MODIFICATION_RULES + checks.MODIFICATION_ANOMALIES:
        for mod, source in checks._modifications(loaded):
            found.setdefault(rule.__name__, set()).update(d.severity for d in rule(register, mod, source))
    return found


def test_each_rule_is_declared_with_the_severity_it_gives():
    from conftest import DATA, FIXTURES

    from secstatus.register import checks

    given: dict[str, set[str]] = {}
    for root in (FIXTURES / "broken-register", DATA):
        for name, severities in _each_rule_over(root).items():
            given.setdefault(name, set()).update(severities)
    anomalies = {rule.__name__ for rule in checks.MODIFICATION_ANOMALIES}
    errors = {rule.__name__ for rule in checks.RULES + checks.MODIFICATION_RULES}
    assert anomalies.isdisjoint(errors)
    assert {name: given[name] for name in anomalies} == {name: {"warning"} for name in anomalies}
    assert {name for name in errors if given[name] - {"error"}} == set()


def test_without_warnings_validation_finds_the_same_errors_and_no_warning_of_the_rules():
    from conftest import DATA, FIXTURES

    for root in (FIXTURES / "broken-register", DATA):
        _, everything = validate(root)
        _, errors_only = validate(root, warnings=False)
        assert [d for d in errors_only if d.severity == "error"] == [d for d in everything if d.severity == "error"]
        assert [d.code for d in errors_only if d.severity != "error"] == [
            d.code for d in everything if d.severity != "error" and d.code in LOAD_WARNINGS
        ]
    assert any(d.severity == "error" for d in validate(FIXTURES / "broken-register", warnings=False)[1])


LOAD_WARNINGS = {"ignored-file"}
"""Warnings the loader gives itself, before any rule runs: they come either way."""


# The process's order (events.Kind.after, checks.events_follow_the_process)


def test_a_decision_straight_from_refine_is_refused_and_writes_nothing(cli, data_copy: Path):
    path = data_copy / "modifications" / "SECMP0067.yaml"
    before = path.read_bytes()
    decide = [
        "--data",
        str(data_copy),
        "record",
        "SECMP0067",
        "authority-decision",
        "--outcome",
        "approved",
        "--date",
        "2019-06-04",
    ]
    refused = cli(*decide)
    assert refused.exit_code == 1
    assert (
        "[process-order]" in refused.stderr and "no 'report-to-panel' or 'report-approved' before it" in refused.stderr
    )
    assert path.read_bytes() == before
    # with its Modification Report first, the same decision is in order
    assert (
        cli("--data", str(data_copy), "record", "SECMP0067", "report-approved", "--date", "2019-06-03").exit_code == 0
    )
    assert cli(*decide).exit_code == 0


UNREPORTED = (
    "id: SECMP0080\ntitle: t\nroute: authority\nevents:\n  - kind: authority-decision\n    date: 2019-04-15\n"
    "    outcome: rejected\n"
)
ACKNOWLEDGED = "    acknowledged:\n      - code: process-order\n        reason: no source dates its report\n"


def test_an_event_out_of_order_is_an_error_unless_acknowledged(data_copy: Path):
    rel = "modifications/SECMP0080.yaml"
    assert codes_after(data_copy, rel, UNREPORTED) == [("error", "process-order", 5)]
    assert codes_after(data_copy, rel, UNREPORTED + ACKNOWLEDGED) == [("note", "process-order", 5)]
    # the commands that print no warning (report, list, show) accept the acknowledged record too
    (data_copy / rel).write_text(UNREPORTED + ACKNOWLEDGED)
    _, quiet = validate(data_copy, warnings=False)
    assert [d for d in quiet if d.path.endswith(rel)] == []
    # once its report is recorded, the acknowledgement excuses nothing: it goes stale
    reported = UNREPORTED.replace("events:\n", "events:\n  - kind: report-approved\n    date: 2019-04-10\n")
    assert codes_after(data_copy, rel, reported + ACKNOWLEDGED) == [("warning", "stale-acknowledgement", 11)]


def test_another_error_cannot_be_acknowledged(data_copy: Path):
    text = (
        "id: SECMP0080\ntitle: t\nevents:\n  - kind: implemented\n    date: 2019-04-15\n"
        "    acknowledged:\n      - code: timeline\n        reason: not an anomaly of a source\n"
    )
    assert codes_after(data_copy, "modifications/SECMP0080.yaml", text) == [
        ("error", "timeline", 4),
        ("warning", "stale-acknowledgement", 7),
    ]
