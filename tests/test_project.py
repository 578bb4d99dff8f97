"""The project's promises about itself: docs in step, a light start-up (commands documented: test_cli.py)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT

from secstatus.domain.events import EVENT_KINDS
from secstatus.domain.model import RECORD_TYPES
from secstatus.editing.formatdoc import render


def test_data_format_doc_is_generated_from_the_models():
    assert (ROOT / "docs" / "data-format.md").read_bytes() == render(ROOT).encode("utf-8"), (
        "docs/data-format.md is stale: run python -m secstatus.editing.formatdoc > docs/data-format.md"
    )


def test_data_format_doc_names_every_field_and_kind():
    doc = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    for kind in EVENT_KINDS:
        assert f"#### `{kind}`" in doc
    for model in RECORD_TYPES.values():
        for field in model.model_fields:
            assert f"| `{field}` |" in doc, field


@pytest.mark.slow
def test_cli_import_leaves_heavy_libraries_unimported():
    code = (
        "import sys, secstatus.cli; "
        "print(sorted(m for m in ('weasyprint', 'jinja2', 'holidays', 'pydantic', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_readme_starts_with_the_two_newcomer_commands():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines[3].startswith("make demo") and lines[4].startswith("make test")


def test_benchmark_register_is_valid(tmp_path):
    """The synthetic register the benchmarks time must be a valid one, or they time the wrong thing."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from synth import new_ids, write_register

    from secstatus.domain.model import ID_PATTERN
    from secstatus.register.checks import validate

    register, diagnostics = validate(write_register(tmp_path, 200))
    assert [d for d in diagnostics if d.severity == "error"] == [] and len(register.modifications) == 200
    ids = [ident for ident, _ in zip(new_ids(), range(20_000), strict=False)]
    assert len(set(ids)) == 20_000 and all(re.match(ID_PATTERN, ident) for ident in ids)
    assert not {f"{ident}.yaml" for ident in ids} & {p.name for p in (ROOT / "data" / "modifications").iterdir()}


@pytest.mark.slow
def test_console_entry_flushes_everything_and_keeps_exit_codes(tmp_path):
    """The entry point leaves without tearing the heap down; what it printed is all there."""
    golden = (ROOT / "tests" / "golden" / "validate-invalid.json").read_text(encoding="utf-8")
    runs = {
        code: subprocess.run([sys.executable, "-m", "secstatus", *args], cwd=ROOT, capture_output=True, text=True)
        for args, code in (
            (["--data", "tests/fixtures/invalid", "validate", "--format", "json"], 1),
            (["--data", "data", "validate"], 0),
            (["no-such-command"], 2),
        )
    }
    assert {code: run.returncode for code, run in runs.items()} == {1: 1, 0: 0, 2: 2}
    fixtures = len(list((ROOT / "tests" / "fixtures" / "invalid").rglob("*.yaml")))  # one per code it shows
    assert runs[1].stdout == golden and f"{fixtures} files checked" in runs[1].stderr
    assert "No such command" in runs[2].stderr


def test_architecture_doc_names_every_module():
    """docs/architecture.md is where a newcomer starts: a module it does not name by its path is one
    they cannot find, and each subpackage has its section."""
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = ROOT / "src" / "secstatus"
    modules = [p.relative_to(package).as_posix() for p in package.rglob("*.py") if not p.stem.startswith("_")]
    assert modules and [m for m in sorted(modules) if f"`{m}`" not in doc] == []
    folders = [p.name for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    assert [f for f in sorted(folders) if not re.search(rf"^### `{f}/`", doc, re.MULTILINE)] == []


def test_security_doc_names_tests_that_exist():
    """docs/security.md says which test holds each promise; each named test must exist."""
    import re

    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    named = re.findall(r"`(test_\w+\.py)(?:::(test_\w+))?`", doc)
    assert len(named) > 10
    missing = [
        f"{module}::{test}"
        for module, test in named
        if not (ROOT / "tests" / module).exists()
        or (test and f"def {test}(" not in (ROOT / "tests" / module).read_text(encoding="utf-8"))
    ]
    assert missing == []
