"""Every table a user gives nutrigap, read one way: meal logs, clients files, targets files
and corrections files.

`read_table(source, what=...)` turns the bytes a spreadsheet or app wrote into a `UserTable`
(the header, and the rows with the numbers a spreadsheet shows) and a `TableFormat` saying how
they were read: UTF-8 with or without a byte-order mark, UTF-16 (Excel's "Unicode text"),
Windows-1252; an Excel `sep=;` first line; `,` `;` or tab delimiters, with decimal commas
when the delimiter is `;` or tab; the header is the first non-blank row. One problem gets one
message whatever the table, naming the kind of file and what to do next; the error raised is
the kind's own (`BadMealLog`, `BadClientList`, `BadTargets`, `BadCorrections`), all of them
a `BadTable`.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from nutrigap.analyzer.errors import (
    BadClientList,
    BadCorrections,
    BadMealLog,
    BadTable,
    BadTargets,
    Problem,
    excerpt,
)
from nutrigap.analyzer.limits import MAX_BYTES, MAX_HEADER_CHARS, MAX_ROWS

SAVE_AS_CSV = 'open it in your spreadsheet and save it as "CSV UTF-8 (comma delimited)"'
HEAD_BYTES = 64 * 1024  # enough of a file to find its header row
EXTRA_CELLS = 3  # cells past the header that are looked at, to find rows with stray commas


@dataclass(frozen=True)
class TableKind:
    """A kind of table users give, and the words its messages use."""

    name: str  # "meal log"
    row: str  # what one row holds: "add one row per ..."
    columns: str  # the header it should have
    guide: str  # where a user finds an example
    empty_fix: str  # what to do with an empty file
    split_fix: str  # what to do with a file too large to read
    error: type[BadTable]

    @property
    def empty(self) -> str:
        """The message for a file with nothing in it."""
        return f"the {self.name} is empty; {self.empty_fix}"


KINDS = {kind.name: kind for kind in (
    TableKind("meal log", "food or supplement",
              "date, meal, food, amount, unit (optional: client, notes)", "examples/template.csv",
              "export it again or start from the template (examples/template.csv)",
              "split it into smaller files (for example one per month)", BadMealLog),
    TableKind("clients file", "client",
              "client, age, sex (optional: pregnant, lactating, diet, targets)", "docs/batch.md",
              "write the header client,age,sex and one row per client, e.g. ann,34,female "
              "(see docs/batch.md)", "split the caseload into smaller ones", BadClientList),
    TableKind("targets file", "nutrient", "nutrient, value", "docs/targets-file.md",
              "write the header nutrient,value and one row per nutrient, e.g. magnesium,300, "
              "or TOML lines such as magnesium_mg = 300 (see docs/targets-file.md)",
              "keep one row per nutrient", BadTargets),
    TableKind("corrections file", "logged name", "name, food_id", "docs/corrections.md",
              "write the header name,food_id and one row per logged name, e.g. oj,sr:09206 "
              "(see docs/corrections.md)", "keep one row per logged name", BadCorrections),
)}


@dataclass(frozen=True)
class TableFormat:
    """How a table's bytes were read, in words a user can be shown."""

    encoding: str  # utf-8, utf-8-sig (with a byte-order mark), utf-16 (with one), cp1252, ...
    delimiter: str  # "," ";" or "\t"
    header_row: int  # the header's row number as a spreadsheet shows it
    sep_line: bool = False  # an Excel `sep=;` first line named the delimiter; it is no row

    @property
    def bom(self) -> bool:
        """Whether the file starts with a byte-order mark."""
        return self.encoding in ("utf-8-sig", "utf-16")

    @property
    def decimal_comma(self) -> bool:
        """Whether numbers may be written 1,5: spreadsheets that use `;` or tab between cells
        use a comma in numbers."""
        return self.delimiter in (";", "\t")


