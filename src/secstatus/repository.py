"""A new register repository, ready to use (``secstatus init``).

Rules: the target is a new or empty folder (anything else is refused, so nothing is
overwritten); it gets the record folders under ``data/``, the kit shipped in the package's
``kit/`` folder (pre-commit configuration, pull-request and publishing workflows, pull-request
template, ``.gitignore``, a README for its maintainers) and ``requirements.txt``, the one pin of
secstatus that the hook and the workflows install; and it becomes a git repository when git is
there. The kit's files are copied as they are but for ``@SECSTATUS_REQUIREMENT@``.
"""

from __future__ import annotations

import shutil
from importlib.metadata import version
from pathlib import Path

from . import gitrun
from .diagnostics import Refusal
from .model import RECORD_TYPES

KIT = Path(__file__).resolve().parent / "kit"
REQUIREMENT = "@SECSTATUS_REQUIREMENT@"


class InitError(Refusal, ValueError):
    """The folder cannot become a register repository; nothing was written."""


def default_requirement() -> str:
    """This secstatus, pinned by its version tag in its source repository."""
    return f"secstatus @ git+https://github.com/OWNER/secstatus@v{version('secstatus')}"


def init_register(target: Path, requirement: str | None = None) -> list[Path]:
    """Make ``target`` a register repository; returns the files written."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InitError(f"{target}: exists and is not an empty folder; secstatus init writes only into a new "
                        "or empty one")
    pin = requirement or default_requirement()
    if "\n" in pin or not pin.strip():
        raise InitError("the requirement is one line, such as 'secstatus==0.1.0'")
    written = []
    target.mkdir(parents=True, exist_ok=True)
    for folder in RECORD_TYPES:
        keep = target / "data" / folder / ".gitkeep"
        keep.parent.mkdir(parents=True)
        keep.touch()
        written.append(keep)
    for source in sorted(p for p in KIT.rglob("*") if p.is_file()):
        path = target / source.relative_to(KIT)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source.read_text(encoding="utf-8").replace(REQUIREMENT, pin.strip()), encoding="utf-8")
        written.append(path)
    if shutil.which("git"):
        done = gitrun.run(target, "init", "-q", "-b", "main")
        if done.returncode != 0:
            raise InitError(f"{target}: git init failed: {done.stderr.decode('utf-8', 'replace').strip()}")
    return written
