"""Notes about single days: days left out of the averages, half-logged days, and days whose
totals are hard to believe (usually an amount typed in the wrong unit, such as 120 medium
bananas for 120 g).

A half-logged day is one whose energy is under a third of the log's median day
(`HALF_LOGGED_SHARE`): a coffee and an apple on a day when the person usually logs 1,700 kcal
is a day they stopped logging, not a day they ate 100 kcal. The log's own median is the yardstick
rather than a fixed floor, which would drop the real days of a small child or of someone on a
supervised very-low-energy diet. `mark_half_logged` leaves such days out of the averages
unless the report is asked to keep every day; they stay in the day table, named in a note.

Each note is a dict `{kind, dates, message}` for the report's notes; the figures themselves are
never changed here, only pointed at.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nutrigap.analyzer.dates import day_month_year
from nutrigap.analyzer.scoring.scores import left_out_days

#: A day's energy above this is very unlikely to be eaten: even endurance athletes in training
#: rarely pass 6,000 kcal, so such a total nearly always means an amount was mistyped.
MAX_PLAUSIBLE_DAY_KCAL = 6000.0
#: How many of a day's largest items (by energy) a plausibility note names.
ITEMS_NAMED = 3
#: Past this many such days, one note names them all (a report keeps its length).
DAYS_NOTED_APART = 3
#: A day whose energy is under this share of the log's median day is half-logged.
HALF_LOGGED_SHARE = 1 / 3
#: A median of fewer days than this says too little about the person's usual day.
HALF_LOGGED_MIN_DAYS = 3
#: Under this a typical day is below what any adult lives on: the least energy the Dietary
#: Guidelines for Americans 2020-2025 estimate an adult needs is 1,600 kcal a day (a
#: sedentary woman over 60), so a median day under 1,000 kcal means the log holds part of
#: each day, and the averages read low.
LOW_MEDIAN_DAY_KCAL = 1000.0
ADULT_AGE = 18

def mark_half_logged(daily: pd.DataFrame, keep: bool = False) -> pd.DataFrame:
    """`daily` with `half_logged` (energy known and under HALF_LOGGED_SHARE of the median of
    the days some food was counted on) and, unless `keep`, those days left out too."""
    daily = daily.copy()
    energy = daily["energy_kcal"].to_numpy(dtype=float)
    fed = ~daily["left_out"].to_numpy(dtype=bool) & ~np.isnan(energy)
    daily["half_logged"] = False
    if fed.sum() >= HALF_LOGGED_MIN_DAYS:
        line = np.median(energy[fed]) * HALF_LOGGED_SHARE
        daily["half_logged"] = fed & (energy < line)
    if not keep:
        daily["left_out"] = daily["left_out"] | daily["half_logged"]
    return daily


def day_notes(daily: pd.DataFrame, intake: pd.DataFrame, age: float | None = None
              ) -> list[dict]:
    """Notes for the days left out of the averages, half-logged days, a log whose typical day
    is too small for an adult (`age` given), and days with an implausible energy total;
    `daily` from `daily_totals(intake)`, marked by `mark_half_logged`."""
    return (left_out_notes(daily) + half_logged_notes(daily) + low_median_notes(daily, age)
            + implausible_day_notes(daily, intake))


def half_logged_notes(daily: pd.DataFrame) -> list[dict]:
    """One note naming the half-logged days, and whether they are left out."""
    if "half_logged" not in daily.columns or not daily["half_logged"].any():
        return []
    half = daily[daily["half_logged"].to_numpy(dtype=bool)]
    fed = daily[~daily["left_out"].to_numpy(dtype=bool) | daily["half_logged"].to_numpy(
        dtype=bool)]
    median = float(np.median(fed["energy_kcal"].dropna()))
    dates = [d.date().isoformat() for d in half.index]
    shown = ", ".join(f"{day_month_year(d)} ({k:,.0f} kcal)"
                      for d, k in zip(half.index[:8], half["energy_kcal"], strict=False))
    more = f" and {len(dates) - 8} more" if len(dates) > 8 else ""
    n = len(dates)
    kept = not half["left_out"].all()
    what = (f"{n} day{'s look' if n != 1 else ' looks'} half-logged: under a third of this "
            f"log's median day of {median:,.0f} kcal")
    they, them = ("They are", "they stay") if n != 1 else ("It is", "it stays")
    if kept:
        message = (f"{what}: {shown}{more}. {they} kept in the averages, as asked; "
                   "the averages may read low.")
        summary = f"{what}; kept in the averages, as asked."
    else:
        message = (f"{what}: {shown}{more}. {they} left out of the averages, like days "
                   f"with nothing logged; {them} in the day table (nutrigap analyze "
                   "--keep-all-days keeps such days in).")
        summary = (f"{n} half-logged day{'s' if n != 1 else ''} left out of the averages "
                   "(see “Notes on the data”).")
    return [{"kind": "half_logged_days", "dates": dates, "message": message,
             "summary": summary}]


def low_median_notes(daily: pd.DataFrame, age: float | None) -> list[dict]:
    """A note when the typical counted day of an adult's log is under LOW_MEDIAN_DAY_KCAL."""
    if age is None or age < ADULT_AGE:
        return []
    kept = daily[~daily["left_out"].to_numpy(dtype=bool)]["energy_kcal"].dropna()
    if len(kept) < HALF_LOGGED_MIN_DAYS or kept.median() >= LOW_MEDIAN_DAY_KCAL:
        return []
    return [{"kind": "low_energy_log", "dates": [],
             "message": f"The typical day in this log gives {kept.median():,.0f} kcal, well "
                        "under what any adult lives on (the least the US Dietary Guidelines "
                        "estimate is 1,600 kcal a day): the log probably holds only part of "
                        "what was eaten, so every average here reads low."}]


