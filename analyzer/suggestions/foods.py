"""Foods that fill the gaps: for each nutrient below target, first the person's own foods that
are good sources of it, then the everyday foods whose ordinary serving adds the most of it,
with a bonus for foods that also help the person's other gaps.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from nutrigap.analyzer.food_table import FoodTable
from nutrigap.analyzer.nutrients import NUTRIENTS
from nutrigap.analyzer.suggestions.pool import ENERGY, candidate_foods, with_caps
from nutrigap.analyzer.suggestions.servings import amount_words

#: how much a food's help with the *other* gaps adds to its rank, relative to this gap
OTHER_GAPS_BONUS = 0.25
#: a serving's energy counts a little against it (per 100 kcal), so that of two servings that
#: help about equally the lighter one comes first
ENERGY_PENALTY = 0.05
#: a serving that covers less than this share of a gap is not worth suggesting for it
MIN_SHARE = 0.05
#: one of the person's own foods leads a list when a serving covers this share of the gap
OWN_MIN_SHARE = 0.10
#: at most this many of a list's places go to the person's own foods
OWN_PLACES = 2


def gaps(average_total: pd.Series, targets: pd.DataFrame) -> pd.Series:
    """Nutrient -> amount short of target, for the nutrients below target only.

    A nutrient whose intake is unknown (NaN) is not listed: it is not known to be short.
    """
    target = pd.to_numeric(targets["target"], errors="coerce").dropna()
    average = pd.to_numeric(average_total.reindex(target.index), errors="coerce")
    short = (target - average)[average.notna()]
    return short[short > 0].astype(float)


# --- ranking -----------------------------------------------------------------------------

def suggest_foods(food_table: FoodTable, short: pd.Series, *, diet: Iterable[str] = (),
                  exclude: Iterable[str] = (), profile=None, own: pd.DataFrame | None = None,
                  per_nutrient: int = 5) -> dict[str, pd.DataFrame]:
    """For each short nutrient, up to `per_nutrient` distinct foods: first up to OWN_PLACES
    of the person's own foods (`own`, from `own_foods`) whose serving covers OWN_MIN_SHARE
    of the gap, then everyday foods ranked by what one ordinary serving adds, with a bonus
    for helping the other gaps too. A serving larger than its daily cap is cut to it."""
    short = pd.to_numeric(short, errors="coerce")
    short = short[short > 0]
    foods = candidate_foods(food_table, diet=diet, exclude=exclude, profile=profile, own=own)
    foods = _within_cap(with_caps(foods, profile, most=1.0))
    shares = foods[list(short.index)].div(short, axis=1)
    capped = shares.clip(upper=1.0).fillna(0.0)
    kcal = foods[ENERGY]
    result = {}
    for nutrient in short.index:
        score = (capped[nutrient] + OTHER_GAPS_BONUS * capped.drop(columns=nutrient).sum(axis=1)
                 - ENERGY_PENALTY * kcal / 100.0)
        ranked = pd.DataFrame({"score": score, "kcal": kcal, "main_food": foods["main_food"],
                               "own": foods["own"], "share": shares[nutrient]})
        ranked = ranked.sort_values(["score", "kcal"], ascending=[False, True], kind="stable")
        mine = ranked[ranked["own"] & (ranked["share"] >= OWN_MIN_SHARE)]
        mine = mine.drop_duplicates("main_food").head(OWN_PLACES)
        others = ranked[~ranked.index.isin(mine.index) & (ranked["share"] >= MIN_SHARE)
                        & ~ranked["main_food"].isin(mine["main_food"])]
        others = others.drop_duplicates("main_food").head(per_nutrient - len(mine))
        ranked = pd.concat([mine, others])
        result[nutrient] = _rows(foods.loc[ranked.index], shares.loc[ranked.index], nutrient,
                                 short, ranked["score"])
    return result


def _within_cap(foods: pd.DataFrame) -> pd.DataFrame:
    """A serving its daily cap allows only part of is cut to that part (during pregnancy,
    1 1/2 oz of fish rather than 3 oz)."""
    part = foods["max_servings"].clip(upper=1.0)
    if (part >= 1.0).all():
        return foods
    foods = foods.copy()
    amounts = [c for c in foods.columns if c in NUTRIENTS.index or c.startswith("full_")]
    for column in ["count", "grams", *amounts]:
        foods[column] = foods[column].astype(float) * part
    cut = part < 1.0
    foods.loc[cut, "serving"] = [amount_words(c, u, p) for c, u, p in zip(
        foods.loc[cut, "count"], foods.loc[cut, "unit"], foods.loc[cut, "plural"], strict=True)]
    return foods


def _rows(foods: pd.DataFrame, shares: pd.DataFrame, nutrient: str, short: pd.Series,
          score: pd.Series) -> pd.DataFrame:
    amount = foods[nutrient]
    kcal = foods[ENERGY]
    rows = pd.DataFrame({
        "food_id": foods.index,
        "name": foods["name"].to_numpy(),
        "food_group": foods["food_group"].to_numpy(),
        "serving": foods["serving"].to_numpy(),
        "grams": foods["grams"].to_numpy(),
        "kcal": kcal.to_numpy(),
        "amount": amount.to_numpy(),
        "per_100_kcal": np.where(kcal > 0, amount / kcal.where(kcal > 0) * 100, np.nan),
        "share_of_gap": shares[nutrient].to_numpy(),
        "score": score.to_numpy(),
        "fortified": foods["fortified"].to_numpy(),
        "own": foods["own"].to_numpy(bool),
    })
    for other in short.index:
        rows[other] = foods[other].to_numpy()
        rows[f"share_{other}"] = shares[other].to_numpy()
    rows["text"] = [suggestion_text(food, shares.loc[food_id], nutrient)
                    for food_id, food in foods.iterrows()]
    return rows


# --- words -------------------------------------------------------------------------------

def food_words(name: str) -> str:
    """A food name as it reads inside a sentence: 'Spinach, cooked' -> 'spinach, cooked';
    names of products ('All-Bran', 'Total Raisin Bran') and acronyms stay as written."""
    name = str(name).strip()
    first, _, rest = name.partition(" ")
    if any(c.isupper() for c in first[1:]) or re.search(r"\b[A-Z][a-z]", rest):
        return name
    return name[:1].lower() + name[1:]


def nutrient_words(key: str) -> tuple[str, str]:
    """('magnesium', 'mg'); ('vitamin D', 'µg')."""
    row = NUTRIENTS.loc[key]
    return food_words(row["name"]), row["unit"]


def number_words(value: float) -> str:
    """157.3 -> '157', 2.74 -> '2.7', 0.456 -> '0.46'."""
    if value >= 10:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:.1f}"
    return f"{value:.2f}"


def share_words(share: float) -> str:
    """0.49 -> '49% of your gap'; 1.3 -> 'all of your gap'."""
    return "all of your gap" if share >= 1 else f"{share * 100:.0f}% of your gap"


def serving_words(food: pd.Series, count: float = 1.0) -> str:
    """'1 cup spinach, cooked (180 g)'; with count 1.5: '1 1/2 cups spinach, cooked (270 g)'."""
    amount = amount_words(food["count"] * count, food["unit"], food["plural"])
    grams = food["grams"] * count
    if food["unit"] == "g":
        return f"{amount} {food_words(food['name'])}"
    return f"{amount} {food_words(food['name'])} ({grams:.0f} g)"


def adds_words(food: pd.Series, shares: pd.Series, nutrient: str) -> str:
    """'+157 mg magnesium (49% of your gap), +245 mg calcium (25% of your gap)': this
    nutrient first, then the other gaps the serving helps noticeably."""
    others = [n for n in shares.sort_values(ascending=False).index
              if n != nutrient and shares[n] >= MIN_SHARE]
    parts = []
    for key in [nutrient, *others]:
        name, unit = nutrient_words(key)
        parts.append(f"+{number_words(food[key])} {unit} {name} ({share_words(shares[key])})")
    return ", ".join(parts)


def suggestion_text(food: pd.Series, shares: pd.Series, nutrient: str) -> str:
    """'1 cup spinach, cooked (180 g): +157 mg magnesium (49% of your gap), ...'; for one of
    the person's own foods, 'You already eat plain yogurt: 1 cup more (245 g) a day adds ...'."""
    adds = adds_words(food, shares, nutrient)
    if food.get("own", False):
        amount = amount_words(food["count"], food["unit"], food["plural"])
        grams = "" if food["unit"] == "g" else f" ({food['grams']:.0f} g)"
        text = (f"You already eat {food_words(food['name'])}: {amount} more{grams} a day "
                f"adds {adds}")
    else:
        text = f"{serving_words(food)}: {adds}"
    labelled = "fortified" in str(food["name"]).lower()
    return f"{text} (fortified)" if food["fortified"] and not labelled else text
