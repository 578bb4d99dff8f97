"""A new register repository, ready to use (``secstatus init``).

Rules: the target is a new or empty folder (anything else is refused, so nothing is
overwritten); it gets the record folders under ``data/``, the kit shipped in the package's
``kit/`` folder (pull-request and publishing workflows, pull-request template, ``.gitignore``,
editor settings, a README for its maintainers), the records' JSON Schemas in ``schemas/`` wired
for editors (``.vscode/settings.json``), a ``.pre-commit-config.yaml`` and ``requirements.txt``,
the one pin of secstatus that the hook and the workflows install; and it becomes a git
repository when git is there. The kit's files are copied as they are but for their
``@SECSTATUS_...@`` placeholders.

The pin is how this secstatus was installed, so that it installs for whoever ran ``init``
(``installed_pin``): from a git repository, that repository at the installed commit (and the
pre-commit hook is then the one that repository publishes, at that commit: ``pre-commit
autoupdate`` and hosted pre-commit services work with it); from a package index, that version;
from a local folder or archive, that path, which installs on this machine only (``Pin.portable``).
The pin brings the ``pdf`` and ``site`` extras: the workflows render the PDF report and build the
site. ``--requirement`` overrides it. It is never a placeholder.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution, metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from .. import __version__
from ..domain.diagnostics import Refusal
from ..domain.model import RECORD_TYPES
from ..output.schemas import FOLDER, editor_settings, write_schemas
from ..system import gitrun

PACKAGE = Path(__file__).resolve().parent.parent
KIT = PACKAGE / "kit"
PRE_COMMIT_CONFIGS = PACKAGE / "kit-pre-commit"
"""The two forms of the register's ``.pre-commit-config.yaml``: ``published.yaml`` (the hook this
project publishes, by repository and commit) and ``local.yaml`` (the installed secstatus)."""
REQUIREMENT = "@SECSTATUS_REQUIREMENT@"
HOMEPAGE = "@SECSTATUS_HOMEPAGE@"
HOOK_REPO = "@SECSTATUS_HOOK_REPO@"
HOOK_REV = "@SECSTATUS_HOOK_REV@"
EXTRAS = "[pdf,site]"
"""What the register's pin installs besides the core: its workflows render the PDF and the site."""


class InitError(Refusal, ValueError):
    """The folder cannot become a register repository; nothing was written."""


@dataclass(frozen=True)
class Pin:
    """The line of ``requirements.txt``, where it came from (in words), whether it installs on
    other machines too, and the git repository and commit whose published hook it matches."""

    requirement: str
    source: str
    portable: bool = True
    hook_repo: str | None = None
    hook_rev: str | None = None


@dataclass(frozen=True)
class NewRegister:
    files: list[Path]
    pin: Pin


def installed_pin() -> Pin:
    """The pin of this secstatus, from how it was installed: its distribution's ``direct_url.json``
    (PEP 610), written by the installer for an install from a URL, a VCS or a local path."""
    try:
        found = distribution("secstatus")
        version, text = found.version, found.read_text("direct_url.json")
    except PackageNotFoundError:
        version, text = __version__, None
    try:
        direct = json.loads(text) if text else None
    except ValueError:
        direct = None
    return pin_from(direct if isinstance(direct, dict) else None, version)


def pin_from(direct_url: dict[str, Any] | None, version: str) -> Pin:
    """The pin for an install described by ``direct_url`` (None: installed by name from an index)."""
    if not direct_url or not isinstance(direct_url.get("url"), str):
        return Pin(f"secstatus{EXTRAS}=={version}", f"installed from a package index (version {version})")
    url, hidden = _without_password(direct_url["url"])
    subdirectory = direct_url.get("subdirectory")
    fragment = _fragment(subdirectory=subdirectory)
    vcs = direct_url.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("commit_id"):
        commit, kind = vcs["commit_id"], vcs.get("vcs", "git")
        asked = vcs.get("requested_revision")
        source = f"installed from {kind} {url} at commit {commit}" + (
            f" ({asked})" if asked and asked != commit else ""
        )
        publishes = kind == "git" and not subdirectory
        return Pin(
            f"secstatus{EXTRAS} @ {kind}+{url}@{commit}{fragment}",
            source + hidden,
            portable=not url.startswith("file:"),
            hook_repo=url if publishes else None,
            hook_rev=commit if publishes else None,
        )
    local = url.startswith("file:")
    if isinstance(direct_url.get("dir_info"), dict):
        editable = " (editable)" if direct_url["dir_info"].get("editable") else ""
        return Pin(
            f"secstatus{EXTRAS} @ {url}{fragment}",
            f"installed from the local folder {_path(url)}{editable}",
            portable=not local,
        )
    archive = direct_url.get("archive_info")
    hashes = archive.get("hashes") if isinstance(archive, dict) else None
    digest = hashes.get("sha256") if isinstance(hashes, dict) else None
    where = f"the local archive {_path(url)}" if local else f"the archive {url}"
    return Pin(
        f"secstatus{EXTRAS} @ {url}{_fragment(sha256=digest, subdirectory=subdirectory)}",
        f"installed from {where}{hidden}",
        portable=not local,
    )


