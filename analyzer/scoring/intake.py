"""Nutrient amounts per logged item: from the log itself, or grams x the matched food's values.

An amount nobody knows stays NaN and `missing_values` says why; it is never counted as zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nutrigap.analyzer.food_table import FoodTable
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS, NUTRIENTS
from nutrigap.analyzer.scoring.targets import SCORED_KEYS

#: where an item's amounts come from
VALUE_SOURCES = ["logged", "matched", "supplement", "unmatched", "unconverted"]
#: why an amount is unknown, in the order reasons are listed
CAUSES = ["not logged", "unmatched", "unconverted", "no value"]
MISSING_COLUMNS = ["nutrient", "row", "date", "food", "kind", "food_id", "food_name",
                   "value_source", "cause", "reason"]


def item_nutrients(items: pd.DataFrame, matches: pd.DataFrame,
                   food_table: FoodTable) -> pd.DataFrame:
    """`items` plus food_id, food_name, value_source and every nutrient amount per item.

    Supplements keep their own values. For a food, each amount the log gives is used as it is;
    the others are grams x the matched food's value per 100 g, NaN when the food is unmatched,
    its grams are unknown or the food has no value for that nutrient. An item weighed as
    another form of the matched food (`counted_as`, from "1 cup cooked") is that food.
    """
    intake = items.copy()
    is_supp = intake["kind"].eq("supplement").to_numpy()
    foods = food_table.foods[~food_table.foods.index.duplicated()]
    by_name = matches.drop_duplicates("name")
    # positions instead of repeated lookups: name -> match row -> food row
    at_match = pd.Index(by_name["name"]).get_indexer(intake["food"])
    food_id = np.where(is_supp, np.nan, _take(by_name["food_id"], at_match))
    names = _take(by_name["food_name"], at_match)
    if "counted_as" in intake.columns:
        other = intake["counted_as"].fillna("").astype(str).to_numpy(dtype=object)
        switched = ~is_supp & (other != "")
        food_id = np.where(switched, other, food_id)
        names = np.where(switched, np.nan, names)
    at_food = foods.index.get_indexer(food_id)
    matched = at_food >= 0
    food_id = np.where(matched, food_id, np.nan)
    names = np.where(~matched, np.nan, np.where(pd.isna(names), _take(foods["name"], at_food),
                                                names))
    grams = pd.to_numeric(intake["grams"], errors="coerce").to_numpy(dtype=float)

    per_100g = np.vstack([_numbers(foods[NUTRIENT_KEYS]).to_numpy(dtype=float),
                          np.full((1, len(NUTRIENT_KEYS)), np.nan)])[at_food]
    computed = per_100g * grams[:, None] / 100.0
    logged = _numbers(intake[NUTRIENT_KEYS]).to_numpy(dtype=float)
    fill = np.isnan(logged) & ~is_supp[:, None]
    amounts = np.where(fill, computed, logged)

    any_logged = ~np.isnan(logged).all(axis=1)
    source = np.select([is_supp, any_logged, ~matched, np.isnan(grams)],
                       ["supplement", "logged", "unmatched", "unconverted"], "matched")

    intake["food_id"] = food_id
    intake["food_name"] = np.where(is_supp, intake["food"].to_numpy(dtype=object), names)
    intake["value_source"] = source
    intake[NUTRIENT_KEYS] = amounts
    if "conversion_problem" not in intake.columns:
        intake["conversion_problem"] = ""
    return intake


def _take(column: pd.Series, positions: np.ndarray) -> np.ndarray:
    """column[positions] as objects, NaN where the position is -1 (not found)."""
    return np.append(column.to_numpy(dtype=object), np.nan)[positions]


def _numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Numeric columns as floats; text columns (an edited table) converted, bad cells NaN."""
    if all(pd.api.types.is_numeric_dtype(t) for t in frame.dtypes):
        return frame.astype(float)
    return frame.apply(pd.to_numeric, errors="coerce").astype(float)


def missing_values(intake: pd.DataFrame, nutrients: list[str] | None = None) -> pd.DataFrame:
    """One row per item and nutrient whose amount is unknown, with a `cause` (unmatched,
    unconverted, no value, not logged) and a reason a user can act on."""
    nutrients = SCORED_KEYS if nutrients is None else nutrients
    base = intake[["row", "date", "food", "kind", "food_id", "food_name", "value_source",
                   "grams", "conversion_problem", "amount_text", *nutrients]]
    base = base.reset_index(drop=True).assign(cause=unknown_causes(intake).to_numpy())
    problem = base["conversion_problem"].fillna("").astype(str)
    amount = base["amount_text"].fillna("").astype(str)
    base["problem"] = problem.where(problem != "",
                                    'amount "' + amount + '" could not be turned into grams')
    values = base[nutrients].to_numpy(dtype=float)
    item_at, key_at = np.nonzero(np.isnan(values))
    if not len(item_at):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in MISSING_COLUMNS})
    order = np.lexsort((item_at, key_at))  # nutrient by nutrient, items in log order
    item_at, key_at = item_at[order], key_at[order]
    out = base.iloc[item_at][["row", "date", "food", "kind", "food_id", "food_name",
                              "value_source", "cause", "problem"]].reset_index(drop=True)
    out.insert(0, "nutrient", np.asarray(nutrients, dtype=object)[key_at])
    # many items share one reason: word each distinct case once
    cases = ["nutrient", "cause", "food", "food_name", "problem", "value_source"]
    case = np.zeros(len(out), dtype=np.int64)
    for column in cases:
        codes, uniques = pd.factorize(out[column], use_na_sentinel=False)
        # renumber after each column so the combined code stays small
        case = pd.factorize(case * (len(uniques) + 1) + codes)[0]
    first = np.empty(case.max() + 1, dtype=np.int64)
    first[case[::-1]] = np.arange(len(case))[::-1]  # the first item of each case
    out["reason"] = _reasons(out.iloc[first]).to_numpy()[case]
    return out[MISSING_COLUMNS]


def unknown_causes(intake: pd.DataFrame) -> pd.Series:
    """Why an item's amounts would be unknown: not logged (a supplement), unmatched,
    unconverted (no grams) or no value (the matched food lacks one)."""
    return pd.Series(np.asarray(CAUSES, dtype=object)[cause_codes(intake)], index=intake.index)


def cause_codes(intake: pd.DataFrame) -> np.ndarray:
    """`unknown_causes` as positions in CAUSES."""
    is_supp = intake["kind"].eq("supplement").to_numpy()
    matched = intake["food_id"].notna().to_numpy()
    no_grams = pd.to_numeric(intake["grams"], errors="coerce").isna().to_numpy()
    return np.select([is_supp, ~matched, no_grams], [0, 1, 2], 3)


def _reasons(cases: pd.DataFrame) -> pd.Series:
    food = cases["food"].astype(str)
    food_name = cases["food_name"].astype(object).where(cases["food_name"].notna(), food)
    nutrient = cases["nutrient"].map(NUTRIENTS["name"])
    cause = cases["cause"]
    reason = pd.Series(np.select(
        [cause == "unmatched", cause == "unconverted", cause == "not logged"],
        ['no food matched "' + food + '"', cases["problem"],
         'the supplement "' + food + '" gives no ' + nutrient + " amount"],
        food_name.astype(str) + " has no " + nutrient + " value"), index=cases.index)
    # a log that gives some amounts but not this one says so first
    logged = cases["value_source"] == "logged"
    return reason.where(~logged, "the log gives no " + nutrient + " and " + reason)
