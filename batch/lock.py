"""One batch at a time in an output folder: a lock file that a second batch finds taken.

The lock is the operating system's (flock, or a byte-range lock on Windows), held by the
open file rather than by the file being there: a batch that is killed, however, lets go of it,
and a stale lock file from one is simply taken again.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from nutrigap.analyzer.errors import NutrigapError
from nutrigap.atomic import CannotWrite, describe_os_error

LOCK_NAME = "lock"


class OutdirBusy(NutrigapError):
    """Another batch is writing into the same output folder."""


@contextlib.contextmanager
def holding(folder: Path, outdir: Path) -> Iterator[None]:
    """Hold the lock file in `folder` (the batch's state folder inside `outdir`) for the
    block; raises OutdirBusy, naming the batch that holds it, when another one does, and
    CannotWrite when the folder cannot be written in (read-only, full, no permission)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _cannot_write(outdir, exc) from None
    try:
        if not _try_lock(fd):
            os.lseek(fd, 0, os.SEEK_SET)
            holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "still running"
            raise OutdirBusy(f"another nutrigap batch is writing into {outdir} ({holder}); "
                             "wait for it to finish, or write this one into another folder "
                             "(-o)")
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"process {os.getpid()} on {socket.gethostname()}, started "
                         f"{datetime.now():%Y-%m-%d %H:%M}".encode())
        except OSError as exc:
            raise _cannot_write(outdir, exc) from None
        yield
    finally:
        os.close(fd)  # closing the file lets go of the lock


def _cannot_write(outdir: Path, exc: OSError) -> CannotWrite:
    return CannotWrite(f"cannot write into {outdir} ({describe_os_error(exc)}); choose a folder "
                       "you can write to (-o)")


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
