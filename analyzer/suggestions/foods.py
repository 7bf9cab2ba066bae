"""Foods that fill the gaps: for each nutrient below target, the foods whose ordinary serving
adds the most of it, with a bonus for foods that also help the person's other gaps.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Iterable

import numpy as np
import pandas as pd

from nutrigap.analyzer.food_table import FoodTable
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS, NUTRIENTS
from nutrigap.analyzer.rule_tables import rule_table
from nutrigap.analyzer.suggestions.diets import diet_exclusions, word_exclusions
from nutrigap.analyzer.suggestions.servings import amount_words, choose_servings, serving_exclusions

ENERGY = "energy_kcal"
#: how much a food's help with the *other* gaps adds to its rank, relative to this gap
OTHER_GAPS_BONUS = 0.25
#: a serving's energy counts a little against it (per 100 kcal), so that of two servings that
#: help about equally the lighter one comes first
ENERGY_PENALTY = 0.05
#: a serving that covers less than this share of a gap is not worth suggesting for it
MIN_SHARE = 0.05


def gaps(average_total: pd.Series, targets: pd.DataFrame) -> pd.Series:
    """Nutrient -> amount short of target, for the nutrients below target only.

    A nutrient whose intake is unknown (NaN) is not listed: it is not known to be short.
    """
    target = pd.to_numeric(targets["target"], errors="coerce").dropna()
    average = pd.to_numeric(average_total.reindex(target.index), errors="coerce")
    short = (target - average)[average.notna()]
    return short[short > 0].astype(float)


# --- the foods that can be suggested -------------------------------------------------------

@functools.cache
def _categories() -> frozenset[str]:
    return frozenset(rule_table("food_name_categories.csv")["category"].str.lower())


def main_food(name: str) -> str:
    """The word that says which food this is, so near-duplicates collapse: 'Spinach, frozen,
    cooked' -> 'spinach'; 'Fish, salmon, sockeye' and 'Salmon, canned' -> 'salmon'."""
    plain = re.sub(r"\([^)]*\)", "", str(name)).lower()
    parts = [p.strip() for p in plain.split(",") if p.strip()] or [plain.strip()]
    head = parts[0]
    if head in _categories() and len(parts) > 1:  # "Fish, salmon": the food is the salmon
        head = parts[1].split()[0]
    return _singular(head)


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("oes"):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


_PREPARED: dict[int, tuple[weakref.ref, int, pd.DataFrame]] = {}


def _prepared(table: FoodTable) -> pd.DataFrame:
    """Every food that can be a serving, with its serving and what one serving adds.

    Kept per food table (which the analysis never changes), since the exclusions and
    servings of the full SR28 take a noticeable fraction of a second to work out.
    """
    key = id(table)
    hit = _PREPARED.get(key)
    if hit is not None and hit[0]() is table and hit[1] == len(table.foods):
        return hit[2]
    foods = table.foods
    foods = foods[serving_exclusions(foods) == ""]
    foods = foods[foods[ENERGY].notna()]  # energy is what the plan keeps small
    servings = choose_servings(table, foods.index)
    servings = servings[servings["grams"].notna()]
    foods = foods.loc[servings.index]
    frame = pd.DataFrame({
        "name": foods["name"].astype(str),
        "food_group": foods["food_group"].fillna("").astype(str),
        "usda_description": foods.get("usda_description", foods["name"]),
        "tags": foods["tags"].fillna("").astype(str) if "tags" in foods else "",
    }, index=foods.index)
    frame = frame.join(servings)
    factor = frame["grams"] / 100.0
    for nutrient in NUTRIENT_KEYS:
        frame[nutrient] = pd.to_numeric(foods[nutrient], errors="coerce") * factor
    _drop_poorly_absorbed(frame)
    frame["fortified"] = frame["tags"].str.split(",").map(lambda t: "fortified" in t)
    # USDA's own descriptions put the food first ("Milk, reduced fat"), friendlier names may
    # not ("2% milk"), so near-duplicates are found from the USDA description when there is one
    described = frame["usda_description"].where(frame["usda_description"].fillna("") != "",
                                                 frame["name"])
    frame["main_food"] = described.map(main_food)
    _PREPARED[key] = (weakref.ref(table, lambda _: _PREPARED.pop(key, None)),
                      len(table.foods), frame)
    return frame


