"""Caffeine, alcohol, water and sodium: each day's amount against the reference that applies
to the person, from `data/trigger_references.csv` and `data/trigger_info.csv`.

The source articles name these as triggers of twitching besides the five nutrients. They are
not scored: nothing here changes a nutrient's status. A reference is a limit (caffeine,
alcohol: days over it are counted), a ceiling for usual intake (sodium's Chronic Disease
Risk Reduction intake) or a floor (water's Adequate Intake: days under it are counted).

As for the scored nutrients, an amount nobody knows is unknown, never zero: a day on which
no item gives a value has no total, and the average is over the days whose total is known
("n of N days"); a day with some unknown items has a total that is a floor.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import pandas as pd

from nutrigap.analyzer.nutrients import NUTRIENTS, TRIGGER_KEYS
from nutrigap.analyzer.rule_tables import rule_table
from nutrigap.analyzer.scoring.intake import missing_values
from nutrigap.analyzer.scoring.scores import counted_days, counted_intake, top_contributors

#: what a reference is: a limit and a ceiling are passed from above, a floor from below
OVER_KINDS = ("limit", "cdrr")
REFERENCE_COLUMNS = ["name", "unit", "kind", "reference", "amount", "who", "sources",
                     "per_kg", "judged", "reason", "shown_unit", "shown_per"]
SUMMARY_COLUMNS = ["name", "unit", "kind", "amount", "days", "days_known", "average",
                   "highest", "highest_date", "days_flagged", "dates_flagged",
                   "unknown_items", "incomplete", "status"]

# statuses of a trigger; none of them is a nutrient status
OVER, SOME_DAYS_OVER, WITHIN = "over", "over_some_days", "within"
BELOW, MEETS = "below", "meets"
NOT_JUDGED, NO_DATA = "not_judged", "no_data"
LABELS = {OVER: "over on average", SOME_DAYS_OVER: "over on some days",
          WITHIN: "within the limit", BELOW: "below on average", MEETS: "meets on average",
          NOT_JUDGED: "cannot be judged", NO_DATA: "not known"}


@dataclass(frozen=True, eq=False)  # its tables are compared by identity
class Triggers:
    """What a log shows of the triggers: the person's references, the summary per trigger,
    the foods that gave the most and the items whose amount is unknown."""

    references: pd.DataFrame
    summary: pd.DataFrame
    contributors: pd.DataFrame
    missing: pd.DataFrame


def find_triggers(intake: pd.DataFrame, daily: pd.DataFrame, profile,
                  sources: int = 3) -> Triggers:
    """The triggers of one log: `intake` from item_nutrients, `daily` from daily_totals;
    `sources` foods are named per trigger."""
    references = trigger_references(profile)
    counted = counted_intake(intake, daily)
    return Triggers(references, trigger_summary(daily, references),
                    top_contributors(counted, n=sources, nutrients=TRIGGER_KEYS),
                    missing_values(counted, TRIGGER_KEYS))


@functools.cache
def trigger_info() -> pd.DataFrame:
    """Per trigger key: the kind of reference, its name, the unit it is shown in and the
    paragraph that explains it."""
    return rule_table("trigger_info.csv").set_index("key")


def trigger_references(profile) -> pd.DataFrame:
    """The reference of each trigger for this person (first fitting row of
    trigger_references.csv): indexed by key, with `amount` NaN and a `reason` where it
    cannot be judged (a child's caffeine limit without a body weight)."""
    table = rule_table("trigger_references.csv")
    info = trigger_info()
    rows = {}
    for key in TRIGGER_KEYS:
        hit = _first_fitting(table[table["nutrient"] == key], profile)
        amount, judged, reason = float(hit["amount"]), True, ""
        if not math.isnan(hit["per_kg"]):
            weight = getattr(profile, "weight_kg", None)
            if weight is None:
                amount, judged = math.nan, False
                reason = (f"the limit {hit['who']} is {_fmt(hit['per_kg'])} "
                          f"{NUTRIENTS.at[key, 'unit']} per kg of body weight, and no weight "
                          "was given (give it with --weight-kg)")
            else:
                amount = float(hit["per_kg"]) * float(weight)
        rows[key] = {"name": NUTRIENTS.at[key, "name"], "unit": NUTRIENTS.at[key, "unit"],
                     "kind": info.at[key, "kind"], "reference": info.at[key, "reference"],
                     "amount": amount, "who": hit["who"], "sources": list(hit["sources"]),
                     "per_kg": float(hit["per_kg"]), "judged": judged, "reason": reason,
                     "shown_unit": info.at[key, "shown_unit"],
                     "shown_per": float(info.at[key, "shown_per"])}
    return pd.DataFrame.from_dict(rows, orient="index")[REFERENCE_COLUMNS]


def _first_fitting(rows: pd.DataFrame, profile) -> pd.Series:
    """The first row whose life stage and ages fit: pregnancy and lactation rows come first,
    as in the DRI table; a breastfeeding woman with no row of her own takes the women's."""
    stages = ["any", profile.sex, *(["pregnancy"] if profile.pregnant else []),
              *(["lactation"] if profile.lactating else [])]
    below = rows["age_below"].fillna(math.inf)
    fits = (rows["stage"].isin(stages) & (rows["age_min"] <= profile.age)
            & (profile.age < below))
    if not fits.any():  # the tables are checked by the tests; this guards an edited copy
        raise ValueError(f"no reference for {rows['nutrient'].iloc[0]} at age {profile.age:g}")
    return rows[fits.to_numpy()].iloc[0]


def trigger_summary(daily: pd.DataFrame, references: pd.DataFrame) -> pd.DataFrame:
    """One row per trigger over the days that enter the averages: the days whose total is
    known, the average over them, the highest day, the days past the reference (over a limit
    or ceiling, under a floor) and a status."""
    days = counted_days(daily)
    rows = {}
    for key, ref in references.iterrows():
        totals = days[key].astype(float)
        known = totals.dropna()
        amount = ref["amount"]
        over = ref["kind"] in OVER_KINDS
        flagged = known[known > amount] if over else known[known < amount]
        average = known.mean() if len(known) else math.nan
        if not len(known):
            status = NO_DATA
        elif not ref["judged"]:
            status = NOT_JUDGED
        elif over:
            status = OVER if average > amount else SOME_DAYS_OVER if len(flagged) else WITHIN
        else:
            status = BELOW if average < amount else MEETS
        top = known.idxmax() if len(known) else None
        unknown = int(days[f"{key}_unknown"].sum())
        rows[key] = {"name": ref["name"], "unit": ref["unit"], "kind": ref["kind"],
                     "amount": amount, "days": len(days), "days_known": len(known),
                     "average": average, "highest": known.max() if len(known) else math.nan,
                     "highest_date": top, "days_flagged": len(flagged),
                     "dates_flagged": list(flagged.index), "unknown_items": unknown,
                     "incomplete": unknown > 0, "status": status}
    return pd.DataFrame.from_dict(rows, orient="index")[SUMMARY_COLUMNS]


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"

