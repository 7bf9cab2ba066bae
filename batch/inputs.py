"""Find the clients' logs: a folder with one log per client, or one CSV with a `client` column."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from nutrigap.analyzer.errors import NutrigapError
from nutrigap.analyzer.limits import MAX_BYTES, MAX_SHARED_LOG_BYTES

LOG_SUFFIXES = (".csv", ".tsv")
# A .txt file is a log only when its first row is a meal log's header: a folder of logs often
# holds notes too, and a note must not become a client.
TEXT_SUFFIX = ".txt"
HEAD_BYTES = 64 * 1024  # how much of a .txt file is read to find its header
NOT_READ_RULE = ("only .csv and .tsv files, and .txt files whose first row is a meal log's "
                 "header, are read")
# The batch writes summary.csv, errors.csv and caseload.* beside the client reports.
RESERVED_IDS = ("summary", "errors", "caseload")
# A client id names the client's report files; with the extension and the temporary name a
# report is written under first, it must stay within the 255 bytes most file systems allow.
MAX_ID_BYTES = 200
_UNSAFE = re.compile(r"[\\/:*?\"<>|\x00-\x1f]")


class BadBatchInput(NutrigapError):
    """An INPUT that is neither a folder of logs nor one log with a `client` column."""


class Failure(NamedTuple):
    """One client that could not be done: a row of errors.csv."""

    client: str
    file: str
    message: str


@dataclass(frozen=True)
class ClientLog:
    """Where one client's log is: a whole file, or their rows of a shared file."""

    client: str
    file: Path
    data: bytes | None = None  # for a shared file: the client's rows under the file's header
    rows: tuple[int, ...] = ()  # for a shared file: the file's row number of each data row
    shown: str = ""  # how summary.csv and errors.csv name the file (default: `file`)

    @property
    def name(self) -> str:
        """The file as the user named it, for summary.csv, errors.csv and messages."""
        return self.shown or str(self.file)

    def read(self) -> bytes:
        """The log as the meal-log reader takes it (a file's first MAX_BYTES + 1 bytes, enough
        for the reader to refuse a larger one)."""
        return self.data if self.data is not None else read_capped(self.file, MAX_BYTES)

    def file_row(self, row: int) -> int:
        """The row number in `file` of row `row` of `read()`, both counted as a spreadsheet does."""
        if self.data is None or not 2 <= row < len(self.rows) + 2:
            return row
        return self.rows[row - 2]

    def identity(self) -> str:
        """Changes whenever the log changes: file size and time, or a hash of the client's rows."""
        if self.data is not None:
            return "sha256:" + hashlib.sha256(self.data).hexdigest()
        stat = self.file.stat()
        return f"{stat.st_size}:{stat.st_mtime_ns}"


@dataclass
class Discovery:
    """The logs found in INPUT, the clients that cannot be run, and files that are not logs."""

    logs: list[ClientLog] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    ignored: list[Path] = field(default_factory=list)
    source: Path | None = None  # INPUT: the folder, or the file with a client column
    shared: bool = False  # True when INPUT is one file with a client column

    def missing_log(self, client: str) -> tuple[str, str]:
        """Where a client's log was looked for, and what was expected there: for a client
        of clients.csv with no log."""
        if self.shared:
            return str(self.source), f'expected rows with client "{client}" in {self.source}'
        expected = Path(self.source or ".") / f"{client}.csv"
        said = f"expected {expected} (or .tsv)"
        passed = [p.name for p in self.ignored if client_key(p.stem) == client_key(client)]
        if passed:
            said += (f"; {' and '.join(passed)} {'was' if len(passed) == 1 else 'were'} not "
                     "read, as not a meal log (its first row is not a meal log's header: date, "
                     "meal, food, amount, unit)")
        return str(expected), said


def discover(path: Path, *, skip: tuple[Path, ...] = (), shown_as: Path | None = None
             ) -> Discovery:
    """The clients' logs in a folder (client id = file name) or in one file with a client
    column. `shown_as` is how messages, summary.csv and errors.csv name INPUT (default:
    `path` as given), e.g. Path(".") to name uploaded logs by their own names alone."""
    path = Path(path)
    shown = path if shown_as is None else Path(shown_as)
    if path.is_dir():
        found = _from_folder(path, skip={p.resolve() for p in skip}, shown=shown)
    else:
        data = read_capped(path, MAX_SHARED_LOG_BYTES)
        if len(data) > MAX_SHARED_LOG_BYTES:
            raise BadBatchInput(f"{shown} is larger than {MAX_SHARED_LOG_BYTES // 1024 ** 2} MB; "
                                "split the caseload into several files and run a batch on each")
        found = split_by_client(data, shown)  # its messages name `shown`
        found.shared = True
        found.logs = [replace(log, file=path) for log in found.logs]  # read from `path`
    found.source = shown
    return found


def read_capped(path: Path, cap: int) -> bytes:
    """At most `cap` + 1 bytes of a file: enough to tell it is too large, and no more taken
    from a device such as /dev/zero."""
    with open(path, "rb") as fp:
        return fp.read(cap + 1)


def client_key(client: str) -> str:
    """What two spellings of one client id share: "Alice", " alice " and "ALICE" are one
    client (file names from other machines and hand-typed clients.csv rows differ so)."""
    return " ".join(client.split()).casefold()


