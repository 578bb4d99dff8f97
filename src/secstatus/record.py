"""The base of every record type, and the error a model's own rule raises.

Every model forbids unknown fields and validates strictly (a date must be a YAML date, not a
string or a number), so that a typo in the register is an error rather than an ignored key. A
rule that a model checks itself (``give exactly one of …``) raises ``rule_error`` with its own
diagnostic code, so that validation can name the rule that failed.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

RULE_CODES: dict[str, str] = {}
"""Each code a model rule can raise, with what it means (for the diagnostic catalogue)."""


class Record(BaseModel):
    """Base of every record and nested item: unknown fields are errors, types are strict."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def rule(code: str, meaning: str) -> str:
    """Declare a model rule's diagnostic code once, with its meaning; returns the code."""
    RULE_CODES[code] = meaning
    return code


def rule_error(code: str, message: str) -> PydanticCustomError:
    """The error a model rule raises: its ``type`` is the rule's diagnostic code."""
    if code not in RULE_CODES:
        raise KeyError(f"undeclared rule code {code!r}")
    return PydanticCustomError(code, message)


CONTROL_CHARACTER = rule("control-character", "a control character in text, or a line break in a one-line field")
BLANK = rule("blank-value", "a one-line field that holds only spaces")

_LINE_BREAKS_AND_CONTROLS = re.compile("[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]")
_CONTROLS = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]")


def _one_line(value: str) -> str:
    """A single-line field (a title, a name, an id) holds no line break or control character:
    it is printed inside a heading, a table row or a link, where one would start another. Nor is
    it only spaces."""
    found = _LINE_BREAKS_AND_CONTROLS.search(value)
    if found:
        raise PydanticCustomError(CONTROL_CHARACTER, "a line break or control character ({char}) is not allowed "
                                  "in this one-line field", {"char": f"U+{ord(found.group()):04X}"})
    if value and not value.strip():
        raise PydanticCustomError(BLANK, "holds only spaces")
    return value


def _text(value: str) -> str:
    """A free-text field (a summary, a note) may run over lines but holds no control character."""
    found = _CONTROLS.search(value)
    if found:
        raise PydanticCustomError(CONTROL_CHARACTER, "a control character ({char}) is not allowed in text",
                                  {"char": f"U+{ord(found.group()):04X}"})
    return value


OneLine = Annotated[str, AfterValidator(_one_line)]
"""A string printed on one line: line breaks, control characters and blank values are refused."""
Text = Annotated[str, AfterValidator(_text)]
"""Free text: lines allowed, control characters refused."""


class Acknowledgement(Record):
    """A warning kept on purpose: ``code`` names the warning, ``reason`` says why it stays.

    It sits on the item the warning points at (an event, a DCC assessment, or the modification
    itself for a warning about the whole record). ``secstatus validate`` then shows the warning only
    with ``--show-acknowledged``, and ``--strict`` does not fail on it. An acknowledgement that
    matches no warning on its item is itself a warning (``stale-acknowledgement``), so that one
    outlives the anomaly it excused by no more than a validation run. Errors cannot be acknowledged.
    """

    code: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    reason: str = Field(pattern=r"\S")
