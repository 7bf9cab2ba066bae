"""A meal log's cells turned into values: text stripped, numbers (with decimal commas when
the delimiter is `;` or tab), and dates as ISO, unpadded ISO (2011-4-18), d.m.yyyy or m/d/yyyy.

The bytes were turned into cells by `tables.read_table`, as every table a user gives is.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import numpy as np
import pandas as pd


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
