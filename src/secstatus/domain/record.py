"""The base of every record type, and the error a model's own rule raises.

Every model forbids unknown fields and validates strictly (a date must be a YAML date, not a
string or a number), so that a typo in the register is an error rather than an ignored key. A
rule that a model checks itself (``give exactly one of …``) raises ``rule_error`` with its own
diagnostic code, so that validation can name the rule that failed.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

RULE_CODES: dict[str, str] = {}
"""Each code a model rule can raise, with what it means (for the diagnostic catalogue)."""


def empty_list() -> list:
    """A new empty list: the default of a model's list field.

    Pydantic reads the signature of a field's default factory, and the builtin ``list`` has only a
    text signature, which it parses (tokenizing it) for every field: about 4 ms of every start-up,
    timed in pairs.
    """
    return []


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
NONCHARACTER = rule(
    "noncharacter",
    "a Unicode noncharacter (U+FFFE, U+FFFF, U+FDD0 to U+FDEF, the last two code "
    "points of every plane) or a lone surrogate in text: no XML document can hold it",
)

_NONCHARACTERS = "\\uFDD0-\\uFDEF\\uFFFE\\uFFFF"
"""The noncharacters of the Basic Multilingual Plane, which every regex dialect can name in a
class (Pydantic's, ECMA-262's for editors' JSON Schema, Python's for other schema checkers): text
for no interchange, which XML refuses (U+FFFE, U+FFFF) or discourages, so the site's feed cannot
hold it. The other planes' 64 are refused by ``no_astral_noncharacter``: ECMA-262 cannot name a
character past U+FFFF in a class outside its unicode mode, and Python's ``re`` cannot in it."""
_BREAKS_AND_CONTROLS = (
    "\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029" + _NONCHARACTERS
)  # ECMA-262 escapes, for the JSON Schema too
_CONTROLS = "\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f" + _NONCHARACTERS
ONE_LINE_PATTERN = rf"^(?:[^{_BREAKS_AND_CONTROLS}]*[^\s{_BREAKS_AND_CONTROLS}][^{_BREAKS_AND_CONTROLS}]*)?$"
"""No line break or control character, and not only spaces (checked by Pydantic's own regex engine)."""
TEXT_PATTERN = rf"^[^{_CONTROLS}]*$"
"""No control character (tab, line feed and carriage return are text)."""
URL_PATTERN = rf"^https?://[^\s{_BREAKS_AND_CONTROLS}]*$"
"""A web address: http(s), and nothing a line could break on."""

_LAST_TWO_OF_EACH_PLANE = "".join(chr(plane * 0x10000 + last) for plane in range(17) for last in (0xFFFE, 0xFFFF))
FIND_NONCHARACTERS = re.compile(f"[\ufdd0-\ufdef\ud800-\udfff{_LAST_TWO_OF_EACH_PLANE}]")
"""A noncharacter or a lone surrogate (which Pydantic's pattern never sees: it refuses the string)."""
_FIND_BREAKS_AND_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_FIND_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_FIND_ASTRAL_NONCHARACTERS = re.compile(f"[{_LAST_TWO_OF_EACH_PLANE[2:]}]")  # planes 1 to 16


def no_astral_noncharacter(value: str) -> str:
    """Refuse a noncharacter beyond the Basic Multilingual Plane (U+1FFFE ... U+10FFFF), which the
    patterns cannot name portably (see ``_NONCHARACTERS``)."""
    if not value.isascii() and _FIND_ASTRAL_NONCHARACTERS.search(value):
        raise rule_error(*noncharacter(value))
    return value


OneLine = Annotated[str, StringConstraints(pattern=ONE_LINE_PATTERN), AfterValidator(no_astral_noncharacter)]
"""A string printed on one line (a title, a name, an id): it is printed inside a heading, a table
row or a link, where a line break would start another; line breaks, control characters and
values of only spaces are refused (``text_problem`` says which)."""
Text = Annotated[str, StringConstraints(pattern=TEXT_PATTERN), AfterValidator(no_astral_noncharacter)]
"""Free text (a summary, a note): lines allowed, control characters refused."""
WebAddress = Annotated[str, StringConstraints(pattern=URL_PATTERN), AfterValidator(no_astral_noncharacter)]
"""An http(s) address on one line."""


def text_problem(value: str, pattern: str) -> tuple[str, str] | None:
    """Why ``value`` fails OneLine's or Text's ``pattern``: (its rule code, the message); None when
    the pattern is another."""
    one_line = pattern in (ONE_LINE_PATTERN, URL_PATTERN)
    if not one_line and pattern != TEXT_PATTERN:
        return None
    if FIND_NONCHARACTERS.search(value):
        return noncharacter(value)
    found = (_FIND_BREAKS_AND_CONTROLS if one_line else _FIND_CONTROLS).search(value)
    if found:
        where = "this one-line field" if one_line else "text"
        what = "a line break or control character" if one_line else "a control character"
        return CONTROL_CHARACTER, f"{what} (U+{ord(found.group()):04X}) is not allowed in {where}"
    if pattern == ONE_LINE_PATTERN and value and not value.strip():
        return BLANK, "holds only spaces"
    return None


def noncharacter(value: str) -> tuple[str, str]:
    """The rule code and message for text that holds a noncharacter or a lone surrogate."""
    found = FIND_NONCHARACTERS.search(value)
    code = ord(found.group()) if found else 0xFFFE
    what = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "a Unicode noncharacter"
    return NONCHARACTER, f"U+{code:04X} is {what}: no XML document (the site's feed) can hold it; remove it"


class Acknowledgement(Record):
    """A warning kept on purpose: ``code`` names the warning, ``reason`` says why it stays.

    It sits on the item the warning points at (an event, a DCC assessment, or the modification
    itself for a warning about the whole record). ``secstatus validate`` then shows the warning only
    with ``--show-acknowledged``, and ``--strict`` does not fail on it. An acknowledgement that
    matches no warning on its item is itself a warning (``stale-acknowledgement``), so that one
    outlives the anomaly it excused by no more than a validation run. Errors cannot be acknowledged,
    but for ``process-order``: an event of a legacy record whose predecessor (a Modification Report
    before a decision) no source dates.
    """

    code: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    reason: OneLine = Field(min_length=1)
