"""Where nutrigap may write, and files written whole.

Every file is written to a temporary file beside the target, then renamed into place: a
reader, or a rerun after a crash, sees the old file or the whole new one, never half of one.
Each write has a temporary file of its own, so two processes writing the same file (two
`nutrigap analyze` runs) never write into one temporary file.

Writing never destroys data: `check_outputs` refuses, before any slow work, an output that is
one of the command's inputs or another of its outputs, and `replacing` refuses to replace
anything but a regular file (a rename would put a file in place of a device such as
/dev/full, a pipe such as /dev/stdout, or a socket). A symbolic link is followed: the file it
points to is replaced, and the link kept.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

from nutrigap.analyzer.errors import NutrigapError

#: ends the name of every temporary file, so one a killed process left can be found and swept
TEMP_SUFFIX = ".nutrigap-part"


class CannotWrite(NutrigapError):
    """An output that cannot be written where it was asked for, or would destroy data there."""


Paths = Mapping[str, "str | os.PathLike | None"]  # what the user calls it -> its path


def check_outputs(outputs: Paths, inputs: Paths | None = None) -> None:
    """Refuse, before any slow work, outputs that would destroy data or cannot be written:
    an input of the command, two outputs on one path, a folder, something that is not a
    regular file, or a folder that cannot be made or written in. Labels name each path in the
    message ("-o", "--csv", "the meal log")."""
    reads = read_files(inputs or {})
    chosen: dict[str, str] = {}  # the resolved path -> its label
    for label, path in outputs.items():
        if not path:
            continue
        path = Path(path)
        problem = output_problem(path, reads)
        if problem is None:
            problem = _folder_problem(path)
        if problem is not None:
            raise CannotWrite(f"cannot write {path} ({label}): {problem}")
        key = os.path.realpath(path)
        if key in chosen:
            raise CannotWrite(f"{chosen[key]} and {label} both name {path}; give each output a "
                              "file of its own")
        chosen[key] = label


def read_files(inputs: Paths) -> dict[tuple[int, int], str]:
    """The files a command reads, by identity (device and inode, so that another name or a
    link for one of them is known too), each with its label."""
    found = {}
    for label, path in inputs.items():
        with contextlib.suppress(OSError, TypeError, ValueError):
            info = os.stat(path)
            if stat.S_ISREG(info.st_mode):
                found.setdefault((info.st_dev, info.st_ino), label)
    return found


def output_problem(path: str | os.PathLike,
                   reads: Mapping[tuple[int, int], str] | None = None) -> str | None:
    """Why writing `path` would destroy data (it is a file in `reads`, or not a regular
    file), or None."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):  # a new file (its folder is checked apart)
        return None
    except OSError as exc:
        return f"it cannot be looked at ({describe_os_error(exc)})"
    if reads and (info.st_dev, info.st_ino) in reads:
        return (f"that is {reads[(info.st_dev, info.st_ino)]}, which this command reads; "
                "writing there would destroy it, so choose another file name")
    if stat.S_ISDIR(info.st_mode):
        return f"it is a folder; give a file name, e.g. {Path(path) / 'report.pdf'}"
    if not stat.S_ISREG(info.st_mode):
        kind = ("a pipe" if stat.S_ISFIFO(info.st_mode) else
                "a socket" if stat.S_ISSOCK(info.st_mode) else "a device")
        return (f"it is {kind}, not a file. nutrigap writes a whole new file and renames it "
                f"into place, which would replace {kind}; give the name of a file")
    return None


def _folder_problem(path: Path) -> str | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"its folder cannot be made ({describe_os_error(exc)}); choose another place"
    if not os.access(path.parent, os.W_OK):
        return f"no permission to write in {path.parent}; choose a folder you can write to"
    return None


def describe_os_error(exc: OSError) -> str:
    """What a failed write means, in words that say what to do about it."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "no permission to write there",
        errno.EPERM: "no permission to write there",
        errno.ENAMETOOLONG: "the file name is too long for the file system",
        errno.EFBIG: "the file is larger than this process may write",
    }
    return reasons.get(exc.errno) or exc.strerror or str(exc)


@contextlib.contextmanager
def replacing(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path beside `path`, this call's own, renamed onto `path` when the block
    ends and removed if it raises; `path`'s folder is made first. Raises CannotWrite for a
    path that is not a regular file (a device, pipe or socket), which a rename would replace."""
    problem = output_problem(path)
    if problem is not None:
        raise CannotWrite(f"cannot write {path}: {problem}")
    if os.path.islink(path):
        path = os.path.realpath(path)  # the file the link names is replaced, the link kept
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}{TEMP_SUFFIX}")
    try:
        yield temp
        # No fsync: the promise is about a killed process (a rename is atomic between
        # processes), and syncing every small file costs more than the analysis on slow disks.
        os.replace(temp, path)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)


def write_atomic(path: str | os.PathLike, content: bytes | str) -> None:
    """Write `content` (text as UTF-8) to `path` whole, making its folder if needed."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with replacing(path) as temp:
        temp.write_bytes(data)


def sweep(folder: str | os.PathLike) -> int:
    """Remove the temporary files a killed writer left in `folder`; returns how many."""
    folder = Path(folder)
    if not folder.is_dir():
        return 0
    count = 0
    for temp in folder.glob(f".*{TEMP_SUFFIX}"):
        temp.unlink(missing_ok=True)
        count += 1
    return count
