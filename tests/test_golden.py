"""Speed work must not change a byte: the May 2019 report and validate's findings against goldens.

The files in tests/golden/ were written by the tool before the loading and start-up paths were
optimised (issue 11), from the repository root:

    secstatus report --month 2019-05 --format html -o tests/golden/report-2019-05.html
    secstatus report --month 2019-05 --format md -o tests/golden/report-2019-05.md
    secstatus [--data DIR] validate --format json > tests/golden/validate-NAME.json

Regenerate them only for a deliberate change of output, never to make this test pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(autouse=True)
def from_root(monkeypatch):
    """Diagnostics name files relative to the current folder, as the goldens were made."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_may_report_bytes_are_unchanged(cli, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    result = cli("report", "--month", "2019-05", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (GOLDEN / f"report-2019-05.{fmt}").read_bytes()


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("data", "data", 0),
        ("broken-register", "tests/fixtures/broken-register", 1),
        ("invalid", "tests/fixtures/invalid", 1),
    ],
)
def test_validate_json_is_unchanged(cli, name, data, code):
    result = cli("--data", data, "validate", "--format", "json")
    assert result.exit_code == code
    assert result.stdout == (GOLDEN / f"validate-{name}.json").read_text(encoding="utf-8")


def test_validate_text_is_unchanged(cli):
    result = cli("--data", "tests/fixtures/invalid", "validate")
    assert result.exit_code == 1
    assert result.stdout == (GOLDEN / "validate-invalid.txt").read_text(encoding="utf-8")
