"""What the columns of a Cronometer servings export mean: the nutrient columns nutrigap reads
(with their unit spellings), what to say about the ones it cannot, and which rows are
supplements."""

from __future__ import annotations

import re

import pandas as pd

from nutrigap.analyzer.logs.supplements import named_supplements
from nutrigap.analyzer.nutrients import NUTRIENTS

# Microgram columns may be spelt any of these ways. A nutrient kept in µg is also read from a
# microgram column when the export's usual one is in another unit: Vitamin D (µg) instead of
# Vitamin D (IU), for a Cronometer account set to metric vitamin units (no stored export shows
# that header, so it is accepted rather than known).
MICROGRAMS = ("µg", "μg", "mcg", "ug")
_UNIT = re.compile(r"^(.*)\(([^()]*)\)\s*$")

# Cronometer files supplements under the food category "Supplements" (seen in a real export,
# where it also covers a fortified protein shake); a diary group a user named "Supplements"
# and a name nutrigap knows as a supplement (analyzer/data/supplements.csv) count too.
SUPPLEMENT_CATEGORY = "supplements"
# A supplement's blank cell is a nutrient or ingredient its label does not list, so none
# (caffeine and alcohol are listed as ingredients when there are any); but a label never gives
# its water, and a shake holds a great deal, so a blank water cell stays unknown.
NOT_ON_LABELS = ("water_g",)


def _cronometer_columns() -> dict[str, tuple[str, float]]:
    columns: dict[str, tuple[str, float]] = {}
    for key, row in NUTRIENTS.iterrows():
        usual = row["cronometer"].lower()
        columns[usual] = (key, float(row["cronometer_factor"]))
        written = _UNIT.match(usual)
        if written is None:
            raise ValueError(f"nutrients.csv: the Cronometer column {usual!r} names no unit")
        base, unit = written.groups()
        if unit in MICROGRAMS:
            columns.update({f"{base}({u})": (key, float(row["cronometer_factor"]))
                            for u in MICROGRAMS})
        elif row["unit"] == "µg":
            columns.update({f"{base}({u})": (key, 1.0) for u in MICROGRAMS})
    return columns


#: lower-case column name -> (nutrient key, factor to our unit), each nutrient's usual first
CRONOMETER_COLUMNS = _cronometer_columns()


def cronometer_base(column: str) -> str:
    """ "Vitamin D (IU)" -> "vitamin d": the nutrient part of a column name, lower case."""
    match = _UNIT.match(column.lower())
    return (match.group(1) if match else column.lower()).strip()


def hidden_note(hidden: list[str], headers: dict[str, str]) -> str:
    """What the export lacks (`hidden`: the usual columns it does not have): columns missing
    altogether, and any it has in a unit nutrigap does not read ("Vitamin D (mg)").
    `headers` maps each lower-case header to the header as written."""
    absent, odd = [], []
    for usual in hidden:
        base = cronometer_base(usual)
        other = [written for name, written in headers.items()
                 if name not in CRONOMETER_COLUMNS and cronometer_base(name) == base]
        if not other:
            absent.append(usual)
            continue
        key = NUTRIENTS.index[NUTRIENTS["cronometer"] == usual][0]
        read = usual
        if NUTRIENTS.at[key, "unit"] == "µg" and not usual.endswith("(µg)"):
            read += " or (µg)"
        odd.append(f'has "{other[0]}" in a unit nutrigap does not read (it reads {read}), so '
                   f"the {NUTRIENTS.at[key, 'name']} values come from the matched foods")
    parts = []
    if absent:
        parts.append(f"has no {', '.join(absent)} column (hidden in Cronometer?), so those "
                     "values come from the matched foods")
    parts += odd
    return "the export " + "; it ".join(parts)


def supplement_rows(cells: pd.DataFrame) -> pd.Series:
    """True for the rows that are supplements: category or group "Supplements", or a
    supplement's name. `cells` has the export's "food name" and "group" (and maybe
    "category") columns."""
    category = cells["category"] if "category" in cells else pd.Series("", index=cells.index)
    filed = (category.str.casefold() == SUPPLEMENT_CATEGORY) | (
        cells["group"].str.casefold() == SUPPLEMENT_CATEGORY)
    return filed | named_supplements(cells["food name"])


def supplement_note(foods: pd.Series, shown: int = 5) -> str:
    """The note naming the foods counted as supplements (one entry per row read)."""
    names = foods.value_counts(sort=False)
    listed = ", ".join(f"{name} ({n} {'row' if n == 1 else 'rows'})"
                       for name, n in list(names.items())[:shown])
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    total = len(foods)
    return (f"{total} {'row is' if total == 1 else 'rows are'} counted as supplements "
            f"(Cronometer's category or group \"Supplements\", or a supplement's name): "
            f"{listed}{more}; their values are the export's own, a blank cell counting as none")
