"""A note when a food name was matched to a food that the person's declared diet, or the name
itself ("vegan cheese", "dairy-free yogurt"), rules out.

A vegan who logs "tomato sauce" has not eaten sardines in tomato sauce, and "vegan butter" is
not butter: such a match is far more likely a wrong guess than a broken diet, and it can add
B12, vitamin D or calcium the person never had. The match is kept (the food may have been
eaten); the note asks for a check. Matches the dietitian chose in a corrections file are
trusted and not questioned.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import pandas as pd

from nutrigap.analyzer.food_table import FoodTable
from nutrigap.analyzer.rule_tables import rule_table
from nutrigap.analyzer.suggestions.diets import diet_exclusions, words_pattern

SHOWN = 5  # names quoted in the note; the rest are counted


@functools.cache
def diet_words() -> dict[str, str]:
    """Words in a food name that say which diet the food fits ('vegan' -> vegan)."""
    table = rule_table("diet_words.csv")
    return dict(zip(table["word"], table["diet"], strict=True))


def named_diets(names: pd.Series) -> pd.Series:
    """The diet each name claims by its words ("vegan cheese" -> "vegan"), "" for none."""
    words = diet_words()
    found = names.str.lower().str.extract(words_pattern(words))[0]
    return found.map(words).fillna("")


def diet_conflict_notes(matches: pd.DataFrame, food_table: FoodTable,
                        diets: Iterable[str]) -> list[dict]:
    """One note naming the logged foods matched to a food their diet rules out; [] for none."""
    diets = list(diets)
    guessed = matches[matches["food_id"].notna() & matches["method"].ne("correction")
                      & matches["food_id"].isin(food_table.foods.index)]
    if guessed.empty:
        return []
    claimed = named_diets(guessed["name"].astype(str))
    wanted = claimed.map(lambda c: tuple(sorted({*diets, c} - {""})))  # each name's diets
    why = pd.Series("", index=guessed.index, dtype=object)
    for diet_set in set(wanted) - {()}:
        rows = wanted == diet_set
        ids = pd.Index(guessed.loc[rows, "food_id"].unique())
        reasons = diet_exclusions(food_table.foods.loc[ids], diet_set, known_only=True)
        why[rows] = guessed.loc[rows, "food_id"].map(reasons).fillna("")
    clashes = guessed[why != ""]
    if clashes.empty:
        return []
    names = clashes["name"].tolist()
    listed = "; ".join(f'"{row.name}" as {row.food_name} ({why[row.Index]})'
                       for row in clashes.head(SHOWN).itertuples())
    more = f"; and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    count = f"{len(names)} food name{'s' if len(names) != 1 else ''}"
    return [{
        "kind": "diet_conflict",
        "message": (f"{count} matched foods that the diet given (for the person or in the "
                    f"name itself) rules out: {listed}{more}. If a match is wrong, choose the "
                    "right food in a --matches file (or none to leave the name uncounted); if "
                    "the food was eaten, the figures stand."),
        "summary": (f"Check {count} matched to foods their diet rules out (see “Notes on the "
                    "data”)."),
        "foods": names,
    }]
