"""The most of each kind of food a person would realistically add in a day.

`data/daily_caps.csv` gives each cap (cooked greens, fish, milk, nuts ...) in grams, with the
words a report uses and the reason; `data/cap_members.csv` says which foods each cap covers,
by food group (SR28 groups or FNDDS's WWEIA categories) and name pattern, the first row that
fits a food deciding. A plan keeps the foods of one cap together within it. During pregnancy,
breastfeeding and childhood the fish cap follows the FDA/EPA weekly amounts, and a child's
caps are the adult caps times the child's share of a serving.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from nutrigap.analyzer.rule_tables import rule_table
from nutrigap.analyzer.suggestions.life_stage import child_band, under_fish_advice
from nutrigap.analyzer.suggestions.servings import matches_pattern

FISH = "fish"
#: a serving a little over a cap still fits it (3 oz of fish is 85.05 g, the cap 85 g)
CAP_TOLERANCE = 0.02


@functools.cache
def daily_caps() -> pd.DataFrame:
    """One row per cap, indexed by its name: max_grams, advised_grams, words, reason."""
    return rule_table("daily_caps.csv").set_index("cap")


@functools.cache
def cap_members() -> pd.DataFrame:
    """Which foods each cap covers, in the order the rows are tried."""
    return rule_table("cap_members.csv")


def cap_of(foods: pd.DataFrame) -> pd.Series:
    """The cap each food falls under ("" for none: only the per-food limit holds)."""
    caps = pd.Series("", index=foods.index, dtype=object)
    if foods.empty:
        return caps
    names = foods["name"].fillna("").astype(str)
    usda = foods.get("usda_description", names).fillna("").astype(str)
    text = names.where(usda.eq(names) | usda.eq(""), names + "\n" + usda).str.lower()
    groups = foods["food_group"].fillna("").astype(str)
    for row in cap_members().itertuples(index=False):
        open_ids = (caps == "").to_numpy()
        if row.food_groups:
            open_ids &= groups.isin(row.food_groups).to_numpy()
        if row.pattern and open_ids.any():
            open_ids[open_ids] = matches_pattern(text[open_ids], row.pattern,
                                                 re.IGNORECASE | re.MULTILINE)
        caps[open_ids] = row.cap
    return caps


def cap_grams(profile) -> pd.Series:
    """Cap name -> the most grams this person would add in a day."""
    caps = daily_caps()
    grams = caps["max_grams"].copy()
    band = child_band(profile)
    if band is not None:
        grams = grams * float(band["factor"])
    if under_fish_advice(profile):
        advised = caps.at[FISH, "advised_grams"]
        if band is not None:
            advised = float(band["fish_grams"])
        grams[FISH] = min(grams[FISH], advised)
    return grams


def cap_words(cap: str) -> str:
    """'about 1 cup cooked (3-4 cups raw)' for greens."""
    return str(daily_caps().at[cap, "words"]) if cap in daily_caps().index else ""


def servings_within_cap(grams_per_serving: pd.Series, caps: pd.Series, profile,
                        most: float) -> pd.Series:
    """The most servings (in halves) of each food its cap allows, at most `most`."""
    limit = caps.map(cap_grams(profile)).astype(float)
    allowed = np.floor(limit * (1 + CAP_TOLERANCE) / grams_per_serving * 2) / 2
    return allowed.where(limit.notna(), most).clip(upper=most)