def left_out_notes(daily: pd.DataFrame) -> list[dict]:
    """Why the days on which no food could be counted are left out: one note per reason."""
    days = left_out_days(daily)
    if "half_logged" in days.columns:
        days = days[~days["half_logged"].to_numpy(dtype=bool)]
    only_supplements = days["food_items"].to_numpy() == 0
    notes = []
    for group, why, whys in (
            (days[only_supplements], "only supplements were logged that day, no food",
             "only supplements were logged on them, no food"),
            (days[~only_supplements], None,
             "none of their foods could be counted (see “Items not counted”)")):
        if len(group) == 1:
            when, day = next(group.iterrows())
            if why is None:
                foods = int(day["food_items"])
                why = (f"none of its {foods} food{'s' if foods != 1 else ''} could be counted "
                       "(see “Items not counted”)")
            message = (f"{day_month_year(when)} is left out of the averages: {why}, and "
                       "counting it would read as a day of eating nothing.")
        elif len(group):
            shown = ", ".join(day_month_year(d) for d in group.index[:8]) + (
                f" and {len(group) - 8} more" if len(group) > 8 else "")
            message = (f"{len(group)} days are left out of the averages: {whys}, and counting "
                       f"them would read as days of eating nothing: {shown}.")
        else:
            continue
        notes.append({"kind": "left_out_day", "message": message,
                      "dates": [d.date().isoformat() for d in group.index]})
    return notes


def implausible_day_notes(daily: pd.DataFrame, intake: pd.DataFrame) -> list[dict]:
    """One note per day whose energy total is above MAX_PLAUSIBLE_DAY_KCAL, naming its largest
    items so the amounts can be checked; the day's figures are kept as they are."""
    if "energy_kcal" not in daily.columns:
        return []
    high = daily.index[daily["energy_kcal"].to_numpy(dtype=float) > MAX_PLAUSIBLE_DAY_KCAL]
    if len(high) > DAYS_NOTED_APART:
        totals = daily.loc[high, "energy_kcal"]
        shown = ", ".join(f"{day_month_year(d)} ({k:,.0f} kcal)"
                          for d, k in list(totals.items())[:8])
        more = f" and {len(high) - 8} more" if len(high) > 8 else ""
        return [{
            "kind": "implausible_day", "dates": [d.date().isoformat() for d in high],
            "summary": f"{len(high)} days add up to more than {MAX_PLAUSIBLE_DAY_KCAL:,.0f} kcal: "
                       "check their amounts (see “Notes on the data”).",
            "message": f"{len(high)} days add up to more than anyone is likely to eat in a day "
                       f"(over {MAX_PLAUSIBLE_DAY_KCAL:,.0f} kcal): {shown}{more}. Check the "
                       "amounts of their largest items (the items CSV or the HTML report lists "
                       "every item with its weight); their figures are kept as written."}]
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

