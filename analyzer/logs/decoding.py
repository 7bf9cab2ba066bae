"""Bytes from a spreadsheet or app export turned into text, and its cells into values.

Handles what Excel and friends write: UTF-8 with or without a byte-order mark, UTF-16 with a
mark, Windows-1252, a `sep=;` first line, `,` `;` or tab delimiters, decimal commas (with `;`
or tab delimiters), and dates as ISO, unpadded ISO (2011-4-18), d.m.yyyy or m/d/yyyy.
"""

from __future__ import annotations

import calendar
import codecs
import csv
import datetime as dt
import io
import itertools
import re

import numpy as np
import pandas as pd

from nutrigap.analyzer.errors import BadMealLog, Problem

SAVE_AS_CSV = 'open it in your spreadsheet and save it as "CSV UTF-8 (comma delimited)"'

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
_HEAD = 1 << 16  # characters searched for the header row


def file_problem(message: str) -> BadMealLog:
    """An error about the file as a whole."""
    return BadMealLog([Problem(None, None, None, message)])


def decode_text(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read with; refuses binary files."""
    if not data.strip():
        raise file_problem("the file is empty; export the meal log again or start from the "
                           "template (examples/template.csv)")
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            raise file_problem(f"the file is {what}, not a CSV text file; {SAVE_AS_CSV}")
    text, encoding = _decode(data)
    controls = len(_CONTROL.findall(text[:1_000_000]))
    if controls > max(2, len(text[:1_000_000]) // 100):
        raise file_problem(f"the file is not text (it holds {controls} control characters); "
                           f"{SAVE_AS_CSV}")
    if not text.strip():
        raise file_problem("the file is empty; export the meal log again or start from the "
                           "template (examples/template.csv)")
    return text, encoding


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff"), encoding
            except UnicodeDecodeError:
                raise file_problem(f"the file starts with a {encoding.upper()} marker but is "
                                   f"not {encoding.upper()} text; {SAVE_AS_CSV}") from None
    if b"\x00" in data:
        raise file_problem(f"the file is not text (it holds zero bytes); {SAVE_AS_CSV}")
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise file_problem(f"the file is neither UTF-8 nor Windows-1252 text; {SAVE_AS_CSV}")


def split_sep_line(text: str) -> tuple[str, str | None]:
    """Excel's optional first line `sep=;` names the delimiter; it is not part of the table."""
    first, newline, rest = text.partition("\n")
    line = first.strip().strip('"')
    if line.lower().startswith("sep=") and len(line) == 5:
        return rest, line[4]
    return text, None


def sniff_delimiter(text: str) -> str:
    """The delimiter used most often in the first non-blank line, outside quotes; ","
    when there is none."""
    header = next((line for line in text[:_HEAD].splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_header(text: str, delimiter: str) -> tuple[int, list[str], int]:
    """The first non-blank record (the header), its index among the file's records, and
    where in the text the records after it start."""
    # the header sits at the top; copying only that part keeps a large file fast
    buffer = io.StringIO(text if len(text) <= _HEAD else text[:_HEAD], newline="")
    reader = csv.reader(buffer, delimiter=delimiter)
    try:
        for index, record in enumerate(reader):
            if "".join(record).strip():
                return index, record, buffer.tell()
    except csv.Error as exc:
        raise file_problem(f"the file cannot be read as CSV near line {reader.line_num} "
                           f"({exc}); {SAVE_AS_CSV}") from None
    if len(text) > _HEAD:
        raise file_problem(f"no header row in the first {_HEAD // 1024} KB of the file; "
                           "the first row should name the columns (see examples/template.csv)")
    raise file_problem("the file is empty; export the meal log again or start from the "
                       "template (examples/template.csv)")


EXTRA_CELLS = 3  # cells past the header that are looked at, to find rows with stray commas


def read_cells(body: str, delimiter: str, width: int, wanted: list[int],
               max_rows: int) -> pd.DataFrame:
    """The text of the wanted columns, and of EXTRA_CELLS cells past the header's `width`, for
    every record of `body` (the text after the header); "" where a row is short."""
    columns = sorted(set(wanted)) + list(range(width, width + EXTRA_CELLS))
    # A first line of empty cells makes the parser expect the extra cells too; rows longer
    # than that are cut, which only matters for rows already reported as too long.
    shape = delimiter * (width + EXTRA_CELLS - 1) + "\n"
    try:
        frame = pd.read_csv(io.BytesIO((shape + body).encode("utf-8")), sep=delimiter,
                            header=None, usecols=columns, dtype=str, na_filter=False,
                            skip_blank_lines=False, index_col=False, nrows=max_rows + 2,
                            engine="c", encoding="utf-8", low_memory=False).iloc[1:]
    except (pd.errors.ParserError, ValueError, UnicodeError, OverflowError):
        # the fast parser gives up on some broken quoting; the csv module reads anything
        frame = _read_cells_slowly(body, delimiter, columns, max_rows + 1)
    if len(frame) > max_rows:
        raise file_problem(f"the file has more than {max_rows:,} rows; split it into smaller "
                           "files (for example one per month)")
    return frame.reset_index(drop=True)


def _read_cells_slowly(body: str, delimiter: str, columns: list[int], limit: int):
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    try:
        records = [[r[i] if i < len(r) else "" for i in columns]
                   for r in itertools.islice(reader, limit)]
    except csv.Error as exc:
        raise file_problem(f"the file cannot be read as CSV near line {reader.line_num} "
                           f"({exc}); {SAVE_AS_CSV}") from None
    return pd.DataFrame(records, columns=columns, dtype=object)


def strip_text(cells: pd.Series) -> pd.Series:
    """Cells without surrounding spaces, stripping each distinct value once."""
    codes, uniques = pd.factorize(cells)
    stripped = np.array([str(u).strip() for u in uniques] + [""], dtype=object)
    return pd.Series(stripped[codes], index=cells.index, dtype=object)


def to_numbers(cells: pd.Series, *, decimal_comma: bool) -> tuple[pd.Series, pd.Series]:
    """Numbers (0 or more) from text cells: (values, bad). Blank cells are NaN (unknown), not
    bad."""
    text = cells.str.replace(",", ".", regex=False) if decimal_comma else cells
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, copy=True)
    bad = np.isnan(values) & (text.to_numpy(dtype=object) != "")
    if bad.any():  # spaces around a number, or a blank made of spaces
        stripped = strip_text(text[bad])
        values[bad] = pd.to_numeric(stripped, errors="coerce").to_numpy(dtype=float)
        bad[bad] = (stripped.to_numpy(dtype=object) != "") & np.isnan(values[bad])
    with np.errstate(invalid="ignore"):
        bad |= ~np.isnan(values) & (~np.isfinite(values) | (values < 0))
    values[bad] = np.nan
    return pd.Series(values, index=cells.index), pd.Series(bad, index=cells.index)


_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?")
_DAY_MONTH = re.compile(r"(\d{1,2})([-/.])(\d{1,2})[-/.](\d{4})(?: .*)?")
_SHORT_YEAR = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2}(?: .*)?")
DATE_FIX = "write dates as YYYY-MM-DD, e.g. 2024-03-05"


def _check_date(year: int, month: int, day: int) -> str | None:
    if not 1900 <= year <= 2100:
        return f"has the year {year}; check it and {DATE_FIX}"
    if not 1 <= month <= 12:
        return f"is not a date: there is no month {month}; {DATE_FIX}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return (f"is not a real date: {calendar.month_name[month]} {year} has {days} days; "
                f"{DATE_FIX}")
    return None


