"""Writing an output or an edited record without losing what was there.

Rules:
- a regular file is replaced atomically: the new bytes go to a temporary file beside it, which
  takes the old file's mode (a new file gets the mode the umask gives) and is renamed over it, so
  a reader sees the old file or the new one, never half of either;
- a symlink is followed: the file it points to is replaced that way, and the link stays a link;
- a character device or a FIFO (``/dev/null``, ``/dev/stdout``, a pipe) is written in place, never
  replaced; any other kind of file (a folder, a block device, a socket) is refused;
- a write that fails (disk full, read-only folder) raises ``OSError`` with the reason and leaves
  the old file as it was;
- the temporary file is named ``.NAME.XXXXXXXX.secstatus-tmp`` (``intake.is_temporary``, where the
  loader skips it); one that a killed write left behind is removed by the next edit, under the
  lock (``remove_stale_temporaries``).

What the commands write outside the register (``report -o``, ``site -o``) is checked first
(``check_output``): never into the data folder, the templates or a ``.git`` folder, and never
through a symlink inside the register's repository unless asked (a pull request can commit one).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..domain.diagnostics import Refusal
from ..register.intake import TEMPORARY_SUFFIX, is_temporary


class OutputRefused(Refusal, ValueError):
    """An output path that would overwrite the register or be redirected by a link; nothing written."""


def temporary_name(target: str) -> str:
    """A new temporary name for a file to be written as ``target``."""
    return f".{target}.{os.urandom(4).hex()}{TEMPORARY_SUFFIX}"


def write_output(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` by the rules above."""
    target = Path(os.path.realpath(path))
    try:
        status = os.stat(target)
    except FileNotFoundError:
        status = None
    if status is None or stat.S_ISREG(status.st_mode):
        _replace_regular(target, data, status)
    elif stat.S_ISCHR(status.st_mode) or stat.S_ISFIFO(status.st_mode):
        _write_in_place(target, data, fifo=stat.S_ISFIFO(status.st_mode))
    else:
        raise OSError(errno.EINVAL, "not a regular file, character device or FIFO: refused, nothing written", str(path))


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _replace_regular(target: Path, data: bytes, old: os.stat_result | None) -> None:
    mode = stat.S_IMODE(old.st_mode) if old else 0o666 & ~current_umask()
    handle, temporary = _new_temporary(target)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fchmod(out.fileno(), mode)
            if old is not None:
                _keep_owner(out.fileno(), old)
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _new_temporary(target: Path) -> tuple[int, Path]:
    """A new, empty file beside ``target`` that only we can read, open for writing, under a name no
    other file has (``tempfile.mkstemp``'s rule, without the cost of importing it on every run).
    Its random part is 8 characters, as mkstemp's: a longer one would refuse a target whose name
    fitted before."""
    for _ in range(100):
        temporary = target.parent / temporary_name(target.name)
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary file name", str(target.parent))


def _keep_owner(fd: int, old: os.stat_result) -> None:
    """Give the new file the old one's owner where we may (as root); otherwise it is ours."""
    if (old.st_uid, old.st_gid) == (os.geteuid(), os.getegid()):
        return
    try:
        os.fchown(fd, old.st_uid, old.st_gid)
    except PermissionError:
        pass


def _write_in_place(target: Path, data: bytes, fifo: bool) -> None:
    """Write to a device or FIFO as it is: no truncation, no rename, every byte or an error."""
    flags = os.O_WRONLY | os.O_CLOEXEC | (os.O_NONBLOCK if fifo else 0)
    try:
        fd = os.open(target, flags)
    except OSError as exc:
        if fifo and exc.errno == errno.ENXIO:
            raise OSError(errno.ENXIO, "a FIFO with nothing reading from it", str(target)) from None
        raise
    try:
        if fifo:
            os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    finally:
        os.close(fd)


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files a killed write left under ``folder`` (regular files named by
    ``is_temporary``; links are not followed); returns them. Call it only where no other write can
    be under way (under the register's lock): a live write's temporary file has the same name."""
    removed = []
    for parent, _folders, names in os.walk(folder):
        for name in names:
            path = Path(parent) / name
            try:
                if is_temporary(name) and stat.S_ISREG(os.lstat(path).st_mode):
                    path.unlink()
                    removed.append(path)
            except OSError:
                pass  # gone meanwhile, or not ours to remove: the loader skips it all the same
    return removed


def check_output(path: Path | str, data_root: Path, follow_symlinks: bool = False) -> None:
    """Refuse (OutputRefused) to write a command's output at ``path`` when, with every symlink
    resolved, it is inside the register's data folder or templates folder, holds one of them, or is
    in a ``.git`` folder; or when, unless ``follow_symlinks``, the path goes through a symlink
    inside the register's repository (the folder that holds ``data/``), which a pull request
    could have committed to send the write elsewhere. A symlink outside the repository is the
    user's own and is followed."""
    root = Path(os.path.realpath(Path(data_root).parent))
    real = Path(os.path.realpath(path))
    protected = {
        "data folder": Path(os.path.realpath(data_root)),
        "templates folder": Path(os.path.realpath(root / "templates")),
    }
    for what, folder in protected.items():
        if real.is_relative_to(folder) or folder.is_relative_to(real):
            raise OutputRefused(
                f"{path}: {'inside' if real.is_relative_to(folder) else 'holds'} the register's "
                f"{what} ({folder}): an output never goes there; write it elsewhere"
            )
    if ".git" in (part.casefold() for part in real.parts):
        raise OutputRefused(f"{path}: inside a git folder ({real}): an output never goes there; write it elsewhere")
    link = None if follow_symlinks else _link_inside(Path(path), root)
    if link is not None:
        raise OutputRefused(
            f"{path}: goes through {link}, a symlink inside the register's repository "
            f"(to {os.readlink(link)}): not written through; pass --follow-symlinks to write "
            f"where it points"
        )


def _link_inside(path: Path, root: Path) -> Path | None:
    """The first symlink inside ``root`` (a real path) that ``path`` goes through, walked one
    name at a time as the system walks it (a ``..`` after a link climbs from where the link led)."""
    here = Path(os.getcwd()) if not path.is_absolute() else Path(path.anchor)
    for part in path.parts[1 if path.is_absolute() else 0 :]:
        if part in ("", "."):
            continue
        if part == "..":
            here = here.parent
            continue
        step = here / part
        if step.is_symlink():
            if step.is_relative_to(root):
                return step
            here = Path(os.path.realpath(step))
        else:
            here = step
    return None
