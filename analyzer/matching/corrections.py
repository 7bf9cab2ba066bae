"""A dietitian's saved corrections: which food a logged name really is.

The table has two columns, `name` (as logged) and `food_id` (as `nutrigap foods search`
shows it, or `none` to leave the name unmatched on purpose: a food the table does not have
is better reported as not counted than counted as another food). Names are looked up by
their normalised words, in any order unless that is ambiguous, so "Spinach, Raw" and "raw
spinach" share one correction. The file is opened at the edge; this module reads it (as
every table a user gives is read) and checks it.
"""

from __future__ import annotations

import pandas as pd

from nutrigap.analyzer.errors import BadCorrections, Problem
from nutrigap.analyzer.food_table import FoodTable
from nutrigap.analyzer.logs import read_table
from nutrigap.analyzer.matching.normalise import NameLookup, words

CORRECTION_COLUMNS = ["name", "food_id"]
MAX_PROBLEMS = 20  # a file full of errors is summarised rather than printed in full
NO_FOOD = "none"  # food_id meaning "this name is in no food of the table" (any case)


def read_corrections(fp) -> pd.DataFrame:
    """The corrections file (a binary file object or bytes) as a table of `name, food_id`
    and each row's spreadsheet number in `row`; check it with check_corrections."""
    table, _ = read_table(fp, what="corrections file")
    name_at, id_at = (table.positions(tuple(CORRECTION_COLUMNS))[c] for c in CORRECTION_COLUMNS)
    records, problems = [], []
    for row in table.rows():
        extra = table.extra_cells(row)
        if extra:
            problems.append(Problem(row.number, None, None, extra))
            continue
        cells = row.cells + [""] * 2
        records.append((cells[name_at], cells[id_at], row.number))
    if problems:
        raise BadCorrections(problems)
    return pd.DataFrame(records, columns=[*CORRECTION_COLUMNS, "row"]).astype(
        {"name": object, "food_id": object, "row": "int64"})


def check_corrections(table: pd.DataFrame, food_table: FoodTable) -> pd.DataFrame:
    """The corrections with a `key` column added and `food_id` trimmed (`none` in lower
    case); raises BadCorrections listing every row that names no food, an unknown food id,
    or contradicts an earlier row."""
    missing = [c for c in CORRECTION_COLUMNS if c not in table.columns]
    if missing:
        found = ", ".join(map(str, table.columns)) or "none"
        raise BadCorrections(
            f"the corrections table needs the columns name,food_id (missing: "
            f"{', '.join(missing)}; found: {found}); write one line per logged name, "
            "e.g. \"oj,sr:09206\"")
    problems: list[Problem] = []
    seen: dict[str, tuple[int, str]] = {}
    keys = []
    ids = []
    # the rows' numbers in the file, else counted from the header as row 1
    rows = table["row"].tolist() if "row" in table.columns else range(2, len(table) + 2)
    for row, name, food_id in zip(rows, table["name"], table["food_id"], strict=True):
        name = "" if pd.isna(name) else str(name).strip()
        food_id = "" if pd.isna(food_id) else str(food_id).strip()
        if food_id.lower() == NO_FOOD:
            food_id = NO_FOOD
        key = " ".join(words(name))
        keys.append(key)
        ids.append(food_id)
        if not key:
            problems.append(Problem(row, "name", name, "has no food words; write the name "
                                    "as it appears in the meal log"))
            continue
        if not food_id:
            problems.append(Problem(row, "food_id", None, f"is empty for \"{name}\"; find "
                                    f"the id with: nutrigap foods search \"{name}\", or "
                                    f"write {NO_FOOD} to leave it unmatched"))
            continue
        if food_id != NO_FOOD and food_id not in food_table.foods.index:
            problems.append(Problem(row, "food_id", food_id, "is not in the food table; "
                                    f"find the right id with: nutrigap foods search \"{name}\""
                                    " (for USDA foods, import SR28 first with nutrigap foods "
                                    f"import), or write {NO_FOOD} to leave it unmatched"))
            continue
        earlier = seen.get(key)
        if earlier and earlier[1] != food_id:
            problems.append(Problem(row, "name", name, f"was already matched to {earlier[1]} "
                                    f"on row {earlier[0]}; keep one of the two rows"))
            continue
        seen.setdefault(key, (row, food_id))
    if problems:
        shown = problems[:MAX_PROBLEMS]
        lines = [str(p) for p in shown]
        if len(problems) > len(shown):
            lines.append(f"... and {len(problems) - len(shown)} more problems")
        raise BadCorrections("the corrections table cannot be used:\n" + "\n".join(lines))
    checked = table[CORRECTION_COLUMNS].copy()
    checked["food_id"] = ids
    checked["key"] = keys
    return checked


def correction_lookup(table: pd.DataFrame | None, food_table: FoodTable) -> NameLookup[str]:
    """The food id each corrected name stands for (NO_FOOD for a name left unmatched on
    purpose), found by normalised words (the table is checked first)."""
    lookup: NameLookup[str] = NameLookup()
    if table is None:
        return lookup
    checked = check_corrections(table, food_table)
    for key, food_id in zip(checked["key"], checked["food_id"], strict=True):
        lookup.add(key.split(), food_id)
    return lookup
