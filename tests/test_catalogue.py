"""docs/diagnostics.md lists every diagnostic code the source can emit, each produced by its fixture."""

from __future__ import annotations

import ast
import re
from functools import cache

import pytest
from conftest import FIXTURES, ROOT

import secstatus.domain.model  # noqa: F401  (declares the model rules' codes)
from secstatus.domain.record import RULE_CODES
from secstatus.register.checks import validate
from secstatus.register.load import load_file

CATALOGUE = ROOT / "docs" / "diagnostics.md"
SOURCE = ROOT / "src" / "secstatus"
ROW = re.compile(r"^\| `([a-z-]+)` \| (error|warning) \| (.+) \| `([^`]+)` \|$", re.MULTILINE)


def catalogue() -> dict[str, tuple[str, str, str]]:
    """Each catalogued code: (severity, meaning, fixture)."""
    rows = ROW.findall(CATALOGUE.read_text(encoding="utf-8"))
    codes = [code for code, *_ in rows]
    assert len(codes) == len(set(codes)), "a code is catalogued twice"
    return {code: (severity, meaning, fixture) for code, severity, meaning, fixture in rows}


SEVERITY_OF = {"error": "error", "warning": "warning", "_anomaly": "warning"}
"""The functions that make a diagnostic from a code, and the severity each gives."""


def emitted() -> tuple[dict[str, str], list[str]]:
    """Every code the source passes to ``error(...)``/``warning(...)``, with its severity, and every
    call whose code is not written out (file:line)."""
    codes: dict[str, str] = {}
    unwritten: list[str] = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and _name(node.func) in SEVERITY_OF and len(node.args) >= 4):
                continue
            code = node.args[-2]
            literals = [n.value for n in ast.walk(code) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
            if not literals:
                unwritten.append(f"{path.name}:{node.lineno}")
            for literal in literals:
                severity = SEVERITY_OF[_name(node.func)]
                assert codes.setdefault(literal, severity) == severity, literal
    return codes, unwritten


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def test_the_catalogue_lists_exactly_the_codes_the_source_emits():
    codes, unwritten = emitted()
    # Some calls pass a code they do not spell out: load.py's, a model rule's (record.RULE_CODES
    # declares them), and checks._anomaly's, whose callers spell theirs out.
    assert sorted({u.split(":")[0] for u in unwritten}) == ["checks.py", "load.py"], unwritten
    codes.update(dict.fromkeys(RULE_CODES, "error"))
    listed = catalogue()
    assert sorted(set(codes) - set(listed)) == [], "emitted but not in docs/diagnostics.md"
    assert sorted(set(listed) - set(codes)) == [], "in docs/diagnostics.md but never emitted"
    assert {code: listed[code][0] for code in codes} == codes, "a catalogued severity is wrong"


def test_a_model_rule_is_catalogued_with_its_declared_meaning():
    listed = catalogue()
    assert {code: listed[code][1] for code in RULE_CODES} == RULE_CODES


@cache
def broken_register_codes() -> dict[str, set[str]]:
    _, diagnostics = validate(FIXTURES / "broken-register")
    found: dict[str, set[str]] = {}
    for d in diagnostics:
        found.setdefault("broken-register/" + d.path.split("broken-register/")[1], set()).add(d.code)
    return found


def codes_of(fixture: str) -> set[str]:
    """The codes a fixture (a path under tests/fixtures/) produces."""
    if fixture.startswith("broken-register/"):
        return broken_register_codes().get(fixture, set())
    path = FIXTURES / fixture
    _, _, diagnostics = load_file(path, path.parent.name, fixture)
    return {d.code for d in diagnostics}


@pytest.mark.parametrize("code", sorted(catalogue()))
def test_each_code_is_produced_by_its_fixture(code):
    fixture = catalogue()[code][2]
    if fixture.startswith("test_"):
        # A fault no file in git can hold (a file that cannot be read): a test makes it and pins the code.
        assert f"[{code}]" in (ROOT / "tests" / fixture).read_text(encoding="utf-8"), fixture
        return
    assert (FIXTURES / fixture).exists(), fixture
    assert code in codes_of(fixture)


def test_the_fixture_list_covers_every_broken_file():
    """Every file of the broken register is catalogued as some code's example, so none is dead weight."""
    named = {fixture for _, _, fixture in catalogue().values()}
    broken = set(broken_register_codes())
    assert broken - named == set()