def parse_dates(cells: pd.Series) -> tuple[pd.Series, dict[int, str], list[str]]:
    """Dates from text cells, once per distinct value.

    Returns (dates, problems, notes): `dates` is datetime64[ns] (NaT where unreadable),
    `problems` maps a position in `cells` to a message, `notes` tells the user how
    ambiguous dates were read."""
    codes, uniques = pd.factorize(strip_text(cells))
    # m/d/yyyy or d/m/yyyy: decided once for the whole file, from any value above 12.
    slashed = [m for u in uniques if (m := _DAY_MONTH.fullmatch(u)) and m.group(2) != "."]
    day_first = any(int(m.group(1)) > 12 for m in slashed)
    month_first = any(int(m.group(3)) > 12 for m in slashed)
    notes = []
    if slashed and not day_first and any(m.group(1) != m.group(3) for m in slashed):
        notes.append(f"dates such as {slashed[0].group(0)} were read as month/day/year (US "
                     f"order); {DATE_FIX} to avoid any doubt")
    values: list[dt.date | None] = []
    messages: dict[int, str] = {}
    for i, text in enumerate(uniques):
        parts, message = _date_parts(text, day_first, month_first)
        if parts is not None:
            message = _check_date(*parts)
        if message or parts is None:
            messages[i] = message or f"is not a date; {DATE_FIX}"
            values.append(None)
        else:
            values.append(dt.date(*parts))
    table = pd.to_datetime(pd.Series(values, dtype=object)).astype("datetime64[ns]")
    dates = pd.Series(table.to_numpy()[codes] if len(codes) else [], index=cells.index,
                      dtype="datetime64[ns]")
    bad = {int(p): messages[codes[p]] for p in np.flatnonzero(np.isin(codes, list(messages)))}
    return dates, bad, notes


def _date_parts(text: str, day_first: bool,
                month_first: bool) -> tuple[tuple[int, int, int] | None, str | None]:
    if not text:
        return None, f"is empty; {DATE_FIX}"
    if m := _ISO.fullmatch(text):
        return (int(m.group(1)), int(m.group(2)), int(m.group(3))), None
    if m := _DAY_MONTH.fullmatch(text):
        first, sep, second, year = int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))
        if sep == "." or (day_first and not month_first):
            return (year, second, first), None
        if day_first and month_first:
            return None, f"mixes day/month and month/day order with other dates; {DATE_FIX}"
        return (year, first, second), None
    if _SHORT_YEAR.fullmatch(text):
        return None, f"has a two-digit year; {DATE_FIX}"
    return None, None
