"""One editor at a time: an exclusive lock on the register around every edit.

Every editing command holds the lock from loading the register, through validating it with the
edit, to writing the file, so two edits can never both read the same old file and the second
overwrite the first, and ``new dp`` never hands out one id twice. The lock is ``flock`` on
``data/.secstatus.lock`` (the loader skips that file, the register kit's .gitignore ignores it);
the kernel drops it when the holder exits, however it exits. The holder's pid and command are
written into the file so that a waiting editor can say who it waited for. A second editor waits
up to ``SECSTATUS_LOCK_TIMEOUT`` seconds (default 10) and then gives up with that message.
Where there is no ``fcntl`` (Windows), an edit is refused, naming the platform; the loader never
imports this module, so the commands that only read the register work there.

The lock path comes with the repository, so a pull request can commit something there: a symlink
is never followed and a folder, FIFO, socket or device is never used; each is refused with a
message that says what it is and what to do. Once the lock is held, the temporary files that a
killed edit left in ``data/`` are removed (``files.remove_stale_temporaries``): no other writer
can be running.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from ..domain.diagnostics import Refusal
from ..output.files import remove_stale_temporaries
from ..register.intake import LOCK_NAME

try:
    import fcntl
except ImportError:  # Windows: no flock; editing is refused, reading works (the loader never imports this)
    fcntl = None  # type: ignore[assignment]  # the module or None: mypy types the name as the module

DEFAULT_TIMEOUT = 10.0


class LockError(Refusal, RuntimeError):
    """The register could not be locked; nothing was written."""


def lock_timeout() -> float:
    text = os.environ.get("SECSTATUS_LOCK_TIMEOUT")
    if not text:
        return DEFAULT_TIMEOUT
    try:
        return max(0.0, float(text))
    except ValueError:
        raise LockError(f"SECSTATUS_LOCK_TIMEOUT={text!r} is not a number of seconds") from None


@contextlib.contextmanager
def register_lock(data_root: Path, command: str, timeout: float | None = None) -> Iterator[None]:
    """Hold the register's edit lock for the block; wait at most ``timeout`` seconds for it."""
    path = Path(data_root) / LOCK_NAME
    if fcntl is None:
        raise LockError(
            f"{path}: cannot lock the register for editing: this platform ({sys.platform}) has no "
            "POSIX file lock (fcntl); nothing was written. The commands that only read the register "
            "work here; edit it under Linux, macOS or WSL"
        )
    wait = lock_timeout() if timeout is None else timeout
    fd = _acquire(path, time.monotonic() + wait, wait)
    try:
        try:
            os.ftruncate(fd, 0)  # a file a killed run left keeps no tail of its holder
            os.pwrite(fd, f"pid {os.getpid()}: {command}\n".encode("utf-8", "replace"), 0)
        except OSError:
            pass  # the holder's name is a courtesy; the lock itself is held
        remove_stale_temporaries(Path(data_root))
        try:
            yield
        finally:
            # Removed while still held: a waiter that opened this file finds it gone and retries.
            with contextlib.suppress(OSError):
                os.unlink(path)
    finally:
        os.close(fd)  # releases the lock


def _acquire(path: Path, deadline: float, wait: float) -> int:
    """An open descriptor of the lock file, locked; the file is the one now at ``path``."""
    while True:
        try:
            # O_NONBLOCK: a FIFO at the path must not hang the open; it is refused just below.
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK, 0o666)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO, errno.EOPNOTSUPP):
                raise LockError(_not_a_lock_file(path)) from None
            raise LockError(
                f"{path}: cannot lock the register for editing: {exc.strerror}; nothing was written"
            ) from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise LockError(_not_a_lock_file(path))
        try:
            _flock_until(fd, path, deadline, wait)
            if _is_current(fd, path):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the last holder removed the file as we waited: lock the new one


def _not_a_lock_file(path: Path) -> str:
    """What is at the lock path instead of the lock file, and what to do about it."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        mode = 0
    if stat.S_ISLNK(mode):
        try:
            what = f"a symbolic link (to {os.readlink(path)})"
        except OSError:
            what = "a symbolic link"
    else:
        kinds = (
            (stat.S_ISDIR, "a folder"),
            (stat.S_ISFIFO, "a FIFO"),
            (stat.S_ISSOCK, "a socket"),
            (stat.S_ISCHR, "a character device"),
            (stat.S_ISBLK, "a block device"),
        )
        what = next((name for test, name in kinds if test(mode)), "not a regular file")
    return (
        f"{path}: is {what}, not the lock file secstatus makes there during an edit; never followed "
        f"or used: remove it (and its commit, if a change brought it) and run the command again; "
        f"nothing was written"
    )


def _flock_until(fd: int, path: Path, deadline: float, wait: float) -> None:
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockError(
                    f"{path}: another edit holds the register ({_holder(fd)}); "
                    f"gave up after {wait:g} s; nothing was written"
                ) from None
            time.sleep(0.02)
        except OSError as exc:
            raise LockError(
                f"{path}: cannot lock the register for editing: {exc.strerror}; nothing was written"
            ) from None


def _is_current(fd: int, path: Path) -> bool:
    try:
        on_disk = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text or "holder unknown"
