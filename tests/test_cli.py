"""The command line's promises: one exit-code policy for every command, one wording per argument
error, formats from the reporters' registry, and every command documented in the README."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import click
import pytest
from conftest import DATA, FIXTURES, ROOT

from secstatus.cli import main

D = ["--data", str(DATA)]
BROKEN = ["--data", str(FIXTURES / "broken-register")]
REGISTER_ERRORS = "the register has "
SCRATCH = Path(tempfile.mkdtemp(prefix="secstatus-cli-"))
"""Where the table's site builds go (never the working folder)."""
E = ["--data", str(shutil.copytree(DATA, SCRATCH / "data"))]
"""The table's edits go to a copy of the shipped register: a refused edit has taken the edit lock,
a file in the data folder, which a test copying the shipped folder meanwhile (in another
pytest-xdist worker) found gone before it could copy it."""

EXIT_CODES: dict[str, list[tuple[list[str], int, str | None]]] = {
    "validate": [
        ([*D, "validate"], 0, None),
        ([*D, "validate", "nosuch.yaml"], 2, "Invalid value for '[PATHS]...': Path 'nosuch.yaml' does not exist"),
        ([*D, "validate", "--format", "xml"], 2, "Invalid value for '--format': 'xml' is not one of 'text', 'json'"),
        ([*BROKEN, "validate"], 1, None),
    ],
    "list": [
        ([*D, "list", "--as-at", "2019-04-30"], 0, None),
        ([*D, "list", "--as-at", "2019-02-30"], 2, "Invalid value for '--as-at': '2019-02-30' is an impossible date"),
        ([*D, "list", "--as-at", "19-5-1"], 2, "Invalid value for '--as-at': '19-5-1' is not a date YYYY-MM-DD"),
        ([*D, "list", "--stage", "opened"], 2, "Invalid value for '--stage': 'opened' is not one of"),
        ([*BROKEN, "list"], 1, REGISTER_ERRORS),
        (["list", "--data", str(DATA), "--as-at", "2019-04-30"], 0, None),
        (["list", "--data", str(SCRATCH / "no-such-folder")], 2, "Invalid value for '--data': Directory"),
        (["--data", str(SCRATCH / "no-such-folder"), "list"], 2, "Invalid value for '--data': Directory"),
        (["list", "--data", str(FIXTURES)], 1, f"{FIXTURES}: not a register's data folder"),
    ],
    "show": [
        ([*D, "show", "SECMP0043", "--as-at", "2019-04-30"], 0, None),
        ([*D, "show", "SECMP0043", "--as-at", "20190430"], 2, "Invalid value for '--as-at': '20190430' is not a date"),
        ([*D, "show"], 2, "Missing argument 'ID'"),
        ([*D, "show", "SECMP0999"], 1, "no modification 'SECMP0999' in the register ('secstatus list' lists them)"),
    ],
    "schema": [
        (["schema", "--type", "release"], 0, None),
        (["schema", "--type", "person"], 2, "Invalid value for '--type': 'person' is not one of"),
    ],
    "wd": [
        ([*D, "wd", "2019-04-05", "2019-04-23"], 0, None),
        ([*D, "wd", "add", "2019-04-05", "-10"], 0, None),
        ([*D, "wd", "2019-02-30", "2019-03-01"], 2, "Invalid value for 'START': '2019-02-30' is an impossible date"),
        ([*D, "wd", "2019-03-01", "1 May"], 2, "Invalid value for 'END': '1 May' is not a date YYYY-MM-DD"),
        ([*D, "wd", "add", "2019-03-01", "ten"], 2, "Invalid value for 'N': 'ten' is not a valid integer"),
        ([*D, "wd", "2019-01-01"], 2, "expected START END, or add START N"),
        ([*D, "wd", "1990-01-01", "2019-01-01"], 1, "1990-01-01 is outside the working-day calendar"),
    ],
    "assess overdue": [
        ([*D, "assess", "overdue", "--as-at", "2019-06-30"], 0, None),
        (
            [*D, "assess", "overdue", "--as-at", "2019-06-31"],
            2,
            "Invalid value for '--as-at': '2019-06-31' is an impossible date",
        ),
        ([*D, "assess", "overdue", "--format", "md"], 2, "Invalid value for '--format': 'md' is not one of"),
        ([*BROKEN, "assess", "overdue"], 1, REGISTER_ERRORS),
    ],
    "assess plans": [
        ([*D, "assess", "plans", "--as-at", "2019-06-30"], 0, None),
        ([*D, "assess", "plans", "--all", "--format", "csv"], 0, None),
        (
            [*D, "assess", "plans", "--as-at", "2019-06-31"],
            2,
            "Invalid value for '--as-at': '2019-06-31' is an impossible date",
        ),
        ([*BROKEN, "assess", "plans"], 1, REGISTER_ERRORS),
    ],
    "assess timescales": [
        ([*D, "assess", "timescales", "--as-at", "2019-04-30"], 0, None),
        ([*D, "assess", "timescales", "--format", "csv"], 2, "Invalid value for '--format': 'csv' is not one of"),
        ([*BROKEN, "assess", "timescales"], 1, REGISTER_ERRORS),
    ],
    "report": [
        ([*D, "report", "--month", "2019-05", "--format", "md", "-o", "-"], 0, None),
        ([*D, "report", "--month", "19-05"], 2, "Invalid value for '--month': '19-05' is not a month YYYY-MM"),
        ([*D, "report", "--month", "2019-5"], 2, "Invalid value for '--month': '2019-5' is not a month YYYY-MM"),
        ([*D, "report", "--month", "2019-13"], 2, "Invalid value for '--month': '2019-13' is an impossible month"),
        ([*D, "report", "--month", "May 2019"], 2, "Invalid value for '--month': 'May 2019' is not a month"),
        ([*D, "report"], 2, "Missing option '--month'"),
        (
            [*D, "report", "--month", "2019-05", "--date", "2019-02-29"],
            2,
            "Invalid value for '--date': '2019-02-29' is an impossible date",
        ),
        ([*D, "report", "--month", "2019-05", "--format", "docx"], 2, "Invalid value for '--format': 'docx'"),
        ([*D, "report", "--month", "2010-01"], 1, "no report for 2010-01"),
        (
            [*D, "report", "--month", "2019-06", "--date", "2019-05-31", "-o", "-"],
            1,
            "a 2019-06 report cannot be dated 2019-05-31: its statistics are as at 2019-05-31",
        ),
        ([*D, "report", "--month", "2019-05", "--format", "pdf", "-o", "-"], 1, "a PDF cannot be written to stdout"),
    ],
    "new dp": [
        ([*E, "new", "dp", "--title", "T", "--proposer", "P", "--raised", "2019-05-01", "--dry-run"], 0, None),
        (
            [*E, "new", "dp", "--title", "T", "--proposer", "P", "--raised", "2019-02-30"],
            2,
            "Invalid value for '--raised': '2019-02-30' is an impossible date",
        ),
        (
            [*E, "new", "dp", "--title", "T", "--proposer", "P", "--raised", "1/5/2019"],
            2,
            "Invalid value for '--raised': '1/5/2019' is not a date YYYY-MM-DD",
        ),
        ([*BROKEN, "new", "dp", "--title", "T", "--proposer", "P", "--raised", "2019-05-01"], 1, REGISTER_ERRORS),
    ],
    "new meeting": [
        ([*E, "new", "meeting", "panel", "2019-06-14", "--number", "69", "--dry-run"], 0, None),
        ([*E, "new", "meeting", "board", "2019-06-14"], 2, "Invalid value for 'BODY': 'board' is not one of"),
        ([*E, "new", "meeting", "panel", "2019-06-31"], 2, "Invalid value for 'DATE': '2019-06-31' is an impossible"),
        ([*E, "new", "meeting", "working-group", "2019-05-01"], 1, "meetings/2019-05-01-working-group.yaml already"),
    ],
    "new report": [
        ([*E, "new", "report", "2019-06", "--author", "A", "--dry-run"], 0, None),
        ([*E, "new", "report", "2019-6", "--author", "A"], 2, "Invalid value for 'MONTH': '2019-6' is not a month"),
        ([*E, "new", "report", "2019-06"], 2, "Missing option '--author'"),
        ([*E, "new", "report", "2019-05", "--author", "A"], 1, "reports/2019-05.yaml already exists"),
        (
            [*E, "new", "report", "2019-06", "--author", "A", "--date", "2019-05-30"],
            1,
            "refused: the register would have 1 error",
        ),
    ],
    "new sec-version": [
        (
            [*E, "new", "sec-version", "6.13", "--effective", "2019-06-27", "--modification", "SECMP0058", "--dry-run"],
            0,
            None,
        ),
        (
            [*E, "new", "sec-version", "6.13", "--effective", "2019-6-27", "--designation", "x"],
            2,
            "Invalid value for '--effective': '2019-6-27' is not a date",
        ),
        ([*E, "new", "sec-version", "6.13", "--effective", "2019-06-27"], 2, "give exactly one cause"),
        (
            [*E, "new", "sec-version", "6.13", "--effective", "2019-06-27", "--modification", "SECMP0999"],
            1,
            "no modification 'SECMP0999'",
        ),
    ],
    "new modification": [
        ([*E, "new", "modification", "MP080", "--title", "T", "--route", "fast-track", "--dry-run"], 0, None),
        ([*E, "new", "modification", "MP080"], 2, "Missing option '--title'"),
        (
            [*E, "new", "modification", "MP080", "--title", "T", "--route", "path-2"],
            2,
            "Invalid value for '--route': 'path-2' is not one of",
        ),
        (
            [*E, "new", "modification", "MP080", "--title", "T", "--raised", "2019-6-1"],
            2,
            "Invalid value for '--raised': '2019-6-1' is not a date",
        ),
        ([*E, "new", "modification", "MP071", "--title", "T"], 1, "MP071 is already in the register (as DP071)"),
        ([*E, "new", "modification", "SECMP58", "--title", "T"], 1, "'SECMP58' is not a modification id"),
    ],
    "new release": [
        ([*E, "new", "release", "2020-06", "--planned", "2020-06-25", "--dry-run"], 0, None),
        ([*E, "new", "release", "2020-06"], 2, "Missing option '--planned'"),
        (
            [*E, "new", "release", "2020-06", "--planned", "2020-06-31"],
            2,
            "Invalid value for '--planned': '2020-06-31' is an impossible date",
        ),
        ([*E, "new", "release", "2019-11", "--planned", "2019-11-07"], 1, "release 2019-11 is already in the register"),
        ([*E, "new", "release", "special", "--planned", "2019-11-07"], 1, "give the release's --name"),
    ],
    "plan": [
        ([*E, "plan", "SECMP0062", "change-board-vote", "2019-07-24", "--decided", "2019-04-01", "--dry-run"], 0, None),
        (
            [*E, "plan", "SECMP0062", "working-group", "2019-07-24"],
            2,
            "Invalid value for 'MILESTONE': 'working-group' is not one of 'converted'",
        ),
        (
            [*E, "plan", "SECMP0062", "change-board-vote", "2019-07-32"],
            2,
            "Invalid value for 'DATE': '2019-07-32' is an impossible date",
        ),
        ([*E, "plan", "SECMP0062", "change-board-vote"], 2, "Missing argument 'DATE'"),
        ([*E, "plan", "SECMP0999", "change-board-vote", "2019-07-24"], 1, "no modification 'SECMP0999'"),
        (
            [*E, "plan", "SECMP0062", "change-board-vote", "2019-04-24", "--decided", "2019-05-01"],
            1,
            "a plan decided on 2019-05-01 cannot be for an earlier day (2019-04-24)",
        ),
        ([*BROKEN, "plan", "SECMP0094", "change-board-vote", "2019-07-24"], 1, REGISTER_ERRORS),
    ],
    "record": [
        ([*E, "record", "SECMP0046", "withdrawn", "--date", "2019-06-01", "--dry-run"], 0, None),
        (
            [*E, "record", "SECMP0046", "withdrawn", "--date", "2019-06-31"],
            2,
            "Invalid value for '--date': '2019-06-31' is an impossible date",
        ),
        (
            [
                *E,
                "record",
                "SECMP0015",
                "assessment-accepted",
                "--assessment",
                "IA",
                "--date",
                "2019-05-01",
                "--target",
                "2019-5-1",
            ],
            2,
            "Invalid value for '--target': '2019-5-1' is not a date YYYY-MM-DD",
        ),
        (
            [*E, "record", "SECMP0046", "report-consultation", "--date", "2019-06-01", "--closes", "2019-06-31"],
            2,
            "Invalid value for '--closes': '2019-06-31' is an impossible date",
        ),
        (
            [*E, "record", "SECMP0046", "exploded", "--date", "2019-06-01"],
            2,
            "Invalid value for 'KIND': 'exploded' is not one of",
        ),
        (
            [*E, "record", "SECMP0046", "authority-decision", "--date", "2019-06-01", "--outcome", "maybe"],
            2,
            "Invalid value for '--outcome': 'maybe' is not one of",
        ),
        ([*E, "record", "SECMP0999", "withdrawn", "--date", "2019-06-01"], 1, "no modification 'SECMP0999'"),
        ([*E, "record", "SECMP0062", "working-group"], 2, "Missing option '--date'"),
        (
            [*E, "record", "SECMP0062", "change-board-vote", "--date", "2019-06-01"],
            2,
            "Missing option '--outcome': 'change-board-vote' needs it",
        ),
        (
            [*E, "record", "SECMP0062", "dcc-status", "--date", "2019-06-01"],
            2,
            "Missing options '--group' and '--status': 'dcc-status' needs them",
        ),
        (
            [*E, "record", "SECMP0062", "assessment-delivered", "--date", "2019-06-01"],
            2,
            "Missing option '--assessment'",
        ),
        (
            [*E, "record", "SECMP0062", "working-group", "--date", "2019-06-01", "--outcome", "approved"],
            2,
            "'working-group' takes no --outcome",
        ),
        (
            [*E, "record", "SECMP0062", "working-group", "--date", "2019-06-06"],
            1,
            "refused: the register would have 1 error",
        ),
        (["record", "SECMP0046", "withdrawn", "--date", "2019-06-01", "--dry-run", "--data", str(DATA)], 0, None),
    ],
    "set": [
        ([*E, "set", "SECMP0055", "route", "self-governance", "--dry-run"], 0, None),
        ([*E, "set", "DP075", "url", "--unset", "--dry-run"], 0, None),
        ([*E, "set", "SECMP0055", "route"], 2, "Missing argument 'VALUE...'"),
        ([*E, "set", "SECMP0055", "route", "authority", "--unset"], 2, "--unset takes no VALUE"),
        ([*E, "set", "SECMP0055", "route", "path-2"], 1, "route: 'path-2' is not one of"),
        ([*E, "set", "SECMP0055", "raised", "2019-02-30"], 1, "raised: '2019-02-30' is an impossible date"),
        ([*E, "set", "SECMP0055", "titel", "T"], 1, "a modification has no field 'titel'"),
        ([*E, "set", "SECMP0055", "events", "x"], 1, "events are recorded, not set: 'secstatus record SECMP0055"),
        ([*E, "set", "SECMP0055", "title", "--unset"], 1, "modification SECMP0055: 'title' is required"),
        ([*E, "set", "SECMP0999", "title", "T"], 1, "no record 'SECMP0999' in the register"),
        ([*E, "set", "report:2019-05", "date", "2019-04-30"], 1, "refused: the register would have 1 error"),
    ],
    "import": [
        ([*E, "import", str(FIXTURES / "import" / "new-modifications.csv"), "--dry-run"], 0, None),
        ([*E, "import", str(SCRATCH / "no-such.csv")], 2, "Invalid value for 'FILE.csv': File"),
        ([*E, "import", str(FIXTURES / "import")], 2, "Invalid value for 'FILE.csv': File"),
        (
            [*E, "import", str(FIXTURES / "import" / "unknown-column.csv")],
            1,
            f"{FIXTURES / 'import' / 'unknown-column.csv'}: 1 error(s); nothing was imported",
        ),
        ([*E, "import", str(FIXTURES / "import" / "new-modifications.csv"), "--update", "--dry-run"], 0, None),
        ([*BROKEN, "import", str(FIXTURES / "import" / "new-modifications.csv")], 1, REGISTER_ERRORS),
    ],
    "release move": [
        ([*E, "release", "move", "2019-11", "2019-11-08", "--decided", "2019-05-01", "--dry-run"], 0, None),
        (
            [*E, "release", "move", "2019-11", "2019-11-31", "--decided", "2019-05-01"],
            2,
            "Invalid value for 'DATE': '2019-11-31' is an impossible date",
        ),
        (
            [*E, "release", "move", "2019-11", "2019-11-08", "--decided", "19-5-1"],
            2,
            "Invalid value for '--decided': '19-5-1' is not a date YYYY-MM-DD",
        ),
        ([*E, "release", "move", "2031-01", "2031-01-08", "--decided", "2019-05-01"], 1, "no release '2031-01'"),
    ],
    "changes": [
        ([*D, "changes", "--base", "HEAD", "--format", "json"], 0, None),
        ([*D, "changes", "--format", "html"], 2, "Invalid value for '--format': 'html' is not one of"),
        ([*D, "changes", "--base", "no-such-ref"], 1, None),
    ],
    "init": [
        (["init", str(SCRATCH / "register"), "--requirement", "secstatus==0.1.0"], 0, None),
        (["init"], 2, "Missing argument 'FOLDER'"),
        (["init", str(FIXTURES)], 1, f"{FIXTURES}: exists and is not an empty folder"),
    ],
    "site": [
        ([*D, "site", "-o", str(SCRATCH / "site"), "--as-at", "2019-04-30"], 0, None),
        ([*D, "site", "--as-at", "2019-02-30"], 2, "Invalid value for '--as-at': '2019-02-30' is an impossible date"),
        ([*D, "site", "-o", str(FIXTURES)], 1, f"{FIXTURES}: not empty and not a site built by secstatus"),
        ([*BROKEN, "site", "-o", str(SCRATCH / "broken")], 1, REGISTER_ERRORS),
    ],
    "history": [
        ([*D, "history", "SECMP0058", "--format", "json"], 0, None),
        ([*D, "history"], 2, "Missing argument 'ID'"),
        ([*D, "history", "SECMP0058", "--format", "md"], 2, "Invalid value for '--format': 'md' is not one of"),
        ([*D, "history", "SECMP0999"], 1, "no record 'SECMP0999' in the register"),
    ],
}
"""Each command → argv, the exit code it must give, and the start of its error message (None: not checked)."""


