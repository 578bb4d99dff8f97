"""Helpers for the packaging tests: the package as a user gets it, installed offline.

- ``source_repo``: this checkout's files (those git tracks, and new ones it does not ignore)
  committed alone in a new git repository, as a clone of the project would be;
- ``build``: its sdist, and the wheel built from that sdist, by ``python -m build`` with the
  development environment's setuptools (no build isolation, so nothing is downloaded);
- ``wheelhouse``: that wheel, and a wheel of every distribution it (and pre-commit, and the build
  backend) needs, made from the copy installed in this environment: its files as
  ``importlib.metadata`` lists them, with a RECORD of their hashes (the wheel format, PEP 427).
  ``offline_pip`` then points pip at it with ``--no-index``: installs run as from the package
  index, with no network.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from importlib.metadata import Distribution, distribution
from pathlib import Path

from conftest import ROOT
from conftest import git as run_git
from packaging.requirements import Requirement
from packaging.tags import sys_tags
from packaging.utils import canonicalize_name


def source_repo(target: Path) -> tuple[Path, str]:
    """The checkout's files committed alone in a new repository at ``target``; returns it and the commit."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    target.mkdir(parents=True)
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    run_git(target, "init", "-q", "-b", "main")
    run_git(target, "add", "-A")
    run_git(target, "commit", "-q", "--no-verify", "-m", "secstatus as checked out")
    return target, run_git(target, "rev-parse", "HEAD").stdout.strip()


def build(source: Path, out: Path) -> tuple[Path, Path]:
    """The sdist of ``source`` and the wheel built from that sdist, into ``out``."""
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    [sdist], [wheel] = sorted(out.glob("*.tar.gz")), sorted(out.glob("*.whl"))
    return sdist, wheel


def needed(requirements: list[str]) -> dict[str, Distribution]:
    """Every installed distribution that ``requirements`` need, through their own requirements
    and extras, by canonical name."""
    found: dict[str, Distribution] = {}
    wanted: set[tuple[str, str]] = set()
    todo = [Requirement(r) for r in requirements]
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        extras = requirement.extras or {""}
        if all((name, extra) in wanted for extra in extras):
            continue
        wanted |= {(name, extra) for extra in extras}
        found[name] = dist = distribution(name)
        for text in dist.requires or []:
            nested = Requirement(text)
            if nested.marker is None or any(nested.marker.evaluate({"extra": extra}) for extra in extras):
                todo.append(nested)
    return found


def repack(dist: Distribution, out: Path) -> Path:
    """A wheel of the installed ``dist``: its files (not its scripts, which pip makes again from
    its entry points, nor compiled bytecode), its metadata, and a new RECORD."""
    files = dist.files or []
    [info] = {
        f.parent
        for f in files
        if f.name == "METADATA"
        and len(f.parts) == 2  # not a vendored one's
        and f.parent.name.endswith(".dist-info")
    }
    tags = [line.split(":", 1)[1].strip() for line in dist.read_text("WHEEL").splitlines() if line.startswith("Tag:")]
    here = {str(tag) for tag in sys_tags()}
    tags = [tag for tag in tags if tag in here]  # the one this interpreter takes (py3, not py2, of py2.py3)
    name = canonicalize_name(dist.metadata["Name"]).replace("-", "_")
    path = out / f"{name}-{dist.version}-{tags[0]}.whl"
    rows = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as wheel:
        for file in files:
            if file.parts[0] == ".." or "__pycache__" in file.parts or file.suffix == ".pyc":
                continue
            if file.parent == info and file.name in ("RECORD", "INSTALLER", "REQUESTED", "direct_url.json"):
                continue
            data = file.read_binary()
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            wheel.writestr(file.as_posix(), data)
            rows.append(f"{file.as_posix()},sha256={digest},{len(data)}")
        rows.append(f"{info.as_posix()}/RECORD,,")
        wheel.writestr(f"{info.as_posix()}/RECORD", "\n".join(rows) + "\n")
    return path


def wheelhouse(out: Path, wheel: Path) -> Path:
    """A folder with ``wheel`` and a wheel of everything it needs with all its extras, pre-commit
    (the kit README installs it), setuptools (to build secstatus from its source) and pip (a
    newer one than ``python3 -m venv`` brings reads a ``git+file:`` requirement)."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy2(wheel, out)
    for name, dist in needed(["secstatus[pdf,site]", "pre-commit", "setuptools", "pip"]).items():
        if name != "secstatus":
            repack(dist, out)
    return out


def offline_pip(wheels: Path) -> dict[str, str]:
    """The environment that makes pip install from ``wheels`` only, as from an index, and keep no cache."""
    return {
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheels),
        "PIP_NO_CACHE_DIR": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }


def system_path() -> str:
    """PATH without this test run's virtual environment: what a new team's shell has."""
    own = os.path.dirname(sys.executable)
    return os.pathsep.join(
        p for p in os.environ["PATH"].split(os.pathsep) if p and os.path.realpath(p) != os.path.realpath(own)
    )


def new_venv(folder: Path) -> Path:
    """A fresh virtual environment made by the system's python3; returns its bin folder."""
    python = shutil.which("python3", path=system_path())
    assert python, "no python3 outside the test's environment"
    subprocess.run([python, "-m", "venv", str(folder)], check=True, capture_output=True)
    return folder / "bin"


def pip_install(bin_folder: Path, wheels: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(bin_folder / "python"), "-m", "pip", "install", "--quiet", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **offline_pip(wheels)},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done
