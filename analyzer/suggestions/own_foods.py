"""The person's own foods: what the log shows they already eat, and how much a day.

Suggestions lead with these ("you already eat plain yogurt: one more cup a day adds ..."),
since a food someone already buys and likes is the easiest one to eat more of; the plan
prefers them too. A food counts once it is matched to a food of the table and weighed.
"""

from __future__ import annotations

import pandas as pd

OWN_COLUMNS = ["grams_per_day", "days_eaten", "items"]


def own_foods(intake: pd.DataFrame) -> pd.DataFrame:
    """Indexed by food_id: average grams a day over the log's days, days eaten, items.

    `intake` is the items of the days the averages are over (`counted_intake`), with
    `food_id`, `grams`, `kind` and `date`; supplements and unweighed items are left out.
    """
    if intake.empty:
        return pd.DataFrame(columns=OWN_COLUMNS, index=pd.Index([], name="food_id"))
    days = max(int(pd.Series(intake["date"]).nunique()), 1)
    grams = pd.to_numeric(intake["grams"], errors="coerce")
    eaten = intake[intake["kind"].eq("food") & intake["food_id"].notna() & grams.gt(0)]
    eaten = eaten.assign(grams=grams[eaten.index])
    by_food = eaten.groupby("food_id")
    out = pd.DataFrame({"grams_per_day": by_food["grams"].sum() / days,
                        "days_eaten": by_food["date"].nunique(),
                        "items": by_food.size()})
    out.index.name = "food_id"
    return out.sort_values("grams_per_day", ascending=False)