def leaf_commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    """Every command that runs something, by its full name ('assess overdue'), walking groups."""
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found.update(leaf_commands(command, prefix + name + " "))
        else:
            found[prefix + name] = command
    return found


def all_commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    """Every command and group, by its full name."""
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        found[prefix + name] = command
        if isinstance(command, click.Group):
            found.update(all_commands(command, prefix + name + " "))
    return found


def test_every_command_has_rows_in_the_exit_code_table():
    assert set(EXIT_CODES) == set(leaf_commands(main))
    for name, rows in EXIT_CODES.items():
        assert {code for _, code, _ in rows} >= {0, 2}, f"{name}: no success or no usage-error row"


def error_message(stderr: str) -> str:
    """The error's own words: click's 'Error: ...' line, or the last line of a refusal, which says
    'secstatus: error: ...'."""
    lines = stderr.strip().splitlines()
    if lines and lines[-1].startswith("Error: "):
        return lines[-1].removeprefix("Error: ")
    assert (
        not lines or lines[-1].startswith("secstatus: error: ") or ": error: " in lines[-1] or "wrote" in lines[-1]
    ), lines
    return lines[-1].removeprefix("secstatus: error: ") if lines else ""


@pytest.mark.parametrize(
    "argv, code, message",
    [row for rows in EXIT_CODES.values() for row in rows],
    ids=[
        " ".join(row[0][2:] if row[0][0] == "--data" else row[0]).replace(str(SCRATCH), "SCRATCH")
        for rows in EXIT_CODES.values()
        for row in rows
    ],
)  # the same in every pytest-xdist worker
def test_exit_code_and_message(cli, argv, code, message):
    result = cli(*argv)
    assert result.exit_code == code, result.stderr
    assert "Traceback" not in result.stderr
    if message is not None:
        assert error_message(result.stderr).startswith(message), result.stderr
    if code == 2:
        assert result.stderr.startswith("Usage: ")


