"""The templates' sandbox, with its verdict on each attribute remembered.

Jinja's immutable sandbox reads every attribute a template names through its own ``getattr``,
which asks its documented hook ``is_safe_attribute(obj, attr, value)`` whether the attribute is
safe: not private, not a Python internal (``is_internal_attribute``), not a method that changes
a list, set or dict (``modifies_known_mutable``). Both look at the object's type and the
attribute's name, not at the value; so the verdict for a (type, name) pair is worked out once,
where a report reads tens of thousands of attributes of a few dozen types.
``tests/test_sandbox.py`` holds that to Jinja's own verdicts for every attribute the templates
read: should a release of Jinja judge by more than the type and the name, it fails. Every read
still goes through Jinja's ``getattr`` (its ``str.format`` guard included).

A render has limits (``limits``): a time budget (``SECSTATUS_TEMPLATE_TIMEOUT`` seconds, default
10) and a memory bound (``SECSTATUS_TEMPLATE_MEMORY`` MiB of address space more than the process
held when the render began, default 1024); past the budget the render stops with ``TemplateLimit``,
past the bound with a MemoryError.
A power (``**``) whose result would be huge is refused before it is computed: it is the one
operation that can run for minutes in one step, where no time budget can interrupt it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..domain.diagnostics import Refusal

DEFAULT_SECONDS = 10.0
DEFAULT_MEBIBYTES = 1024
MAX_POWER_BITS = 1 << 16
"""The largest power a template may compute, in bits (some 20,000 decimal digits)."""


class TemplateLimit(Exception):
    """A render ran past its time budget."""


class LimitSetting(Refusal, ValueError):
    """A limit's environment variable is not a positive number."""


def _setting(name: str, default: float) -> float:
    text = os.environ.get(name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise LimitSetting(f"{name}={text!r} is not a positive number")
    return value


def time_budget() -> float:
    """Seconds a render may take (``SECSTATUS_TEMPLATE_TIMEOUT``, default 10)."""
    return _setting("SECSTATUS_TEMPLATE_TIMEOUT", DEFAULT_SECONDS)


def memory_bound() -> int:
    """Bytes of address space a render may add (``SECSTATUS_TEMPLATE_MEMORY`` MiB, default 1024)."""
    return int(_setting("SECSTATUS_TEMPLATE_MEMORY", DEFAULT_MEBIBYTES) * 1024 * 1024)


@contextlib.contextmanager
def limits() -> Iterator[None]:
    """Run the block (a render) within the time budget and the memory bound."""
    seconds, bound = time_budget(), memory_bound()
    with _memory_bound(bound), _time_budget(seconds):
        yield


@contextlib.contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    """A timer that raises TemplateLimit in the block once ``seconds`` have passed, and again every
    50 ms after, should the block catch one. Signals reach the main thread only: elsewhere (not
    the command line), or without interval timers (Windows), the block runs without a budget."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    running = True

    def expire(signum, frame):
        if running:
            raise TemplateLimit(f"stopped after its time budget of {seconds:g} s (SECSTATUS_TEMPLATE_TIMEOUT)")

    previous = signal.signal(signal.SIGALRM, expire)
    timer = signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        yield
    finally:
        running = False
        signal.setitimer(signal.ITIMER_REAL, *timer)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _memory_bound(bound: int) -> Iterator[None]:
    """The process's address space limited to what it holds now plus ``bound`` for the block, so
    an allocation past it is a MemoryError at once, not a machine that swaps. Where the address
    space cannot be read or limited (not Linux), the block runs without a bound."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            held = int(statm.read().split()[0]) * resource.getpagesize()
    except (ImportError, OSError, ValueError, IndexError):
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = held + bound if hard == resource.RLIM_INFINITY else min(held + bound, hard)
    if soft != resource.RLIM_INFINITY and soft <= limit:  # a tighter limit is already set
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


class Sandbox(ImmutableSandboxedEnvironment):
    """``ImmutableSandboxedEnvironment``, remembering its verdict per (type, attribute name), and
    refusing a huge power (Jinja's documented ``intercepted_binops``/``call_binop``)."""

    intercepted_binops = frozenset({"**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if (
            operator == "**"
            and isinstance(left, int)
            and isinstance(right, int)
            and right > 0
            and abs(left) > 1
            and (abs(left).bit_length() - 1) * right > MAX_POWER_BITS
        ):
            raise SecurityError(f"{left} ** {right} is too large a number to compute")
        return super().call_binop(context, operator, left, right)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        kind = type(obj)
        if obj.__class__ is not kind:  # an object that claims another class is judged afresh each time
            return super().is_safe_attribute(obj, attr, value)
        key = (kind, attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict
