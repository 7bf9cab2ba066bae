"""Every CSV file nutrigap writes for people to open goes through `csv_text`.

Client ids, file names, food names and messages come from users, and a spreadsheet runs a
cell that starts with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(...)` can send the
sheet's data elsewhere; DDE formulas can start programs). Following OWASP's CSV-injection
guidance, such a text cell, and one starting with a tab, carriage return or line feed, is
written with a leading apostrophe, which a spreadsheet shows as plain text. Numbers stay
numbers: an int or float, or a text that is a plain number (`-5`, `+1.5`, `2e-3`), is written
as it is.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import re
from collections.abc import Iterable, Sequence

#: what a formula can start with; the full-width forms are read as formulas in some locales
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value) -> object:
    """A cell as it may be written: None and NaN empty, numbers as they are, a text that a
    spreadsheet would run as a formula with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return "" if isinstance(value, float) and math.isnan(value) else value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text(columns: Sequence[str], rows: Iterable[Iterable]) -> str:
    """A whole CSV file (header, then one line per row) with every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([safe_cell(c) for c in columns])
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return out.getvalue()
