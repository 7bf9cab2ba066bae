"""Items counted as written but worth a second look: one list, one place in the report.

An amount that could be real is never refused (analyzer/plausibility.py): a large amount or
many portions of one item is counted and questioned here with its row, the amount and what it
weighed, and so is a row whose weight disagrees with the energy its own file gives (its blank
values were left unknown; intake.py). The servings heavier than their kind of food usually
weighs (portions.questioned_weights) join the same list, each item once.
"""

from __future__ import annotations

import math

import pandas as pd

from nutrigap.analyzer.logs.units import MASS, VOLUME, lookup_unit
from nutrigap.analyzer.plausibility import QUESTIONED_ITEM_GRAMS, QUESTIONED_PORTIONS

#: `kind` is the kind of food whose usual serving a heavy serving passes; `question` says
#: what is questioned (one of QUESTIONS)
QUESTION_COLUMNS = ["row", "date", "food", "food_name", "amount", "grams", "portion_used",
                    "serving_grams", "bound_grams", "kind", "question", "reason"]
#: what an item can be questioned for; an item questioned for several is listed for the first
QUESTIONS = ("weight_disagrees", "large_amount", "heavy_serving", "many_portions")


def questioned_items(intake: pd.DataFrame, heavy: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per item worth a second look, in log order; `heavy`, the servings heavier
    than their kind of food usually weighs (portions.questioned_weights), joins them."""
    foods = intake[intake["kind"].eq("food")]
    grams = pd.to_numeric(foods["grams"], errors="coerce")
    ml = pd.to_numeric(foods["ml"], errors="coerce")
    disagrees = foods.get("not_filled", pd.Series("", index=foods.index)).fillna("").ne("")
    measured = grams.where(grams.notna(), ml)
    # an item in no total (not weighed, or weighed past what anyone eats) is listed with
    # the items not counted instead
    counted = foods["value_source"].isin(["matched", "logged"])
    large = counted & ~disagrees & (measured > QUESTIONED_ITEM_GRAMS)
    portions = ~foods["unit"].map(_measured_unit).astype(bool)
    many = counted & ~disagrees & ~large & portions & (foods["quantity"] > QUESTIONED_PORTIONS)
    logged = foods["value_source"].eq("logged")
    rows = []
    for at in foods.index[disagrees | large | many]:
        item = foods.loc[at]
        weight = _weight(grams[at], ml[at])
        if disagrees[at]:
            question, reason = "weight_disagrees", str(item["not_filled"])
        elif large[at]:
            question = "large_amount"
            reason = (f"{weight}: more than {QUESTIONED_ITEM_GRAMS / 1000:g} kg (or litres) of "
                      "one item in a day is rare; "
                      + ("the log's own values are used" if logged[at] else "counted as written")
                      + "; check the number and the unit")
        else:
            question = "many_portions"
            reason = (f"more than {QUESTIONED_PORTIONS:g} portions of one item"
                      + (f" ({weight})" if weight else "")
                      + "; " + ("the log's own values are used" if logged[at]
                                else "counted as written") + "; check the number and the unit")
        rows.append((int(item["row"]), item["date"], str(item["food"]), item["food_name"],
                     str(item["amount_text"]), grams[at], str(item.get("portion_used", "")),
                     math.nan, math.nan, None, question, reason))
    mine = pd.DataFrame(rows, columns=QUESTION_COLUMNS)
    if heavy is None or not len(heavy):
        return mine
    theirs = heavy.assign(question="heavy_serving", portion_used="")
    by_row = intake.drop_duplicates("row").set_index("row")
    if "portion_used" in by_row:
        theirs["portion_used"] = theirs["row"].map(by_row["portion_used"]).fillna("")
    theirs = theirs[QUESTION_COLUMNS]
    if not len(mine):
        return theirs.reset_index(drop=True)
    both = pd.concat([mine.astype(object), theirs.astype(object)], ignore_index=True)
    both["order"] = both["question"].map(QUESTIONS.index)
    both = both.sort_values(["row", "order"]).drop_duplicates("row")
    return both.drop(columns="order").reset_index(drop=True)


def _measured_unit(unit) -> bool:
    found = lookup_unit(str(unit)) if isinstance(unit, str) and unit else None
    return found is not None and found.kind in (MASS, VOLUME)


def _weight(grams: float, ml: float) -> str:
    """'weighs 5,220 g', 'is 5,915 ml' or '' when neither is known."""
    if pd.notna(grams):
        return f"weighs {grams:,.0f} g"
    return f"is {ml:,.0f} ml" if pd.notna(ml) else ""
