"""Weights worth a second look: a serving heavier than any serving of its kind of food
usually weighs (kinds.csv: a drink over 1 kg, an egg dish over 300 g).

A serving is one of a counted unit ("1 serving", "1 glass", "2 slices": the weight of one),
or the whole amount of a mass or volume written ("1.5 kg of milk"). Such an item is
questioned, not refused: its figures are kept, and the report names it with the bound and
why the bound is there, so that a slip (a multi-serving box weighed as one serving, grams
written as a count) can be found and fixed.
"""

from __future__ import annotations

import math

import pandas as pd

from nutrigap.analyzer.food_kinds import bound_basis, kinds_of, max_serving_grams
from nutrigap.analyzer.food_table import FoodTable
from nutrigap.analyzer.logs.units import COUNT, lookup_unit

QUESTIONED_COLUMNS = ["row", "date", "food", "food_name", "amount", "grams", "serving_grams",
                      "bound_grams", "kind", "reason"]


def questioned_weights(intake: pd.DataFrame, food_table: FoodTable) -> pd.DataFrame:
    """The food items whose serving weighs more than the bound for the food's kind, one row
    each with QUESTIONED_COLUMNS; `reason` says what was weighed and against what."""
    foods = food_table.foods[~food_table.foods.index.duplicated()]
    eaten = intake[intake["kind"].eq("food") & intake["food_id"].notna()
                   & pd.to_numeric(intake["grams"], errors="coerce").gt(0)]
    rows = []
    for item in eaten.itertuples(index=False):
        if item.food_id not in foods.index:
            continue
        kinds = kinds_of(foods.at[item.food_id, "food_group"])
        bound = max_serving_grams(kinds)
        if math.isnan(bound):
            continue
        counted = _counted(item.unit)
        serving = item.grams / item.quantity if counted and item.quantity > 0 else item.grams
        if serving <= bound:
            continue
        kind = max((k for k in kinds if not math.isnan(max_serving_grams((k,)))),
                   key=lambda k: max_serving_grams((k,)))
        what = (f"one {item.unit} weighs {serving:,.0f} g" if counted
                else f"{serving:,.0f} g in one row")
        rows.append((int(item.row), item.date, item.food, item.food_name, item.amount_text,
                     float(item.grams), float(serving), bound, kind,
                     f"{what}, more than a serving of a food of this kind ({kind}) usually "
                     f"weighs ({bound:,.0f} g: {bound_basis(kind)}); check the amount and the "
                     "unit"))
    return pd.DataFrame(rows, columns=QUESTIONED_COLUMNS)


def _counted(unit: str) -> bool:
    """Whether an amount in `unit` counts servings (a count or a vague measure), rather than
    weighing or measuring the whole amount."""
    known = lookup_unit(str(unit))
    return known is None or known.kind == COUNT
