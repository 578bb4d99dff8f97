"""Fuzzing the loader: mutated records (bytes, lines, keys, values) give diagnostics, never an
exception, and every diagnostic points inside the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA, FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secstatus.register.load import load_file

SEEDS = [
    (p.parent.name, p.read_bytes())
    for p in [
        *sorted((FIXTURES / "valid" / "modifications").glob("*.yaml")),
        DATA / "modifications" / "SECMP0053.yaml",
        DATA / "modifications" / "DP075.yaml",
        DATA / "releases" / "2019-11.yaml",
        DATA / "reports" / "2019-05.yaml",
        DATA / "calendar" / "overrides.yaml",
        DATA / "meetings" / "2019-05-10-panel.yaml",
        *sorted((DATA / "sec-versions").glob("*.yaml"))[:1],
    ]
]

TRICKY = [
    b"",
    b"~",
    b"null",
    b"*a",
    b"&a x",
    b"!!python/object:os.system",
    b"!!binary AAAA",
    b"[",
    b"{",
    b"}",
    b"- x",
    b"|",
    b">-",
    b"2019-02-30",
    b"2019-13-01",
    b"0001-01-01",
    b"9999-12-31",
    b"1e400",
    b"0x1F",
    b'"\\x0c"',
    b'"a\\nb"',
    b"'",
    b'"',
    b"\t",
    b"\x0c",
    b"\x00",
    b"\xff\xfe",
    b"\xe2\x80\xa8",
    b"y" * 300,
    b"? complex",
    b": x",
    b"%YAML 1.1",
    b"---",
    b"...",
    b"#",
    b"<<: *a",
    b"true",
    b"-1",
    b"[1, [2, {a: b}]]",
]

KEYS = [
    b"id",
    b"title",
    b"events",
    b"kind",
    b"date",
    b"on_or_before",
    b"outcome",
    b"release",
    b"assessments",
    b"type",
    b"planned",
    b"days",
    b"month",
    b"x-unknown",
    b"<<",
    b"? a",
    b"1",
    b"",
]


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    folder, raw = draw(st.sampled_from(SEEDS))
    lines = raw.split(b"\n")
    for _ in range(draw(st.integers(1, 4))):
        how = draw(
            st.sampled_from(
                ["byte", "delete-line", "duplicate-line", "swap-lines", "key", "value", "insert-line", "indent"]
            )
        )
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        if how == "byte":
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + bytes([draw(st.integers(0, 255))]) + line[at + draw(st.integers(0, 1)) :]
        elif how == "delete-line" and len(lines) > 1:
            del lines[i]
        elif how == "duplicate-line":
            lines.insert(i, line)
        elif how == "swap-lines":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif how == "key" and b":" in line:
            indent = line[: len(line) - len(line.lstrip(b" -"))]
            lines[i] = indent + draw(st.sampled_from(KEYS)) + b":" + line.split(b":", 1)[1]
        elif how == "value" and b":" in line:
            lines[i] = line.split(b":", 1)[0] + b": " + draw(st.sampled_from(TRICKY))
        elif how == "insert-line":
            lines.insert(i, draw(st.sampled_from(TRICKY)))
        elif how == "indent":
            lines[i] = b" " * draw(st.integers(0, 6)) + line.lstrip(b" ")
    return folder, b"\n".join(lines)


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_records_give_diagnostics_inside_the_file(case):
    folder, raw = case
    record, _, diagnostics = load_file(Path(f"{folder}/FUZZ.yaml"), folder, "FUZZ.yaml", raw)
    assert (record is None) == bool(diagnostics)
    lines = max(1, len(raw.split(b"\n")))
    for d in diagnostics:
        assert 1 <= d.line <= lines and d.column >= 1, (d, lines)
        assert d.severity == "error" and d.path == "FUZZ.yaml" and d.message