@dataclass(frozen=True)
class Row:
    """One non-blank row of a table: its number as a spreadsheet shows it, and its cells."""

    number: int
    cells: list[str]


def read_table(source, *, what: str, max_bytes: int = MAX_BYTES) -> tuple[UserTable, TableFormat]:
    """Read a table a user gave from a binary file object or bytes; raises the kind's BadTable.

    `what` names the kind of table ("meal log", "clients file", "targets file",
    "corrections file") for the messages."""
    kind = KINDS[what]
    text, encoding = read_text(source, what=what, max_bytes=max_bytes)
    text, declared = _split_sep_line(text)
    delimiter = declared or _sniff_delimiter(text)
    index, header, body_start = _read_header(text, delimiter, kind)
    # lines before the body, so that a message quotes a line as a text editor numbers it
    lines_before = text.count("\n", 0, body_start) + (declared is not None)
    table = UserTable(kind, header, index + 1, text[body_start:], delimiter, lines_before)
    return table, TableFormat(encoding, delimiter, index + 1, declared is not None)


def read_text(source, *, what: str, max_bytes: int = MAX_BYTES) -> tuple[str, str]:
    """The text of a file a user gave (bytes or a binary file object) and the encoding it was
    read with; refuses binary files and files that are too large, as `read_table` does."""
    kind = KINDS[what]
    data = source.read(max_bytes + 1) if hasattr(source, "read") else source
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"read a {what} from bytes or a binary file object, not "
                        f"{type(source).__name__}")
    data = bytes(data)
    if len(data) > max_bytes:
        raise _problem(kind, f"the {kind.name} is larger than {_size(max_bytes)}; "
                             f"{kind.split_fix}")
    if not data.strip():
        raise _problem(kind, kind.empty)
    for magic, called in _SIGNATURES:
        if data.startswith(magic):
            raise _problem(kind, f"the {kind.name} is {called}, not a CSV text file; "
                                 f"{SAVE_AS_CSV}")
    text, encoding = _decode(data, kind)
    sample = text[:1_000_000]
    controls = len(_CONTROL.findall(sample))
    if controls > max(2, len(sample) // 100):
        raise _problem(kind, f"the {kind.name} is not text (it holds {controls} control "
                             f"characters); {SAVE_AS_CSV}")
    if not text.strip():
        raise _problem(kind, kind.empty)
    return text, encoding


def head_of(data: bytes, size: int = HEAD_BYTES) -> bytes:
    """The start of a file, enough to read its header, cut where no character is cut in half."""
    if len(data) <= size:
        return data
    data = data[:size]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data[:len(data) // 2 * 2]
    return data[:data.rfind(b"\n") + 1] if b"\n" in data else data


def normalise_header(cell: str) -> str:
    """ "Time " -> "time"; "\ufeffDate" -> "date"."""
    return re.sub(r"\s+", " ", str(cell).replace("\ufeff", "")).strip().strip('"').lower()


def column_letter(index: int) -> str:
    """0 -> "A", 26 -> "AA", as a spreadsheet labels columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def repeated_column(name: str, first: int, second: int, header_row: int) -> Problem:
    """A column the header names twice (positions counted from 0)."""
    return Problem(header_row, None, None,
                   f'the column "{name}" appears twice (columns {column_letter(first)} and '
                   f"{column_letter(second)}); delete or rename one")


def header_problem(names: list[str], header_row: int, *, missing: list[str],
                   unknown: Sequence[str] = (), title: str, columns: str, guide: str,
                   recognised: bool = True) -> Problem:
    """A header lacking columns a table needs, or naming columns it does not know.

    A first row that names none of the table's columns (`recognised` False) is not quoted:
    it may be the first line of any file a path pointed at, not a header at all."""
    if not recognised:
        return Problem(header_row, None, None,
                       f"the first row names none of the columns of a {title} ({columns}); "
                       f"check that this is the right file (see {guide})")
    parts = []
    if missing:
        noun = "column" if len(missing) == 1 else "columns"
        parts.append(f"the header has no {' or '.join(missing)} {noun}")
    if unknown:
        verb = "is not a known column" if len(unknown) == 1 else "are not known columns"
        quoted = ", ".join(f'"{excerpt(n, 30)}"' for n in unknown[:MAX_QUOTED_NAMES])
        parts.append(f"{quoted} {verb}")
    found = quoted_header(names)
    return Problem(header_row, None, None, f"{', and '.join(parts)}; found: {found}; expected "
                                           f"for a {title}: {columns} (see {guide})")


MAX_QUOTED_NAMES = 12  # header cells a message quotes


def quoted_header(names: list[str]) -> str:
    """A header's cells as a message quotes them: the first dozen, each cut short."""
    shown = [excerpt(n, 30) for n in names if n]
    if not shown:
        return "nothing"
    more = len(shown) - MAX_QUOTED_NAMES
    return ", ".join(shown[:MAX_QUOTED_NAMES]) + (f" and {more:,} more" if more > 0 else "")


_COLUMN_NAME = re.compile(r"[\w .,()%/#µ'+-]{1,40}")


def quotable(names: list[str], known: tuple[str, ...] = ()) -> bool:
    """Whether a first row may be quoted back as a header: it names a column the table knows,
    or every cell reads as a column name. Any other first line may belong to a file a path
    pointed at by mistake (a system file, a key), and is not repeated in a message."""
    return bool(set(names) & set(known)) or all(_COLUMN_NAME.fullmatch(n) for n in names if n)


def extra_cells_message(width: int, delimiter: str) -> str:
    """What is wrong with a row that has more cells than its header, and the likely fix."""
    hint = ("put quotes around a value that contains a comma, or write decimals with a point"
            if delimiter == "," else "remove the extra cells")
    return f"has more cells than the header's {width} columns; {hint}"


class UserTable:
    """A table's header and rows, read by `read_table`."""

    def __init__(self, kind: TableKind, header: list[str], header_row: int, body: str,
                 delimiter: str, lines_before: int = 0):
        self.kind = kind
        self.header = header  # the header's cells as written
        self.header_row = header_row  # its row number as a spreadsheet shows it
        self.names = [normalise_header(h) for h in header]
        self._body = body  # the text after the header
        self._delimiter = delimiter
        self._lines_before = lines_before

    def positions(self, required: tuple[str, ...], optional: tuple[str, ...] = (), *,
                  others: bool = True) -> dict[str, int]:
        """Where each column is, by its normalised name; raises the kind's error for a missing
        or repeated column, and (unless `others`) for a column the table does not know."""
        known = (*required, *optional)
        positions: dict[str, int] = {}
        problems = []
        for i, name in enumerate(self.names):
            if name and name in positions and (name in known or not others):
                problems.append(repeated_column(name, positions[name], i, self.header_row))
            positions.setdefault(name, i)
        missing = [c for c in required if c not in positions]
        unknown = [] if others else list(dict.fromkeys(
            n for n in self.names if n and n not in known))
        if missing or unknown:
            problems.insert(0, header_problem(self.names, self.header_row, missing=missing,
                                              unknown=unknown, title=self.kind.name,
                                              columns=self.kind.columns, guide=self.kind.guide,
                                              recognised=quotable(self.names, known)))
        if problems:
            raise self.kind.error(problems)
        return {name: i for name, i in positions.items() if name}

    def rows(self, max_rows: int = MAX_ROWS) -> list[Row]:
        """Every non-blank row after the header; raises the kind's error when there is none."""
        reader = csv.reader(io.StringIO(self._body, newline=""), delimiter=self._delimiter)
        rows = []
        records = 0
        try:
            for records, cells in enumerate(itertools.islice(reader, max_rows + 1), start=1):
                if any(cell.strip() for cell in cells):
                    rows.append(Row(self.header_row + records, cells))
        except csv.Error as exc:
            raise self._unreadable(reader.line_num, exc) from None
        if records > max_rows:
            raise self._too_many_rows(max_rows)
        if not rows:
            raise self.kind.error([self.no_rows()])
        return rows

    def no_rows(self) -> Problem:
        """The problem of a table with a header and nothing under it."""
        return Problem(self.header_row, None, None,
                       f"the {self.kind.name} has a header but no rows; add one row per "
                       f"{self.kind.row} (see {self.kind.guide})")

    def extra_cells(self, row: Row) -> str | None:
        """What is wrong with a row that has filled cells past the header's columns, or None."""
        if any(cell.strip() for cell in row.cells[len(self.header):]):
            return extra_cells_message(len(self.header), self._delimiter)
        return None

    def cells(self, columns: list[int], max_rows: int = MAX_ROWS) -> pd.DataFrame:
        """The text of the given columns, and of EXTRA_CELLS cells past the header's, for every
        record after the header ("" where a row is short); for tables of many rows."""
        wanted = sorted(set(columns)) + list(range(len(self.header),
                                                   len(self.header) + EXTRA_CELLS))
        try:
            frame = _read_cells_fast(self._body, self._delimiter, len(self.header), wanted,
                                     max_rows + 1)
        except (pd.errors.ParserError, ValueError, UnicodeError, OverflowError):
            # the fast parser gives up on some broken quoting; the csv module reads anything
            reader = csv.reader(io.StringIO(self._body, newline=""), delimiter=self._delimiter)
            try:
                frame = _read_cells_slowly(reader, wanted, max_rows + 1)
            except csv.Error as exc:
                raise self._unreadable(reader.line_num, exc) from None
        if len(frame) > max_rows:
            raise self._too_many_rows(max_rows)
        return frame.reset_index(drop=True)

    def _unreadable(self, body_line: int, exc: Exception) -> BadTable:
        return _problem(self.kind, f"the {self.kind.name} cannot be read as CSV near line "
                                   f"{self._lines_before + body_line} ({exc}); {SAVE_AS_CSV}")

    def _too_many_rows(self, max_rows: int) -> BadTable:
        return _problem(self.kind, f"the {self.kind.name} has more than {max_rows:,} rows; "
                                   f"{self.kind.split_fix}")


# --- bytes to text -------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
# The first bytes of files people upload by mistake, and what to call them.
_SIGNATURES = (
    (b"PK\x03\x04", "a zip archive (what Excel .xlsx, Numbers and LibreOffice .ods files are)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"SQLite format 3", "an SQLite database"),
    (b"{\\rtf", "an RTF document"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_DELIMITERS = (",", ";", "\t")


def _problem(kind: TableKind, message: str) -> BadTable:
    """The kind's error about the file as a whole."""
    return kind.error([Problem(None, None, None, message)])


def _decode(data: bytes, kind: TableKind) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff"), encoding
            except UnicodeDecodeError:
                raise _problem(kind, f"the {kind.name} starts with a {encoding.upper()} marker "
                                     f"but is not {encoding.upper()} text; {SAVE_AS_CSV}") from None
    if b"\x00" in data:
        text = _utf16_without_mark(data, kind)
        if text is not None:
            return text
        raise _problem(kind, f"the {kind.name} is not text (it holds zero bytes); {SAVE_AS_CSV}")
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise _problem(kind, f"the {kind.name} is neither UTF-8 nor Windows-1252 text; "
                         f"{SAVE_AS_CSV}")


def _utf16_without_mark(data: bytes, kind: TableKind) -> tuple[str, str] | None:
    """UTF-16 text some programs write without a byte-order mark, told by the order of its
    bytes that decodes the start into a table: line breaks and delimiters, and no zero
    characters (read the other way round, every ASCII character is a CJK or rarer one)."""
    sample = data[:4096]
    for encoding in ("utf-16-le", "utf-16-be"):
        start = sample[:len(sample) // 2 * 2].decode(encoding, errors="replace")
        if "\x00" in start or not any(c in start for c in "\n,;\t"):
            continue
        if len(_CONTROL.findall(start)) > max(2, len(start) // 100):
            continue
        called = f"{encoding.upper()} text without a byte-order mark"
        if len(data) % 2:
            raise _problem(kind, f"the {kind.name} looks like {called}, but its last byte is "
                                 f"missing (was it cut short?); {SAVE_AS_CSV}")
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            raise _problem(kind, f"the {kind.name} looks like {called}, but part of it is not "
                                 f"UTF-16; {SAVE_AS_CSV}") from None
    return None


# --- text to a table ----------------------------------------------------------------------

def _split_sep_line(text: str) -> tuple[str, str | None]:
    """Excel's optional first line `sep=;` names the delimiter; it is not part of the table."""
    first, _, rest = text.partition("\n")
    line = first.strip("\r ").strip('"')  # not str.strip(): the delimiter may be a tab
    if line.lower().startswith("sep=") and len(line) == 5:
        return rest, line[4]
    return text, None


def _sniff_delimiter(text: str) -> str:
    """The delimiter used most often in the first non-blank line, outside quotes; ","
    when there is none."""
    header = next((line for line in text[:MAX_HEADER_CHARS].splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_header(text: str, delimiter: str, kind: TableKind) -> tuple[int, list[str], int]:
    """The first non-blank record (the header), its index among the file's records, and
    where in the text the records after it start."""
    # the header sits at the top; copying only that part keeps a large file fast
    head = text if len(text) <= MAX_HEADER_CHARS else text[:MAX_HEADER_CHARS]
    buffer = io.StringIO(head, newline="")
    reader = csv.reader(buffer, delimiter=delimiter)
    try:
        for index, record in enumerate(reader):
            if "".join(record).strip():
                end = buffer.tell()
                if len(head) < len(text) and end == len(head) and not head.endswith("\n"):
                    # the record was cut where the head ends: the header row is longer
                    raise _problem(kind, f"the header row of the {kind.name} is longer than "
                                         f"{MAX_HEADER_CHARS // 1024} KB, so it is not a row of "
                                         f"column names; the first row should name the "
                                         f"columns: {kind.columns} (see {kind.guide})")
                return index, record, end
    except csv.Error as exc:
        raise _problem(kind, f"the {kind.name} cannot be read as CSV near line "
                             f"{reader.line_num} ({exc}); {SAVE_AS_CSV}") from None
    if len(text) > MAX_HEADER_CHARS:
        raise _problem(kind, f"no header row in the first {MAX_HEADER_CHARS // 1024} KB of the "
                             f"{kind.name}; the first row should name the columns: "
                             f"{kind.columns} (see {kind.guide})")
    raise _problem(kind, kind.empty)


def _read_cells_fast(body: str, delimiter: str, width: int, columns: list[int],
                    limit: int) -> pd.DataFrame:
    # A first line of empty cells makes the parser expect the extra cells too; rows longer
    # than that are cut, which only matters for rows already reported as too long.
    shape = delimiter * (width + EXTRA_CELLS - 1) + "\n"
    return pd.read_csv(io.BytesIO((shape + body).encode("utf-8")), sep=delimiter, header=None,
                       usecols=columns, dtype=str, na_filter=False, skip_blank_lines=False,
                       index_col=False, nrows=limit + 1, engine="c", encoding="utf-8",
                       low_memory=False).iloc[1:]


def _read_cells_slowly(reader, columns: list[int], limit: int) -> pd.DataFrame:
    records = [[r[i] if i < len(r) else "" for i in columns]
               for r in itertools.islice(reader, limit)]
    return pd.DataFrame(records, columns=columns, dtype=object)


def _size(n: int) -> str:
    for unit, size in (("MB", 2**20), ("KB", 2**10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} bytes"
