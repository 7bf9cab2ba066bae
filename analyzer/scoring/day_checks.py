"""Notes about single days: days left out of the averages, and days whose totals are hard to
believe (usually an amount typed in the wrong unit, such as 120 medium bananas for 120 g).

Each note is a dict `{kind, dates, message}` for the report's notes; the figures themselves are
never changed or dropped here, only pointed at.
"""

from __future__ import annotations

import pandas as pd

from nutrigap.analyzer.dates import day_month_year
from nutrigap.analyzer.scoring.scores import left_out_days

#: A day's energy above this is very unlikely to be eaten: even endurance athletes in training
#: rarely pass 6,000 kcal, so such a total nearly always means an amount was mistyped.
MAX_PLAUSIBLE_DAY_KCAL = 6000.0
#: How many of a day's largest items (by energy) a plausibility note names.
ITEMS_NAMED = 3

def day_notes(daily: pd.DataFrame, intake: pd.DataFrame) -> list[dict]:
    """Notes for the days left out of the averages and for days with an implausible energy
    total; `daily` from `daily_totals(intake)`."""
    return left_out_notes(daily) + implausible_day_notes(daily, intake)


def left_out_notes(daily: pd.DataFrame) -> list[dict]:
    """One note per day on which no food could be counted, saying why it is left out."""
    notes = []
    for when, day in left_out_days(daily).iterrows():
        foods = int(day["food_items"])
        if foods == 0:
            why = "only supplements were logged that day, no food"
        else:
            why = (f"none of its {foods} food{'s' if foods != 1 else ''} could be counted "
                   "(see “Items not counted”)")
        notes.append({
            "kind": "left_out_day", "dates": [when.date().isoformat()],
            "message": f"{day_month_year(when)} is left out of the averages: {why}, and "
                       "counting it would read as a day of eating nothing."})
    return notes


def implausible_day_notes(daily: pd.DataFrame, intake: pd.DataFrame) -> list[dict]:
    """One note per day whose energy total is above MAX_PLAUSIBLE_DAY_KCAL, naming its largest
    items so the amounts can be checked; the day's figures are kept as they are."""
    if "energy_kcal" not in daily.columns:
        return []
    high = daily.index[daily["energy_kcal"].to_numpy(dtype=float) > MAX_PLAUSIBLE_DAY_KCAL]
    notes = []
    for when in high:
        items = intake[pd.DatetimeIndex(intake["date"]) == when]
        largest = items.sort_values("energy_kcal", ascending=False, na_position="last")
        named = [_item_text(r) for _, r in largest.head(ITEMS_NAMED).iterrows()
                 if pd.notna(r["energy_kcal"]) and r["energy_kcal"] > 0]
        total = float(daily.at[when, "energy_kcal"])
        short = "; ".join(_item_text(r, weights=False) for _, r in largest.head(2).iterrows()
                          if pd.notna(r["energy_kcal"]) and r["energy_kcal"] > 0)
        notes.append({
            "kind": "implausible_day", "dates": [when.date().isoformat()],
            "summary": f"{day_month_year(when)} adds up to {total:,.0f} kcal: check the amounts "
                       f"({short}; see “Notes on the data”).",
            "message": f"{day_month_year(when)} adds up to {total:,.0f} kcal, more than anyone is "
                       f"likely to eat in a day (over {MAX_PLAUSIBLE_DAY_KCAL:,.0f} kcal): "
                       "check the amounts of its largest items: " + "; ".join(named) + ". "
                       "Its figures are kept as written."})
    return notes


def _item_text(item: pd.Series, weights: bool = True) -> str:
    """'banana, 199 medium (23,483 g, 20,899 kcal)'; without weights 'banana, 199 medium'."""
    amount = str(item.get("amount_text") or "").strip()
    if not weights:
        return f"{item['food']}, {amount}" if amount else str(item["food"])
    weighed = pd.notna(item.get("grams")) and item.get("unit") != "g"
    weight = f"{item['grams']:,.0f} g, " if weighed else ""
    return (f"{item['food']}, {amount} ({weight}{item['energy_kcal']:,.0f} kcal)" if amount
            else f"{item['food']} ({weight}{item['energy_kcal']:,.0f} kcal)")

