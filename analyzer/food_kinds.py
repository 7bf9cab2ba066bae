"""The coarse kind of a food (drink, dairy, fruit, mixed dish, ...) read from its USDA food
group or FNDDS (WWEIA) category, through `analyzer/data/food_kinds.csv`.

A group may hold foods of several kinds (SR28 files milk, eggs and butter together); its kinds
are listed most likely first. The portions stage uses them to weigh a vague measure (a glass,
a handful) and to question a weight no serving of that kind reaches; an unknown group (a
Branded Foods category) has no kind, and nothing is assumed about it.
"""

from __future__ import annotations

import functools

import pandas as pd

from nutrigap.analyzer.rule_tables import rule_table

#: every kind a food group may be given, as in food_kinds.csv
KINDS = ("drink", "dairy", "fruit", "vegetable", "grain", "meat", "fish", "egg", "legume",
         "nuts/seeds", "sweet", "fat/dressing", "mixed dish", "other")


@functools.cache
def _kinds() -> dict[str, tuple[str, ...]]:
    table = rule_table("food_kinds.csv")
    return dict(zip(table["food_group"].str.strip(), table["kinds"], strict=True))


def kinds_of(food_group) -> tuple[str, ...]:
    """The kinds of food a USDA food group or FNDDS category holds, most likely first; ()
    for a group the table does not list."""
    if food_group is None or (not isinstance(food_group, str) and pd.isna(food_group)):
        return ()
    return _kinds().get(str(food_group).strip(), ())


def food_kinds(foods: pd.DataFrame) -> pd.Series:
    """Per food of a FoodTable's `foods`, its kinds (a tuple, () when unknown)."""
    return foods["food_group"].map(kinds_of)
