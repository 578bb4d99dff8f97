"""One output protocol: every command's formats come from the registry (``reporters.FORMATS``), and
a new format for any kind of result is one ``Reporter`` there, with no other change."""

from __future__ import annotations

import re

import click
import pytest
from conftest import DATA, ROOT

from secstatus.cli import main
from secstatus.cli.common import FormatOption, offered_formats
from secstatus.output.extras import EXTRAS
from secstatus.output.reporters import FORMATS, Reporter


def commands(group: click.Group = main, prefix: str = "") -> dict[str, click.Command]:
    """Every command that runs something, by its full name ('assess overdue')."""
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found.update(commands(command, prefix + name + " "))
        else:
            found[prefix + name] = command
    return found


def format_options() -> dict[str, FormatOption]:
    """Each command's --format, by the command's name."""
    return {
        name: param
        for name, command in commands().items()
        for param in command.params
        if isinstance(param, FormatOption)
    }


def test_every_format_option_offers_its_kinds_registered_formats():
    options = format_options()
    for name, option in options.items():
        to_file = option.type.to_file
        offered = [fmt for fmt, reporter in FORMATS[option.kind].items() if to_file or not reporter.file_only]
        assert list(option.type.choices) == offered and offered, name
        assert option.get_default(click.Context(main)) == offered[0], name
        assert all(f"{fmt} ({FORMATS[option.kind][fmt].purpose}" in option.help for fmt in offered), name
    assert {option.kind for option in options.values()} == set(FORMATS)  # every kind is some command's


def test_no_command_has_a_format_option_of_its_own():
    """A --format is the registry's (FormatOption), never a click.Choice listed by hand."""
    hand_made = [
        name
        for name, command in commands().items()
        for param in command.params
        if "--format" in getattr(param, "opts", ()) and not isinstance(param, FormatOption)
    ]
    assert hand_made == []


def test_only_a_command_that_writes_a_file_offers_a_format_that_goes_to_a_file_only():
    for name, option in format_options().items():
        binary = [fmt for fmt, reporter in FORMATS[option.kind].items() if reporter.file_only]
        assert (
            set(binary) <= set(option.type.choices)
            if option.type.to_file
            else not set(binary) & set(option.type.choices)
        ), name
    assert offered_formats("report") == ("html", "md") and offered_formats("report", to_file=True)[1] == "pdf"


DOCUMENTS = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    ROOT / "src" / "secstatus" / "kit" / "README.md",
    *sorted((ROOT / "src" / "secstatus" / "kit" / ".github" / "workflows").glob("*.yml")),
    ROOT / "Makefile",
]


def test_the_readme_lists_each_commands_formats_as_the_registry_does():
    """A README row that documents a command's --format lists exactly what the command offers."""
    options = format_options()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `secstatus ")]
    checked = set()
    for row in rows:
        usage = row.split(" | ")[0]
        listed = re.search(r"--format ([\w\\|]+)", usage)
        name = next((n for n in sorted(options, key=len, reverse=True) if f"`secstatus {n}" in usage), None)
        if name is None:
            assert listed is None, usage
            continue
        assert listed, f"the README's row for {name} does not list its formats"
        assert listed.group(1).split("\\|") == list(options[name].type.choices), name
        checked.add(name)
    assert checked == set(options)


def test_every_format_the_documents_name_is_offered():
    """`secstatus CMD ... --format X` in the README, docs, the kit and the Makefile names a format CMD offers."""
    options = format_options()
    named = []
    for path in DOCUMENTS:
        for match in re.finditer(
            r"secstatus ((?:[a-z]+ ?){1,2})[^\n|`]*?--format (\w+)", path.read_text(encoding="utf-8")
        ):
            words = match.group(1).split()
            name = " ".join(words) if " ".join(words) in options else words[0]
            named.append((path.name, name, match.group(2)))
            assert name in options and match.group(2) in options[name].type.choices, (path.name, match.group(0))
    assert len(named) >= 5  # the reader finds them


# A toy format, registered the one way a format is added: nothing else changes. ----------------------


def toy_rows(table) -> str:
    return "".join(f"toy {row['id']}\n" for row in table.rows)


def test_a_format_registered_for_a_kind_is_offered_and_used_by_its_commands(cli, monkeypatch):
    monkeypatch.setitem(FORMATS["rows"], "toy", Reporter(toy_rows, "toy", "one id a line, after 'toy'"))
    listed = cli("--data", str(DATA), "list", "--as-at", "2019-05-01", "--stage", "refine", "--format", "toy")
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.startswith("toy SECMP") and all(line.startswith("toy ") for line in listed.stdout.splitlines())
    overdue = cli("--data", str(DATA), "assess", "overdue", "--as-at", "2019-05-01", "--format", "toy")
    assert overdue.exit_code == 0 and overdue.stdout.startswith("toy SECMP"), overdue.output
    assert "toy (one id a line, after 'toy')" in " ".join(cli("list", "--help").stdout.split())


def test_a_format_that_goes_to_a_file_only_is_written_to_its_file_and_never_printed(cli, monkeypatch, tmp_path):
    def toy_document(document) -> bytes:
        return b"\x00TOY " + document.report.cover.date.isoformat().encode()

    monkeypatch.setitem(
        FORMATS["report"], "toy", Reporter(toy_document, "toy document", "bytes", file_only=True, extension="bin")
    )
    monkeypatch.setitem(FORMATS["rows"], "toy", Reporter(toy_document, "toy document", "bytes", file_only=True))
    monkeypatch.chdir(tmp_path)
    written = cli("--data", str(DATA), "report", "--month", "2019-05", "--format", "toy")
    assert written.exit_code == 0, written.output
    assert (tmp_path / "change-status-report-2019-05.bin").read_bytes() == b"\x00TOY 2019-05-02"
    printed = cli("--data", str(DATA), "report", "--month", "2019-05", "--format", "toy", "-o", "-")
    assert printed.exit_code == 1 and "a toy document cannot be written to stdout" in printed.stderr
    assert cli("--data", str(DATA), "list", "--format", "toy").exit_code == 2  # list only prints: not offered


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_every_reporter_is_declared_whole(kind):
    for fmt, reporter in FORMATS[kind].items():
        assert callable(reporter.write) and reporter.label and reporter.purpose, (kind, fmt)
        assert reporter.extra is None or reporter.extra in EXTRAS, (kind, fmt)
