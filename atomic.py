"""Files written whole: to a temporary file beside the target, then renamed into place.

A reader, or a rerun after a crash, sees the old file or the whole new one, never half of one.
Each write has a temporary file of its own, so two processes writing the same file (two
batches, two `nutrigap analyze` runs) never write into one temporary file.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

#: ends the name of every temporary file, so one a killed process left can be found and swept
TEMP_SUFFIX = ".nutrigap-part"


@contextlib.contextmanager
def replacing(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path beside `path`, this call's own, renamed onto `path` when the block
    ends and removed if it raises; `path`'s folder is made first."""
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
