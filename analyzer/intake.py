"""Nutrient amounts per logged item: from the log itself, or grams x the matched food's values.

An amount nobody knows stays NaN and `missing_values` says why; it is never counted as zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analyzer.food_table import FoodTable
from analyzer.nutrients import NUTRIENT_KEYS, NUTRIENTS
from analyzer.targets import SCORED_KEYS

#: where an item's amounts come from
VALUE_SOURCES = ["logged", "matched", "supplement", "unmatched", "unconverted"]
MISSING_COLUMNS = ["nutrient", "row", "date", "food", "kind", "food_id", "food_name",
                   "value_source", "cause", "reason"]


def item_nutrients(items: pd.DataFrame, matches: pd.DataFrame,
                   food_table: FoodTable) -> pd.DataFrame:
    """`items` plus food_id, food_name, value_source and the seven nutrient amounts per item.

    Supplements keep their own values. For a food, each amount the log gives is used as it is;
    the others are grams x the matched food's value per 100 g, NaN when the food is unmatched,
    its grams are unknown or the food has no value for that nutrient.
    """
    intake = items.copy()
    is_supp = intake["kind"].eq("supplement").to_numpy()
    foods = food_table.foods[~food_table.foods.index.duplicated()]
    by_name = matches.drop_duplicates("name").set_index("name")
    food_id = intake["food"].map(by_name["food_id"]).where(~is_supp)
    matched = food_id.isin(foods.index).to_numpy()
    food_id = food_id.where(matched)
    names = intake["food"].map(by_name["food_name"]).astype(object).where(matched)
    names = names.where(names.notna(), food_id.map(foods["name"]))
    grams = pd.to_numeric(intake["grams"], errors="coerce").to_numpy(dtype=float)

    per_100g = foods[NUTRIENT_KEYS].apply(pd.to_numeric, errors="coerce")
    per_100g = per_100g.reindex(food_id.to_numpy())
    computed = per_100g.to_numpy(dtype=float) * grams[:, None] / 100.0
    logged = intake[NUTRIENT_KEYS].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    fill = np.isnan(logged) & ~is_supp[:, None]
    amounts = np.where(fill, computed, logged)

    any_logged = ~np.isnan(logged).all(axis=1)
    source = np.select([is_supp, any_logged, ~matched, np.isnan(grams)],
                       ["supplement", "logged", "unmatched", "unconverted"], "matched")

    intake["food_id"] = food_id.to_numpy()
    intake["food_name"] = names.where(~is_supp, intake["food"]).to_numpy()
    intake["value_source"] = source
    intake[NUTRIENT_KEYS] = amounts
    if "conversion_problem" not in intake.columns:
        intake["conversion_problem"] = ""
    return intake


def missing_values(intake: pd.DataFrame, nutrients: list[str] | None = None) -> pd.DataFrame:
    """One row per item and nutrient whose amount is unknown, with a `cause` (unmatched,
    unconverted, no value, not logged) and a reason a user can act on."""
    nutrients = SCORED_KEYS if nutrients is None else nutrients
    base = intake.reset_index(drop=True)
    is_supp = base["kind"].eq("supplement")
    matched = base["food_id"].notna()
    no_grams = pd.to_numeric(base["grams"], errors="coerce").isna()
    cause = pd.Series(np.select([is_supp, ~matched, no_grams],
                                ["not logged", "unmatched", "unconverted"], "no value"),
                      index=base.index)
    problem = base["conversion_problem"].fillna("").astype(str)
    amount = base["amount_text"].fillna("").astype(str)
    problem = problem.where(problem != "", 'amount "' + amount + '" could not be turned into grams')
    pieces = []
    for key in nutrients:
        unknown = base[key].isna()
        if not unknown.any():
            continue
        part = base.loc[unknown, ["row", "date", "food", "kind", "food_id", "food_name",
                                  "value_source"]].copy()
        part.insert(0, "nutrient", key)
        part["cause"] = cause[unknown]
        part["reason"] = _reasons(part, problem[unknown], NUTRIENTS.at[key, "name"])
        pieces.append(part)
    if not pieces:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in MISSING_COLUMNS})
    return pd.concat(pieces, ignore_index=True)[MISSING_COLUMNS]


def _reasons(part: pd.DataFrame, problem: pd.Series, nutrient: str) -> pd.Series:
    food = part["food"].astype(str)
    food_name = part["food_name"].fillna(food).astype(str)
    reason = pd.Series(np.select(
        [part["cause"] == "unmatched", part["cause"] == "unconverted",
         part["cause"] == "not logged"],
        ['no food matched "' + food + '"', problem,
         'the supplement "' + food + f'" gives no {nutrient} amount'],
        food_name + f" has no {nutrient} value"), index=part.index)
    # a log that gives some amounts but not this one says so first
    logged = part["value_source"] == "logged"
    return reason.where(~logged, f"the log gives no {nutrient} and " + reason)