@functools.cache
def poorly_absorbed() -> pd.DataFrame:
    """Foods whose nutrient the body takes up poorly (spinach's calcium), with the reason."""
    return rule_table("poorly_absorbed.csv")


def _drop_poorly_absorbed(frame: pd.DataFrame) -> None:
    """Suggestions and the plan do not count on a nutrient the food's own make-up keeps from
    being absorbed: a serving of spinach is not offered for calcium (its magnesium and
    potassium still count). Its whole amount is kept as `full_<nutrient>`, since all of it
    counts against an upper limit. The intake of logged foods is not changed."""
    text = (frame["name"] + " " + frame["usda_description"].fillna("")).str.lower()
    for row in poorly_absorbed().itertuples():
        hit = text.str.contains(rf"\b{re.escape(row.pattern)}\b", regex=True)
        full = f"full_{row.nutrient}"
        if full not in frame:
            frame[full] = frame[row.nutrient]
        frame.loc[hit, row.nutrient] = 0.0


def whole_amount(foods: pd.DataFrame, nutrient: str) -> pd.Series:
    """What a serving holds of a nutrient, absorbed or not: the figure upper limits count."""
    return foods[f"full_{nutrient}"] if f"full_{nutrient}" in foods else foods[nutrient]


def candidate_foods(food_table: FoodTable, *, diet: Iterable[str] = (),
                    exclude: Iterable[str] = ()) -> pd.DataFrame:
    """The foods a person could add: ordinary servings, within their diet, not excluded.

    Indexed by food_id, with the serving (`serving`, `grams`, ...) and what one serving adds
    of each nutrient (columns named by nutrient key; NaN where the food data has no value).
    """
    frame = _prepared(food_table)
    keep = diet_exclusions(frame, list(diet)) == ""
    keep &= word_exclusions(frame, list(exclude)) == ""
    return frame[keep]


# --- ranking and words -------------------------------------------------------------------

def suggest_foods(food_table: FoodTable, short: pd.Series, *, diet: Iterable[str] = (),
                  exclude: Iterable[str] = (), per_nutrient: int = 5) -> dict[str, pd.DataFrame]:
    """For each short nutrient, up to `per_nutrient` distinct foods ranked by what one
    ordinary serving adds, with a bonus for helping the other gaps too."""
    short = pd.to_numeric(short, errors="coerce")
    short = short[short > 0]
    foods = candidate_foods(food_table, diet=diet, exclude=exclude)
    shares = foods[list(short.index)].div(short, axis=1)
    capped = shares.clip(upper=1.0).fillna(0.0)
    kcal = foods[ENERGY]
    result = {}
    for nutrient in short.index:
        helps = shares[nutrient] >= MIN_SHARE
        score = (capped[nutrient] + OTHER_GAPS_BONUS * capped.drop(columns=nutrient).sum(axis=1)
                 - ENERGY_PENALTY * kcal / 100.0)
        ranked = pd.DataFrame({"score": score, "kcal": kcal, "main_food": foods["main_food"]})
        ranked = ranked[helps].sort_values(["score", "kcal"], ascending=[False, True],
                                           kind="stable")
        ranked = ranked.drop_duplicates("main_food").head(per_nutrient)
        result[nutrient] = _rows(foods.loc[ranked.index], shares.loc[ranked.index], nutrient,
                                 short, ranked["score"])
    return result


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
    })
    for other in short.index:
        rows[other] = foods[other].to_numpy()
        rows[f"share_{other}"] = shares[other].to_numpy()
    rows["text"] = [suggestion_text(food, shares.loc[food_id], nutrient)
                    for food_id, food in foods.iterrows()]
    return rows


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


def suggestion_text(food: pd.Series, shares: pd.Series, nutrient: str) -> str:
    """'1 cup spinach, cooked (180 g): +157 mg magnesium (49% of your gap), +245 mg calcium
    (25% of your gap)': this nutrient first, then the other gaps it helps noticeably."""
    others = [n for n in shares.sort_values(ascending=False).index
              if n != nutrient and shares[n] >= MIN_SHARE]
    parts = []
    for key in [nutrient, *others]:
        name, unit = nutrient_words(key)
        parts.append(f"+{number_words(food[key])} {unit} {name} ({share_words(shares[key])})")
    text = f"{serving_words(food)}: {', '.join(parts)}"
    labelled = "fortified" in str(food["name"]).lower()
    return f"{text} (fortified)" if food["fortified"] and not labelled else text