def _fragment(**values: str | None) -> str:
    """``#sha256=…&subdirectory=…``: the URL fragment pip reads, of the values given."""
    given = [f"{key}={value}" for key, value in values.items() if value]
    return "#" + "&".join(given) if given else ""


def given_pin(spec: str) -> Pin:
    """The pin given with ``--requirement``; a git address with a revision (``secstatus @
    git+URL@REV``) also names the published hook to use."""
    spec = spec.strip()
    if "\n" in spec or not spec:
        raise InitError("the requirement is one line, such as 'secstatus[pdf,site]==0.1.0'")
    found = re.fullmatch(r"secstatus(?:\[[^\]]*\])?\s*@\s*git\+(?P<url>\S+)@(?P<rev>[^@/#\s]+)", spec)
    return Pin(
        spec,
        "given with --requirement",
        portable="file:" not in spec,
        hook_repo=found["url"] if found else None,
        hook_rev=found["rev"] if found else None,
    )


def _without_password(url: str) -> tuple[str, str]:
    """``url`` without a password (a token would be committed with requirements.txt), and a note if one was dropped."""
    parts = urlsplit(url)
    if parts.password is None:
        return url, ""
    host = parts.hostname or ""  # none in 'https://user:token@/path'
    return urlunsplit(
        parts._replace(netloc=host + (f":{parts.port}" if parts.port else ""))
    ), " (its credentials left out)"


def _path(file_url: str) -> str:
    return unquote(urlsplit(file_url).path)


def homepage() -> str:
    """The project's address, as its package metadata gives it (``[project.urls]`` Homepage)."""
    try:
        urls = metadata("secstatus").get_all("Project-URL") or []
    except PackageNotFoundError:
        urls = []
    found = [url.strip() for label, _, url in (u.partition(",") for u in urls) if label.strip() == "Homepage"]
    return found[0] if found else "https://pypi.org/project/secstatus/"


def init_register(target: Path, requirement: str | None = None) -> NewRegister:
    """Make ``target`` a register repository; returns the files written and the pin."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InitError(
            f"{target}: exists and is not an empty folder; secstatus init writes only into a new or empty one"
        )
    pin = given_pin(requirement) if requirement is not None else installed_pin()
    values = {
        REQUIREMENT: pin.requirement,
        HOMEPAGE: homepage(),
        HOOK_REPO: pin.hook_repo or "",
        HOOK_REV: pin.hook_rev or "",
    }
    written = []
    target.mkdir(parents=True, exist_ok=True)
    for folder in RECORD_TYPES:
        keep = target / "data" / folder / ".gitkeep"
        keep.parent.mkdir(parents=True)
        keep.touch()
        written.append(keep)
    hook = PRE_COMMIT_CONFIGS / ("published.yaml" if pin.hook_repo else "local.yaml")
    sources = [(p, p.relative_to(KIT)) for p in sorted(KIT.rglob("*")) if p.is_file()]
    for source, name in [*sources, (hook, Path(".pre-commit-config.yaml"))]:
        written.append(_copy(source, target / name, values))
    settings = target / ".vscode" / "settings.json"
    settings.write_text(json.dumps(editor_settings(), indent=2) + "\n", encoding="utf-8")
    written += [settings, *write_schemas(target / FOLDER)]
    if shutil.which("git"):
        done = gitrun.run(target, "init", "-q", "-b", "main")
        if done.returncode != 0:
            raise InitError(f"{target}: git init failed: {done.stderr.decode('utf-8', 'replace').strip()}")
    return NewRegister(written, pin)


def _copy(source: Path, path: Path, values: dict[str, str]) -> Path:
    text = source.read_text(encoding="utf-8")
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
