"""How much of a meal log one report reads: cells of one line and at most MAX_CELL_CHARS
characters, at most MAX_DAYS dates and MAX_NAMES different food names (analyzer/limits.py;
docs/limits.md says why). What lies beyond is refused, so that any log the reader accepts is
analysed and drawn in bounded time and memory.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from nutrigap.analyzer.errors import Problem

FREE_TEXT = ("notes",)  # read past, never used: any length and any line breaks

#: how a problem is added: rows, column, cells, message (one, or one per row)
AddProblem = Callable[[pd.Series, str, pd.Series, "str | pd.Series"], None]


def whole_cells(cells: pd.DataFrame, add: AddProblem, max_chars: int,
                delimiter: str) -> np.ndarray:
    """Which rows have cells of one line and at most `max_chars` characters each; every
    other row is added as a problem. A line break in a cell, with the delimiter after it,
    means a quote opened in the cell closes some lines further down, or never, and the rows
    between were read into it."""
    kept = np.ones(len(cells), dtype=bool)
    for column in cells.columns:
        if column == "row" or column in FREE_TEXT or not kept.any():
            continue
        text = cells[column].where(kept, "")
        joined = text.str.contains("\n|\r", regex=True).to_numpy(dtype=bool)
        if joined.any():
            add(cells["row"][joined], column, text[joined],
                text[joined].map(lambda cell: joined_lines(cell, delimiter)))
            kept &= ~joined
            text = text.where(kept, "")
        long = (text.str.len() > max_chars).to_numpy(dtype=bool)
        if long.any():
            add(cells["row"][long], column, text[long],
                f"is longer than {max_chars} characters, the most a cell of a meal log holds; "
                "shorten it, as this row is not read")
            kept &= ~long
    return kept


def joined_lines(cell: str, delimiter: str) -> str:
    """What is wrong with a cell holding line breaks."""
    after = cell.splitlines()[1:]
    if not any(delimiter in line for line in after):
        return (f"is written over {len(after) + 1} lines; write it on one line (a cell of a "
                "meal log holds no line breaks)")
    lines = "the line after it was" if len(after) == 1 else f"the {len(after)} lines after it were"
    return (f'holds a line break: a quote (") opened in this cell is not closed in it, so '
            f"{lines} read into this row; remove the stray quote, or close it in the same "
            "cell")


def size_problem(items: pd.DataFrame, days: int, max_days: int,
                 max_names: int) -> Problem | None:
    """Why a log has more dates or different food names than one report takes, with how to
    split it; None when it has not."""
    first, last = items["date"].min(), items["date"].max()
    span = f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"
    if days > max_days:
        return Problem(None, None, None, (
            f"the log has {days:,} days ({span}); a report covers at most {max_days:,} days; "
            "split the log by date (for example one file per year, or export a shorter date "
            "range) and analyse each part"))
    names = items.loc[items["kind"].eq("food"), "food"].nunique()
    if names > max_names:
        return Problem(None, None, None, (
            f"the log names {names:,} different foods ({span}); a report reads at most "
            f"{max_names:,}; split the log by date (for example one file per quarter, or "
            "export a shorter date range) and analyse each part"))
    return None
