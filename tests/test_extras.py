"""Issue 18 point 5: a light core. `pip install secstatus` runs every command but the PDF report
and the site; those say in one line which extra to install. The extras' declarations
(``extras.EXTRAS``) and pyproject.toml's optional dependencies agree."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import DATA, ROOT

from secstatus.output.extras import EXTRAS

HEAVY = ("weasyprint", "feedgen", "icalendar", "lxml", "fontTools", "PIL", "pydyf", "tinycss2", "cssselect2")
"""What the extras bring and the core must not need."""

BLOCKER = """
import sys
BLOCKED = set(sys.argv[1].split(","))

class Uninstalled:
    '''Every module of BLOCKED is as if it were not installed.'''
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Uninstalled())
"""


def run_without(blocked: tuple[str, ...], script: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``script`` in a new interpreter where the ``blocked`` top-level modules cannot be imported."""
    return subprocess.run(
        [sys.executable, "-c", BLOCKER + script, ",".join(blocked), *args], capture_output=True, text=True, cwd=cwd
    )


def requirement_names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\s\[<>=!~;]", r, maxsplit=1)[0].lower() for r in requirements}


def extra_names(optional: dict[str, list[str]], name: str) -> set[str]:
    """The distributions extra ``name`` installs, through the extras it names (``secstatus[pdf]``)."""
    names = requirement_names(optional[name]) - {"secstatus"}
    for named in re.findall(r"secstatus\[([a-z,]+)\]", " ".join(optional[name])):
        for other in named.split(","):
            names |= extra_names(optional, other)
    return names


def test_each_extra_is_declared_once_and_pyproject_installs_it():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    optional = project["optional-dependencies"]
    for name, extra in EXTRAS.items():
        assert extra_names(optional, name) == {distribution.lower() for _, distribution in extra.modules}, name
    core = requirement_names(project["dependencies"])
    assert not core & {m.lower() for m in HEAVY}, core
    assert extra_names(optional, "dev") >= set().union(*(extra_names(optional, e) for e in EXTRAS))  # dev keeps all


def test_the_pdf_report_without_weasyprint_names_the_extra(cli, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint fails, as when not installed
    target = tmp_path / "report.pdf"
    result = cli("--data", str(DATA), "report", "--month", "2019-05", "--format", "pdf", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == "secstatus: error: the PDF report needs WeasyPrint: pip install 'secstatus[pdf]'\n"
    assert not target.exists()


def test_the_site_without_its_extra_names_it_and_builds_nothing(cli, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "feedgen", None)
    monkeypatch.setitem(sys.modules, "icalendar", None)
    result = cli("--data", str(DATA), "site", "-o", str(tmp_path / "site"), "--as-at", "2019-05-02")
    assert result.exit_code == 1
    assert result.stderr == (
        "secstatus: error: the published register (secstatus site) needs feedgen and icalendar: "
        "pip install 'secstatus[site]'\n"
    )
    assert not (tmp_path / "site").exists()


CORE_COMMANDS = """
import json, sys
from click.testing import CliRunner
from secstatus.cli import main
data = sys.argv[2]
commands = [
    ["--data", data, "validate", "--strict"],
    ["--data", data, "list", "--as-at", "2019-04-30"],
    ["--data", data, "show", "SECMP0046", "--as-at", "2019-04-30"],
    ["--data", data, "assess", "overdue", "--as-at", "2019-04-30"],
    ["--data", data, "assess", "timescales", "--as-at", "2019-04-30"],
    ["wd", "2018-12-06", "2018-12-31"],
    ["schema"],
    ["--data", data, "new", "dp", "--title", "T", "--proposer", "P", "--raised", "2019-06-03", "--dry-run"],
    ["--data", data, "record", "SECMP0046", "withdrawn", "--date", "2019-06-01", "--dry-run"],
    ["--data", data, "report", "--month", "2019-05", "--format", "md", "-o", "-"],
    ["--data", data, "report", "--month", "2019-05", "--format", "html", "-o", "-"],
    ["--data", data, "report", "--month", "2019-05", "--format", "pdf", "-o", sys.argv[3]],
    ["init", sys.argv[4], "--requirement", "secstatus==0.1.0"],
]
results = [(c[2:] if c[0] == "--data" else c, CliRunner().invoke(main, c)) for c in commands]
print(json.dumps([[" ".join(c), r.exit_code, r.stderr.strip().splitlines()[-1:]] for c, r in results]))
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in sys.argv[1].split(","))))
"""


@pytest.mark.slow
def test_the_core_runs_every_command_but_the_pdf_and_the_site_without_the_extras(tmp_path):
    """With none of what the extras bring importable, as in `pip install secstatus`."""
    done = run_without(HEAVY, CORE_COMMANDS, str(DATA), str(tmp_path / "r.pdf"), str(tmp_path / "register"))
    assert done.returncode == 0, done.stderr
    results, imported = (json.loads(line) for line in done.stdout.splitlines()[-2:])
    assert len(results) == 13
    failed = [result for result in results if result[1] != 0]
    assert failed == [
        [
            f"report --month 2019-05 --format pdf -o {tmp_path / 'r.pdf'}",
            1,
            ["secstatus: error: the PDF report needs WeasyPrint: pip install 'secstatus[pdf]'"],
        ]
    ]
    assert imported == []