def _from_folder(folder: Path, skip: set[Path], shown: Path) -> Discovery:
    found = Discovery()
    by_id: dict[str, list[Path]] = {}  # client_key -> the files giving that client
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or entry.is_dir() or entry.resolve() in skip:
            continue
        suffix = entry.suffix.lower()
        if suffix not in LOG_SUFFIXES and not (suffix == TEXT_SUFFIX and looks_like_log(entry)):
            found.ignored.append(entry)
            continue
        by_id.setdefault(client_key(entry.stem), []).append(entry)
    if not by_id:
        raise BadBatchInput(f"{shown} has no meal logs (files ending in "
                            f"{', '.join(LOG_SUFFIXES)}, or {TEXT_SUFFIX} files whose first row "
                            "is a meal log's header); put one log per client in it, named "
                            "after the client")
    for files in sorted(by_id.values(), key=lambda files: files[0].name):
        client = " ".join(files[0].stem.split())
        where = str(shown / files[0].name)
        if len(files) > 1:
            names = " and ".join(f'"{f.name}"' if f.stem != f.stem.strip() else f.name
                                 for f in files)
            same = "" if len({f.stem for f in files}) == 1 else (
                " (client ids are matched without regard to capitals or surrounding spaces)")
            found.failures.append(Failure(client, where, f"{names} both give client "
                                          f'"{client}"{same}; rename or remove one of them'))
            continue
        if not client:
            found.failures.append(Failure("", where, f'"{files[0].name}" gives no '
                                          "client id; name the file after the client"))
            continue
        problem = id_problem(client)
        if problem:
            found.failures.append(Failure(client, where, f"{problem}; rename the file"))
            continue
        found.logs.append(ClientLog(client, files[0], shown=where))
    return found


def looks_like_log(path: Path) -> bool:
    """Whether a text file's first row is the header of a meal log nutrigap knows (its own
    format or an export, readable or not), judged as the meal-log reader judges it."""
    from nutrigap.analyzer.logs import head_of, is_log_header, read_table

    with open(path, "rb") as fp:
        data = fp.read(HEAD_BYTES + 1)
    try:
        table, _ = read_table(head_of(data, HEAD_BYTES), what="meal log")
    except NutrigapError:
        return False
    return is_log_header(table.header)


def split_by_client(data: bytes, file: Path) -> Discovery:
    """One log in our format with a `client` column, cut into one log per client."""
    from nutrigap.analyzer.logs import read_table

    try:
        # no size limit here: each client's rows meet the meal-log reader's limits
        table, form = read_table(data, what="meal log", max_bytes=len(data))
        if "client" not in table.names:
            raise BadBatchInput(f"{file} is one log without a client column; add a client "
                                "column naming whose row each is, or give a folder with one "
                                "log per client")
        rows = table.rows(max_rows=len(data))
    except BadBatchInput:
        raise
    except NutrigapError as exc:
        raise BadBatchInput(f"{file}: {exc}") from None
    column = table.names.index("client")
    records: dict[str, list[tuple[int, list[str]]]] = {}  # client id -> rows
    spelling: dict[str, str] = {}  # client_key -> the id as first written
    no_id: list[int] = []
    for row in rows:
        cells = row.cells
        client = " ".join(cells[column].split()) if column < len(cells) else ""
        if client:
            client = spelling.setdefault(client_key(client), client)
            records.setdefault(client, []).append((row.number, cells))
        else:
            no_id.append(row.number)
    found = Discovery()
    if no_id:
        shown = ", ".join(map(str, no_id[:10])) + (" ..." if len(no_id) > 10 else "")
        found.failures.append(Failure("", str(file), f"row{'s' if len(no_id) > 1 else ''} "
                                      f"{shown}: no client id; fill in the client column"))
    for client, rows_of_client in sorted(records.items()):
        problem = id_problem(client)
        if problem:
            found.failures.append(Failure(client, str(file), f"row {rows_of_client[0][0]}: "
                                          f"{problem}; change the client id"))
            continue
        out = io.StringIO()
        writer = csv.writer(out, delimiter=form.delimiter, lineterminator="\n")
        writer.writerow(table.header)
        writer.writerows(cells for _, cells in rows_of_client)
        found.logs.append(ClientLog(client, file, out.getvalue().encode("utf-8"),
                                    tuple(n for n, _ in rows_of_client), shown=str(file)))
    return found


def id_problem(client: str) -> str | None:
    """Why a client id cannot name its report files, or None when it can."""
    if client.lower() in RESERVED_IDS:
        return f'client id "{client}" is kept for the batch\'s own {client.lower()} files'
    if client.startswith(".") or _UNSAFE.search(client):
        return (f'client id "{client}" cannot name a file: it starts with a dot or holds '
                'one of / \\ : * ? " < > |')
    size = len(client.encode("utf-8"))
    if size > MAX_ID_BYTES:
        return (f'client id "{client[:20]}..." has {size} bytes; a client id names its report '
                f"files, so it may have up to {MAX_ID_BYTES} bytes (as many letters a-z, fewer "
                "accented letters or other scripts)")
    return None
