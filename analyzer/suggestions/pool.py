"""The foods a person could add: ordinary servings of everyday foods (or of their own foods),
within their diet and safe for their life stage, each with what one serving adds.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Iterable

import numpy as np
import pandas as pd

from nutrigap.analyzer.food_table import FoodTable
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS
from nutrigap.analyzer.rule_tables import rule_table
from nutrigap.analyzer.suggestions.caps import cap_of, servings_within_cap
from nutrigap.analyzer.suggestions.diets import diet_exclusions, word_exclusions
from nutrigap.analyzer.suggestions.everyday import is_everyday
from nutrigap.analyzer.suggestions.life_stage import life_stage_exclusions, serving_factor
from nutrigap.analyzer.suggestions.servings import amount_words, choose_servings, serving_exclusions

ENERGY = "energy_kcal"
#: first fields of USDA names that name a kind of food the next field narrows down
#: ("Beans, black" is black beans, as FNDDS writes it)
KIND_FIELDS = {"beans": "bean", "cheese": "cheese", "peas": "pea", "squash": "squash"}
#: a child's share of an adult serving is rounded to one of these
KITCHEN_FRACTIONS = (1 / 4, 1 / 3, 1 / 2, 2 / 3, 3 / 4)


@functools.cache
def _categories() -> frozenset[str]:
    table = rule_table("food_name_categories.csv")
    return frozenset(table["category"].str.lower())


def main_food(name: str) -> str:
    """The words that say which food this is, so near-duplicates collapse: 'Spinach, frozen,
    cooked' -> 'spinach'; 'Fish, salmon, sockeye' and 'Salmon, canned' -> 'salmon';
    'Beverages, almond milk' and 'Almond milk, unsweetened' -> 'almond milk'."""
    plain = re.sub(r"\([^)]*\)", "", str(name)).lower()
    parts = [p.strip() for p in plain.split(",") if p.strip()] or [plain.strip()]
    head = parts[0]
    if head in _categories() and len(parts) > 1:  # "Fish, salmon": the food is the salmon
        kind = KIND_FIELDS.get(head)
        head = f"{parts[1]} {kind}" if kind else parts[1]
    words = head.split()
    return " ".join([*words[:-1], _singular(words[-1])]) if words else head


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
    foods = foods[~stimulant_or_alcohol(foods)]
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
    frame["everyday"] = is_everyday(foods)
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
    frame["cap"] = cap_of(frame)
    _PREPARED[key] = (weakref.ref(table, lambda _: _PREPARED.pop(key, None)),
                      len(table.foods), frame)
    return frame


def stimulant_or_alcohol(foods: pd.DataFrame) -> pd.Series:
    """True for a food whose data gives it any caffeine or alcohol: never offered, since both
    can bring on twitching (dark chocolate, coffee-flavoured yogurt, beer). An unknown amount
    does not rule a food out; the food and drink groups that hold them are left out by
    name in serving_exclusions.csv as well."""
    amounts = foods.reindex(columns=["caffeine_mg", "alcohol_g"]).apply(pd.to_numeric,
                                                                        errors="coerce")
    return (amounts > 0).any(axis=1)


@functools.cache
def poorly_absorbed() -> pd.DataFrame:
    """Foods whose nutrient the body takes up poorly (spinach's calcium), with the reason
    and the key of the source in report_sources.csv."""
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
                    exclude: Iterable[str] = (), profile=None,
                    own: pd.DataFrame | None = None) -> pd.DataFrame:
    """The foods a person could add: ordinary servings of everyday foods or of the person's
    own foods (`own`, from `own_foods`), within their diet, not excluded, safe for their
    life stage (`profile`: age, pregnant, lactating), a child's serving for a child.

    Indexed by food_id, with the serving (`serving`, `grams`, ...), what one serving adds of
    each nutrient (columns named by nutrient key; NaN where the food data has no value),
    `own` (in the person's log), `cap` and `max_servings` (the most its daily cap allows).
    """
    frame = _prepared(food_table)
    mine = frame.index.isin(own.index) if own is not None else np.zeros(len(frame), bool)
    keep = frame["everyday"].to_numpy(bool) | mine
    keep &= (diet_exclusions(frame, list(diet)) == "").to_numpy()
    keep &= (word_exclusions(frame, list(exclude)) == "").to_numpy()
    frame = frame[keep].assign(own=mine[keep])
    frame = frame[life_stage_exclusions(frame, profile) == ""]
    frame = frame[~_salted_twin(frame)]
    return _child_sized(frame, serving_factor(profile))


def _salted_twin(foods: pd.DataFrame) -> pd.Series:
    """True for a food cooked 'with salt' whose twin cooked 'without salt' is also offered:
    SR28 lists both with the same values, and the unsalted one is the better advice."""
    names = foods["usda_description"].where(foods["usda_description"].fillna("") != "",
                                             foods["name"]).astype(str)
    salted = names.str.contains(r"\bwith salt\b", regex=True)
    unsalted = names.str.replace(r"\bwith salt\b", "without salt", regex=True)
    return salted & unsalted.isin(set(names[~salted]))


def with_caps(foods: pd.DataFrame, profile, most: float) -> pd.DataFrame:
    """`foods` with `max_servings`: the most servings (in halves, at most `most`) of each
    that its daily cap allows; a food whose cap allows not even half a serving is dropped."""
    allowed = servings_within_cap(foods["grams"], foods["cap"], profile, most)
    return foods.assign(max_servings=allowed)[allowed >= 0.5]


def _child_sized(foods: pd.DataFrame, factor: float) -> pd.DataFrame:
    """Servings times `factor` rounded to a kitchen fraction (1 cup -> 1/2 cup, 3 oz -> 2 oz)."""
    if factor >= 1.0 or foods.empty:
        return foods
    ratio = min(KITCHEN_FRACTIONS, key=lambda f: abs(f - factor))
    foods = foods.copy()
    foods["count"] = foods["count"].astype(float) * ratio
    foods["grams"] = foods["grams"] * ratio
    for column in [*NUTRIENT_KEYS, *[c for c in foods.columns if c.startswith("full_")]]:
        foods[column] = foods[column] * ratio
    foods["serving"] = [amount_words(c, u, p) for c, u, p in
                        zip(foods["count"], foods["unit"], foods["plural"], strict=True)]
    return foods
