"""Bytes from a spreadsheet or app export turned into text, and its cells into values.

Handles what Excel and friends write: UTF-8 with or without a byte-order mark, UTF-16 with a
mark, Windows-1252, a `sep=;` first line, `,` `;` or tab delimiters, decimal commas (with `;`
or tab delimiters), and dates as ISO, unpadded ISO (2011-4-18), d.m.yyyy or m/d/yyyy.
"""

from __future__ import annotations

import calendar
import codecs
import datetime as dt
import re

import numpy as np
import pandas as pd

from analyzer.errors import BadMealLog, Problem

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
_NUMBER = re.compile(r"\+?(?:\d+(?:\.\d*)?|\.\d+)")


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
    header = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def to_numbers(cells: pd.Series, *, decimal_comma: bool) -> tuple[pd.Series, pd.Series]:
    """Numbers from text cells: (values, bad). Blank cells are NaN (unknown) and not bad."""
    text = cells.astype(str).str.strip()
    if decimal_comma:
        text = text.str.replace(",", ".", regex=False)
    blank = text == ""
    valid = text.str.fullmatch(_NUMBER.pattern)
    values = pd.to_numeric(text.where(valid), errors="coerce").astype(float)
    return values, ~blank & ~valid


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
    codes, uniques = pd.factorize(cells.astype(str).str.strip())
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