# The README, sqlite-utils style: every command is documented, with every option it takes. ------


def readme_rows(name: str) -> str:
    """The README's command-table rows that document ``secstatus NAME``."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return "\n".join(
        line
        for line in readme.splitlines()
        if line.startswith("| `secstatus ") and f"`secstatus {name}" in line.split(" | ")[0]
    )


@pytest.mark.parametrize("name", sorted(all_commands(main)))
def test_command_is_documented_in_the_readme(name):
    assert readme_rows(name) or f"secstatus {name}" in (ROOT / "README.md").read_text(encoding="utf-8")


def is_shared_data_option(param: click.Parameter) -> bool:
    """The --data every command that reads a register shares (``common.data_option``), which the
    README documents once, above the table."""
    return isinstance(param, click.Option) and param.opts == ["--data"] and not param.expose_value


@pytest.mark.parametrize("name", sorted(leaf_commands(main)))
def test_command_options_are_documented_in_the_readme(name):
    command = leaf_commands(main)[name]
    with click.Context(command, info_name=name) as ctx:
        params = command.get_params(ctx)
    row = readme_rows(name)
    assert row, f"no row of the README's command table documents 'secstatus {name}'"
    missing = [
        p.opts[0]
        for p in params
        if isinstance(p, click.Option)
        and not {"-h", "--help"} & set(p.opts)
        and not is_shared_data_option(p)
        and not any(re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", row) for opt in p.opts)
    ]
    assert missing == [], f"README row for 'secstatus {name}' does not name {missing}"


def test_every_command_that_reads_a_register_takes_data_after_it_too():
    from secstatus.cli import WITHOUT_REGISTER

    for name, command in leaf_commands(main).items():
        shared = [p for p in command.params if is_shared_data_option(p)]
        assert len(shared) == (0 if name in WITHOUT_REGISTER else 1), name
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = readme.split("## Commands", 1)[1].split("| command |", 1)[0]
    assert "`--data DIR`" in commands and "after it" in commands and "SECSTATUS_DATA" in commands


def test_data_after_the_command_wins_over_the_one_before_it_and_the_environment(cli, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli(
        "--data", str(empty), "list", "--data", str(DATA), "--as-at", "2019-04-30", env={"SECSTATUS_DATA": str(empty)}
    )
    assert result.exit_code == 0 and "SECMP0043" in result.stdout, result.stderr
    result = cli("list", "--as-at", "2019-04-30", env={"SECSTATUS_DATA": str(DATA)})
    assert result.exit_code == 0 and "SECMP0043" in result.stdout, result.stderr
    result = cli("list", env={"SECSTATUS_DATA": str(tmp_path / "gone")})
    assert result.exit_code == 2 and "Invalid value for '--data'" in result.stderr


def test_a_folder_that_is_not_a_register_is_one_line(cli, tmp_path):
    """A home folder's every file and folder would each be an error; the tool says once what it is."""
    home = tmp_path / "home"
    for name in (".bashrc", ".profile", "notes.txt"):
        (home / name).parent.mkdir(parents=True, exist_ok=True)
        (home / name).write_text("x")
    for folder in (".cache", ".config", "Documents"):
        (home / folder).mkdir()
    for command in (["validate"], ["list"], ["record", "SECMP0046", "withdrawn", "--date", "2019-06-01"]):
        result = cli(*command, "--data", str(home))
        assert result.exit_code == 1, result.stderr
        assert result.stderr.strip().splitlines() == [
            f"secstatus: error: {home}: not a register's data folder: it holds none of the record folders "
            "(modifications, releases, sec-versions, meetings, reports, calendar); give the data folder with "
            "--data DIR, or make a register with 'secstatus init FOLDER'"
        ]
    (home / "meetings").mkdir()  # a register, if an odd one: each stray file is then its own error
    assert cli("validate", "--data", str(home)).exit_code == 1


@pytest.mark.parametrize("name", sorted(all_commands(main)))
def test_command_has_help(name):
    command = all_commands(main)[name]
    with click.Context(command, info_name=name) as ctx:
        assert command.get_short_help_str() and command.get_help(ctx)
